#!/usr/bin/env node
// Measures what tfjs-backend-wasm can do under this Node: whether SIMD is used, whether multi-threading
// works, and the float32 matMul rate of each variant. Each variant runs in its own process, because the
// wasm binary (plain / SIMD / threaded SIMD) is chosen once per process.
//
//   node tools/bench/backend-wasm-features.mjs        (needs packages/backend-wasm built: npx tsup there)
//
// Prints a table. Variants:
//   simd            the adapter's default (SIMD when the engine supports it)
//   no-simd         the adapter with { simd: false }
//   forced-threads  tfjs's WASM_HAS_MULTITHREAD_SUPPORT flag forced on (tfjs forces it off in Node)
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const MATMUL_SIZE = 512;
const MATMUL_REPEATS = 20;

async function child(variant) {
  const tf = await import('@tensorflow/tfjs-core');
  // IS_TEST stays off: it would also silence tfjs's log of why a backend failed to start.
  const { wasmAdapter } = await import('@trientropy/backend-wasm');
  const result = { variant, simdFlag: null, threadsFlag: null, started: false, threads: null, gflops: null, error: null };
  try {
    let info;
    if (variant === 'forced-threads') {
      await import('@tensorflow/tfjs-backend-wasm');
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      info = await wasmAdapter.init();
    } else {
      info = await wasmAdapter.init(variant === 'no-simd' ? { simd: false } : {});
    }
    result.started = true;
    result.threads = info.threads;
    const a = tf.randomUniform([MATMUL_SIZE, MATMUL_SIZE], -1, 1, 'float32', 1);
    const warm = tf.matMul(a, a);
    await warm.data();
    warm.dispose();
    const start = process.hrtime.bigint();
    for (let i = 0; i < MATMUL_REPEATS; i++) {
      const c = tf.matMul(a, a);
      await c.data();
      c.dispose();
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    a.dispose();
    result.gflops = (MATMUL_REPEATS * 2 * MATMUL_SIZE ** 3) / seconds / 1e9;
  } catch (error) {
    result.error = String(error?.message ?? error).split('\n')[0];
  }
  result.simdFlag = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  result.threadsFlag = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

function parent() {
  const self = fileURLToPath(import.meta.url);
  const rows = [];
  for (const variant of ['simd', 'no-simd', 'forced-threads']) {
    const run = spawnSync(process.execPath, [self, '--child', variant], { encoding: 'utf8', timeout: 120000 });
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (line === undefined) {
      rows.push({ variant, error: `no result (exit ${run.status}): ${(run.stderr || '').trim().split('\n').slice(-3).join(' | ')}` });
      continue;
    }
    const result = JSON.parse(line.slice(7));
    // tfjs prints the real cause of a failed start (e.g. ERR_WORKER_PATH) to stderr before rejecting.
    const cause = (run.stderr || '').split('\n').find((l) => /Error|ERR_/.test(l));
    if (result.error && cause) result.error = `${result.error} (${cause.trim()})`;
    rows.push(result);
  }
  const header = ['variant', 'SIMD flag', 'threads flag', 'starts', 'threads', `matMul ${MATMUL_SIZE}³ GFLOP/s`, 'error'];
  const table = [header, ...rows.map((r) => [r.variant, String(r.simdFlag), String(r.threadsFlag), r.started ? 'yes' : 'NO', r.threads === null || r.threads === undefined ? '-' : String(r.threads), r.gflops ? r.gflops.toFixed(1) : '-', r.error ?? ''])];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  console.log(`tfjs-backend-wasm in Node ${process.version} (${process.arch}), ${cpus().length} logical CPUs`);
  for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else parent();
