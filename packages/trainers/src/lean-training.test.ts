// The lean training path (own dense gradients, host-assembled batches, LeanAdamOptimizer) against the path it
// replaced: tfjs's matMul gradients, a tf.gather per batch and tf.train.adam.
import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, generatePca } from '@trientropy/data';
import { Dense, Vae1, applyActivation } from '@trientropy/models';
import { LeanAdamOptimizer } from './lean-adam.js';
import { trainVae } from './train.js';

const data = generatePca({ n: 96, seed: 5 }).data;
const BATCH = 32;
const EPOCHS = 2;
const LEARNING_RATE = 5e-3;

function model(): Vae1 {
  return new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [12, 8], activation: 'relu', seed: 7 });
}

/** The training loop as it was: Dense as matMul + add + activation, tf.gather batches, tf.train.adam. */
function trainTheOldWay(vae: Vae1): void {
  const lean = Dense.prototype.apply;
  Dense.prototype.apply = function (this: Dense, x: tf.Tensor2D) {
    return tf.tidy(() => applyActivation(this.activation, tf.add(tf.matMul(x, this.weight), this.bias)) as tf.Tensor2D);
  };
  try {
    const x = tf.tensor2d(data.values, [data.rows, data.cols]);
    const optimizer = tf.train.adam(LEARNING_RATE);
    const variables = vae.trainableVariables();
    const rng = new SeededRandom(11);
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      const order = tf.tensor1d(rng.permutation(data.rows), 'int32');
      for (let start = 0; start < data.rows; start += BATCH) {
        const seed = rng.nextSeed();
        tf.tidy(() => {
          const xb = tf.gather(x, tf.slice(order, [start], [BATCH])) as tf.Tensor2D;
          const { grads } = tf.variableGrads(() => tf.neg(vae.objective(xb, { seed, samples: 1, beta: 1 })), variables);
          optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
        });
      }
      order.dispose();
      rng.nextSeed(); // trainVae's end-of-epoch evaluation draws one seed (closed-form variances off)
    }
    optimizer.dispose();
    x.dispose();
  } finally {
    Dense.prototype.apply = lean;
  }
}

describe('lean training step', () => {
  it('trains to the same parameters as the old path (tfjs matMul gradients, gather, tf.train.adam)', async () => {
    const lean = model();
    const old = model();
    const before = tf.memory().numTensors;
    await trainVae(lean, data, { epochs: EPOCHS, batchSize: BATCH, learningRate: LEARNING_RATE, seed: 11, varianceUpdate: 'gradient', initializeDecoderBias: false });
    expect(tf.memory().numTensors).toBe(before);
    trainTheOldWay(old);
    expect(tf.memory().numTensors).toBe(before);
    const a = lean.trainableVariables();
    const b = old.trainableVariables();
    let moved = 0;
    for (let i = 0; i < a.length; i++) {
      const got = a[i]!.dataSync();
      const want = b[i]!.dataSync();
      for (let j = 0; j < got.length; j++) {
        expect(Math.abs(got[j]! - want[j]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(want[j]!));
        moved = Math.max(moved, Math.abs(want[j]!));
      }
    }
    expect(moved).toBeGreaterThan(0.01); // the comparison is not between untrained models
    lean.dispose();
    old.dispose();
  });

  it('LeanAdamOptimizer updates bit for bit like tf.train.adam, through a learning-rate change, without leaks', () => {
    const start = tf.randomNormal([5, 7], 0, 1, 'float32', 1);
    const ours = tf.variable(start.clone(), true, 'lean-adam-test/ours');
    const theirs = tf.variable(start.clone(), true, 'lean-adam-test/theirs');
    const before = tf.memory().numTensors;
    const lean = new LeanAdamOptimizer(0.01);
    const reference = tf.train.adam(0.01);
    for (let step = 0; step < 12; step++) {
      if (step === 6) {
        (lean as unknown as { learningRate: number }).learningRate = 0.003;
        (reference as unknown as { learningRate: number }).learningRate = 0.003;
      }
      tf.tidy(() => {
        const gradient = tf.randomNormal([5, 7], 0, 1 + step, 'float32', 100 + step);
        lean.applyGradients([{ name: ours.name, tensor: gradient }]);
        reference.applyGradients([{ name: theirs.name, tensor: gradient }]);
      });
      expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    }
    lean.dispose();
    reference.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([start, ours, theirs]);
  });
});
