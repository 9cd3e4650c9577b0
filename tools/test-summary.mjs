#!/usr/bin/env node
// Sums Jest's JSON reports over every project and prints one line: `N passed, N failed[, N skipped]`.
// `--clean` deletes old reports first, so a project whose run crashed cannot be counted from a stale file.
// Exits 1 when a test failed, a suite failed to run, or an expected report is missing.
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const projects = ['packages', 'apps'].flatMap((dir) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(root, dir, name)) : [],
).filter((dir) => existsSync(join(dir, 'jest.config.cjs')));

if (process.argv.includes('--clean')) {
  for (const dir of projects) rmSync(join(dir, 'jest-results.json'), { force: true });
  process.exit(0);
}

let passed = 0, failed = 0, skipped = 0, brokenSuites = 0;
const missing = [];
for (const dir of projects) {
  const file = join(dir, 'jest-results.json');
  if (!existsSync(file)) { missing.push(dir.slice(root.length)); continue; }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  brokenSuites += report.numRuntimeErrorTestSuites;
}
if (missing.length > 0) console.log(`no test report from: ${missing.join(', ')}`);
if (brokenSuites > 0) console.log(`${brokenSuites} test suite(s) failed to run`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || brokenSuites > 0 || missing.length > 0 ? 1 : 0);
