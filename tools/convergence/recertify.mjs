#!/usr/bin/env node
// Recomputes the stationarity certificate (@trientropy/trainers, as built) of saved end states, to calibrate its
// tolerances on cases whose distance to the optimum is known: the runs that `convergence-grid.mjs --keep DIR` leaves.
//
//   node tools/convergence/recertify.mjs DIR/run-6-vae-1 [more run directories…]   # a trained model vs ℓ_ML
//   node tools/convergence/recertify.mjs --linear DIR                               # per shape of DIR: the pPCA
//        optimum (must be certified) and an untrained linear VAE given only σ² = R/D and m_h = 1 (must not be)
//
// One row per case: the shortfall (ℓ_ML − ELBO)/|ℓ_ML| of the run's final ELBO, the verdict, the deciding number
// against its tolerance (the largest gradient-step gain, or the collapsed-latent escape gain when larger), the raw
// gap relative to (D + H)/2 (the run's last raw gap where its metrics.json has `rawGapNats`, else the gap at the saved state),
// the certificate's ELBO in the data's original units, the certificate's wall time and the load average. No ELBO
// window is used (the runs' own certificates had one). Needs the packages built (`npx nx run-many -t build`).
//
// A run trained with --standardize is certified where it was trained: on its training rows (the --eval-split the
// CLI made, redone with the run's seed) standardised with the mean and std its model file records (format v2), and
// the certificate's ELBO is moved into the original units by the log-Jacobian −Σ log std_d, as train and eval do;
// ℓ_ML is that of the raw rows. A version-1 model file of a run whose metrics.json records a standardisation is
// refused (its units are not in the file).
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { applyStandardizer, dataMatrix, trainTestSplit } from '@trientropy/data';
import { LinearVae, deserializeVaeFile, ppcaMaximumLikelihood } from '@trientropy/models';
import { standardizationLogJacobian, stationarityCertificate } from '@trientropy/trainers';

function readCsv(file) {
  const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
  return dataMatrix(Float32Array.from(rows.flat()), rows.length, rows[0].length);
}

function printRow(name, shortfall, c, ms, logJacobian = 0) {
  const escape = c.latentEscape?.relativeGain ?? 0;
  const deciding = escape > c.maxRelativeGain ? `escape ${escape.toExponential(1)} vs ${c.tolerances.latentEscape}` : `gradient gain ${c.maxRelativeGain.toExponential(1)} vs ${c.tolerances.gain}`;
  console.log(`| ${name} | ${shortfall} | ${c.converged ? 'certified' : 'NOT certified'} | ${deciding} | ${c.rawGap.relativeGap.toExponential(1)} | ${(c.elbo + logJacobian).toFixed(5)} | ${ms.toFixed(0)} ms | ${loadavg()[0].toFixed(1)} |`);
  if (!c.converged) console.log(`    ${c.reasons.join('; ')}`);
}

async function certify(model, x, options = {}) {
  const started = performance.now();
  const certificate = await stationarityCertificate(model, x, options);
  return [certificate, performance.now() - started];
}

async function linearCases(dir) {
  for (let shape = 1; ; shape++) {
    let data;
    try {
      data = readCsv(`${dir}/shape-${shape}.csv`);
    } catch {
      return;
    }
    const h = JSON.parse(readFileSync(`${dir}/run-${shape}-linear/metrics.json`, 'utf8')).settings.latents;
    const x = tf.tensor2d(data.values, [data.rows, data.cols]);
    const solution = ppcaMaximumLikelihood(data, h);
    const optimum = new LinearVae({ dataDim: data.cols, latentDim: h, seed: 1 });
    optimum.setPpcaSolution(solution);
    printRow(`shape ${shape} linear, pPCA optimum`, '0', ...(await certify(optimum, x)));
    const untrained = new LinearVae({ dataDim: data.cols, latentDim: h, seed: 2 });
    untrained.normalizeLatentMoments(x);
    untrained.setOptimalVariances(x, { seed: 1, samples: 1 });
    const [c, ms] = await certify(untrained, x);
    printRow(`shape ${shape} linear, untrained + closed-form steps`, `${((100 * (solution.logLikelihood - c.elbo)) / Math.abs(solution.logLikelihood)).toFixed(1)} %`, c, ms);
    x.dispose();
    optimum.dispose();
    untrained.dispose();
  }
}

async function runCase(dir) {
  const modelPath = `${dir}/model.trientropy.json`;
  const { model, version, standardization } = deserializeVaeFile(readFileSync(modelPath, 'utf8'));
  const metrics = JSON.parse(readFileSync(`${dir}/metrics.json`, 'utf8'));
  if (version === 1 && metrics.standardization !== undefined) {
    throw new Error(`${modelPath}: a version-1 model file (no standardisation recorded) of a run whose metrics.json says it was trained standardised; retrain it with this build to recertify it`);
  }
  const all = readCsv(metrics.settings.data);
  const raw = metrics.settings.evalSplit > 0 ? trainTestSplit(all, { testFraction: metrics.settings.evalSplit, seed: metrics.settings.seed }).train : all;
  if (raw.cols !== model.dataDim) throw new Error(`${metrics.settings.data}: expected ${model.dataDim} columns (the model's dataDim), got ${raw.cols}`);
  const standardizer = standardization === undefined ? undefined : { mean: Float64Array.from(standardization.mean), std: Float64Array.from(standardization.std) };
  const trained = standardizer === undefined ? raw : applyStandardizer(raw, standardizer);
  const logJacobian = standardizer === undefined ? 0 : standardizationLogJacobian(standardizer);
  const x = tf.tensor2d(trained.values, [trained.rows, trained.cols]);
  const ml = ppcaMaximumLikelihood(raw, model.latentDim).logLikelihood;
  const last = metrics.epochs.at(-1);
  const [c, ms] = await certify(model, x, last.rawGapNats === undefined ? {} : { rawGapNats: last.rawGapNats });
  const elbo = metrics.final.linear?.exactElbo ?? metrics.final.elbo;
  const units = standardizer === undefined ? '' : `, standardised (log-Jacobian ${logJacobian.toFixed(4)})`;
  printRow(`${dir.split('/').pop()}, ${metrics.epochs.length} epochs${units}`, `${((100 * (ml - elbo)) / Math.abs(ml)).toFixed(3)} %`, c, ms, logJacobian);
  x.dispose();
  model.dispose();
}

await tf.setBackend('cpu');
console.log(`| case | shortfall | verdict | deciding check | raw gap / ((D+H)/2) | certificate ELBO (original units) | cost | load |`);
console.log('|---|---|---|---|---|---|---|---|');
const args = process.argv.slice(2);
if (args[0] === '--linear') await linearCases(args[1]);
else for (const dir of args) await runCase(dir);
