import { libraryConfig } from '../../config/tsup.library.mjs';

// `shims` gives the CJS build an `import.meta.url`, used to resolve the optional peer from this package.
export default libraryConfig({ shims: true });
