/** Renderer or adapter names of GPUs that are emulated on the CPU (Chromium's SwiftShader, Mesa's llvmpipe/softpipe, Windows' WARP). */
const SOFTWARE_GPU = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render|warp/i;

/** Whether a WebGL renderer string or a WebGPU adapter description names a CPU emulation of a GPU. */
export function isSoftwareGpu(description: string): boolean {
  return SOFTWARE_GPU.test(description);
}

/**
 * Why `auto` passes a working but emulated GPU over: tfjs's GPU kernels then run as shader programs on the CPU,
 * slower than the wasm backend's XNNPACK kernels on the same CPU.
 */
export function softwareGpuSkipReason(api: 'WebGL' | 'WebGPU', description: string): string {
  return `its ${api} device is a software emulation on the CPU (${description}), slower than wasm; ask for it by name to use it anyway`;
}
