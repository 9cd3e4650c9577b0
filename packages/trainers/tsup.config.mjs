import { libraryConfig } from '../../config/tsup.library.mjs';

// Two entries: the platform-neutral library and its Node-only file-system helpers.
export default libraryConfig({ entry: ['src/index.ts', 'src/node.ts'] });
