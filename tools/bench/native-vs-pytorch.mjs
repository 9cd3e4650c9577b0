#!/usr/bin/env node
// Training throughput of @trientropy/backend-native against PyTorch (Debian python3-torch on OpenBLAS) and the
// wasm backend, on the issue-11 reference VAE (VAE-1: 784 → 400 ReLU → 2×20, 20 → 400 ReLU → 784, learnable
// log σ², Adam lr 1e-3 ε 1e-7) trained on real Fashion-MNIST rows, at batch 128 and 512, on 1 and 2 threads.
//
//   node tools/bench/native-vs-pytorch.mjs [--rounds 5] [--slice 3] [--warmup 2] [--batches 128,512] [--threads 1,2]
//   node tools/bench/native-vs-pytorch.mjs --soak 20000      # native steps with tensor / data-id leak checks
//
// Needs the packages built (npx nx run-many -t build), the addon compiled (build-essential libopenblas-dev), and
// for the reference /usr/bin/python3 with python3-torch; Fashion-MNIST from Debian's dataset-fashion-mnist
// (uniform [0, 1) rows otherwise, said in the output).
//
// Method: every implementation runs in its own long-lived worker process, warms up, and then, in each round,
// trains for --slice seconds on request while the others wait (A B C, B C A, …: the order rotates so that load
// drifts hit all alike). Reported: the median over rounds of samples/s, with the range, and the ratio of medians
// to PyTorch at the same batch and thread count. PyTorch runs tools/bench/bench_torch.py (the same
// model op for op, same Adam settings) with torch.set_num_threads(t), OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = t
// and OMP_WAIT_POLICY=PASSIVE (its OpenMP threads otherwise spin between kernels, which halved its 2-thread
// speed here). Both tfjs backends train with @trientropy/trainers' LeanAdamOptimizer, which on native runs the fused Adam kernel. OPENBLAS_CORETYPE is left
// as the environment sets it and printed: it selects OpenBLAS's kernels for both sides.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
};
const MODEL = { dataDim: 784, latentDim: 20, hidden: [400], learningRate: 1e-3, epsilon: 1e-7 };
const ROWS = 8192;
const FASHION = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

function writeData(file) {
  const values = new Float32Array(ROWS * MODEL.dataDim);
  let source;
  if (existsSync(FASHION)) {
    const raw = gunzipSync(readFileSync(FASHION));
    for (let i = 0; i < values.length; i++) values[i] = raw[16 + i] / 255;
    source = `Fashion-MNIST (${FASHION}), first ${ROWS} training images scaled to [0, 1]`;
  } else {
    let s = 12345;
    for (let i = 0; i < values.length; i++) values[i] = ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    source = `uniform [0, 1) rows (${FASHION} not found: apt-get install dataset-fashion-mnist)`;
  }
  writeFileSync(file, Buffer.from(values.buffer));
  return source;
}

// ---------------------------------------------------------------------------------------------------------
// Worker: one tfjs backend training the reference VAE, answering "run SECONDS" lines like the torch worker.
async function worker(config) {
  const tf = await import('@tensorflow/tfjs-core');
  const { Vae1 } = await import('@trientropy/models');
  const { LeanAdamOptimizer } = await import('@trientropy/trainers');
  tf.enableProdMode();
  if (config.backend === 'native') {
    const { nativeAdapter } = await import('@trientropy/backend-native');
    await nativeAdapter.init({ threads: config.threads });
  } else {
    const { wasmAdapter } = await import('@trientropy/backend-wasm');
    await wasmAdapter.init();
  }
  const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
  const raw = readFileSync(config.dataFile);
  const data = tf.tensor2d(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), [ROWS, MODEL.dataDim]);
  const model = new Vae1({ dataDim: MODEL.dataDim, latentDim: MODEL.latentDim, hiddenSizes: MODEL.hidden, activation: 'relu', seed: 1 });
  const optimizer = new LeanAdamOptimizer(MODEL.learningRate, 0.9, 0.999, MODEL.epsilon);
  const variables = model.trainableVariables();
  const order = Int32Array.from({ length: ROWS }, (_, i) => i);
  for (let i = ROWS - 1; i > 0; i--) {
    const j = (i * 2654435761) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  let steps = 0;
  const step = () =>
    tf.tidy(() => {
      const start = (steps * config.batch) % (ROWS - config.batch + 1);
      const x = tf.gather(data, tf.tensor1d(order.subarray(start, start + config.batch), 'int32'));
      const { value, grads } = tf.variableGrads(() => tf.neg(model.objective(x, { seed: steps, samples: 1, beta: 1 })), variables);
      optimizer.applyGradients(grads);
      steps++;
      return value;
    });
  const warmStart = performance.now();
  while (steps < 10 || performance.now() - warmStart < config.warmupSeconds * 1000) step().dispose();
  const tensors = tf.memory().numTensors;
  emit({ ready: true, backend: tf.getBackend() });
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, arg] = line.split(' ');
    if (command === 'quit') break;
    const seconds = Number(arg);
    let count = 0;
    let last;
    const t0 = performance.now();
    while (count < 2 || performance.now() - t0 < seconds * 1000) {
      last?.dispose();
      last = step();
      count++;
    }
    const loss = (await last.data())[0];
    last.dispose();
    emit({ steps: count, seconds: (performance.now() - t0) / 1000, loss, tensorsGained: tf.memory().numTensors - tensors });
  }
  process.exit(0);
}

async function soak(totalSteps) {
  const tf = await import('@tensorflow/tfjs-core');
  const { Vae1 } = await import('@trientropy/models');
  const { nativeAdapter } = await import('@trientropy/backend-native');
  const { LeanAdamOptimizer } = await import('@trientropy/trainers');
  tf.enableProdMode();
  const info = await nativeAdapter.init({ threads: 1 });
  const file = join(mkdtempSync(join(tmpdir(), 'native-soak-')), 'data.f32');
  const source = writeData(file);
  const raw = readFileSync(file);
  const data = tf.tensor2d(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), [ROWS, MODEL.dataDim]);
  const model = new Vae1({ dataDim: MODEL.dataDim, latentDim: MODEL.latentDim, hiddenSizes: MODEL.hidden, activation: 'relu', seed: 1 });
  const optimizer = new LeanAdamOptimizer(MODEL.learningRate, 0.9, 0.999, MODEL.epsilon);
  const variables = model.trainableVariables();
  const batch = 128;
  const step = (i) =>
    tf.tidy(() => {
      const start = (i * batch) % (ROWS - batch + 1);
      const x = tf.gather(data, tf.range(start, start + batch, 1, 'int32'));
      const { value, grads } = tf.variableGrads(() => tf.neg(model.objective(x, { seed: i, samples: 1, beta: 1 })), variables);
      optimizer.applyGradients(grads);
      return value;
    });
  step(0).dispose();
  const tensors = tf.memory().numTensors;
  const dataIds = tf.backend().numDataIds();
  console.log(`soak: ${totalSteps} native steps, batch ${batch}, ${info.kernels}; data: ${source}`);
  const t0 = performance.now();
  let worst = 0;
  for (let i = 1; i <= totalSteps; i++) {
    const loss = step(i);
    if (i % 1000 === 0 || i === totalSteps) {
      const value = (await loss.data())[0];
      const gained = tf.memory().numTensors - 1 - tensors;
      const gainedIds = tf.backend().numDataIds() - 1 - dataIds;
      worst = Math.max(worst, Math.abs(gained), Math.abs(gainedIds));
      console.log(`step ${i}: loss ${value.toFixed(2)}, tensors gained ${gained}, data ids gained ${gainedIds}, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, ${((performance.now() - t0) / i).toFixed(2)} ms/step`);
    }
    loss.dispose();
  }
  rmSync(dirname(file), { recursive: true, force: true });
  console.log(worst === 0 ? `no leak over ${totalSteps} steps` : `LEAK: up to ${worst} tensors or data ids gained`);
  process.exit(worst === 0 ? 0 : 1);
}

// ---------------------------------------------------------------------------------------------------------
// Driver
function startWorker(name, command, args, env) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const queue = [];
  const waiting = [];
  lines.on('line', (line) => {
    if (!line.startsWith('{')) return;
    const message = JSON.parse(line);
    if (waiting.length > 0) waiting.shift()(message);
    else queue.push(message);
  });
  const next = () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)));
  return { name, child, next, send: (text) => child.stdin.write(`${text}\n`) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function driver() {
  const rounds = Number(option('rounds', '5'));
  const slice = Number(option('slice', '3'));
  const warmup = Number(option('warmup', '2'));
  const batches = option('batches', '128,512').split(',').map(Number);
  const threadCounts = option('threads', '1,2').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'native-bench-'));
  const dataFile = join(dir, 'data.f32');
  const source = writeData(dataFile);
  const self = fileURLToPath(import.meta.url);
  console.log(`reference VAE 784-400-2x20 / 20-400-784, Adam lr 1e-3 eps 1e-7; data: ${source}`);
  console.log(`machine: ${cpus().length} logical CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start; OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? '(unset)'}`);
  console.log(`method: ${rounds} interleaved rounds of ${slice} s per implementation after ${warmup} s warm-up; samples/s = median over rounds (min–max)`);
  const rows = [];
  for (const threads of threadCounts) {
    for (const batch of batches) {
      const workers = [];
      const tfjsConfig = (backend) => JSON.stringify({ backend, batch, threads, dataFile, warmupSeconds: warmup });
      workers.push(startWorker('native', process.execPath, [self, '--worker', tfjsConfig('native')], {}));
      if (threads === 1) workers.push(startWorker('wasm', process.execPath, [self, '--worker', tfjsConfig('wasm')], {}));
      const torchConfig = JSON.stringify({ dataDim: 784, latentDim: 20, hidden: [400], batch, learningRate: 1e-3, epsilon: 1e-7, warmupSeconds: warmup, warmupSteps: 10, threads: String(threads), dataFile });
      const t = String(threads);
      workers.push(startWorker('pytorch', '/usr/bin/python3', [join(here, 'bench_torch.py'), torchConfig], { OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t, OMP_WAIT_POLICY: 'PASSIVE' }));
      const ready = new Map();
      for (const w of workers) ready.set(w.name, await w.next());
      const torchReady = ready.get('pytorch');
      const live = workers.filter((w) => ready.get(w.name).ready);
      if (!torchReady.ready) console.log(`PyTorch unavailable: ${torchReady.error}`);
      const perRound = new Map(live.map((w) => [w.name, []]));
      const tensorsGained = new Map();
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < live.length; i++) {
          const w = live[(i + round) % live.length];
          w.send(`run ${slice}`);
          const result = await w.next();
          perRound.get(w.name).push((result.steps * batch) / result.seconds);
          if (result.tensorsGained !== undefined) tensorsGained.set(w.name, result.tensorsGained);
        }
      }
      for (const w of workers) {
        w.send('quit');
        w.child.stdin.end();
      }
      const torchMedian = perRound.has('pytorch') ? median(perRound.get('pytorch')) : undefined;
      for (const [name, values] of perRound) {
        const m = median(values);
        rows.push({ implementation: name, threads, batch, samplesPerSecond: m, min: Math.min(...values), max: Math.max(...values), ratioToPyTorch: torchMedian ? m / torchMedian : undefined, tensorsGained: tensorsGained.get(name), torch: name === 'pytorch' ? `${torchReady.torch}, ${torchReady.threads} threads, OpenBLAS threads ${torchReady.blasThreads}` : undefined });
      }
      console.log(`done: batch ${batch}, ${threads} thread(s); load average ${loadavg()[0].toFixed(1)}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  console.log('\n| implementation | threads | batch | samples/s (median, min–max) | × PyTorch | tensors gained |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.implementation}${r.torch ? ` (${r.torch})` : ''} | ${r.threads} | ${r.batch} | ${r.samplesPerSecond.toFixed(0)} (${r.min.toFixed(0)}–${r.max.toFixed(0)}) | ${r.ratioToPyTorch === undefined ? '–' : r.ratioToPyTorch.toFixed(2)} | ${r.tensorsGained ?? '–'} |`);
  }
  const json = option('json', undefined);
  if (json !== undefined) writeFileSync(json, `${JSON.stringify({ rows }, null, 2)}\n`);
}

if (process.argv[2] === '--worker') await worker(JSON.parse(process.argv[3]));
else if (option('soak', undefined) !== undefined) await soak(Number(option('soak')));
else await driver();
