import { isNodeRuntime, selectBackend } from '@trientropy/backends';
import '@trientropy/backends/webgpu'; // each import registers its adapter; the tfjs backend loads only when started
import '@trientropy/backends/webgl';
import '@trientropy/backend-wasm';

// A bundled page says where the site serves tfjs-backend-wasm's .wasm files (auto hands them to wasm only);
// Node finds them itself, and there auto tries the Node backends instead.
const init = isNodeRuntime() ? {} : { wasmPaths: '/assets/' };
const { name, report } = await selectBackend('auto', { init });
console.log(`${name}\n${report}`);
