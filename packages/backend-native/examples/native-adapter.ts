import * as tf from '@tensorflow/tfjs-core';
import { nativeAdapter } from '@trientropy/backend-native';

const info = await nativeAdapter.init({ threads: 2 }); // makes `native` tfjs's active backend
console.log(info.kernels, info.threads, info.notes);
console.log(tf.matMul([[1, 2], [3, 4]], [[5, 6], [7, 8]]).arraySync()); // [[19, 22], [43, 50]]
