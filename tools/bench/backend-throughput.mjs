#!/usr/bin/env node
// Training throughput of the reference VAE on every backend that loads here, as a table.
//
//   node tools/bench/backend-throughput.mjs [--batch 2000] [--seconds 8]
//
// Needs the packages built (packages/{distributions,models,backends,backend-*}: npx tsup).
// Reference VAE: the paper's VAE-1 for MNIST (spec §"Fig. 1b"): D = 784, H = 2, encoder/decoder hidden
// [50, 50], ReLU, Gaussian decoder with learnable σ², Adam lr 1e-3, batch 2000, one Monte-Carlo sample.
// Data are uniform in [0, 1) (throughput does not depend on the values). Each backend runs in its own
// process, so that one backend's global state (the wasm binary, libtensorflow) cannot affect another's.
// A step is `optimizer.minimize(-elbo)`; after the warm-up steps, steps are timed until `--seconds` have
// passed (at least 3); each step's loss is read back before the clock is read, so asynchronous backends
// would be timed to completion.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const BACKENDS = ['cpu', 'wasm', 'node', 'cuda'];
const DATA_DIM = 784;
const LATENT_DIM = 2;
const HIDDEN = [50, 50];
const WARMUP_STEPS = 2;
const MIN_TIMED_STEPS = 3;

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function child(backend, batch, seconds) {
  const tf = await import('@tensorflow/tfjs-core');
  tf.enableProdMode(); // no debug checks, no "use tfjs-node" banner
  const { selectBackend } = await import('@trientropy/backends');
  const { Vae1 } = await import('@trientropy/models');
  let selection;
  try {
    selection = await selectBackend(backend);
  } catch (error) {
    return { backend, status: `skipped: ${String(error.message).split('\n')[0]}` };
  }
  const model = new Vae1({ dataDim: DATA_DIM, latentDim: LATENT_DIM, hiddenSizes: HIDDEN, seed: 1 });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, DATA_DIM], 0, 1, 'float32', 2);
  const step = (i) => optimizer.minimize(() => tf.neg(model.elbo(x, { seed: 1000 + i }).elbo), true, model.trainableVariables());
  for (let i = 0; i < WARMUP_STEPS; i++) {
    const loss = step(i);
    await loss.data();
    loss.dispose();
  }
  const tensorsBefore = tf.memory().numTensors;
  const start = process.hrtime.bigint();
  let steps = 0;
  let elapsed = 0;
  let lastLoss = Number.NaN;
  while (steps < MIN_TIMED_STEPS || elapsed < seconds) {
    const loss = step(WARMUP_STEPS + steps);
    steps++;
    // The loss is read back every step, as a trainer that logs it would. cpu and wasm run synchronously
    // anyway; tfjs-node executes eagerly through TFE_Execute, so this costs them little too.
    lastLoss = (await loss.data())[0];
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    loss.dispose();
  }
  const leaked = tf.memory().numTensors - tensorsBefore;
  tf.dispose(x);
  optimizer.dispose();
  model.dispose();
  if (!Number.isFinite(lastLoss)) return { backend, status: `FAILED: loss is ${lastLoss}` };
  return {
    backend,
    status: 'ok',
    batch,
    steps,
    seconds: elapsed,
    stepsPerSecond: steps / elapsed,
    samplesPerSecond: (steps * batch) / elapsed,
    leaked,
    kernels: selection.info.kernels,
    device: selection.info.device,
    threads: selection.info.threads,
  };
}

function parent() {
  const batch = option('batch', 2000);
  const seconds = option('seconds', 8);
  const self = fileURLToPath(import.meta.url);
  const rows = [];
  for (const backend of BACKENDS) {
    const run = spawnSync(process.execPath, [self, '--child', backend, String(batch), String(seconds)], { encoding: 'utf8', timeout: (seconds + 120) * 1000 });
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    rows.push(line === undefined ? { backend, status: `FAILED (exit ${run.status}): ${(run.stderr || '').trim().split('\n').slice(-2).join(' | ')}` } : JSON.parse(line.slice(7)));
  }
  const header = ['backend', 'batch', 'steps', 'steps/s', 'samples/s', 'ms/step', 'leaked tensors', 'kernels', 'status'];
  const table = [
    header,
    ...rows.map((r) =>
      r.status === 'ok'
        ? [r.backend, String(r.batch), String(r.steps), r.stepsPerSecond.toFixed(2), r.samplesPerSecond.toFixed(0), (1000 / r.stepsPerSecond).toFixed(1), String(r.leaked), `${r.kernels}, threads ${r.threads ?? 'own pool'}`, 'ok']
        : [r.backend, '-', '-', '-', '-', '-', '-', '-', r.status],
    ),
  ];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  console.log(`Reference VAE-1 (${DATA_DIM}-${HIDDEN.join('-')}-${LATENT_DIM}), Adam, batch ${batch}; Node ${process.version}, ${cpus().length} logical CPUs (${cpus()[0]?.model ?? 'unknown'})`);
  for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

if (process.argv[2] === '--child') {
  const result = await child(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
} else {
  parent();
}
