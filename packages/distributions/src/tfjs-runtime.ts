// Loaded for its side effects by every entry point of this package.
//
// - The pure-JS cpu backend is registered so that everything works without an adapter; adapters
//   (wasm, node, cuda) register backends with a higher priority.
// - tfjs-core's Node entry registers no gradient functions (they ship only as ESM files that Node
//   cannot load). Our build bundles this module with its imports rewritten to tfjs-core's public API, so
//   the gradients run on the user's tfjs-core; see config/tfjs-gradients-plugin.mjs.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
