import { libraryConfig } from '../../config/tsup.library.mjs';

// Two entries: the platform-neutral library (browser-safe) and its Node-only file loaders (`/node`).
export default libraryConfig({ entry: ['src/index.ts', 'src/node.ts'] });
