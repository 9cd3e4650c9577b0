#!/usr/bin/env node
// Release check of every public package, on the tarballs `npm publish` would upload:
//   - the publishing policy (package-policy.mjs: metadata, LICENSE, engines, ranges, sideEffects),
//   - arethetypeswrong (types of every entry point under node10, node16 CJS/ESM and bundler resolution),
//   - publint (exports, files, fields),
//   - no source file of the repository's tests or tools in the tarball, a LICENSE and a README in it.
// Prints one line per package and problem; exits 1 on any problem. `--json FILE` also writes the results.
// Run after a build: `npm run build && node tools/release/check-packages.mjs`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packAll } from './pack.mjs';
import { policyProblems, publicPackages } from './package-policy.mjs';

/** attw problems of one tarball, as sentences (empty: every entry point resolves under every mode). */
export async function attwProblems(tarball) {
  const pkg = createPackageFromTarballData(new Uint8Array(readFileSync(tarball)));
  const result = await checkPackage(pkg);
  if (!result.types) return []; // no types at all (the CLI's bin-only package): nothing to resolve
  return result.problems.map((problem) => {
    const where = [problem.entrypoint, problem.resolutionKind].filter(Boolean).join(' under ');
    return `attw: ${problem.kind}${where ? ` (${where})` : ''}`;
  });
}

/** publint messages of one tarball (errors, warnings and suggestions alike). */
export async function publintProblems(tarball) {
  const buffer = readFileSync(tarball);
  const data = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball: data }, strict: true });
  return messages.map((message) => `publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
}

/** Files a tarball must (LICENSE, README, package.json) and must not (tests, sources of tools) contain. */
export function contentProblems(files) {
  const problems = [];
  for (const needed of ['package.json', 'README.md', 'LICENSE']) if (!files.includes(needed)) problems.push(`tarball: no ${needed}`);
  for (const file of files) if (/\.test\.|jest\.config|tsup\.config|tsconfig|(^|\/)src\//.test(file)) problems.push(`tarball: ships ${file}`);
  return problems;
}

export async function checkAll(destination) {
  const policy = new Map(publicPackages().map((pkg) => [pkg.manifest.name, policyProblems(pkg)]));
  const results = [];
  for (const packed of packAll(destination)) {
    const problems = [
      ...policy.get(packed.name),
      ...contentProblems(packed.files),
      ...(await attwProblems(packed.tarball)),
      ...(await publintProblems(packed.tarball)),
    ];
    results.push({ name: packed.name, size: packed.size, unpackedSize: packed.unpackedSize, files: packed.files.length, problems });
  }
  return results;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const destination = mkdtempSync(join(tmpdir(), 'trientropy-check-'));
  const started = Date.now();
  try {
    const results = await checkAll(destination);
    for (const { name, size, unpackedSize, files, problems } of results) {
      console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name}: ${files} files, ${(size / 1024).toFixed(1)} kB packed, ${(unpackedSize / 1024).toFixed(1)} kB unpacked`);
      for (const problem of problems) console.log(`       ${problem}`);
    }
    const failed = results.filter((r) => r.problems.length > 0).length;
    console.log(`release check: ${results.length - failed} of ${results.length} packages clean (policy, attw, publint, contents) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const jsonAt = process.argv.indexOf('--json');
    if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], `${JSON.stringify(results, null, 2)}\n`);
    process.exitCode = failed === 0 ? 0 : 1;
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}
