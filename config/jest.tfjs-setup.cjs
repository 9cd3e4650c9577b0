// Silences tfjs's "looks like you are running TensorFlow.js in Node.js" banner in test output. PROD (what
// the CLI runs with) rather than IS_TEST: under IS_TEST tfjs runs an internal leak check inside custom
// gradients that reports false leaks on the wasm backend (see packages/backends/README.md).
// Projects that do not use tfjs (e.g. @trientropy/data) share this preset, hence the existence check.
let tf;
try {
  tf = require('@tensorflow/tfjs-core');
} catch {
  tf = undefined;
}
if (tf !== undefined) tf.env().set('PROD', true);
