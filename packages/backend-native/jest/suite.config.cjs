// The whole Jest suite of another package (TRIENTROPY_NATIVE_SUITE = distributions, models or trainers) run
// again on the native backend, as packages/distributions/jest.wasm.config.cjs does for wasm. Run from this
// package (scripts/test-suites-on-native.mjs) so that those packages need not depend on this one.
const path = require('node:path');
const base = require('../../../config/jest.preset.cjs');

const suite = process.env.TRIENTROPY_NATIVE_SUITE;
if (!['distributions', 'models', 'trainers'].includes(suite)) throw new Error(`TRIENTROPY_NATIVE_SUITE: expected distributions, models or trainers, got ${suite}`);
process.env.TRIENTROPY_TEST_BACKEND = 'native';
// Files that run no kernel of the active backend are left out: backend-wasm.test.ts switches to wasm itself (the
// cpu and wasm runs cover it), and the checkpoint-format and node file tests only parse and write bytes.
const HOST_ONLY = ['/src/backend-wasm\\.test\\.ts$', '/src/checkpoint/checkpoint-format\\.test\\.ts$', '/src/node/files\\.test\\.ts$'];
module.exports = {
  ...base,
  rootDir: path.join(__dirname, '..', '..', suite),
  setupFilesAfterEnv: [path.join(__dirname, 'native-setup.cjs')],
  testPathIgnorePatterns: [...(base.testPathIgnorePatterns ?? ['/node_modules/']), ...HOST_ONLY],
};
