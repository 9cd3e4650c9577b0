import * as tf from '@tensorflow/tfjs-core';
import { createVaeModel, variantEntropyTerms, serializeVae, deserializeVae } from '@trientropy/models';

const x = tf.randomNormal([128, 10], 0, 1, 'float32', 1) as tf.Tensor2D;
const model = createVaeModel('vae-2', { dataDim: 10, latentDim: 2, hiddenSizes: [16], activation: 'tanh' });
const optimizer = tf.train.adam(0.01);
for (let step = 0; step < 60; step++) {
  model.applyConstraints(); // VAE-2 'rescale' mode: unit-norm decoder columns, F unchanged
  tf.tidy(() => { optimizer.minimize(() => tf.neg(model.objective(x, { seed: step })) as tf.Scalar, false, model.trainableVariables()); });
  if ((step + 1) % 20 === 0) model.setOptimalVariances(x, { seed: step, samples: 10 }); // σ² ← R/D, α² ← m
}
const terms = await variantEntropyTerms(model, x, { seed: 0 });
console.log(terms.elbo, terms.entropySum, terms.relativeGap); // ELBO ≈ entropy sum
const copy = deserializeVae(serializeVae(model)); // same outputs
