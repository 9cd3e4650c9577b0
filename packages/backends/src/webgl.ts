// Entry point `@trientropy/backends/webgl` (browsers): the WebGL adapter, registered on import so that
// selectBackend('auto') in a page finds it. @tensorflow/tfjs-backend-webgl loads only when the backend starts.
import { registerBackendAdapter } from './adapter-registry.js';
import { webglAdapter } from './webgl-adapter.js';

export { webglAdapter } from './webgl-adapter.js';

/** The adapter under the name every adapter package exports. */
export const backendAdapter = webglAdapter;

registerBackendAdapter(webglAdapter);
