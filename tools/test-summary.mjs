#!/usr/bin/env node
// Sums Jest's JSON reports over every project and prints one line: `N passed, N failed[, N skipped]`.
// `--clean` deletes old reports first, so a project whose run crashed cannot be counted from a stale file.
// Exits 1 when a test failed, a suite failed to run, or an expected report is missing.
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const projects = ['packages', 'apps', 'tools'].flatMap((dir) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(root, dir, name)) : [],
).filter((dir) => existsSync(join(dir, 'jest.config.cjs')));

// A project may write more reports beside jest-results.json (e.g. jest-results-wasm.json: the same suite on
// another backend); all are counted.
const reportsOf = (dir) => readdirSync(dir).filter((name) => /^jest-results(-[a-z0-9]+)?\.json$/.test(name));

if (process.argv.includes('--clean')) {
  for (const dir of projects) for (const name of reportsOf(dir)) rmSync(join(dir, name), { force: true });
  process.exit(0);
}

let passed = 0, failed = 0, skipped = 0, brokenSuites = 0;
const missing = [];
for (const dir of projects) {
  if (!existsSync(join(dir, 'jest-results.json'))) { missing.push(dir.slice(root.length)); continue; }
  for (const name of reportsOf(dir)) {
    const report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    brokenSuites += report.numRuntimeErrorTestSuites;
  }
}
if (missing.length > 0) console.log(`no test report from: ${missing.join(', ')}`);
if (brokenSuites > 0) console.log(`${brokenSuites} test suite(s) failed to run`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || brokenSuites > 0 || missing.length > 0 ? 1 : 0);
