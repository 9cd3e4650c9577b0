import * as tf from '@tensorflow/tfjs-core';
import { Normal, klDivergence } from '@trientropy/distributions';

const kl = tf.tidy(() => {
  const posterior = Normal.fromLogVariance(tf.tensor1d([0.3, -1.2]), tf.tensor1d([-2, 0.5]));
  const prior = new Normal(0, 1);
  const z = posterior.rsample([8], 42); // [8, 2], gradients flow to loc and logVariance
  console.log(posterior.logProb(z).shape, posterior.entropy().arraySync());
  return klDivergence(posterior, prior); // closed form, shape [2]
});
console.log(kl.arraySync());
kl.dispose();
