// wasm-specific checks, run in the cpu suite too. The whole suite also runs on wasm (jest.wasm.config.cjs, part
// of `npm test`); these cases pin what only matters there. Their first finding: wasm's Log1p kernel is
// log(1 + x) in float32, hence the library's own `log1p`.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { digamma, lgamma, softplus } from './index.js';
import { log1p } from './special/log1p.js';
import { expectClose, expectNoTensorLeak } from './test-support/numeric-assertions.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  // IS_TEST turns on tfjs's per-kernel leak check, which on wasm miscounts the clone that tf.customGrad's `save`
  // makes of an input (a fresh data id there, a shared one on cpu) and throws for every custom-gradient op. Our own
  // leak checks (tf.memory().numTensors before/after) are unaffected; see expectNoTensorLeak below.
  tf.env().set('IS_TEST', false);
});

describe('wasm backend', () => {
  it('is active', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  it('custom-gradient ops leave no tensors behind on wasm either', () => {
    const x = tf.tensor1d([0.3, 2, 9]);
    expectNoTensorLeak(() => {
      for (const op of [lgamma, digamma, softplus, log1p]) tf.grad((v: tf.Tensor) => tf.sum(op(v)))(x).dispose();
    });
    x.dispose();
  });

  it('log1p is accurate where the wasm Log1p kernel is not', () => {
    const x = [1e-7, -1e-6, 3e-4, 0.5, 20];
    expectClose(log1p(tf.tensor1d(x)), x.map(Math.log1p), { rtol: 2e-7, atol: 0 }, 'log1p');
  });
});
