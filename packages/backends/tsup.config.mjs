import { libraryConfig } from '../../config/tsup.library.mjs';

// Entry points: the runtime API (index), the browser GPU adapters (webgl, webgpu), and the shared backend contract test suite (testing), which
// references Jest's globals and must not be loaded by the runtime entry.
// `shims` gives the CJS build an `import.meta.url` (importModule resolves from it).
export default libraryConfig({ entry: ['src/index.ts', 'src/testing.ts', 'src/webgl.ts', 'src/webgpu.ts'], shims: true });
