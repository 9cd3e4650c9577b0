import * as tf from '@tensorflow/tfjs-core';
import { wasmAdapter } from '@trientropy/backend-wasm';

const info = await wasmAdapter.init(); // makes wasm tfjs's active backend
console.log(info.kernels, info.simd, info.threads); // @tensorflow/tfjs-backend-wasm@4.22.0 true 1
console.log(tf.matMul([[1, 2], [3, 4]], [[5, 6], [7, 8]]).arraySync()); // [[19, 22], [43, 50]]
