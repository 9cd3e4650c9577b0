#!/usr/bin/env node
// The publishing policy of every public package in one place: author, license, repository, homepage (the
// docs site), bugs, keywords, engines, version ranges of internal and tfjs dependencies, the LICENSE file in
// the tarball. `node tools/release/package-policy.mjs` reports every deviation (exit 1); `--write` applies
// the policy to the package.json files and copies the root LICENSE into each package.
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const POLICY = {
  author: 'The trientropy authors',
  license: 'MIT',
  repositoryUrl: 'git+https://github.com/trientropy/trientropy.git',
  homepage: 'https://trientropy.github.io/trientropy/',
  bugs: 'https://github.com/trientropy/trientropy/issues',
  engines: { node: '>=20.19' },
  // tfjs packages: one caret range, the same for all of them (tfjs releases core and backends together).
  tfjsRange: '^4.22.0',
};

const COMMON_KEYWORDS = ['vae', 'variational-autoencoder', 'elbo', 'entropy', 'tensorflowjs', 'tfjs'];
export const KEYWORDS = {
  '@trientropy/distributions': ['probability', 'distributions', 'kl-divergence', 'reparameterization', 'statistics'],
  '@trientropy/models': ['deep-learning', 'generative-model', 'ppca', 'machine-learning'],
  '@trientropy/trainers': ['training', 'checkpoints', 'posterior-collapse', 'iwae', 'machine-learning'],
  '@trientropy/data': ['datasets', 'csv', 'npy', 'idx', 'mnist', 'streaming'],
  '@trientropy/backends': ['backend', 'webassembly', 'gpu', 'doctor'],
  '@trientropy/backend-wasm': ['backend', 'webassembly', 'wasm', 'simd', 'xnnpack'],
  '@trientropy/backend-node': ['backend', 'tfjs-node', 'libtensorflow'],
  '@trientropy/backend-cuda': ['backend', 'cuda', 'gpu', 'tfjs-node-gpu'],
  '@trientropy/backend-native': ['backend', 'native', 'blas', 'openblas', 'node-api'],
  '@trientropy/cli': ['cli', 'command-line', 'training'],
};

/** Every workspace package that is published (not `private`), with its folder relative to the root. */
export function publicPackages() {
  return ['packages', 'apps']
    .flatMap((dir) => (existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)).map((name) => join(ROOT, dir, name)) : []))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, rel: relative(ROOT, dir), manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true);
}

const DEP_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];
const isInternal = (name) => name.startsWith('@trientropy/');
const isTfjs = (name) => name.startsWith('@tensorflow/tfjs');

/** The manifest as the policy wants it (key order kept; missing fields appended after `license`). */
export function applyPolicy(manifest, rel) {
  const internalVersions = Object.fromEntries(publicPackages().map(({ manifest: m }) => [m.name, m.version]));
  const wanted = {
    author: POLICY.author,
    license: POLICY.license,
    repository: { type: 'git', url: POLICY.repositoryUrl, directory: rel },
    homepage: POLICY.homepage,
    bugs: { url: POLICY.bugs },
    keywords: [...COMMON_KEYWORDS, ...(KEYWORDS[manifest.name] ?? [])],
    engines: { ...manifest.engines, ...POLICY.engines },
  };
  // The policy's fields go right after `description`, in the policy's order; every other key keeps its place.
  const out = {};
  for (const [key, value] of Object.entries(manifest)) {
    if (key in wanted) continue;
    out[key] = value;
    if (key === 'description') Object.assign(out, wanted);
  }
  Object.assign(out, wanted, { ...out });
  for (const field of DEP_FIELDS) {
    const deps = out[field];
    if (deps === undefined) continue;
    for (const name of Object.keys(deps)) {
      if (isInternal(name) && internalVersions[name] !== undefined) deps[name] = `^${internalVersions[name]}`;
      else if (isTfjs(name) && /^\d/.test(deps[name])) deps[name] = POLICY.tfjsRange;
    }
  }
  // Resolvers without `exports` support (TypeScript's node10) find a subpath's types through typesVersions.
  const subpaths = Object.entries(out.exports ?? {}).filter(([key]) => key !== '.' && key !== './package.json' && !key.includes('*'));
  if (subpaths.length > 0) {
    out.typesVersions = {
      '*': Object.fromEntries(subpaths.map(([key, value]) => [key.slice(2), [value.import?.types ?? value.types]])),
    };
  } else delete out.typesVersions;
  if (Array.isArray(out.files)) for (const name of ['LICENSE', 'CHANGELOG.md']) if (!out.files.includes(name)) out.files.push(name);
  return out;
}

/**
 * Source files whose module body does something on import: a top-level call (`registerKl(...)`,
 * `registerBackendAdapter(...)`, a `for` loop) or a bare relative import (`import './runtime.js'`). A bare
 * import of another package is that package's side effect, declared in its own manifest.
 */
export function sideEffectSources(dir) {
  const found = [];
  const walk = (folder) => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!['test-support', 'testing', 'node_modules'].includes(entry.name)) walk(path);
      } else if (/\.ts$/.test(entry.name) && !/\.(test|typecheck)\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const text = readFileSync(path, 'utf8');
        if (/^(?:import\s+'\.[^']*';|(?!export\b|import\b|const\b|let\b|var\b|type\b|interface\b|function\b|class\b|abstract\b|declare\b|async\b)[A-Za-z_$][\w$.]*\s*\()/m.test(text)) {
          found.push(relative(dir, path));
        }
      }
    }
  };
  walk(join(dir, 'src'));
  return found;
}

/** Deviations of one package from the policy, as sentences. */
export function policyProblems({ dir, rel, manifest }) {
  const problems = [];
  const wanted = applyPolicy(structuredClone(manifest), rel);
  for (const key of new Set([...Object.keys(wanted), ...Object.keys(manifest)])) {
    if (JSON.stringify(wanted[key]) !== JSON.stringify(manifest[key])) {
      problems.push(`${rel}/package.json: "${key}" is ${JSON.stringify(manifest[key])}, the policy wants ${JSON.stringify(wanted[key])}`);
    }
  }
  if (manifest.description === undefined || manifest.description.length < 20) problems.push(`${rel}/package.json: no description`);
  if (manifest.sideEffects === undefined && manifest.bin === undefined) {
    problems.push(`${rel}/package.json: "sideEffects" is not set (false, or true/a list when importing the package registers something)`);
  }
  const effects = sideEffectSources(dir);
  if (manifest.sideEffects === false && effects.length > 0) {
    problems.push(`${rel}/package.json: "sideEffects" is false, but importing it runs code in ${effects.join(', ')} (a bundler would drop it): set it to true`);
  }
  const license = join(dir, 'LICENSE');
  if (!existsSync(license)) problems.push(`${rel}/LICENSE is missing`);
  else if (readFileSync(license, 'utf8') !== readFileSync(join(ROOT, 'LICENSE'), 'utf8')) problems.push(`${rel}/LICENSE differs from the root LICENSE`);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if ((isInternal(name) || isTfjs(name)) && /^\d/.test(range)) problems.push(`${rel}/package.json: ${field}.${name} is pinned to ${range}; use a caret range`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes('--write');
  let problems = [];
  for (const pkg of publicPackages()) {
    if (write) {
      writeFileSync(join(pkg.dir, 'package.json'), `${JSON.stringify(applyPolicy(pkg.manifest, pkg.rel), null, 2)}\n`);
      copyFileSync(join(ROOT, 'LICENSE'), join(pkg.dir, 'LICENSE'));
    }
  }
  // The release checks (tools/release) list every public package as a dev dependency, so Nx builds them first.
  const checksManifest = join(ROOT, 'tools', 'release', 'package.json');
  const checks = JSON.parse(readFileSync(checksManifest, 'utf8'));
  const wantedDev = Object.fromEntries(publicPackages().map(({ manifest }) => [manifest.name, '*']).sort(([a], [b]) => a.localeCompare(b)));
  if (write) writeFileSync(checksManifest, `${JSON.stringify({ ...checks, devDependencies: wantedDev }, null, 2)}\n`);
  else if (JSON.stringify(checks.devDependencies) !== JSON.stringify(wantedDev)) {
    problems.push(`tools/release/package.json: devDependencies must list every public package (${Object.keys(wantedDev).join(', ')})`);
  }
  for (const pkg of publicPackages()) problems = problems.concat(policyProblems(pkg));
  for (const problem of problems) console.log(problem);
  console.log(problems.length === 0
    ? `package policy: ${publicPackages().length} packages conform`
    : `package policy: ${problems.length} problem(s); \`node tools/release/package-policy.mjs --write\` fixes all but descriptions and sideEffects`);
  process.exit(problems.length === 0 ? 0 : 1);
}
