// libtensorflow through @tensorflow/tfjs-node (backend `node`) or tfjs-node-gpu (backend `cuda`): optional
// peers whose install downloads libtensorflow. Where they are missing, asking for them fails loudly with the
// reason and the fix; `auto` lists every backend it skipped and why.
import '@trientropy/backend-wasm';
import { BackendUnavailableError, selectBackend } from '@trientropy/backends';

for (const backend of ['node', 'cuda']) {
  try {
    const { report } = await selectBackend(backend);
    console.log(report.split('\n')[0]);
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error;
    console.log(`${backend}: unavailable — ${error.message.split('\n')[0]}`);
  }
}
const { report } = await selectBackend('auto');
console.log(report);
