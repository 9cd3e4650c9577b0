// The same in Node on the WebAssembly backend (XNNPACK kernels): install @trientropy/backend-wasm, then ask
// for it by name, or let `auto` pick the fastest backend that loads.
import '@trientropy/backend-wasm';
import { selectBackend } from '@trientropy/backends';
import { generateCircle } from '@trientropy/data';
import { createVaeModel } from '@trientropy/models';
import { evaluateVae, trainVae } from '@trientropy/trainers';
import * as tf from '@tensorflow/tfjs-core';

const { name } = await selectBackend('wasm');
console.log(`backend: ${name}`);
const data = generateCircle({ n: 1000, noiseStd: 0.05, seed: 3 });
const model = createVaeModel('vae-1', { dataDim: 2, latentDim: 2, hiddenSizes: [16, 16], seed: 0 });
await trainVae(model, data, { epochs: 3, batchSize: 100, learningRate: 5e-3, seed: 0 });
const x = tf.tensor2d(data.values, [data.rows, data.cols]);
const evaluation = await evaluateVae(model, x, { seed: 1 });
console.log(`ELBO ${evaluation.elbo.toFixed(3)}, H[q(z|x)] ${evaluation.entropies.encoder.toFixed(3)}, H[p(z)] ${evaluation.entropies.prior.toFixed(3)}, E H[p(x|z)] ${evaluation.entropies.decoder.toFixed(3)}`);
x.dispose();
model.dispose();
