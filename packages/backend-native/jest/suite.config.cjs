// The whole Jest suite of another package (TRIENTROPY_NATIVE_SUITE = distributions, models or trainers) run
// again on the native backend, as packages/distributions/jest.wasm.config.cjs does for wasm. Run from this
// package (scripts/test-suites-on-native.mjs) so that those packages need not depend on this one.
const path = require('node:path');
const base = require('../../../config/jest.preset.cjs');

const suite = process.env.TRIENTROPY_NATIVE_SUITE;
if (!['distributions', 'models', 'trainers'].includes(suite)) throw new Error(`TRIENTROPY_NATIVE_SUITE: expected distributions, models or trainers, got ${suite}`);
process.env.TRIENTROPY_TEST_BACKEND = 'native';
module.exports = { ...base, rootDir: path.join(__dirname, '..', '..', suite), setupFilesAfterEnv: [path.join(__dirname, 'native-setup.cjs')] };
