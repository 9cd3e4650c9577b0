#!/usr/bin/env node
// `npm run bench`: training throughput of the reference VAE-1 (784→400 ReLU→2×20, decoder 20→400 ReLU→784, one
// learnable log σ², Adam lr 1e-3) on real Fashion-MNIST, on every tfjs backend that loads here and, in the same
// run and interleaved, the same model in PyTorch (Debian python3-torch, /usr/bin/python3); at every batch size and
// thread count asked for. Then the held-out evaluation: Monte-Carlo ELBO at 1 % standard error against the
// sampling-free entropy-sum estimate, timed on the model just trained. Prints tables; `--json FILE` writes the rows.
//
//   npm run bench [-- --quick] [--rounds 3] [--slice 3] [--batches 128,512] [--threads 1,all] [--backends cpu,wasm]
//                 [--rows 8192] [--json FILE] [--baseline DIR] [--no-eval] [--tiny]
//   node tools/bench/bench.mjs --soak 20000 [--backend native] [--batches 128] [--threads 1]   (leak soak, below)
//
// Method. Every implementation runs in its own long-lived process (one's global state — the wasm module, torch's
// OpenMP pool — cannot touch another's), loads the data, warms up (≥ --warmup s and 5 steps, not timed), and then
// in each of --rounds rounds trains for --slice seconds while the others wait, the order rotating per round
// (A B C, B C A, …), so the machine's load drifts hit every implementation alike. samples/s is the median over
// rounds (range in brackets). Phases (ms per step) are measured afterwards by each worker alone: PyTorch times
// batch, forward, backward and optimizer inside each step (CPU kernels are synchronous); tfjs times batch-only,
// forward-only (objective), forward+backward (tf.variableGrads) and whole steps in separate loops and subtracts.
// The tfjs step is @trientropy/trainers' trainVae step: model.applyConstraints(), tf.variableGrads of
// −model.objective(x, {seed, samples: 1, beta: 1}) and Adam's applyGradients, the batch assembled on the host from
// a shuffled order (trainVae's HostBatches) and LeanAdamOptimizer; a `--baseline DIR` holding an older build of the
// packages (dist folders + node_modules) runs the step as that build's trainVae did (tf.gather batches,
// tf.train.adam) so that a speed-up is measured interleaved on the same machine.
// Needs the packages built (`npm run bench` builds them first).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PYTHON = '/usr/bin/python3';
const ADAM_EPSILON = 1e-7; // tfjs's float32 backend epsilon (tf.train.adam's default); PyTorch is given the same
const WARMUP_MIN_STEPS = 5;
const t0 = performance.now();
const stamp = () => `[${((performance.now() - t0) / 1000).toFixed(1)} s]`;

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}
const flag = (name) => process.argv.includes(`--${name}`);
const emit = (object) => process.stdout.write(`${JSON.stringify(object)}\n`);
const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------------------------------------------------
// tfjs worker: `node bench.mjs --worker CONFIG_JSON`.
// ---------------------------------------------------------------------------------------------------------

/** Imports a package's ESM entry as seen from `root` (a baseline build), or normally. */
async function importFrom(root, name) {
  if (root === undefined) return import(name);
  const dir = join(root, 'node_modules', ...name.split('/'));
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const entry = pkg.exports?.['.']?.import?.default ?? pkg.module ?? pkg.main;
  return import(pathToFileURL(join(dir, entry)).href);
}

function readF32(file) {
  const bytes = readFileSync(file);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/**
 * The training step the bench times, built as @trientropy/trainers' trainVae builds it (model.applyConstraints(),
 * tf.variableGrads of −model.objective, Adam's applyGradients, host-assembled batches from a fixed shuffled
 * order), or as an older build's trainVae did (tf.gather batches, tf.train.adam) when `root` holds one without
 * LeanAdamOptimizer. `values` are the training rows (row-major, `config.dataDim` columns).
 */
async function trainingStep(tf, config, values) {
  const { Vae1 } = await importFrom(config.root, '@trientropy/models');
  const trainers = await importFrom(config.root, '@trientropy/trainers');
  const { dataDim: d, batch } = config;
  const rows = values.length / d;
  const lean = config.root === undefined || typeof trainers.LeanAdamOptimizer === 'function';
  const model = new Vae1({ dataDim: d, latentDim: config.latentDim, hiddenSizes: config.hidden, activation: 'relu', seed: 1 });
  const variables = model.trainableVariables();
  const optimizer = lean ? new trainers.LeanAdamOptimizer(config.learningRate, 0.9, 0.999, ADAM_EPSILON) : tf.train.adam(config.learningRate, 0.9, 0.999, ADAM_EPSILON);
  // A fixed shuffled order, walked through batch by batch (trainVae draws one per epoch).
  const order = new Int32Array(rows).map((_, i) => i);
  for (let i = rows - 1, s = 12345; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const all = lean ? undefined : tf.tensor2d(values, [rows, d]);
  const orderTensor = lean ? undefined : tf.tensor1d(order, 'int32');
  let position = 0;
  const hostRows = lean && tf.getKernel('TrientropyHostRows', tf.getBackend()) !== undefined;
  const nextBatch = () => {
    const start = (position++ * batch) % (rows - batch + 1);
    if (!lean) return tf.tidy(() => tf.gather(all, tf.slice(orderTensor, [start], [batch])));
    // trainVae's HostBatches.batch: the backend's host-rows kernel where it has one, else a fresh buffer.
    if (hostRows) return tf.engine().runKernel('TrientropyHostRows', {}, { values, cols: d, order, start, size: batch });
    const buffer = new Float32Array(batch * d);
    for (let i = 0; i < batch; i++) buffer.set(values.subarray(order[start + i] * d, (order[start + i] + 1) * d), i * d);
    return tf.tensor2d(buffer, [batch, d], 'float32');
  };
  let seed = 0;
  const objective = (xb) => tf.neg(model.objective(xb, { seed: seed++, samples: 1, beta: 1 }));
  const step = () => {
    const xb = nextBatch();
    model.applyConstraints();
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => objective(xb), variables);
      optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
      return value;
    });
    xb.dispose();
    return loss;
  };
  return { lean, model, variables, trainers, nextBatch, objective, step };
}

async function tfjsWorker(config) {
  const tf = await import('@tensorflow/tfjs-core');
  tf.enableProdMode();
  const { selectBackend } = await importFrom(config.root, '@trientropy/backends');
  let selection;
  try {
    selection = await selectBackend(config.backend, { init: { threads: config.threads } });
  } catch (error) {
    // A backend that is not available at all (BackendUnavailableError: not installed, not built) is a skip with its
    // remedy; any other failure to start (e.g. a thread count the backend refuses) is a problem of this row.
    if (error?.name === 'BackendUnavailableError') emit({ ready: false, unavailable: true, error: error.reason, remedy: error.remedy });
    else emit({ ready: false, error: `${config.backend} did not start with ${config.threads} thread(s): ${String(error?.message ?? error).split('\n')[0]}` });
    return;
  }
  const values = readF32(config.dataFile);
  const { lean, model, variables, trainers, nextBatch, objective, step } = await trainingStep(tf, config, values);

  const warmStart = performance.now();
  let initialLoss;
  let warmupSteps = 0;
  while (warmupSteps < WARMUP_MIN_STEPS || performance.now() - warmStart < config.warmupSeconds * 1000) {
    const loss = step();
    initialLoss ??= (await loss.data())[0];
    loss.dispose();
    warmupSteps++;
  }
  const tensorsAfterWarmup = tf.memory().numTensors;
  emit({ ready: true, path: lean ? 'lean' : 'legacy', tfjsCore: tf.version_core, kernels: selection.info.kernels, simd: selection.info.simd, threads: selection.info.threads ?? null, device: selection.info.device, warmupSteps, initialLoss });

  const timeLoop = async (seconds, body) => {
    const times = [];
    const start = performance.now();
    while (times.length < 3 || performance.now() - start < seconds * 1000) {
      const t = performance.now();
      await body();
      times.push(performance.now() - t);
    }
    return median(times);
  };

  for await (const line of createInterface({ input: process.stdin })) {
    const [command, argument] = line.trim().split(/\s+/);
    const seconds = Number(argument);
    if (command === 'quit') break;
    if (command === 'run') {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      let count = 0;
      let loss;
      // Losses are dropped unread, as trainVae does between its per-epoch reads; the last is awaited.
      while (count < 2 || performance.now() - start < seconds * 1000) {
        loss?.dispose();
        loss = step();
        count++;
      }
      const value = (await loss.data())[0];
      loss.dispose();
      const cpu = process.cpuUsage(cpuStart);
      emit({ steps: count, seconds: (performance.now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, loss: value });
    } else if (command === 'phases') {
      const quarter = seconds / 4;
      const batchMs = await timeLoop(quarter, async () => nextBatch().dispose());
      const forwardTotal = await timeLoop(quarter, async () => {
        const xb = nextBatch();
        const loss = tf.tidy(() => objective(xb));
        await loss.data();
        tf.dispose([xb, loss]);
      });
      const gradientTotal = await timeLoop(quarter, async () => {
        const xb = nextBatch();
        const { value, grads } = tf.variableGrads(() => objective(xb), variables);
        await value.data();
        tf.dispose([xb, value, ...Object.values(grads)]);
      });
      const stepTotal = await timeLoop(quarter, async () => {
        const loss = step();
        await loss.data();
        loss.dispose();
      });
      emit({ batchMs, forwardMs: forwardTotal - batchMs, backwardMs: gradientTotal - forwardTotal, optimizerMs: stepTotal - gradientTotal, stepMs: stepTotal });
    } else if (command === 'eval') {
      emit(await evaluation(tf, trainers, model, values, config));
    } else {
      emit({ error: `unknown command ${JSON.stringify(line)}` });
    }
  }
  const bye = { leaked: tf.memory().numTensors - tensorsAfterWarmup, tensorsAlive: tf.memory().numTensors, maxRssKb: process.resourceUsage().maxRSS };
  process.stdout.write(`${JSON.stringify(bye)}\n`, () => process.exit(0));
}

/**
 * Held-out evaluation of the trained model (σ² first set to its closed form R/D on training rows, spec §5.2):
 * the Monte-Carlo ELBO with enough samples per point for a 1 % standard error of each point's estimate (from a
 * pilot of 32 samples), against the sampling-free entropy sum (encoder pass only for VAE-1), both timed.
 */
async function evaluation(tf, trainers, model, trainValues, config) {
  const d = config.dataDim;
  const test = readF32(config.testFile);
  const testRows = test.length / d;
  const x = tf.tensor2d(test, [testRows, d]);
  const train = tf.tensor2d(trainValues.subarray(0, Math.min(trainValues.length, 4096 * d)), [Math.min(trainValues.length / d, 4096), d]);
  model.setOptimalVariances(train, { seed: 1, samples: 1, batchSize: 1024 });
  train.dispose();
  // Pilot: per-point standard deviation of log p(x|z) over 32 draws, on up to 500 test rows.
  const pilotRows = Math.min(500, testRows);
  const pilotSamples = 32;
  const { perPointSamples, setSamples } = tf.tidy(() => {
    const xp = tf.slice(x, [0, 0], [pilotRows, d]);
    const { mean, logVariance } = model.encode(xp);
    const eps = tf.randomNormal([pilotSamples, pilotRows, config.latentDim], 0, 1, 'float32', 7);
    const z = tf.reshape(tf.add(mean, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), eps)), [pilotSamples * pilotRows, config.latentDim]);
    const mu = tf.reshape(model.decode(z), [pilotSamples, pilotRows, d]);
    const logSigma2 = model.logDecoderVariance;
    const logLik = tf.sub(tf.mul(tf.add(logSigma2, Math.log(2 * Math.PI)), -0.5 * d), tf.mul(tf.sum(tf.square(tf.sub(xp, mu)), -1), tf.mul(tf.exp(tf.neg(logSigma2)), 0.5)));
    const kl = tf.sum(tf.mul(tf.sub(tf.add(tf.exp(logVariance), tf.square(mean)), tf.add(logVariance, 1)), 0.5), 1);
    const elboPerPoint = tf.sub(tf.mean(logLik, 0), kl).dataSync();
    const variance = tf.moments(logLik, 0).variance.dataSync();
    const needed = [];
    let varianceSum = 0;
    let elboSum = 0;
    for (let n = 0; n < pilotRows; n++) {
      needed.push(variance[n] / (0.01 * Math.abs(elboPerPoint[n])) ** 2);
      varianceSum += variance[n];
      elboSum += elboPerPoint[n];
    }
    const elbo = elboSum / pilotRows;
    // Per point: S with sd_n/√S ≤ 1 % |F_n| (median over points). Whole set: S with √(mean var/(N S)) ≤ 1 % |F|.
    return { perPointSamples: Math.max(1, Math.ceil(median(needed))), setSamples: Math.max(1, Math.ceil(varianceSum / pilotRows / (testRows * (0.01 * elbo) ** 2))) };
  });
  const rowsFor = (samples) => Math.max(20, Math.min(config.evalRows, Math.floor(config.evalBudget / samples)));
  const timeIt = async (fn) => {
    await fn(); // warm-up
    const times = [];
    const start = performance.now();
    while (times.length < 2 || (performance.now() - start < 1500 && times.length < 10)) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    return median(times);
  };
  const slice = (rows) => tf.slice(x, [0, 0], [rows, d]);
  const entropyRows = config.evalRows;
  const xe = slice(entropyRows);
  let entropy;
  const entropyMs = await timeIt(async () => (entropy = await trainers.entropySumEstimate(model, xe, { varianceRatio: false })));
  const mcRows = rowsFor(perPointSamples);
  const xm = slice(mcRows);
  let mc;
  const mcMs = await timeIt(async () => (mc = await trainers.monteCarloElbo(model, xm, { seed: 3, samples: perPointSamples, batchSize: Math.max(1, Math.floor(20000 / perPointSamples)) })));
  const setRows = config.evalRows;
  const xs = slice(setRows);
  let mcSet;
  const mcSetMs = await timeIt(async () => (mcSet = await trainers.monteCarloElbo(model, xs, { seed: 5, samples: setSamples, batchSize: 1000 })));
  tf.dispose([x, xe, xm, xs]);
  const per1000 = (ms, rows) => (ms * 1000) / rows;
  return {
    decoderVariance: Math.exp(model.logDecoderVariance.dataSync()[0]),
    entropySum: entropy.value,
    entropySumError: entropy.standardError,
    entropyMsPer1000: per1000(entropyMs, entropyRows),
    perPointSamples,
    mcRows,
    mcElbo: mc.value,
    mcElboError: mc.standardError,
    mcMsPer1000: per1000(mcMs, mcRows),
    setSamples,
    mcSetElbo: mcSet.value,
    mcSetMsPer1000: per1000(mcSetMs, setRows),
    entropyRows,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Soak: `node bench.mjs --soak STEPS [--backend native] [--batches 128] [--threads 1] [--rows 8192]`.
// ---------------------------------------------------------------------------------------------------------

/**
 * Trains the bench's step (trainVae's, above) for STEPS steps in this process and, every 1 000 steps, checks that
 * neither tfjs's tensor count nor the backend's data-id count grew since the first step, with the loss (finite),
 * RSS and ms per step. Exit code 1 on a leak or a non-finite loss. Not part of `npm test` (20 000 steps take
 * minutes); packages/backend-native/src/soak.test.ts runs a 2 000-step version in CI.
 */
async function soak(totalSteps) {
  const tf = await import('@tensorflow/tfjs-core');
  tf.enableProdMode();
  const { selectBackend } = await import('@trientropy/backends');
  const backend = option('backend', 'native');
  const threads = Number(option('threads', '1'));
  const batch = Number(option('batches', '128').split(',')[0]);
  const trainRows = Number(option('rows', '8192'));
  const selection = await selectBackend(backend, { init: { threads } });
  const data = await loadFashionMnist(trainRows, 0);
  const config = { dataDim: data.cols, latentDim: 20, hidden: [400], batch, learningRate: 1e-3 };
  const { step } = await trainingStep(tf, config, data.train);
  step().dispose();
  const tensors = tf.memory().numTensors;
  const dataIds = tf.backend().numDataIds();
  console.log(`soak: ${totalSteps} steps of VAE-1 784-400-2x20 (trainVae's step: host batches, LeanAdamOptimizer), batch ${batch}, ${threads} thread(s), backend ${backend} (${selection.info.kernels}); ${data.train.length / data.cols} Fashion-MNIST rows from ${data.directory}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const start = performance.now();
  let worst = 0;
  let finite = true;
  for (let i = 1; i <= totalSteps; i++) {
    const loss = step();
    if (i % 1000 === 0 || i === totalSteps) {
      const value = (await loss.data())[0];
      // The loss of this step is alive: one tensor (and one data id) more than after the first step.
      const gained = tf.memory().numTensors - 1 - tensors;
      const gainedIds = tf.backend().numDataIds() - 1 - dataIds;
      worst = Math.max(worst, Math.abs(gained), Math.abs(gainedIds));
      finite &&= Number.isFinite(value);
      console.log(`step ${i}: loss ${value.toFixed(2)}, tensors gained ${gained}, data ids gained ${gainedIds}, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, ${((performance.now() - start) / i).toFixed(2)} ms/step, load average ${loadavg()[0].toFixed(1)}`);
    }
    loss.dispose();
  }
  console.log(worst === 0 ? `no leak over ${totalSteps} steps` : `LEAK: up to ${worst} tensors or data ids gained`);
  if (!finite) console.log('NON-FINITE loss seen');
  process.exitCode = worst === 0 && finite ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------------
// Driver.
// ---------------------------------------------------------------------------------------------------------

class Worker {
  constructor(command, args, env = process.env) {
    this.messages = [];
    this.waiting = [];
    this.stderr = '';
    this.exited = false;
    this.process = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.process.on('error', (error) => this.deliver({ ready: false, error: `${command} could not be started: ${error.message}` }));
    this.process.stderr.on('data', (chunk) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    createInterface({ input: this.process.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        this.deliver(JSON.parse(line));
      } catch {
        // a library's own output
      }
    });
    this.process.on('exit', (code, signal) => {
      this.exited = true;
      this.deliver({ exit: true, ready: false, error: `exited (code ${code}, signal ${signal}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` });
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
      const done = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== done);
        resolve({ error: `no answer within ${timeoutSeconds} s` });
      }, timeoutSeconds * 1000);
      this.waiting.push(done);
    });
  }

  async ask(line, timeoutSeconds) {
    if (this.exited) return { error: 'worker has exited' };
    this.process.stdin.write(`${line}\n`);
    return this.next(timeoutSeconds);
  }

  kill() {
    if (!this.exited) this.process.kill();
  }
}

function printTable(header, rows) {
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
  console.log(`| ${header.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ')} |`);
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(`| ${row.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ')} |`);
}

async function loadFashionMnist(trainRows, testRows) {
  const { loadMnistFiles } = await import('@trientropy/data/node');
  const split = await loadMnistFiles('fashion-mnist', undefined);
  const take = (m, rows) => m.values.subarray(0, Math.min(rows, m.rows) * m.cols);
  return { directory: split.directory, train: take(split.train, trainRows), test: take(split.test, testRows), cols: split.train.cols };
}

function torchEnv(threads) {
  const n = String(threads);
  return { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n, OMP_WAIT_POLICY: 'PASSIVE' };
}

/** The worker the held-out evaluation runs on: the first current (non-baseline) tfjs backend that is not cpu (pure-JS
 * matMuls make a Monte-Carlo ELBO there take minutes), cpu if it is the only one. */
function evaluationSpec(specs, live) {
  const candidates = live.map((i) => specs[i]).filter((s) => s.impl === 'tfjs' && !s.root && !s.error);
  return candidates.find((s) => s.backend !== 'cpu') ?? candidates[0];
}

async function driver() {
  const quick = flag('quick');
  const tiny = flag('tiny');
  const nproc = Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()) || cpus().length;
  const rounds = Number(option('rounds', quick ? '1' : '3'));
  const slice = Number(option('slice', quick ? '0.3' : '3'));
  const warmupSeconds = Number(option('warmup', quick ? '0.1' : '1.5'));
  const phaseSeconds = Number(option('phase-seconds', quick ? '0.2' : '2'));
  const batches = option('batches', tiny ? '32' : '128,512').split(',').map(Number);
  const threadsList = [...new Set(option('threads', tiny ? '1' : '1,all').split(',').map((t) => (t === 'all' ? nproc : Number(t))))];
  const trainRows = Number(option('rows', tiny ? '256' : '8192'));
  const jsonFile = option('json', undefined);
  const baselineRoot = option('baseline', undefined);
  const evaluate = !flag('no-eval');
  const model = tiny ? { dataDim: 784, latentDim: 2, hidden: [16] } : { dataDim: 784, latentDim: 20, hidden: [400] };
  const learningRate = 1e-3;
  const { BACKEND_NAMES, NODE_BACKENDS } = await import('@trientropy/backends');
  const requested = option('backends', tiny ? 'cpu' : BACKEND_NAMES.join(',')).split(',');
  // Backends that cannot exist in Node (webgl, webgpu) are skipped up front, not started and reported as failures.
  /** Backends not run, by name: why, and what to do (printed once under the table). */
  const skips = new Map(requested.filter((b) => BACKEND_NAMES.includes(b) && !NODE_BACKENDS.includes(b)).map((b) => [b, { reason: 'browser-only: run in a browser', remedy: undefined }]));
  let backends = requested.filter((b) => !skips.has(b));
  const self = fileURLToPath(import.meta.url);
  const torchScript = join(dirname(self), 'bench_torch.py');
  const loadStart = loadavg();
  const startedAt = new Date();
  const data = await loadFashionMnist(trainRows, tiny ? 200 : 10000);
  const dir = mkdtempSync(join(tmpdir(), 'trientropy-bench-'));
  const dataFile = join(dir, 'train.f32');
  const testFile = join(dir, 'test.f32');
  writeFileSync(dataFile, Buffer.from(data.train.buffer, data.train.byteOffset, data.train.byteLength));
  writeFileSync(testFile, Buffer.from(data.test.buffer, data.test.byteOffset, data.test.byteLength));
  const problems = [];
  const results = [];
  const evaluations = [];
  let torchInfo;
  let tfjsCore;
  const describe = (spec) => (spec.impl === 'torch' ? `PyTorch ${spec.threads}t` : `${spec.label} ${spec.backend}`);
  try {
    for (const batch of batches) {
      for (const threads of threadsList) {
        backends = backends.filter((b) => !skips.has(b));
        const common = { ...model, batch, learningRate, warmupSeconds, dataFile, testFile, threads, evalRows: tiny ? 100 : 1000, evalBudget: tiny ? 400 : 40000 };
        const specs = [
          ...backends.map((backend) => ({ impl: 'tfjs', backend, label: 'trientropy' })),
          ...(baselineRoot ? backends.filter((b) => b !== 'node' && b !== 'cuda').map((backend) => ({ impl: 'tfjs', backend, label: 'trientropy (baseline)', root: resolve(baselineRoot) })) : []),
          { impl: 'torch', backend: 'torch-cpu', label: 'PyTorch' },
        ].map((spec) => ({ ...spec, threads, batch, rounds: [] }));
        const workers = specs.map((spec) =>
          spec.impl === 'tfjs'
            ? new Worker(process.execPath, [self, '--worker', JSON.stringify({ ...common, backend: spec.backend, root: spec.root, evalBudget: spec.backend === 'cpu' ? common.evalBudget / 10 : common.evalBudget })])
            : new Worker(PYTHON, [torchScript, JSON.stringify({ ...common, epsilon: ADAM_EPSILON, warmupSteps: WARMUP_MIN_STEPS })], torchEnv(threads)),
        );
        const ready = await Promise.all(workers.map((w) => w.next(600)));
        const live = [];
        specs.forEach((spec, i) => {
          if (ready[i].unavailable) {
            spec.error = ready[i].error;
            spec.unavailable = true;
            if (!spec.root) skips.set(spec.backend, { reason: ready[i].error, remedy: ready[i].remedy });
            workers[i].kill();
          } else if (ready[i].ready) {
            spec.info = ready[i];
            live.push(i);
            if (spec.impl === 'torch') torchInfo ??= ready[i];
            else tfjsCore ??= ready[i].tfjsCore;
          } else {
            spec.error = ready[i].error ?? 'not ready';
            // A backend without this thread count (cpu, wasm in Node) is listed once under "not run", not as a problem.
            if (!spec.error.includes('thread')) problems.push(`batch ${batch}, ${threads} thread(s), ${describe(spec)}: ${spec.error}`);
            workers[i].kill();
          }
        });
        process.stderr.write(`${stamp()} batch ${batch}, ${threads} thread(s): warm-up done (${live.map((i) => describe(specs[i])).join(', ')})\n`);
        for (let round = 0; round < rounds; round++) {
          for (let k = 0; k < live.length; k++) {
            const i = live[(k + round) % live.length];
            if (specs[i].error) continue;
            const answer = await workers[i].ask(`run ${slice}`, slice * 30 + 300);
            if (answer.steps === undefined) {
              specs[i].error = answer.error ?? 'no result';
              problems.push(`batch ${batch}, ${threads} thread(s), ${describe(specs[i])}: ${specs[i].error}`);
              continue;
            }
            specs[i].rounds.push((answer.steps * batch) / answer.seconds);
            if (answer.cpuSeconds !== undefined) (specs[i].cpuMs ??= []).push((answer.cpuSeconds * 1000) / answer.steps);
            specs[i].lastLoss = answer.loss;
            await new Promise((r) => setTimeout(r, 100));
          }
          process.stderr.write(`${stamp()} batch ${batch}, ${threads} thread(s): round ${round + 1}/${rounds}\n`);
        }
        for (const i of live) {
          if (specs[i].error) continue;
          const phases = await workers[i].ask(`phases ${phaseSeconds}`, phaseSeconds * 30 + 300);
          if (phases.forwardMs !== undefined) specs[i].phases = phases;
          if (evaluate && specs[i] === evaluationSpec(specs, live) && batch === batches[0] && threads === threadsList[0]) {
            process.stderr.write(`${stamp()} evaluation on ${specs[i].backend}\n`);
            const e = await workers[i].ask('eval', 1800);
            if (e.entropyMsPer1000 !== undefined) evaluations.push({ backend: specs[i].backend, ...e });
            else problems.push(`evaluation on ${specs[i].backend}: ${e.error ?? 'no result'}`);
          }
          const bye = await workers[i].ask('quit', 60);
          specs[i].bye = bye;
        }
        workers.forEach((w) => w.kill());
        results.push(...specs);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const loadEnd = loadavg();

  // ---- report ----
  const torchMissing = torchInfo === undefined;
  if (torchMissing) {
    console.log('!'.repeat(100));
    console.log(`!!! PyTorch is NOT available (${PYTHON}): no reference rows and no ratios. Install: apt-get install -y python3-torch libopenblas0-openmp`);
    console.log('!'.repeat(100));
  }
  console.log(`# VAE-1 (784→${model.hidden.join('→')}→2×${model.latentDim}, decoder mirrored) training on Fashion-MNIST (${data.directory}, ${trainRows} training rows), interleaved in one run`);
  console.log(`date ${startedAt.toISOString()}; nproc ${nproc}; CPU ${cpus()[0]?.model ?? 'unknown'}; node ${process.version}; @tensorflow/tfjs-core ${tfjsCore ?? '?'}`);
  if (torchInfo) {
    console.log(`reference: torch ${torchInfo.torch} (Python ${torchInfo.python}, ${PYTHON}); BLAS ${torchInfo.blas ?? 'unknown'}; OMP_WAIT_POLICY=${torchInfo.ompWaitPolicy}; threads = torch.set_num_threads + OMP/OPENBLAS/MKL_NUM_THREADS as in the threads column`);
  }
  console.log(`OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? '(unset)'}; load average (1/5/15 min) at start ${loadStart.map((x) => x.toFixed(2)).join(' ')}, at end ${loadEnd.map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`both sides: Glorot-uniform weights, zero biases, log σ² = 0, one reparameterised sample, Adam lr ${learningRate}, β 0.9/0.999, ε ${ADAM_EPSILON}; ${rounds} round(s) × ${slice} s each, order rotated, warm-up ≥ ${warmupSeconds} s not timed`);
  console.log('');
  const fmt = (x, digits = 0) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));
  const header = ['batch', 'threads', 'implementation', 'backend', 'samples/s median (min–max)', 'ratio to PyTorch', 'ms/step: batch / forward / backward / optimizer', 'CPU-ms/step', 'peak RSS MB', 'tensors alive (leaked)'];
  const rows = [];
  const jsonRows = [];
  for (const spec of results) {
    const torch = results.find((s) => s.impl === 'torch' && s.batch === spec.batch && s.threads === spec.threads && s.rounds.length > 0);
    const name = spec.impl === 'torch' ? 'PyTorch' : spec.label;
    const backend = spec.impl === 'torch' ? 'torch CPU' : `${spec.backend}${spec.info?.simd ? ' (SIMD)' : ''}`;
    if (spec.unavailable) continue;
    if (spec.rounds.length === 0) {
      if (!spec.error?.includes('thread')) rows.push([spec.batch, spec.threads, name, backend, 'FAILED (see problems)', '-', '-', '-', '-', '-']);
      continue;
    }
    const rate = median(spec.rounds);
    const ratio = torch ? rate / median(torch.rounds) : undefined;
    const p = spec.phases;
    const phases = p ? `${fmt(p.batchMs, 2)} / ${fmt(p.forwardMs, 2)} / ${fmt(p.backwardMs, 2)} / ${fmt(p.optimizerMs, 2)}` : '-';
    const rss = spec.bye?.maxRssKb ? fmt(spec.bye.maxRssKb / 1024) : '-';
    const tensors = spec.impl === 'torch' ? 'n/a' : spec.bye?.tensorsAlive !== undefined ? `${spec.bye.tensorsAlive} (${spec.bye.leaked})` : '-';
    const cpuMs = spec.cpuMs ? median(spec.cpuMs) : undefined;
    rows.push([spec.batch, spec.threads, name, backend, `${fmt(rate)} (${fmt(Math.min(...spec.rounds))}–${fmt(Math.max(...spec.rounds))})`, ratio === undefined ? 'n/a' : ratio.toFixed(2), phases, fmt(cpuMs, 2), rss, tensors]);
    jsonRows.push({ implementation: spec.impl === 'torch' ? 'pytorch' : spec.root ? 'trientropy-baseline' : 'trientropy', backend: spec.impl === 'torch' ? 'torch-cpu' : spec.backend, threads: spec.threads, batch: spec.batch, samplesPerSecond: rate, ratioToPyTorch: ratio ?? null, cpuMsPerStep: cpuMs ?? null });
  }
  printTable(header, rows);
  console.log('ratio = samples/s ÷ PyTorch samples/s at the same batch and thread count in this run. tfjs phases: separate loops, subtracted (forward = objective − batch, backward = variableGrads − objective, optimizer = step − variableGrads); PyTorch: timed inside each step. CPU-ms/step: each worker process’s CPU time (user + system, all its threads) per training step, median over rounds — less sensitive to the machine’s load than samples/s, which is wall-clock.');
  if (baselineRoot) console.log(`trientropy (baseline) = the build in ${baselineRoot}${(() => { try { return ` (${readFileSync(join(baselineRoot, 'BASE'), 'utf8').trim()})`; } catch { return ''; } })()}, run as its trainVae ran (tf.gather batches, tf.train.adam).`);
  if (skips.size > 0) {
    console.log('skipped:');
    // One line each: the fix can run to a page (cuda's lists driver, CUDA and cuDNN checks), and it is `doctor`'s
    // to give; `--json` keeps it whole.
    for (const [backend, { reason, remedy }] of skips) console.log(`  ${backend}: ${String(reason).split('\n')[0]}${remedy === undefined ? '' : '; how to fix: npx --no-install trientropy doctor'}`);
  }
  const skipped = results.filter((s) => !s.unavailable && s.rounds.length === 0 && s.error?.includes('thread'));
  if (skipped.length > 0) console.log(`not run (backend has no such thread count): ${[...new Set(skipped.map((s) => `${s.backend} × ${s.threads}`))].join(', ')}`);

  if (evaluations.length > 0) {
    console.log('');
    console.log(`# Held-out evaluation (Fashion-MNIST test rows) of the model just trained (batch ${batches[0]}, ${threadsList[0]} thread(s)), σ² set to R/D on training rows first`);
    printTable(
      ['backend', 'σ²', 'entropy sum (± s.e.)', 'ms / 1000 points', 'MC ELBO, 1 % s.e. per point: samples', 'MC ELBO (± s.e.)', 'ms / 1000 points', 'entropy sum cheaper by', 'MC, 1 % s.e. of the set mean: samples', 'ms / 1000 points', 'cheaper by'],
      evaluations.map((e) => [
        e.backend,
        e.decoderVariance.toPrecision(3),
        `${e.entropySum.toFixed(1)} ± ${e.entropySumError.toFixed(1)}`,
        e.entropyMsPer1000.toFixed(1),
        `${e.perPointSamples} (on ${e.mcRows} rows)`,
        `${e.mcElbo.toFixed(1)} ± ${e.mcElboError.toFixed(1)}`,
        e.mcMsPer1000.toFixed(1),
        `${(e.mcMsPer1000 / e.entropyMsPer1000).toFixed(1)}×`,
        String(e.setSamples),
        e.mcSetMsPer1000.toFixed(1),
        `${(e.mcSetMsPer1000 / e.entropyMsPer1000).toFixed(1)}×`,
      ]),
    );
    console.log('samples for 1 % s.e.: from a 32-sample pilot on ≤ 500 test rows; per point: median over points of the S with sd_n/√S ≤ 0.01·|F_n|; set mean: S with √(mean var/(N·S)) ≤ 0.01·|F| for the whole test set. Entropy sum: encoder pass only (varianceRatio off). Timings: median of ≥ 2 calls after one warm-up, results read back.');
  }
  if (problems.length > 0) {
    console.log('');
    console.log('problems:');
    for (const p of problems) console.log(`  ${p}`);
  }
  if (jsonFile) {
    writeFileSync(jsonFile, `${JSON.stringify({ rows: jsonRows, skipped: [...skips].map(([backend, { reason, remedy }]) => ({ backend, reason, remedy: remedy ?? null })), evaluations, loadAverage: { start: loadStart, end: loadEnd }, torch: torchInfo ? { version: torchInfo.torch, blas: torchInfo.blas } : null }, null, 2)}\n`);
    console.log(`wrote ${jsonFile}`);
  }
  if (torchMissing) process.exitCode = 2;
}

if (process.argv[2] === '--worker') await tfjsWorker(JSON.parse(process.argv[3]));
else if (option('soak', undefined) !== undefined) await soak(Number(option('soak')));
else await driver();
