import { libraryConfig } from '../../config/tsup.library.mjs';

// `shims` gives the CJS build an `import.meta.url`, from which tfjs-backend-wasm is resolved.
export default libraryConfig({ shims: true });
