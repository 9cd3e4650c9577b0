// The CLI is an ESM executable; its dependencies (the @trientropy packages, tfjs-core, commander) stay
// external so that a user's install shares one tfjs-core instance with any backend adapter they add.
export default {
  entry: ['src/index.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  keepNames: true,
};
