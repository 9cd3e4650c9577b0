import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { REDUCTION, assertArraysClose, uniformValues } from '@trientropy/backends/testing';
import { Vae1 } from '@trientropy/models';
import { GAUSSIAN_LATENT_GRAD_KERNEL, GAUSSIAN_LATENT_KERNEL } from './gaussian-latent.js';
import { nativeAdapter } from './native-adapter.js';

const describeIfBuilt = nativeAdapter.check().available ? describe : describe.skip;

/** z, the KL and their gradients to ν and log τ² for the objective Σ z·w + c·KL, with tfjs's own ops and gradients. */
function composed(mean: tf.Tensor2D, logVariance: tf.Tensor2D, noise: tf.Tensor3D, w: tf.Tensor2D, c: number): Float32Array[] {
  return tf.tidy(() => {
    const [samples, rows, width] = noise.shape;
    const parts = (m: tf.Tensor, lv: tf.Tensor): [tf.Tensor, tf.Scalar] => {
      const z = tf.reshape(tf.add(m, tf.mul(tf.exp(tf.mul(lv, 0.5)), noise)), [samples * rows, width]);
      const kl = tf.mean(tf.sum(tf.mul(tf.add(tf.sub(tf.expm1(lv), lv), tf.square(m)), 0.5), 1)) as tf.Scalar;
      return [z, kl];
    };
    const [z, kl] = parts(mean, logVariance);
    const grads = tf.grads((m: tf.Tensor, lv: tf.Tensor) => {
      const [zz, kk] = parts(m, lv);
      return tf.add(tf.sum(tf.mul(zz, w)), tf.mul(kk, c));
    })([mean, logVariance]);
    return [z, kl, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

function fused(mean: tf.Tensor2D, logVariance: tf.Tensor2D, noise: tf.Tensor3D, w: tf.Tensor2D, c: number): Float32Array[] {
  return tf.tidy(() => {
    const run = (m: tf.Tensor, lv: tf.Tensor): tf.Tensor[] => tf.engine().runKernel(GAUSSIAN_LATENT_KERNEL, { mean: m, logVariance: lv, noise }, {}) as tf.Tensor[];
    const [z, kl] = run(mean, logVariance);
    const grads = tf.grads((m: tf.Tensor, lv: tf.Tensor) => {
      const [zz, kk] = run(m, lv);
      return tf.add(tf.sum(tf.mul(zz!, w)), tf.mul(kk!, c));
    })([mean, logVariance]);
    return [z!, kl!, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describeIfBuilt(`${GAUSSIAN_LATENT_KERNEL} (the ELBO's latent block in one addon call, its gradient in one more)`, () => {
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it.each([
    [1, 13, 7],
    [1, 512, 20],
    [3, 5, 4],
  ])('%i sample(s) of [%i, %i]: z, the KL and both gradients match tfjs autodiff of the composed ops on native and cpu', async (samples, rows, width) => {
    const values = [
      uniformValues(rows * width, -2, 2, rows),
      uniformValues(rows * width, -3, 1.5, width),
      uniformValues(samples * rows * width, -2.5, 2.5, samples + 7),
      uniformValues(samples * rows * width, -1, 1, samples + 8),
    ];
    const tensors = (): [tf.Tensor2D, tf.Tensor2D, tf.Tensor3D, tf.Tensor2D] => [
      tf.tensor2d(values[0]!, [rows, width]),
      tf.tensor2d(values[1]!, [rows, width]),
      tf.tensor3d(values[2]!, [samples, rows, width]),
      tf.tensor2d(values[3]!, [samples * rows, width]),
    ];
    await cpuAdapter.init();
    const cpuInputs = tensors();
    const onCpu = composed(...cpuInputs, 1.7);
    tf.dispose(cpuInputs);
    await nativeAdapter.init({ threads: 1 });
    const inputs = tensors();
    const before = tf.memory().numTensors;
    const ours = fused(...inputs, 1.7);
    expect(tf.memory().numTensors).toBe(before);
    const reference = composed(...inputs, 1.7);
    // z rounds as Mul, Exp, Mul, Add do: bit-identical on either backend.
    expect(Array.from(ours[0]!)).toEqual(Array.from(reference[0]!));
    expect(Array.from(ours[0]!)).toEqual(Array.from(onCpu[0]!));
    const labels = ['z', 'KL', 'dν', 'd log τ²'];
    for (let i = 1; i < 4; i++) {
      assertArraysClose(ours[i]!, reference[i]!, REDUCTION, `${labels[i]} against native autodiff`);
      assertArraysClose(ours[i]!, onCpu[i]!, REDUCTION, `${labels[i]} against cpu autodiff`);
    }
    tf.dispose(inputs);
  });

  it('is what a VAE-1 training step runs for its latent block, forward and backward', async () => {
    await nativeAdapter.init({ threads: 1 });
    const model = new Vae1({ dataDim: 6, latentDim: 3, hiddenSizes: [8], seed: 4 });
    const x = tf.tensor2d(uniformValues(10 * 6, 0, 1, 3), [10, 6]);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.neg(model.elbo(x, { seed: 2 }).elbo) as tf.Scalar, model.trainableVariables());
      tf.dispose([value, ...Object.values(grads)]);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((n) => n === GAUSSIAN_LATENT_KERNEL)).toHaveLength(1);
    expect(names.filter((n) => n === GAUSSIAN_LATENT_GRAD_KERNEL)).toHaveLength(1);
    expect(names).not.toContain('Expm1');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('refuses inputs that do not fit, naming them', async () => {
    await nativeAdapter.init({ threads: 1 });
    const mean = tf.zeros([4, 3]);
    const noise = tf.zeros([1, 4, 3]);
    const narrow = tf.zeros([4, 2]);
    const flat = tf.zeros([4, 3]);
    expect(() => tf.engine().runKernel(GAUSSIAN_LATENT_KERNEL, { mean, logVariance: narrow, noise }, {})).toThrow(
      `${GAUSSIAN_LATENT_KERNEL}: logVariance: expected [4, 3] as mean, got [4,2]`,
    );
    expect(() => tf.engine().runKernel(GAUSSIAN_LATENT_KERNEL, { mean, logVariance: mean, noise: flat }, {})).toThrow(`${GAUSSIAN_LATENT_KERNEL}: noise: expected [S, 4, 3], got [4,3]`);
    expect(() => tf.engine().runKernel(GAUSSIAN_LATENT_KERNEL, { mean, logVariance: mean }, {})).toThrow(`${GAUSSIAN_LATENT_KERNEL}: inputs mean, logVariance and noise are required`);
    expect(() => tf.engine().runKernel(GAUSSIAN_LATENT_GRAD_KERNEL, { mean, scale: mean, expm1: mean, noise, dz: narrow, dkl: tf.scalar(1) }, {})).toThrow(
      `${GAUSSIAN_LATENT_GRAD_KERNEL}: dz: expected float32 [4, 3], got float32 [4,2]`,
    );
    tf.dispose([mean, noise, narrow, flat]);
  });
});
