import { nodeAdapter } from './node-adapter.js';

export { type NodeAdapterEnvironment, createNodeAdapter, nodeAdapter } from './node-adapter.js';
export { LIBTENSORFLOW_VERSION, TFJS_NODE_PACKAGE, TFJS_NODE_PLATFORMS, TFJS_NODE_REMEDY, TFJS_NODE_REQUIREMENTS } from './tfjs-node-requirements.js';

/** The adapter under the name every adapter package exports, for `selectBackend`'s lazy loading. */
export const backendAdapter = nodeAdapter;
