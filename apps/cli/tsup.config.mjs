// The CLI is an ESM executable; its dependencies (the @trientropy packages, tfjs-core, commander, vega) stay
// external so that a user's install shares one tfjs-core instance with any backend adapter they add.
// `plot-specs` is a second, browser-safe entry: the Vega-Lite spec builders, for the docs site's live charts.
// It is built for both module systems (CommonJS users `require` it); the two configurations run one after the
// other because both write into dist/ and only the first cleans it.
const common = { sourcemap: true, target: 'node20', keepNames: true };
const withTypes = process.env.TRIENTROPY_SKIP_DTS !== '1';

export default [
  {
    ...common,
    entry: { index: 'src/index.ts', 'plot-specs': 'src/plots/plot-specs.ts' },
    format: ['esm'],
    dts: withTypes ? { entry: { 'plot-specs': 'src/plots/plot-specs.ts' } } : false,
    clean: true,
    // __dirname for the version lookup (package.json next to dist/).
    shims: true,
  },
  {
    ...common,
    entry: { 'plot-specs': 'src/plots/plot-specs.ts' },
    format: ['cjs'],
    dts: withTypes ? { entry: { 'plot-specs': 'src/plots/plot-specs.ts' } } : false,
    clean: false,
  },
];
