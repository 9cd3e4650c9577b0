// Runs a package's whole Jest suite on tfjs's wasm backend (used by jest.wasm.config.cjs files, which also set
// TRIENTROPY_TEST_BACKEND=wasm so that tests can name backend-specific exceptions).
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-backend-wasm');

// Test files build fixtures at module level, before any beforeAll: keep cpu (which starts synchronously)
// active until then; wasm needs an asynchronous start.
tf.setBackend('cpu');
beforeAll(async () => {
  await tf.setBackend('wasm');
  if (tf.getBackend() !== 'wasm') throw new Error(`expected the wasm backend to start, got ${tf.getBackend()}`);
});
