// Silences tfjs's "looks like you are running TensorFlow.js in Node.js" banner in test output.
// Projects that do not use tfjs (e.g. @trientropy/data) share this preset, hence the existence check.
let tf;
try {
  tf = require('@tensorflow/tfjs-core');
} catch {
  tf = undefined;
}
if (tf !== undefined) tf.env().set('IS_TEST', true);
