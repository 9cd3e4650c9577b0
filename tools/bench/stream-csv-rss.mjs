#!/usr/bin/env node
// Peak-RSS benchmark of @trientropy/data's streaming CSV source (issue 6: "streaming a 1 GB CSV keeps
// the process's peak RSS under 300 MB").
//
// It writes a SUSY-like CSV (a 0/1 label and 18 float features per row) of the requested size to the
// temp directory, then, in a fresh child process per configuration, streams it with csvBatches
// (batch 1024, label column dropped) and reports the child's peak resident set size
// (process.resourceUsage().maxRSS, i.e. getrusage's ru_maxrss) next to the throughput. The file is
// deleted at the end, also on errors and Ctrl-C.
//
// Usage (after `npx tsup` in packages/data):
//   node tools/bench/stream-csv-rss.mjs [--size-mb 1024] [--shuffle-buffers 0,100000] [--keep]
import { spawnSync } from 'node:child_process';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RSS_LIMIT_MB = 300;
const here = dirname(fileURLToPath(import.meta.url));
const distEntry = join(here, '..', '..', 'packages', 'data', 'dist', 'node.js');

function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

if (process.argv[2] === '--child') {
  // Child: stream the file once and print one JSON line with the measurements.
  const [path, shuffleBuffer] = [process.argv[3], Number(process.argv[4])];
  const { csvBatches, npyBatches } = await import(pathToFileURL(distEntry).href);
  const source = path.endsWith('.npy')
    ? npyBatches(path, { batchSize: 1024, shuffleBuffer, seed: 1 })
    : csvBatches(path, { batchSize: 1024, dropColumns: [0], header: false, shuffleBuffer, seed: 1 });
  const started = process.hrtime.bigint();
  let rows = 0;
  let batches = 0;
  let checksum = 0;
  for await (const batch of source) {
    rows += batch.rows;
    batches++;
    checksum += batch.values[0];
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ rows, batches, seconds, peakRssMb, checksum }) + '\n');
  process.exit(0);
}

const sizeMb = Number(argValue('--size-mb', '1024'));
const shuffleBuffers = argValue('--shuffle-buffers', '0,100000').split(',').map(Number);
const formats = argValue('--formats', 'csv').split(',');
const keep = process.argv.includes('--keep');
const paths = { csv: join(tmpdir(), `trientropy-stream-bench-${process.pid}.csv`), npy: join(tmpdir(), `trientropy-stream-bench-${process.pid}.npy`) };
const cleanup = () => {
  if (!keep) for (const p of Object.values(paths)) rmSync(p, { force: true });
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

/** Writes rows of a 0/1 label and 18 features (deterministic LCG values) until the file reaches `bytes`. */
async function writeCsv(target, bytes) {
  const out = createWriteStream(target, { highWaterMark: 1 << 22 });
  let written = 0;
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  while (written < bytes) {
    const lines = [];
    for (let i = 0; i < 4096; i++) {
      const cells = [next() < 0.5 ? '0' : '1'];
      for (let c = 0; c < 18; c++) cells.push((next() * 6 - 1).toFixed(7));
      lines.push(cells.join(','));
    }
    const chunk = lines.join('\n') + '\n';
    written += chunk.length;
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

/** Writes a float32 C-order .npy of shape (rows, 18) filled with deterministic values, about `bytes` long. */
async function writeNpy(target, bytes) {
  const cols = 18;
  const rows = Math.floor(bytes / (4 * cols));
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = createWriteStream(target, { highWaterMark: 1 << 22 });
  const preamble = Buffer.alloc(10);
  preamble.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  preamble.writeUInt16LE(header.length, 8);
  out.write(preamble);
  out.write(header, 'latin1');
  const block = new Float32Array(4096 * cols);
  for (let r = 0; r < rows; r += 4096) {
    const n = Math.min(4096, rows - r);
    for (let i = 0; i < n * cols; i++) block[i] = ((r * cols + i) % 1000) / 250 - 1;
    if (!out.write(Buffer.from(block.buffer, 0, n * cols * 4))) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

try {
  statSync(distEntry);
} catch {
  console.error(`missing ${distEntry}: run \`npx tsup\` in packages/data first`);
  process.exit(1);
}

try {
  const results = [];
  for (const format of formats) {
    const path = paths[format];
    if (path === undefined) throw new Error(`--formats: expected csv and/or npy, got ${format}`);
    const t0 = Date.now();
    await (format === 'npy' ? writeNpy : writeCsv)(path, sizeMb * 1024 * 1024);
    const fileMb = statSync(path).size / 1024 / 1024;
    console.log(`wrote ${path} (${fileMb.toFixed(0)} MiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s; node ${process.version}`);
    for (const shuffleBuffer of shuffleBuffers) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', path, String(shuffleBuffer)], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
      const r = JSON.parse(child.stdout.trim().split('\n').pop());
      results.push({ format, fileMb, shuffleBuffer, ...r, mbPerSecond: fileMb / r.seconds });
    }
    if (!keep) rmSync(path, { force: true }); // one big file on disk at a time
  }
  console.log('');
  console.log('| format | file (MiB) | shuffle buffer (rows) | rows | batches | seconds | MiB/s | peak RSS (MiB) | limit (MiB) | result |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    const ok = r.peakRssMb < RSS_LIMIT_MB;
    console.log(
      `| ${r.format} | ${r.fileMb.toFixed(0)} | ${r.shuffleBuffer} | ${r.rows} | ${r.batches} | ${r.seconds.toFixed(1)} | ${r.mbPerSecond.toFixed(1)} | ${r.peakRssMb.toFixed(1)} | ${RSS_LIMIT_MB} | ${ok ? 'pass' : 'FAIL'} |`,
    );
  }
  process.exitCode = results.every((r) => r.peakRssMb < RSS_LIMIT_MB) ? 0 : 1;
} finally {
  cleanup();
}
