// The CLI is an ESM executable; its dependencies (the @trientropy packages, tfjs-core, commander, vega) stay
// external so that a user's install shares one tfjs-core instance with any backend adapter they add.
// `plot-specs` is a second, browser-safe entry: the Vega-Lite spec builders, for the docs site's live charts.
export default {
  entry: { index: 'src/index.ts', 'plot-specs': 'src/plots/plot-specs.ts' },
  format: ['esm'],
  dts: process.env.TRIENTROPY_SKIP_DTS === '1' ? false : { entry: { 'plot-specs': 'src/plots/plot-specs.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  keepNames: true,
  // __dirname for the version lookup (package.json next to dist/).
  shims: true,
};
