/**
 * Node-only helpers of @trientropy/trainers (file system): `import { … } from '@trientropy/trainers/node'`.
 * The main entry stays free of Node built-ins so that it bundles for browsers.
 */
export { fileWriteError, isTemporaryOf, makeDirectory, temporaryPathFor, writeFileAtomic } from './node/atomic-file.js';
export { CHECKPOINT_FILE_NAME, checkpointFileSink, readCheckpointFile, writeCheckpointFile } from './node/checkpoint-file.js';
export { RUN_LOCK_FILE_NAME, RunDirectoryLockedError, type RunDirectoryLock, type RunLockHolder, lockRunDirectory, removeStaleTemporaries } from './node/run-directory-lock.js';
