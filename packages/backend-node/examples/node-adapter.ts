import { nodeAdapter } from '@trientropy/backend-node';

if (nodeAdapter.isAvailable()) {
  const info = await nodeAdapter.init(); // loads libtensorflow, makes it tfjs's active backend
  console.log(info.kernels); // @tensorflow/tfjs-node@4.22.0 (libtensorflow 2.9.1)
} else {
  console.log(nodeAdapter.check().reason); // @tensorflow/tfjs-node is not installed (it is an optional peer dependency)
}
