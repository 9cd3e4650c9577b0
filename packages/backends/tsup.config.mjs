import { libraryConfig } from '../../config/tsup.library.mjs';

// Two entry points: the runtime API (index) and the shared backend contract test suite (testing), which
// references Jest's globals and must not be loaded by the runtime entry.
// `shims` gives the CJS build an `import.meta.url` (importModule resolves from it).
export default libraryConfig({ entry: ['src/index.ts', 'src/testing.ts'], shims: true });
