#!/usr/bin/env node
// Which training levers bring VAE-1 to the optimum of pPCA data (issue 10, "honest convergence")? On the pPCA
// shapes of the convergence grid (ppca-shapes.mjs: the same data as convergence-grid.mjs, byte for byte), this
// runs the real CLI, `trientropy train --model vae-1 --latents H`, once for every combination of the lever values
// given and every seed, and prints per run the final ELBO (20-sample Monte Carlo, the CLI's default), the
// closed-form pPCA maximum log-likelihood ℓ_ML of exactly that data (`ppcaMaximumLikelihood` of @trientropy/models),
// the shortfall (ℓ_ML − ELBO)/|ℓ_ML| and the wall time of the whole CLI run; then per setting the worst and mean
// shortfall over shapes and seeds and the mean wall time. It prints what it measured and nothing else.
//
//   node tools/convergence/vae1-levers.mjs [--shapes 4,9] [--epochs 200,300] [--lr-hold 0,0.5]
//        [--lr-floor 0.005,0.001] [--seeds 0,2,4] [--rows 4000] [--extra "--batch-size 50"] [--json FILE] [--keep DIR]
//
// A lever left out is not passed to the CLI, so its default applies (shown as 'default'). Runs go one after
// another (wall times are comparable only on an otherwise quiet machine; the load average is printed).
// Needs the packages and the CLI built (`npx nx run-many -t build`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ppcaMaximumLikelihood } from '@trientropy/models';
import { SHAPES, describeShape, finalElbo, selectShapes, trainWithCli, writeShapeCsv } from './ppca-shapes.mjs';

const USAGE = `Usage: node tools/convergence/vae1-levers.mjs [options]

Trains VAE-1 with 'trientropy train' on the convergence grid's pPCA shapes for every combination of the lever
values given, and prints each run's ELBO shortfall below the closed-form pPCA optimum l_ML and its wall time.

Options (lists are comma separated; a lever left out keeps the CLI's default):
  --shapes <list>     grid shapes, 1 to ${SHAPES.length} (default: all)
  --epochs <list>     values of train --epochs
  --lr-hold <list>    values of train --lr-hold (fraction of the run held at --lr before the cosine decay)
  --lr-floor <list>   values of train --lr-floor (where the cosine decay ends, as a fraction of --lr)
  --lr <list>         values of train --lr
  --seeds <list>      values of train --seed (initialisation, shuffling, sampling; the data stay fixed) (default: 0)
  --rows <n>          rows of data per shape (default: 4000, as convergence-grid.mjs)
  --extra "<flags>"   further train flags for every run, e.g. "--batch-size 50"
  --json <file>       also write every run as JSON
  --keep <dir>        keep the data and run directories in <dir> (default: a temporary directory, removed)
  -h, --help          print this help
`;

/** The levers: the tool's option, the train flag it sets, and the column title. */
const LEVERS = [
  { option: 'epochs', flag: '--epochs', title: 'epochs' },
  { option: 'lr', flag: '--lr', title: 'lr' },
  { option: 'lr-hold', flag: '--lr-hold', title: 'lr-hold' },
  { option: 'lr-floor', flag: '--lr-floor', title: 'lr-floor' },
];

/** A comma list of numbers; throws naming the option, what it expects and what it got. */
function numberList(option, text) {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '' || !Number.isFinite(Number(part)))) throw new Error(`--${option}: expected a comma-separated list of numbers, got '${text}'`);
  return parts;
}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      shapes: { type: 'string' },
      epochs: { type: 'string' },
      lr: { type: 'string' },
      'lr-hold': { type: 'string' },
      'lr-floor': { type: 'string' },
      seeds: { type: 'string', default: '0' },
      rows: { type: 'string', default: '4000' },
      extra: { type: 'string', default: '' },
      json: { type: 'string' },
      keep: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 10) throw new Error(`--rows: expected an integer ≥ 10, got '${values.rows}'`);
  return {
    help: values.help === true,
    shapes: selectShapes(values.shapes),
    // Each lever: its values, or [undefined] (not passed: the CLI's default).
    levers: LEVERS.map((lever) => ({ ...lever, values: values[lever.option] === undefined ? [undefined] : numberList(lever.option, values[lever.option]) })),
    seeds: numberList('seeds', values.seeds),
    rows,
    extra: values.extra.split(' ').filter((part) => part !== ''),
    json: values.json,
    keep: values.keep,
  };
}

/** Every combination of the levers' values, as [{ lever, value }] lists. */
function settingsOf(levers) {
  return levers.reduce((combinations, lever) => combinations.flatMap((combination) => lever.values.map((value) => [...combination, { lever, value }])), [[]]);
}

const label = (setting) => setting.map(({ lever, value }) => `${lever.title} ${value ?? 'default'}`).join(', ');
const flagsOf = (setting) => setting.flatMap(({ lever, value }) => (value === undefined ? [] : [lever.flag, value]));
const percent = (fraction) => `${(fraction * 100).toFixed(2)} %`;

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`vae1-levers: ${error.message} (see --help)`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const settings = settingsOf(options.levers);
  const work = options.keep ?? mkdtempSync(join(tmpdir(), 'trientropy-vae1-levers-'));
  mkdirSync(work, { recursive: true });
  const runs = options.shapes.length * settings.length * options.seeds.length;
  console.log(`vae1-levers: ${options.shapes.length} shapes × ${settings.length} settings × ${options.seeds.length} seeds = ${runs} runs of vae-1, N = ${options.rows}, extra flags: ${options.extra.join(' ') || '(none)'}; load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`| # | shape | ${options.levers.map((lever) => lever.title).join(' | ')} | seed | final ELBO | ℓ_ML | shortfall | wall s |`);
  console.log(`|---|---|${options.levers.map(() => '---|').join('')}---|---|---|---|---|`);
  const results = [];
  for (const shape of options.shapes) {
    const file = join(work, `shape-${shape.index}.csv`);
    const data = writeShapeCsv(shape, options.rows, file);
    const ml = ppcaMaximumLikelihood(data, shape.h).logLikelihood;
    for (const setting of settings) {
      for (const seed of options.seeds) {
        const out = join(work, `run-${shape.index}-${flagsOf(setting).join('').replace(/[^0-9a-z.]+/gi, '_')}-seed${seed}`);
        const run = trainWithCli({ file, model: 'vae-1', latents: shape.h, out, flags: [...flagsOf(setting), '--seed', seed, ...options.extra] });
        const values = setting.map(({ value }) => value ?? 'default');
        const row = { index: shape.index, shape: describeShape(shape), setting: label(setting), levers: Object.fromEntries(setting.map(({ lever, value }) => [lever.option, value ?? null])), seed: Number(seed), ml, seconds: run.seconds };
        if (run.status !== 0) {
          console.log(`| ${shape.index} | ${row.shape} | ${values.join(' | ')} | ${seed} | failed (exit ${run.status}) | ${ml.toFixed(5)} | - | ${run.seconds.toFixed(1)} |`);
          console.log(`    ${run.stderr.trim().split('\n').at(-1)}`);
          results.push({ ...row, failed: true });
          continue;
        }
        const elbo = finalElbo(run.metrics);
        const shortfall = (ml - elbo) / Math.abs(ml);
        results.push({ ...row, elbo, shortfall, epochs: run.metrics.epochs.length });
        console.log(`| ${shape.index} | ${row.shape} | ${values.join(' | ')} | ${seed} | ${elbo.toFixed(5)} | ${ml.toFixed(5)} | ${percent(shortfall)} | ${run.seconds.toFixed(1)} |`);
      }
    }
  }
  console.log('\nper setting, over shapes and seeds:');
  console.log('| setting | runs | worst shortfall | mean shortfall | within 1 % | mean wall s |');
  console.log('|---|---|---|---|---|---|');
  for (const setting of settings) {
    const rows = results.filter((r) => r.setting === label(setting));
    const done = rows.filter((r) => !r.failed);
    const shortfalls = done.map((r) => r.shortfall);
    const worst = shortfalls.length === 0 ? '-' : percent(Math.max(...shortfalls));
    const mean = shortfalls.length === 0 ? '-' : percent(shortfalls.reduce((s, v) => s + v, 0) / shortfalls.length);
    const seconds = rows.reduce((s, r) => s + r.seconds, 0) / rows.length;
    console.log(`| ${label(setting)} | ${done.length}${done.length < rows.length ? ` (+${rows.length - done.length} failed)` : ''} | ${worst} | ${mean} | ${shortfalls.filter((v) => v <= 0.01).length} of ${rows.length} | ${seconds.toFixed(1)} |`);
  }
  console.log(`load average at end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (options.json !== undefined) writeFileSync(options.json, `${JSON.stringify({ rows: options.rows, extra: options.extra, results }, null, 2)}\n`);
  if (options.keep === undefined) rmSync(work, { recursive: true, force: true });
  process.exitCode = results.some((r) => r.failed) ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
