// The pPCA data of the convergence grid and the CLI run on it, shared by the tools in this folder
// (convergence-grid.mjs: do the defaults reach ℓ_ML?; vae1-levers.mjs: which schedule settings get VAE-1 there?),
// so that both train on exactly the same data.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededRandom, dataMatrix } from '@trientropy/data';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The built CLI (`npx nx run-many -t build`). */
export const CLI = join(root, 'apps/cli/bin/trientropy.js');

/**
 * The grid: D from 5 to 30, H from 1 to 5, column offsets up to 10, column scales 0.1 to 4, noise from a
 * tenth of the smallest scale (high SNR, ill-conditioned) to near the signal (low SNR, slow EM).
 */
export const SHAPES = [
  { d: 5, h: 1, offset: 0, scales: [1, 1], noise: 0.3 },
  { d: 5, h: 2, offset: 10, scales: [0.1, 4], noise: 0.05 },
  { d: 8, h: 3, offset: 5, scales: [0.5, 2], noise: 0.2 },
  { d: 12, h: 3, offset: 10, scales: [0.1, 4], noise: 0.1 },
  { d: 16, h: 4, offset: 2, scales: [4, 4], noise: 1 },
  { d: 20, h: 2, offset: 10, scales: [0.1, 0.1], noise: 0.02 },
  { d: 10, h: 5, offset: 1, scales: [0.3, 0.3], noise: 0.25 },
  { d: 30, h: 1, offset: 3, scales: [1, 4], noise: 0.5 },
  { d: 30, h: 5, offset: 10, scales: [0.1, 4], noise: 0.1 },
];

/**
 * The shapes named by a comma list of 1-based indices (all of them for undefined), each with its `index`.
 * An index outside 1..SHAPES.length throws, naming it, rather than run on an undefined shape.
 */
export function selectShapes(picked) {
  if (picked === undefined) return SHAPES.map((shape, i) => ({ ...shape, index: i + 1 }));
  return picked.split(',').map((text) => {
    const index = Number(text.trim());
    if (!Number.isInteger(index) || index < 1 || index > SHAPES.length) throw new Error(`--shapes: expected indices 1 to ${SHAPES.length}, got '${text}'`);
    return { ...SHAPES[index - 1], index };
  });
}

/** The seed of a grid shape's data: fixed per shape, so that every tool and every run sees the same rows. */
export function shapeDataSeed(shape) {
  return 1000 + shape.index;
}

/** pPCA data of one shape, float32 values, deterministic for the seed. */
export function generateShapeData(shape, rows, seed) {
  const rng = new SeededRandom(seed);
  const { d, h } = shape;
  const [low, high] = shape.scales;
  const w = Float64Array.from({ length: d * h }, () => rng.normal());
  const scale = Float64Array.from({ length: d }, () => low * (high / low) ** rng.uniform());
  const mean = Float64Array.from({ length: d }, () => shape.offset * (2 * rng.uniform() - 1));
  const values = new Float32Array(rows * d);
  const z = new Float64Array(h);
  for (let n = 0; n < rows; n++) {
    for (let k = 0; k < h; k++) z[k] = rng.normal();
    for (let i = 0; i < d; i++) {
      let v = mean[i];
      for (let k = 0; k < h; k++) v += scale[i] * w[i * h + k] * z[k];
      values[n * d + i] = v + shape.noise * rng.normal();
    }
  }
  return dataMatrix(values, rows, d);
}

/** CSV text whose decimal values parse back to exactly the float32 values. */
export function toCsv(data) {
  const lines = [Array.from({ length: data.cols }, (_, i) => `x${i}`).join(',')];
  for (let n = 0; n < data.rows; n++) lines.push(Array.from(data.values.subarray(n * data.cols, (n + 1) * data.cols), (v) => String(v)).join(','));
  return `${lines.join('\n')}\n`;
}

/** Generates a shape's data with its fixed seed and writes it to `file` as CSV; returns the data (for ℓ_ML). */
export function writeShapeCsv(shape, rows, file) {
  const data = generateShapeData(shape, rows, shapeDataSeed(shape));
  writeFileSync(file, toCsv(data));
  return data;
}

/** A shape in one line: D, H, offset, column scales, noise. */
export function describeShape(shape) {
  const [low, high] = shape.scales;
  return `D=${shape.d} H=${shape.h} off ${shape.offset} s ${low === high ? low : `${low}–${high}`} σ ${shape.noise}`;
}

/**
 * Runs `trientropy --quiet train --data FILE --model M --latents H --out DIR ...flags` in a child process (the real
 * CLI, as a user runs it) into a fresh `out`. Returns the exit status, stderr, the wall time of the whole CLI run in
 * seconds and, when it succeeded, its metrics.json.
 */
export function trainWithCli({ file, model, latents, out, flags = [] }) {
  rmSync(out, { recursive: true, force: true });
  const args = [CLI, '--quiet', 'train', '--data', file, '--model', model, '--latents', String(latents), '--out', out, ...flags];
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  const metrics = run.status === 0 ? JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) : undefined;
  return { status: run.status, stderr: run.stderr, seconds, metrics };
}

/** A run's final ELBO: the exact one for the linear VAE, else the final Monte-Carlo estimate. */
export function finalElbo(metrics) {
  return metrics.final.linear?.exactElbo ?? metrics.final.elbo;
}
