#!/usr/bin/env node
// Compiles the native addon (native/trientropy_native.c) into build/trientropy_native.node with the system C
// compiler, against the system BLAS (OpenBLAS on Linux, Accelerate on macOS), and writes build/build-report.json
// saying what it found and, when it failed, exactly what is missing and how to install it. Nothing is
// downloaded: Node-API headers come from the running Node's include directory, /usr/include/node, or the
// node-api-headers npm package (a dependency of this package).
//
//   node scripts/build-addon.mjs            build; exit 1 on failure (after writing the report)
//   node scripts/build-addon.mjs --install  the package's install script: never fails, so that `npm install`
//                                           succeeds on machines without a compiler or BLAS (the backend then
//                                           reports itself unavailable, and `trientropy doctor` says why)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(packageRoot, 'build');
const source = join(packageRoot, 'native', 'trientropy_native.c');
const target = join(buildDir, 'trientropy_native.node');
const reportPath = join(buildDir, 'build-report.json');
const installMode = process.argv.includes('--install');

const LINUX_REMEDY = 'apt-get install build-essential libopenblas-dev (Debian/Ubuntu; Fedora: dnf install gcc openblas-devel)';
const MAC_REMEDY = 'xcode-select --install (Xcode command-line tools: clang and the Accelerate framework)';
const remedy = process.platform === 'darwin' ? MAC_REMEDY : LINUX_REMEDY;

function writeReport(report) {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(reportPath, `${JSON.stringify({ ...report, platform: `${process.platform}-${process.arch}`, node: process.version, date: new Date().toISOString() }, null, 2)}\n`);
}

function fail(reason, fix, details = {}) {
  rmSync(target, { force: true });
  writeReport({ ok: false, reason, remedy: fix, ...details });
  console.error(`@trientropy/backend-native: the native addon was not built: ${reason}\n  fix: ${fix}\n  (the package still works with the other backends; \`npx trientropy doctor\` repeats this)`);
  process.exit(installMode ? 0 : 1);
}

function which(command) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function nodeApiHeaders() {
  const candidates = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
  try {
    const headers = createRequire(import.meta.url)('node-api-headers');
    if (typeof headers.include_dir === 'string') candidates.push(headers.include_dir);
  } catch {
    // not installed: the local Node's headers may still be there
  }
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

if (process.platform !== 'linux' && process.platform !== 'darwin') {
  fail(`no build recipe for ${process.platform} (Linux with OpenBLAS and macOS with Accelerate only)`, 'use --backend wasm, which runs everywhere');
}
if (!existsSync(source)) fail(`the addon's source ${source} is missing (a broken package?)`, 'reinstall @trientropy/backend-native');

const compiler = [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean).find((c) => which(c) !== undefined);
if (compiler === undefined) fail('no C compiler found (looked for $CC, cc, gcc, clang on PATH)', remedy);
const headers = nodeApiHeaders();
if (headers === undefined) fail("no Node-API headers (node_api.h) found in Node's include directory, /usr/include/node or the node-api-headers package", 'npm install node-api-headers');

const blas = process.platform === 'darwin'
  ? { name: 'Accelerate (-framework Accelerate)', flags: ['-framework', 'Accelerate'] }
  : { name: 'OpenBLAS (-lopenblas)', flags: ['-lopenblas'] };
// -ffp-contract=off: no fused multiply-adds, so every float32 rounding matches tfjs's cpu kernels (and the
// fused Adam matches tfjs's Adam bit for bit). -fno-math-errno: lets sqrtf vectorise (nothing reads errno).
// -march=native: the addon is built on the machine it runs on.
const common = ['-O3', '-std=c11', '-ffp-contract=off', '-fno-math-errno', '-fPIC', '-shared', '-Wall', '-DNODE_GYP_MODULE_NAME=trientropy_native', `-I${headers}`];
const platformFlags = process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [];
const temporary = `${target}.tmp-${process.pid}`;
mkdirSync(buildDir, { recursive: true });

function compile(archFlags) {
  const args = [...common, ...archFlags, ...platformFlags, source, '-o', temporary, ...blas.flags, '-lm'];
  const run = spawnSync(compiler, args, { encoding: 'utf8' });
  return { command: `${compiler} ${args.join(' ')}`, status: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

// -fopenmp: the element-wise loops use the `threads` option too (see parallel_range in the source); a compiler
// without OpenMP (Apple's clang) builds the same code single-threaded.
let result = compile(['-march=native', '-fopenmp']);
if (result.status !== 0) result = compile(['-march=native']);
if (result.status !== 0 && /march/.test(result.output)) result = compile([]);
if (result.status !== 0) {
  rmSync(temporary, { force: true });
  const tail = result.output.trim().split('\n').slice(-6).join('\n');
  let reason = `the compiler failed:\n${tail}`;
  if (/cblas\.h/.test(result.output)) reason = 'cblas.h not found: the BLAS development headers are not installed';
  else if (/-lopenblas|openblas/.test(result.output) && /cannot find|not found/.test(result.output)) reason = 'the OpenBLAS library (libopenblas.so) was not found by the linker';
  fail(reason, remedy, { command: result.command, compilerOutput: tail });
}
renameSync(temporary, target);
writeReport({ ok: true, command: result.command, blas: blas.name, headers, openmp: result.command.includes('-fopenmp') });
console.log(`@trientropy/backend-native: built ${target} (${blas.name})`);
