#!/usr/bin/env node
// What a user gets from the registry: packs every public package (`npm pack`), installs the tarballs in an
// empty folder outside the workspace with nothing but registry dependencies (`npm install`, preferring the
// local npm cache), compiles the READMEs' TypeScript examples there with the user's own `tsc --strict`
// against the installed type declarations, and runs every example and the consumer checks of
// tools/release/consumers/ with plain `node`. Prints one line per step; `--json FILE` writes the results;
// `--keep` keeps the folder. Exits 1 when anything failed. The packages must be built first.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allExamples } from './examples.mjs';
import { packAll } from './pack.mjs';

const CONSUMERS = fileURLToPath(new URL('./consumers', import.meta.url));
// The user's own tools, at the versions this workspace uses (so the npm cache has them).
const USER_DEV_DEPENDENCIES = { typescript: '~5.9.3', '@types/node': '^20.19.0' };
const RUN_TIMEOUT_MS = 120_000;

function run(command, args, cwd, timeout = RUN_TIMEOUT_MS) {
  return new Promise((resolveRun) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code: code ?? (signal ? 128 : 1), signal, output, ms: Date.now() - started });
    });
  });
}

/** Runs `jobs` (functions returning promises) at most `limit` at a time, keeping their order in the result. */
async function inParallel(jobs, limit) {
  const results = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]();
    }
  }));
  return results;
}

export async function packInstallRun({ keep = false, log = () => {} } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'trientropy-user-'));
  const tarballs = join(root, 'tarballs');
  const app = join(root, 'app');
  mkdirSync(tarballs);
  mkdirSync(app);
  const steps = [];
  const step = (name, result, extra = {}) => {
    steps.push({ name, ok: result.code === 0, ms: result.ms, output: result.output.slice(-4000), ...extra });
    log(`${result.code === 0 ? 'ok  ' : 'FAIL'} ${name} (${(result.ms / 1000).toFixed(1)} s)`);
    if (result.code !== 0) log(result.output.slice(-2000));
    return result.code === 0;
  };
  try {
    let started = Date.now();
    const packed = packAll(tarballs);
    step(`npm pack (${packed.length} packages)`, { code: 0, output: '', ms: Date.now() - started });

    const dependencies = Object.fromEntries(packed.map((p) => [p.name, `file:${relative(app, p.tarball)}`]));
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'trientropy-user', private: true, type: 'module', dependencies, devDependencies: USER_DEV_DEPENDENCIES }, null, 2)}\n`);
    const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app, 240_000);
    if (!step('npm install (tarballs + registry dependencies)', installed)) return { ok: false, steps, root };

    const examples = allExamples();
    for (const example of examples) cpSync(example.path, join(app, 'examples', example.rel, example.name));
    cpSync(CONSUMERS, join(app, 'consumers'), { recursive: true });
    writeFileSync(join(app, 'tsconfig.json'), `${JSON.stringify({
      compilerOptions: { strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', outDir: 'build', rootDir: '.', skipLibCheck: true, types: ['node'] },
      include: ['examples/**/*.ts', 'consumers/**/*.ts'],
    }, null, 2)}\n`);
    const compiled = await run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], app);
    const compiledOk = step('tsc --strict on the examples, against the installed declarations', compiled);

    const programs = [
      ...examples.filter((e) => e.runs).map((e) => ({
        name: `${e.rel}/examples/${e.name}`,
        file: /\.ts$/.test(e.name) ? join('build', 'examples', e.rel, e.name.replace(/\.ts$/, '.js')) : join('examples', e.rel, e.name),
        needsTsc: /\.ts$/.test(e.name),
      })),
      ...readdirSync(CONSUMERS).filter((name) => /\.(mjs|cjs)$/.test(name)).sort().map((name) => ({ name: `consumers/${name}`, file: join('consumers', name), needsTsc: false })),
    ];
    started = Date.now();
    const results = await inParallel(programs.map((program) => async () => {
      if (program.needsTsc && !compiledOk) return { program, result: { code: 1, output: 'not run: tsc failed', ms: 0 } };
      return { program, result: await run(process.execPath, [program.file], app) };
    }), 2);
    for (const { program, result } of results) step(`node ${program.name}`, result, { program: program.name });
    const cli = await run(join(app, 'node_modules', '.bin', 'trientropy'), ['--help'], app);
    step('trientropy --help (the installed bin)', cli);
    log(`ran ${programs.length} programs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { ok: steps.every((s) => s.ok), steps, root };
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const result = await packInstallRun({ keep: process.argv.includes('--keep'), log: (line) => console.log(line) });
  const jsonAt = process.argv.indexOf('--json');
  if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], `${JSON.stringify(result, null, 2)}\n`);
  console.log(`pack-install: ${result.steps.filter((s) => s.ok).length} of ${result.steps.length} steps ok in ${((Date.now() - started) / 1000).toFixed(1)} s${process.argv.includes('--keep') ? ` (kept ${result.root})` : ''}`);
  process.exitCode = result.ok ? 0 : 1;
}
