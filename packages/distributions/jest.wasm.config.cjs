// The whole suite again on the wasm backend (every test runs on cpu and on wasm).
const base = require('../../config/jest.preset.cjs');

process.env.TRIENTROPY_TEST_BACKEND = 'wasm';
module.exports = { ...base, setupFilesAfterEnv: [require.resolve('../../config/jest.wasm-setup.cjs')] };
