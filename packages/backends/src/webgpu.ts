// Entry point `@trientropy/backends/webgpu` (browsers): the WebGPU adapter, registered on import so that
// selectBackend('auto') in a page finds it. @tensorflow/tfjs-backend-webgpu loads only when the backend starts.
import { registerBackendAdapter } from './adapter-registry.js';
import { webgpuAdapter } from './webgpu-adapter.js';

export { webgpuAdapter } from './webgpu-adapter.js';

/** The adapter under the name every adapter package exports. */
export const backendAdapter = webgpuAdapter;

registerBackendAdapter(webgpuAdapter);
