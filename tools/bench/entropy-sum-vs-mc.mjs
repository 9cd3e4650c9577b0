#!/usr/bin/env node
// Cost of the sampling-free entropy-sum estimate of the held-out ELBO (spec §5.1) against the Monte-Carlo
// ELBO with 1, 10 and 100 samples per point and the IWAE bound, on the same model and data, as a table.
//
//   node tools/bench/entropy-sum-vs-mc.mjs [--rows 2000] [--dim 100] [--seconds 1] [--backend cpu]
//
// Needs the packages built (npx nx run-many -t build -p @trientropy/trainers, or tsup in data, distributions,
// models and trainers). Model: VAE-1 with D = --dim, H = 5, hidden [50, 50] (ReLU), trained for a few epochs and
// then moved onto m_h = 1 and σ² = R/D in closed form (spec §5.2), so that the values mean something; the
// timings do not depend on convergence. Data: the paper's PCA data
// (H_gen = 5, σ_gen = 0.1), --rows held-out rows. Each estimator runs once as warm-up, then repeatedly until
// --seconds have passed (at least 3 runs); the table shows the median wall time per call and its ratio to the
// entropy sum's, measured in this run. Every call reads its result back, so the time covers the whole work.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { generatePca, dataMatrix } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { entropySumEstimate, iwaeBound, monteCarloElbo, trainVae } from '@trientropy/trainers';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const rows = Number(option('rows', 2000));
const dim = Number(option('dim', 100));
const seconds = Number(option('seconds', 1));
const backend = option('backend', 'cpu');
if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
await tf.setBackend(backend);
await tf.ready();
tf.enableProdMode();

const all = generatePca({ n: 2000 + rows, dataDim: dim, latentDim: 5, seed: 1 }).data;
const train = dataMatrix(all.values.slice(0, 2000 * dim), 2000, dim);
const test = tf.tensor2d(all.values.slice(2000 * dim), [rows, dim]);
const model = new Vae1({ dataDim: dim, latentDim: 5, hiddenSizes: [50, 50], activation: 'relu', seed: 0 });
await trainVae(model, train, { epochs: 5, batchSize: 100, learningRate: 3e-3, seed: 0, evaluation: { samples: 1 } });
const trainTensor = tf.tensor2d(train.values, [train.rows, dim]);
model.normalizeLatentMoments(trainTensor);
model.setOptimalVariances(trainTensor, { seed: 0, samples: 10 });
trainTensor.dispose();

async function time(run) {
  let result = await run(); // warm-up
  const times = [];
  const start = performance.now();
  while (times.length < 3 || performance.now() - start < seconds * 1000) {
    const t0 = performance.now();
    result = await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], runs: times.length, result };
}

const estimators = [
  ['entropy sum (encoder only)', () => entropySumEstimate(model, test, { varianceRatio: false })],
  ['entropy sum + trust (1 sample)', () => entropySumEstimate(model, test, { trustSamples: 1 })],
  ['MC ELBO, 1 sample', () => monteCarloElbo(model, test, { seed: 1, samples: 1 })],
  ['MC ELBO, 10 samples', () => monteCarloElbo(model, test, { seed: 1, samples: 10 })],
  ['MC ELBO, 100 samples', () => monteCarloElbo(model, test, { seed: 1, samples: 100 })],
  ['IWAE, k = 10', () => iwaeBound(model, test, { seed: 1, k: 10 })],
  ['IWAE, k = 100', () => iwaeBound(model, test, { seed: 1, k: 100 })],
];

const before = tf.memory().numTensors;
const rowsOut = [];
for (const [name, run] of estimators) rowsOut.push({ name, ...(await time(run)) });
if (tf.memory().numTensors !== before) throw new Error(`tensor leak: ${before} → ${tf.memory().numTensors}`);

const reference = rowsOut[0].ms;
console.log(`backend ${tf.getBackend()}, ${rows} held-out rows, D = ${dim}, H = 5, VAE-1 hidden [50, 50]; median of ≥ 3 runs`);
console.log('| estimator | value (nats/point) | s.e. over points | ms per call | runs | × entropy sum |');
console.log('|---|---|---|---|---|---|');
for (const r of rowsOut) {
  console.log(`| ${r.name} | ${r.result.value.toFixed(3)} | ${r.result.standardError.toFixed(3)} | ${r.ms.toFixed(1)} | ${r.runs} | ${(r.ms / reference).toFixed(1)} |`);
}
const trust = rowsOut[1].result.trust;
console.log(`trust: ρ = ${trust.varianceRatio?.toFixed(3)}, m_h = [${trust.latentMomentRatios.map((m) => m.toFixed(2)).join(', ')}], predicted gap ${trust.predictedGap?.toFixed(3)} nats, trustworthy ${trust.trustworthy}`);
test.dispose();
model.dispose();
