import * as tf from '@tensorflow/tfjs-core';
import { LOG_2PI, Normal, klNormalNormal } from '@trientropy/distributions';
import {
  gaussianKlToPrior,
  gaussianLogLikelihoodFromSquaredError,
  meanSquaredErrorSum,
  reparameterize,
  reparameterizeWithStandardNormalKl,
  standardNormalKl,
} from './gaussian-elbo-ops.js';

// Each fused ELBO op against the composition of tfjs ops (and @trientropy/distributions' Normal) it replaced,
// differentiated by tfjs's registered gradients: values equal, gradients equal to float32 precision.

/** Largest |a − b| relative to the largest |b|. */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(1e-30, tf.max(tf.abs(b)).dataSync()[0]!));
}

/** A scalar that weights every element of `t` differently, so that a misplaced gradient shows. */
function weighted(t: tf.Tensor, seed: number): tf.Scalar {
  return tf.sum(tf.mul(t, tf.randomNormal(t.shape, 0, 1, 'float32', seed)));
}

const n = 13;
const h = 5;
const mean = tf.randomNormal([n, h], 0, 1.5, 'float32', 1) as tf.Tensor2D;
const logVariance = tf.randomNormal([n, h], -0.5, 1, 'float32', 2) as tf.Tensor2D;
const priorLogVariance = tf.randomNormal([h], 0.3, 0.5, 'float32', 3) as tf.Tensor1D;

afterAll(() => tf.dispose([mean, logVariance, priorLogVariance]));

describe('fused Gaussian ELBO ops equal the composed tfjs ops they replace', () => {
  it.each([1, 3])('reparameterize with %i sample(s): values exactly, gradients to ν and log τ² to 1e-6', (samples) => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const noise = tf.randomNormal([samples, n, h], 0, 1, 'float32', 4) as tf.Tensor3D;
      const composed = (m: tf.Tensor, lv: tf.Tensor): tf.Tensor => {
        const q = Normal.fromLogVariance(m, lv, { validateArgs: false });
        return tf.reshape(tf.add(q.loc, tf.mul(q.scale, noise)), [samples * n, h]);
      };
      const ours = reparameterize(mean, logVariance, noise);
      expect(ours.shape).toEqual([samples * n, h]);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(composed(mean, logVariance).dataSync()));
      const [gm, glv] = tf.grads((m: tf.Tensor, lv: tf.Tensor) => weighted(reparameterize(m as tf.Tensor2D, lv as tf.Tensor2D, noise), 5))([mean, logVariance]);
      const [rm, rlv] = tf.grads((m: tf.Tensor, lv: tf.Tensor) => weighted(composed(m, lv), 5))([mean, logVariance]);
      expect(relativeError(gm!, rm!)).toBeLessThan(1e-6);
      expect(relativeError(glv!, rlv!)).toBeLessThan(1e-6);
      expect(relativeError(glv!, tf.zerosLike(glv!))).toBeGreaterThan(0);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['a learnable prior N(0, α²)', true],
    ['the standard normal prior', false],
  ])('KL to %s: value exactly, gradients to ν, log τ², log α² to 1e-6', (_label, learnablePrior) => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const prior = learnablePrior ? priorLogVariance : (tf.zeros([h]) as tf.Tensor1D);
      const composed = (m: tf.Tensor, lv: tf.Tensor, plv: tf.Tensor): tf.Scalar =>
        tf.mean(tf.sum(klNormalNormal(Normal.fromLogVariance(m, lv, { validateArgs: false }), Normal.fromLogVariance(tf.zeros([h]), plv, { validateArgs: false })), 1));
      expect(gaussianKlToPrior(mean, logVariance, prior).dataSync()[0]).toBe(composed(mean, logVariance, prior).dataSync()[0]);
      const g = tf.grads((m: tf.Tensor, lv: tf.Tensor, plv: tf.Tensor) => tf.mul(gaussianKlToPrior(m as tf.Tensor2D, lv as tf.Tensor2D, plv as tf.Tensor1D), 1.7))([mean, logVariance, prior]);
      const r = tf.grads((m: tf.Tensor, lv: tf.Tensor, plv: tf.Tensor) => tf.mul(composed(m, lv, plv), 1.7))([mean, logVariance, prior]);
      for (let i = 0; i < 3; i++) expect(relativeError(g[i]!, r[i]!)).toBeLessThan(1e-6);
      expect(g[2]!.shape).toEqual([h]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('KL to the standard normal without a prior gradient: value and gradients to ν, log τ² equal the general op with log α² = 0 exactly', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const zeros = tf.zeros([h]) as tf.Tensor1D;
      // Also log τ² = ±0 and large |log τ²|, where d = (log τ²·½ − 0)·2 must still equal log τ².
      const lv = tf.concat([logVariance, tf.tensor2d([[0, -0, 30, -30, 1e-30]])]) as tf.Tensor2D;
      const m = tf.concat([mean, tf.tensor2d([[0.5, -2, 0, 1e-3, -0]])]) as tf.Tensor2D;
      expect(standardNormalKl(m, lv).dataSync()[0]).toBe(gaussianKlToPrior(m, lv, zeros).dataSync()[0]);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(standardNormalKl(a as tf.Tensor2D, b as tf.Tensor2D), 1.7))([m, lv]);
      const r = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(gaussianKlToPrior(a as tf.Tensor2D, b as tf.Tensor2D, zeros), 1.7))([m, lv]);
      for (let i = 0; i < 2; i++) expect(Array.from(g[i]!.dataSync())).toEqual(Array.from(r[i]!.dataSync()));
      expect(relativeError(g[1]!, tf.zerosLike(g[1]!))).toBeGreaterThan(0);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  // On a backend with the fused latent kernel (native) this compares that kernel and its gradient kernel with the
  // two ops; elsewhere it checks that the two ops are what runs.
  it.each([
    [1, n, h],
    [3, n, h],
    [1, 512, 20],
  ])('latent block (z and the standard-normal KL) with %i sample(s) of [%i, %i]: values and gradients equal reparameterize and standardNormalKl exactly', (samples, rows, width) => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const m = tf.randomNormal([rows, width], 0, 1.5, 'float32', 8) as tf.Tensor2D;
      const lv = tf.randomNormal([rows, width], -0.5, 1, 'float32', 9) as tf.Tensor2D;
      const noise = tf.randomNormal([samples, rows, width], 0, 1, 'float32', 10) as tf.Tensor3D;
      // dz and dkl both non-trivial: the z's weighted sum and 1.7 × KL.
      const objective = (z: tf.Tensor, kl: tf.Scalar): tf.Scalar => tf.add(weighted(z, 11), tf.mul(kl, 1.7));
      const fused = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => {
        const { z, kl } = reparameterizeWithStandardNormalKl(a as tf.Tensor2D, b as tf.Tensor2D, noise);
        return objective(z, kl);
      };
      const separate = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => objective(reparameterize(a as tf.Tensor2D, b as tf.Tensor2D, noise), standardNormalKl(a as tf.Tensor2D, b as tf.Tensor2D));
      const { z, kl } = reparameterizeWithStandardNormalKl(m, lv, noise);
      expect(z.shape).toEqual([samples * rows, width]);
      expect(kl.shape).toEqual([]);
      expect(Array.from(z.dataSync())).toEqual(Array.from(reparameterize(m, lv, noise).dataSync()));
      expect(kl.dataSync()[0]).toBe(standardNormalKl(m, lv).dataSync()[0]);
      const g = tf.grads(fused)([m, lv]);
      const r = tf.grads(separate)([m, lv]);
      for (let i = 0; i < 2; i++) {
        expect(g[i]!.shape).toEqual([rows, width]);
        expect(Array.from(g[i]!.dataSync())).toEqual(Array.from(r[i]!.dataSync()));
      }
      // Only the KL's gradient (dz = 0, as tfjs fills it): still exact, and different from the whole one.
      const klOnly = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(reparameterizeWithStandardNormalKl(a as tf.Tensor2D, b as tf.Tensor2D, noise).kl, 1.7))([m, lv]);
      const klRef = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(standardNormalKl(a as tf.Tensor2D, b as tf.Tensor2D), 1.7))([m, lv]);
      for (let i = 0; i < 2; i++) expect(Array.from(klOnly[i]!.dataSync())).toEqual(Array.from(klRef[i]!.dataSync()));
      expect(relativeError(klOnly[1]!, g[1]!)).toBeGreaterThan(0);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([1, 2])('R with %i sample(s): value and gradient to μ exactly', (samples) => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const d = 7;
      const x = tf.randomUniform([n, d], 0, 1, 'float32', 6) as tf.Tensor2D;
      const mu = tf.randomNormal([samples * n, d], 0.5, 0.3, 'float32', 7) as tf.Tensor2D;
      const composed = (m: tf.Tensor): tf.Scalar => tf.mean(tf.sum(tf.square(tf.sub(x, tf.reshape(m, [samples, n, d]))), -1));
      expect(meanSquaredErrorSum(x, mu).dataSync()[0]).toBe(composed(mu).dataSync()[0]);
      const [ours] = tf.grads((m: tf.Tensor) => tf.mul(meanSquaredErrorSum(x, m as tf.Tensor2D), 0.37))([mu]);
      const [theirs] = tf.grads((m: tf.Tensor) => tf.mul(composed(m), 0.37))([mu]);
      expect(ours!.shape).toEqual([samples * n, d]);
      expect(Array.from(ours!.dataSync())).toEqual(Array.from(theirs!.dataSync()));
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('expected log-likelihood from R: value exactly, gradients to log σ² and R to 1e-6', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const d = 784;
      const composed = (lv: tf.Tensor, r: tf.Tensor): tf.Scalar =>
        tf.sub(tf.mul(tf.add(lv, LOG_2PI), -0.5 * d), tf.mul(tf.exp(tf.neg(lv)), tf.mul(r, 0.5)));
      for (const [lv0, r0] of [[0, 50], [-2.5, 3.25], [1.2, 900]] as const) {
        const lv = tf.scalar(lv0);
        const r = tf.scalar(r0);
        expect(gaussianLogLikelihoodFromSquaredError(lv, r, d, LOG_2PI).dataSync()[0]).toBe(composed(lv, r).dataSync()[0]);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(gaussianLogLikelihoodFromSquaredError(a as tf.Scalar, b as tf.Scalar, d, LOG_2PI), -1.3))([lv, r]);
        const want = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(composed(a, b), -1.3))([lv, r]);
        expect(relativeError(g[0]!, want[0]!)).toBeLessThan(1e-6);
        expect(relativeError(g[1]!, want[1]!)).toBeLessThan(1e-6);
      }
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
