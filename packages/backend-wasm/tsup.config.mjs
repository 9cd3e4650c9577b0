import { libraryConfig } from '../../config/tsup.library.mjs';

export default libraryConfig();
