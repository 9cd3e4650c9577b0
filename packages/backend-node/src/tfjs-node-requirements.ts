import * as tf from '@tensorflow/tfjs-core';

/** The optional peer that provides the kernels. */
export const TFJS_NODE_PACKAGE = '@tensorflow/tfjs-node';

/** libtensorflow version that @tensorflow/tfjs-node 4.22.0 downloads (scripts/deps-constants.js). */
export const LIBTENSORFLOW_VERSION = '2.9.1';

/** Platforms with a prebuilt libtensorflow for tfjs-node 4.22 (`process.platform-process.arch`). */
export const TFJS_NODE_PLATFORMS: readonly string[] = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];

/** One line for `doctor`: what the node backend needs. */
export const TFJS_NODE_REQUIREMENTS = `${TFJS_NODE_PACKAGE}@${tf.version_core} (optional peer) with its native addon and libtensorflow ${LIBTENSORFLOW_VERSION}, which its install script downloads from storage.googleapis.com; one of ${TFJS_NODE_PLATFORMS.join(', ')}`;

/** What to run to get the node backend. */
export const TFJS_NODE_REMEDY =
  `npm install ${TFJS_NODE_PACKAGE}@${tf.version_core} with install scripts enabled and access to storage.googleapis.com ` +
  `(the script downloads libtensorflow ${LIBTENSORFLOW_VERSION}; behind a mirror set TFJS_NODE_CDN_STORAGE). ` +
  `If it is installed but fails to load: npm rebuild ${TFJS_NODE_PACKAGE}`;
