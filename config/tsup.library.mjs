// Shared tsup settings for the libraries: ESM + CJS + .d.ts from src/index.ts.
//
// tfjs-core's Node entry (dist/tf-core.node.js) registers no gradient functions: they ship only as
// extension-less ESM files that Node cannot load. `noExternal` bundles that one subpath into our build, and
// tfjsGradientsPlugin binds the bundled gradient code to the public API of the user's own tfjs-core (see
// tfjs-gradients-plugin.mjs); every other import of tfjs-core stays external, so users keep a single
// tfjs-core instance.
import { tfjsGradientsPlugin } from './tfjs-gradients-plugin.mjs';

export function libraryConfig(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    // `npm start` only runs the CLI, which needs no type declarations; skipping them halves its build time
    // (nx.json makes the variable part of the build's cache key, so a later full build regenerates them).
    dts: process.env.TRIENTROPY_SKIP_DTS !== '1',
    sourcemap: true,
    clean: true,
    target: 'node20',
    // esbuild renames colliding identifiers when it bundles (`Normal` became `_Normal`); keepNames keeps
    // `Normal.name === 'Normal'`, which error messages print.
    keepNames: true,
    noExternal: [/^@tensorflow\/tfjs-core\/dist\/register_all_gradients$/],
    esbuildPlugins: [tfjsGradientsPlugin()],
    // tfjs-core's files each carry the same Apache-2.0 header: keep it once per output file, at its end.
    esbuildOptions(options) {
      options.legalComments = 'eof';
    },
    ...overrides,
  };
}
