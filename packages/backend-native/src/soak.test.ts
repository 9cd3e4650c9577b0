import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { uniformValues } from '@trientropy/backends/testing';
import { Vae1 } from '@trientropy/models';
import { LeanAdamOptimizer } from '@trientropy/trainers';
import { nativeAdapter } from './native-adapter.js';

const describeIfBuilt = nativeAdapter.check().available ? describe : describe.skip;
const STEPS = 2000;

describeIfBuilt(`native training, ${STEPS} steps`, () => {
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it('leaks no tensor and no backend data, and keeps training', async () => {
    await nativeAdapter.init({ threads: 1 });
    const rows = 256;
    const dataDim = 8;
    const data = tf.tensor2d(uniformValues(rows * dataDim, 0, 1, 5), [rows, dataDim]);
    const model = new Vae1({ dataDim, latentDim: 2, hiddenSizes: [16], seed: 11 });
    const optimizer = new LeanAdamOptimizer(1e-2);
    const variables = model.trainableVariables();
    const step = (i: number): tf.Scalar =>
      tf.tidy(() => {
        const indices = tf.tensor1d(Int32Array.from({ length: 32 }, (_, j) => (i * 32 + j) % rows), 'int32');
        const x = tf.gather(data, indices) as tf.Tensor2D;
        const { value, grads } = tf.variableGrads(() => tf.neg(model.elbo(x, { seed: i }).elbo) as tf.Scalar, variables);
        optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
        return value;
      });
    const first = step(0);
    const firstLoss = (await first.data())[0]!;
    first.dispose();
    const tensors = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    let losses: tf.Scalar[] = [];
    let lastLosses: Float32Array | undefined;
    for (let i = 1; i < STEPS; i++) {
      losses.push(step(i));
      if (losses.length === 100 || i === STEPS - 1) {
        const stacked = tf.stack(losses);
        lastLosses = Float32Array.from(await stacked.data());
        tf.dispose([stacked, ...losses]);
        losses = [];
        expect(tf.memory().numTensors).toBe(tensors);
        expect(tf.backend().numDataIds()).toBe(dataIds);
      }
    }
    const meanLast = lastLosses!.reduce((s, v) => s + v, 0) / lastLosses!.length;
    expect(Number.isFinite(meanLast)).toBe(true);
    expect(meanLast).toBeLessThan(firstLoss);
    tf.dispose(data);
    model.dispose();
    optimizer.dispose();
  });
});
