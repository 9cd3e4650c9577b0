#!/usr/bin/env node
// Training throughput of the project's reference model (VAE-1, packages/models/src/vae1.ts) on the tfjs cpu
// and wasm backends against the same model in PyTorch on CPU (Debian's python3-torch), measured in the same
// run, interleaved, as a table of steps/s and ratios to PyTorch.
//
//   node tools/bench/train-vs-pytorch.mjs [--rounds 3] [--slice 4] [--warmup 1] [--configs cli-default,large]
//
// Needs the packages built (npx tsup in packages/{distributions,data,models,backends,backend-wasm}) and, for
// the PyTorch rows, `apt-get install -y python3-torch` (checked with /usr/bin/python3). Without PyTorch the
// script says so loudly and still prints the tfjs rows.
//
// Configurations (identical on both sides: sizes, ReLU, batch, Adam lr/β1 0.9/β2 0.999/ε 1e-7 — tfjs's
// float32 epsilon, which `tf.train.adam` uses by default —, Glorot-uniform weights, zero biases, log σ² = 0):
//   cli-default  `trientropy train` defaults: D = 10, H = 2, hidden [20, 20], batch 250, lr 5e-3, on the
//                paper's PCA data (generatePca from @trientropy/data, 10 000 rows)
//   large        D = 784, H = 10, hidden [256, 256], batch 128, lr 1e-3, 2 048 rows uniform in [0, 1)
// The data are generated here once and written to a temporary float32 file that both sides read, so both
// train on the same numbers.
//
// A tfjs step is exactly @trientropy/trainers' trainingStep (packages/trainers/src/training-step.ts, not
// exported): applyConstraints, then inside tf.tidy tf.variableGrads of −model.objective(x, {seed, samples: 1,
// beta: 1}) and optimizer.applyGradients; the minibatch is tf.gather(data, slice of a fixed permutation) as in
// trainVae. The PyTorch step (tools/bench/train_vs_pytorch_torch.py) does the same with index_select, one
// reparameterised sample, loss.backward() and Adam.step(). PyTorch runs three times: with torch's default
// threads (intra-op: its count of physical cores as cpuinfo sees them, which can be below nproc; Debian's
// OpenBLAS, which does the matrix products: every core), pinned to 1 thread and pinned to nproc threads
// (torch.set_num_threads plus OMP_NUM_THREADS/OPENBLAS_NUM_THREADS/MKL_NUM_THREADS, because set_num_threads
// does not reach OpenBLAS). The threads column shows torch's intra-op threads and OpenBLAS's.
//
// Method: every implementation runs in its own long-lived worker process (so that one's global state — the
// wasm binary, torch's thread pool — cannot affect another's), warms up (--warmup seconds and at least 5
// steps, not timed), and then, in each of --rounds rounds, trains for --slice seconds on request while the
// others wait. The order of the workers rotates from round to round, so slow drifts of the machine's load
// hit every implementation alike. A timed slice ends by awaiting the last loss's data() (tfjs) or .item()
// (torch), so queued work is included. steps/s in the table is total steps / total timed seconds over all
// rounds; the ratios are that divided by PyTorch's (default threads; pinned to 1 thread, as tfjs cpu and wasm
// run) in the same configuration; the "rounds" column gives the range of the per-round steps/s, a cue for how
// noisy the machine was.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const t0 = performance.now();
const stamp = () => `[${((performance.now() - t0) / 1000).toFixed(1)} s]`;
const WARMUP_MIN_STEPS = 5;
const ADAM_EPSILON = 1e-7; // tfjs's float32 backend epsilon, what tf.train.adam(lr) uses when epsilon is not given

const CONFIGS = {
  'cli-default': { dataDim: 10, latentDim: 2, hidden: [20, 20], batch: 250, learningRate: 5e-3, rows: 10_000, data: 'pca', describe: 'PCA data (generatePca), 10 000 rows' },
  large: { dataDim: 784, latentDim: 10, hidden: [256, 256], batch: 128, learningRate: 1e-3, rows: 2048, data: 'uniform', describe: 'uniform [0,1) data, 2 048 rows' },
};

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

function emit(object) {
  process.stdout.write(`${JSON.stringify(object)}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// tfjs worker: `node train-vs-pytorch.mjs --worker CONFIG_JSON` (CONFIG_JSON adds backend and dataFile).
// ---------------------------------------------------------------------------------------------------------
async function tfjsWorker(config) {
  const tf = await import('@tensorflow/tfjs-core');
  tf.enableProdMode();
  const { selectBackend } = await import('@trientropy/backends');
  const { Vae1 } = await import('@trientropy/models');
  let selection;
  try {
    selection = await selectBackend(config.backend);
  } catch (error) {
    emit({ ready: false, error: `tfjs backend ${config.backend} did not start: ${String(error?.message ?? error).split('\n')[0]}` });
    return;
  }
  const bytes = readFileSync(config.dataFile);
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const rows = values.length / config.dataDim;
  const all = tf.tensor2d(values, [rows, config.dataDim], 'float32');
  // A fixed permutation (trainVae draws one per epoch; drawing it costs nothing per step).
  const permutation = Array.from({ length: rows }, (_, i) => i);
  for (let i = rows - 1, s = 12345; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [permutation[i], permutation[j]] = [permutation[j], permutation[i]];
  }
  const order = tf.tensor1d(permutation, 'int32');

  const model = new Vae1({ dataDim: config.dataDim, latentDim: config.latentDim, hiddenSizes: config.hidden, activation: 'relu', seed: 1 });
  const variables = model.trainableVariables();
  const optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, ADAM_EPSILON);

  // @trientropy/trainers' trainingStep with one parameter group and no clipping, plus trainVae's batch gather.
  let stepIndex = 0;
  const step = () => {
    const start = (stepIndex * config.batch) % (rows - config.batch + 1);
    const seed = stepIndex++;
    const xb = tf.tidy(() => tf.gather(all, tf.slice(order, [start], [config.batch])));
    model.applyConstraints();
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.neg(model.objective(xb, { seed, samples: 1, beta: 1 })), variables);
      optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
      return value;
    });
    xb.dispose();
    return loss;
  };

  const warmStart = performance.now();
  let initialLoss;
  while (stepIndex < WARMUP_MIN_STEPS || performance.now() - warmStart < config.warmupSeconds * 1000) {
    const loss = step();
    const value = (await loss.data())[0];
    initialLoss ??= value; // a cross-check of the objective against PyTorch's (same data, same init law)
    loss.dispose();
  }
  const tensorsAfterWarmup = tf.memory().numTensors;
  emit({ ready: true, tfjsCore: tf.version_core, kernels: selection.info.kernels, simd: selection.info.simd, threads: selection.info.threads ?? null, device: selection.info.device, warmupSteps: stepIndex, initialLoss });

  for await (const line of createInterface({ input: process.stdin })) {
    const [command, argument] = line.trim().split(/\s+/);
    if (command === 'quit') break;
    if (command !== 'run') {
      emit({ error: `unknown command ${JSON.stringify(line)}` });
      continue;
    }
    const seconds = Number(argument);
    const start = performance.now();
    let count = 0;
    let loss;
    // Every earlier loss is disposed unread: a training loop need not read it, and cpu/wasm kernels run
    // synchronously anyway; the last one is awaited so that everything queued is finished.
    while (count < 2 || performance.now() - start < seconds * 1000) {
      loss?.dispose();
      loss = step();
      count++;
    }
    const value = (await loss.data())[0];
    const elapsed = (performance.now() - start) / 1000;
    loss.dispose();
    emit({ steps: count, seconds: elapsed, loss: value });
  }
  const leaked = tf.memory().numTensors - tensorsAfterWarmup;
  // Exit explicitly once the answer is written: an open stdin or the wasm module can keep Node alive.
  process.stdout.write(`${JSON.stringify({ leaked })}\n`, () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------------------
// Driver.
// ---------------------------------------------------------------------------------------------------------

/** A worker process spoken to in JSON lines; `next()` resolves with its next message. */
class Worker {
  constructor(label, command, args, env = process.env) {
    this.label = label;
    this.messages = [];
    this.waiting = [];
    this.stderr = '';
    this.exited = false;
    this.process = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.process.on('error', (error) => this.deliver({ ready: false, error: `${command} could not be started: ${error.message}` }));
    this.process.stderr.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    createInterface({ input: this.process.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        this.deliver(JSON.parse(line));
      } catch {
        // not one of ours (a library printing to stdout)
      }
    });
    this.process.on('exit', (code, signal) => {
      this.exited = true;
      this.deliver({ exit: true, error: `exited (code ${code}, signal ${signal}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` });
    });
  }

  deliver(message) {
    const waiter = this.waiting.shift();
    if (waiter) waiter(message);
    else this.messages.push(message);
  }

  next(timeoutSeconds) {
    if (this.messages.length > 0) return Promise.resolve(this.messages.shift());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== done);
        resolve({ error: `no answer within ${timeoutSeconds} s` });
      }, timeoutSeconds * 1000);
      const done = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
      this.waiting.push(done);
    });
  }

  send(line) {
    if (!this.exited) this.process.stdin.write(`${line}\n`);
  }

  kill() {
    if (!this.exited) this.process.kill();
  }
}

/** Mulberry32: a small seeded generator for the uniform data (the values do not matter for throughput). */
function uniformData(n, seed) {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}

async function writeData(name, config, dir) {
  let values;
  if (config.data === 'pca') {
    const { generatePca } = await import('@trientropy/data');
    const pca = generatePca({ n: config.rows, dataDim: config.dataDim, latentDim: config.latentDim, seed: 0 });
    values = pca.data.values;
  } else {
    values = uniformData(config.rows * config.dataDim, 7);
  }
  const file = join(dir, `${name}.f32`);
  writeFileSync(file, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  return file;
}

/**
 * Environment of a PyTorch worker. torch.set_num_threads only sizes torch's OpenMP pool; Debian's torch does
 * its matrix products in OpenBLAS (pthread build), which uses every core unless OPENBLAS_NUM_THREADS is set.
 * A pinned worker therefore gets the thread-count variables too; the default worker gets the environment as
 * it is (what a user of the package gets).
 */
function torchEnv(threads) {
  if (threads === 'default') return process.env;
  const n = String(threads);
  return { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n };
}

function printTable(header, rows) {
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
  const line = (row) => `| ${row.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

async function driver() {
  const rounds = Number(option('rounds', '3'));
  const slice = Number(option('slice', '4'));
  const warmupSeconds = Number(option('warmup', '1'));
  const configNames = option('configs', 'cli-default,large').split(',');
  for (const name of configNames) if (!(name in CONFIGS)) throw new Error(`--configs: unknown configuration '${name}' (known: ${Object.keys(CONFIGS).join(', ')})`);
  const self = fileURLToPath(import.meta.url);
  const torchScript = join(dirname(self), 'train_vs_pytorch_torch.py');
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  const loadStart = loadavg();
  const startedAt = new Date();
  const dir = mkdtempSync(join(tmpdir(), 'train-vs-pytorch-'));
  const results = [];
  const versions = { torch: undefined, python: undefined, tfjsCore: undefined, wasmKernels: undefined, cpuKernels: undefined };
  const problems = [];
  let torchParallel;

  try {
    for (const name of configNames) {
      const config = CONFIGS[name];
      const dataFile = await writeData(name, config, dir);
      const common = { dataDim: config.dataDim, latentDim: config.latentDim, hidden: config.hidden, batch: config.batch, learningRate: config.learningRate, warmupSeconds, dataFile };
      const specs = [
        { impl: 'tfjs', backend: 'cpu', label: 'tfjs cpu' },
        { impl: 'tfjs', backend: 'wasm', label: 'tfjs wasm' },
        { impl: 'torch', threads: 'default', label: 'PyTorch CPU' },
        { impl: 'torch', threads: 1, label: 'PyTorch CPU' },
        // torch's default is its count of physical cores (cpuinfo), which can be below nproc (it is 1 on a
        // 2-vCPU VM here): a row pinned to nproc shows what the extra cores would give.
        ...(Number(nproc) > 1 ? [{ impl: 'torch', threads: Number(nproc), label: 'PyTorch CPU' }] : []),
      ];
      const workers = specs.map((spec) =>
        spec.impl === 'tfjs'
          ? new Worker(spec.label, process.execPath, [self, '--worker', JSON.stringify({ ...common, backend: spec.backend })])
          : new Worker(spec.label, PYTHON, [torchScript, JSON.stringify({ ...common, threads: spec.threads, epsilon: ADAM_EPSILON, warmupSteps: WARMUP_MIN_STEPS })], torchEnv(spec.threads)),
      );
      // Warm-ups run at the same time (they are not timed); the timed slices run one at a time.
      const ready = await Promise.all(workers.map((w) => w.next(300)));
      const live = [];
      specs.forEach((spec, i) => {
        const r = ready[i];
        spec.rounds = [];
        if (r.ready) {
          spec.info = r;
          live.push(i);
          if (spec.impl === 'torch') {
            versions.torch = r.torch;
            versions.python = r.python;
            torchParallel = r.parallel;
          } else {
            versions.tfjsCore = r.tfjsCore;
            versions[`${spec.backend}Kernels`] = r.kernels;
          }
        } else {
          spec.error = r.error ?? 'not ready';
          problems.push(`${name} / ${spec.label}${spec.threads ? ` (threads ${spec.threads})` : ''}: ${spec.error}`);
          workers[i].kill();
        }
      });
      process.stderr.write(`${stamp()} ${name}: warm-up done (${live.map((i) => `${specs[i].label}${specs[i].impl === 'torch' ? `/${specs[i].threads}` : `/${specs[i].backend}`}: ${ready[i].warmupSteps} steps`).join(', ')})\n`);
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < live.length; k++) {
          const i = live[(k + round) % live.length];
          if (specs[i].error) continue;
          workers[i].send(`run ${slice}`);
          const answer = await workers[i].next(slice * 20 + 120);
          if (answer.steps === undefined) {
            specs[i].error = answer.error ?? 'no result';
            problems.push(`${name} / ${specs[i].label}: ${specs[i].error}`);
            workers[i].kill();
            continue;
          }
          specs[i].rounds.push(answer);
          await new Promise((resolve) => setTimeout(resolve, 100)); // let a finished worker's threads go idle
        }
        process.stderr.write(`${stamp()} ${name}: round ${round + 1}/${rounds} done\n`);
      }
      for (const i of live) {
        if (specs[i].error) continue;
        workers[i].send('quit');
        workers[i].process.stdin.end();
        if (specs[i].impl === 'tfjs') {
          const bye = await workers[i].next(30);
          specs[i].leaked = bye.leaked;
        }
      }
      await Promise.all(workers.map((w) => (w.exited ? undefined : w.next(30))));
      workers.forEach((w) => w.kill());
      results.push({ name, config, specs });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const loadEnd = loadavg();
  const torchMissing = versions.torch === undefined;
  if (torchMissing) {
    const banner = '!'.repeat(100);
    console.log(banner);
    console.log('!!! PyTorch is NOT available here: the PyTorch rows and every ratio are missing.');
    console.log(`!!! Install it with: apt-get update && apt-get install -y python3-torch   (checked with ${PYTHON})`);
    for (const p of problems.filter((p) => p.includes('PyTorch'))) console.log(`!!! ${p}`);
    console.log(banner);
  }
  console.log(`# VAE-1 training throughput: tfjs (cpu, wasm) vs PyTorch (CPU), measured interleaved in one run`);
  console.log(`date ${startedAt.toISOString()}; nproc ${nproc}; CPU ${cpus()[0]?.model ?? 'unknown'}`);
  console.log(`node ${process.version}; @tensorflow/tfjs-core ${versions.tfjsCore ?? '?'}; cpu kernels ${versions.cpuKernels ?? '?'}; wasm kernels ${versions.wasmKernels ?? '?'}`);
  console.log(`torch ${versions.torch ?? 'NOT AVAILABLE'}${versions.python ? ` (Python ${versions.python}, ${PYTHON})` : ''}${torchParallel ? `; ${torchParallel.join('; ')}` : ''}`);
  console.log(`load average (1/5/15 min) at start ${loadStart.map((x) => x.toFixed(2)).join(' ')}, at end ${loadEnd.map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`${rounds} rounds × ${slice} s per implementation, order rotated per round; warm-up ≥ ${warmupSeconds} s and ≥ ${WARMUP_MIN_STEPS} steps, not timed`);
  console.log('');
  const header = ['configuration', 'implementation / backend', 'threads', 'steps', 'steps/s', 'ms/step', 'ratio to PyTorch (default threads)', 'ratio to PyTorch (1 thread)', 'rounds: steps/s min–max', 'last loss'];
  const rows = [];
  for (const { name, config, specs } of results) {
    const configLabel = `${name}: D=${config.dataDim} H=${config.latentDim} hidden [${config.hidden.join(',')}] batch ${config.batch}`;
    const rate = (spec) => spec.rounds.reduce((a, r) => a + r.steps, 0) / spec.rounds.reduce((a, r) => a + r.seconds, 0);
    const measured = (threads) => specs.find((s) => s.impl === 'torch' && s.threads === threads && !s.error && s.rounds.length > 0);
    const reference = measured('default');
    const singleThread = measured(1);
    for (const spec of specs) {
      const pinned = spec.threads === 1 ? ' (pinned)' : ' (pinned = nproc)';
      const blas = spec.info?.blasThreads === null || spec.info?.blasThreads === undefined ? '' : `, BLAS ${spec.info.blasThreads}`;
      const threads = spec.impl === 'torch' ? (spec.info ? `${spec.info.threads}${blas}${spec.threads === 'default' ? ' (default)' : pinned}` : String(spec.threads)) : spec.info ? String(spec.info.threads ?? 'own pool') : '?';
      const label = spec.impl === 'tfjs' ? `tfjs ${spec.backend}${spec.info?.simd ? ' (SIMD)' : ''}` : 'PyTorch CPU';
      if (spec.error || spec.rounds.length === 0) {
        rows.push([configLabel, label, threads, '-', '-', '-', '-', '-', '-', 'FAILED (see Problems below)']);
        continue;
      }
      const r = rate(spec);
      const perRound = spec.rounds.map((x) => x.steps / x.seconds);
      const ratio = reference ? (r / rate(reference)).toFixed(3) : 'n/a (no PyTorch)';
      const ratioSingle = singleThread ? (r / rate(singleThread)).toFixed(3) : 'n/a (no PyTorch)';
      const lastLoss = spec.rounds.at(-1).loss;
      const leak = spec.leaked ? ` (LEAKED ${spec.leaked} tensors)` : '';
      rows.push([configLabel, label, threads, String(spec.rounds.reduce((a, x) => a + x.steps, 0)), r.toFixed(1), (1000 / r).toFixed(2), ratio, ratioSingle, `${Math.min(...perRound).toFixed(1)}–${Math.max(...perRound).toFixed(1)}`, `${Number.isFinite(lastLoss) ? lastLoss.toFixed(2) : `NON-FINITE ${lastLoss}`}${leak}`]);
    }
  }
  printTable(header, rows);
  console.log('');
  for (const { name, specs } of results) {
    const firsts = specs.filter((s) => s.info?.initialLoss !== undefined && s.info.initialLoss !== null);
    const describe = (s) => `${s.impl === 'tfjs' ? `tfjs ${s.backend}` : `torch ${s.threads}`} ${s.info.initialLoss.toFixed(2)}`;
    console.log(`first-step loss (−ELBO at initialisation: both sides should agree up to init/sampling noise), ${name}: ${firsts.map(describe).join(', ')}`);
  }
  console.log('ratio = steps/s ÷ PyTorch steps/s (default threads, or pinned to 1 thread like the tfjs cpu and wasm backends) in the same configuration and run; < 1: slower than PyTorch.');
  if (problems.length > 0) {
    console.log('Problems:');
    for (const p of problems) console.log(`  ${p}`);
  }
  if (torchMissing) process.exitCode = 2;
}

if (process.argv[2] === '--worker') {
  await tfjsWorker(JSON.parse(process.argv[3]));
} else {
  await driver();
}
