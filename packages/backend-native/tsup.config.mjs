import { libraryConfig } from '../../config/tsup.library.mjs';

// `shims` gives the CJS build an `import.meta.url`, from which the addon in build/ is found.
export default libraryConfig({ shims: true });
