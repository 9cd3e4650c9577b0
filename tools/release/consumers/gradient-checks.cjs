// Shared by gradients.cjs and gradients.mjs: every gradient of tfjs-core's register_all_gradients is
// registered exactly for the user's tfjs-core, and training with tfjs's optimizers converges.
const assert = require('node:assert/strict');
const { readFileSync, readdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

exports.checkGradients = function checkGradients(tf, format) {
  // The kernels of tfjs-core's own gradient configs (dist/gradients/*_grad.js: `kernelName: Abs`, ...).
  const gradients = dirname(require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js'));
  const kernels = readdirSync(join(gradients, 'gradients'))
    .filter((name) => name.endsWith('_grad.js'))
    .flatMap((name) => [...readFileSync(join(gradients, 'gradients', name), 'utf8').matchAll(/kernelName:\s*(\w+)/g)].map((m) => tf[m[1]]));
  assert.ok(kernels.length > 90, `expected tfjs-core's gradient configs, found ${kernels.length}`);
  const missing = kernels.filter((kernel) => typeof kernel !== 'string' || tf.getGradient(kernel) === undefined);
  assert.deepEqual(missing, [], 'kernels whose gradient is not registered');

  // minimize: least squares by Adam, and the gradient of a conv + max-pool graph against finite differences.
  const w = tf.variable(tf.zeros([3]));
  const x = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]);
  const y = tf.tensor1d([1, -2, 3, 2]);
  const optimizer = tf.train.adam(0.1);
  for (let step = 0; step < 300; step++) optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.squeeze(tf.matMul(x, tf.expandDims(w, 1))), y))));
  const fitted = Array.from(w.dataSync());
  [1, -2, 3].forEach((target, i) => assert.ok(Math.abs(fitted[i] - target) < 0.05, `w[${i}] = ${fitted[i]}, expected ${target}`));

  const image = tf.tensor4d([...Array(16).keys()].map((i) => Math.sin(i)), [1, 4, 4, 1]);
  const f = (filter) => tf.sum(tf.maxPool(tf.conv2d(image, filter, 1, 'same'), 2, 2, 'valid'));
  const filter = tf.tensor4d([0.3, -0.2, 0.5, 0.1], [2, 2, 1, 1]);
  const analytic = tf.grad(f)(filter).dataSync();
  const values = Array.from(filter.dataSync());
  for (let i = 0; i < values.length; i++) {
    const h = 1e-2;
    const shifted = (delta) => f(tf.tensor4d(values.map((v, j) => (j === i ? v + delta : v)), [2, 2, 1, 1])).dataSync()[0];
    const numeric = (shifted(h) - shifted(-h)) / (2 * h);
    assert.ok(Math.abs(numeric - analytic[i]) < 1e-2, `conv2d/maxPool gradient ${i}: ${analytic[i]} vs finite difference ${numeric}`);
  }
  console.log(`${format}: all ${kernels.length} gradients of tfjs-core registered; Adam fitted w = [${fitted.map((v) => v.toFixed(3)).join(', ')}]`);
};
