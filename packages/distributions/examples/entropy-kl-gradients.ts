import * as tf from '@tensorflow/tfjs-core';
import { ContinuousBernoulli, Gamma, exponentialFamily, klDivergence } from '@trientropy/distributions';

tf.tidy(() => {
  // A continuous-Bernoulli decoder on grey levels, stable at λ = ½ (logits 0).
  const decoder = new ContinuousBernoulli({ logits: tf.tensor1d([-3, 0, 2.5]) });
  console.log(decoder.logProb(tf.tensor1d([0.1, 0.5, 0.9])).arraySync());
  // Implicit reparameterisation: gradients of a Gamma sample with respect to its concentration.
  const g = tf.grad((a: tf.Tensor) => tf.mean(new Gamma(a, 1, { validateArgs: false }).rsample([1000], 7)))(tf.scalar(2.5));
  console.log(g.arraySync()); // ≈ dE[x]/dα = 1
  // The exponential-family view: entropy from natural parameters and log-normaliser.
  const q = new Gamma(tf.tensor1d([2, 5]), tf.tensor1d([1, 3]));
  console.log(exponentialFamily(q).entropy().arraySync(), q.entropy().arraySync());
  console.log(klDivergence(q, new Gamma(1, 1)).arraySync());
});
