// Plain-node CJS smoke test: `require('@trientropy/distributions')` registers tfjs-core's gradients on the
// user's tfjs-core, so tfjs's own optimizers train (tfjs-core alone registers none in Node).
const assert = require('node:assert/strict');
const tf = require('@tensorflow/tfjs-core');
assert.equal(tf.getGradient('RealDiv'), undefined, 'tfjs-core alone registers no gradients in Node');
require('@trientropy/distributions');
const { checkGradients } = require('./gradient-checks.cjs');
checkGradients(tf, 'cjs');
