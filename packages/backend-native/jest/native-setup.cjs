// Runs another package's whole Jest suite on the native backend (see jest/suite.config.cjs). Test files build
// fixtures at module level, before any beforeAll: keep cpu active until then.
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const { nativeAdapter } = require('@trientropy/backend-native');

tf.setBackend('cpu');
beforeAll(async () => {
  // One BLAS thread: Jest runs test files in parallel workers, one per core.
  await nativeAdapter.init({ threads: 1 });
  if (tf.getBackend() !== 'native') throw new Error(`expected the native backend to start, got ${tf.getBackend()}`);
});
