import { cudaAdapter } from '@trientropy/backend-cuda';

const check = cudaAdapter.check(); // platform, package, nvidia-smi, libraries; never loads native code
if (check.available) {
  const info = await cudaAdapter.init();
  console.log(info.device); // e.g. GPU 0: NVIDIA H100 80GB HBM3 (driver 550.54.15)
} else {
  console.log(check.reason, '\n', check.remedy);
}
