// Plain-node ESM smoke test: as gradients.cjs, through `import`.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

assert.equal(tf.getGradient('RealDiv'), undefined, 'tfjs-core alone registers no gradients in Node');
await import('@trientropy/distributions');
const { checkGradients } = createRequire(import.meta.url)('./gradient-checks.cjs');
checkGradients(tf, 'esm');
