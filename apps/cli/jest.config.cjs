// The shared preset, plus the ESM-only plotting packages (vega, vega-lite and the d3 modules they use),
// compiled to CommonJS like tfjs-core's ESM files, because Jest runs the tests as CommonJS.
const preset = require('../../config/jest.preset.cjs');

const esmOnly = ['vega[^/]*', 'd3-[^/]*', 'internmap', 'delaunator', 'robust-predicates', 'topojson-client', 'json-stringify-pretty-compact', '@tensorflow/tfjs-core/dist'];
const swc = preset.transform['^.+\\.ts$'][1];

module.exports = {
  ...preset,
  // vega-canvas's Node build awaits an optional \`canvas\` package at top level, which CommonJS cannot; without
  // that package (not a dependency) both builds give no canvas, so the browser build behaves the same.
  moduleNameMapper: { ...preset.moduleNameMapper, '^vega-canvas$': require.resolve('vega-canvas').replace(/vega-canvas\.node\.js$/, 'vega-canvas.browser.js') },
  transform: {
    ...preset.transform,
    [`[/\\\\]node_modules[/\\\\](${esmOnly.join('|')})[/\\\\].+\\.m?js$`]: ['@swc/jest', { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`, '/tf-core\\.[^/]*\\.js$'],
};
