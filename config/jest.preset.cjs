// Shared Jest preset: TypeScript through @swc/jest in CommonJS mode (see ../shared/toolchain.md §2).
// tfjs-core's gradient registrations ship only as extension-less ESM under dist/ (see
// tsup.library.mjs), so those files are transformed too; the rest of node_modules is left alone.
const path = require('node:path');

const swcOptions = (syntax) => ['@swc/jest', { jsc: { parser: { syntax }, target: 'es2022' }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  setupFiles: [path.join(__dirname, 'jest.tfjs-setup.cjs')],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': swcOptions('typescript'),
    '[/\\\\]@tensorflow[/\\\\]tfjs-core[/\\\\]dist[/\\\\].+\\.js$': swcOptions('ecmascript'),
  },
  transformIgnorePatterns: ['/node_modules/(?!@tensorflow/tfjs-core/dist/)', '/tf-core\\.[^/]*\\.js$'],
  testTimeout: 60000,
};
