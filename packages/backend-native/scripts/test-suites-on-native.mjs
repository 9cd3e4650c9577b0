#!/usr/bin/env node
// Runs the whole Jest suites of @trientropy/distributions, models and trainers again on the native backend
// (jest/suite.config.cjs), each writing its report beside this package's own (jest-results-<suite>.json),
// which tools/test-summary.mjs counts. Where the addon is not built the runs are skipped, loudly, unless
// TRIENTROPY_REQUIRE_NATIVE=1 (CI), where that is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = ['distributions', 'models', 'trainers'];

if (!existsSync(join(packageRoot, 'build', 'trientropy_native.node'))) {
  const message = 'the native addon is not built (see build/build-report.json): the distributions, models and trainers suites were NOT run on native';
  if (process.env.TRIENTROPY_REQUIRE_NATIVE === '1') {
    console.error(`FAILED: ${message} (TRIENTROPY_REQUIRE_NATIVE=1)`);
    process.exit(1);
  }
  console.warn(`SKIPPED: ${message}`);
  process.exit(0);
}

let failed = false;
for (const suite of SUITES) {
  console.log(`--- the ${suite} suite on the native backend`);
  const jest = join(packageRoot, '..', '..', 'node_modules', '.bin', 'jest');
  const run = spawnSync(jest, ['-c', 'jest/suite.config.cjs', '--json', `--outputFile=jest-results-${suite}.json`], {
    cwd: packageRoot,
    stdio: 'inherit',
    env: { ...process.env, TRIENTROPY_NATIVE_SUITE: suite },
  });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
