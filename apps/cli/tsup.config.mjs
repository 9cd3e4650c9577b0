// The CLI is an ESM executable; its dependencies (the @trientropy packages, tfjs-core, commander, vega) stay
// external so that a user's install shares one tfjs-core instance with any backend adapter they add.
// `plot-specs` is a second, browser-safe entry: the Vega-Lite spec builders, for the docs site's live charts.
// It is built for both module systems (CommonJS users `require` it) in its own configuration, without the
// __dirname shim (node:path, node:url) that the executable needs: sharing a chunk with the executable would
// put the shim into the browser's import. The two configurations run one after the other because both write
// into dist/ and only the first cleans it.
const common = { sourcemap: true, target: 'node20', keepNames: true };
const withTypes = process.env.TRIENTROPY_SKIP_DTS !== '1';

export default [
  {
    ...common,
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: false,
    clean: true,
    // __dirname for the version lookup (package.json next to dist/).
    shims: true,
  },
  {
    ...common,
    entry: { 'plot-specs': 'src/plots/plot-specs.ts' },
    format: ['esm', 'cjs'],
    dts: withTypes ? { entry: { 'plot-specs': 'src/plots/plot-specs.ts' } } : false,
    clean: false,
  },
];
