/**
 * Node-only helpers of @trientropy/trainers (file system): `import { … } from '@trientropy/trainers/node'`.
 * The main entry stays free of Node built-ins so that it bundles for browsers.
 */
export { CHECKPOINT_FILE_NAME, checkpointFileSink, readCheckpointFile, writeCheckpointFile } from './node/checkpoint-file.js';
