// Importing @trientropy/distributions registers the pure-JS cpu backend and tfjs-core's gradients.
import '@trientropy/distributions';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendAdapter, BackendCheck, BackendInfo, BackendInitOptions, BackendProbe } from './backend-adapter.js';
import { checkInitOptions } from './init-options-checks.js';
import { activateTfjsBackend, withActiveBackendRestored } from './tfjs-backend-switch.js';

function cpuInfo(): BackendInfo {
  return {
    backend: 'cpu',
    tfjsBackend: 'cpu',
    tfjsCoreVersion: tf.version_core,
    kernels: `@tensorflow/tfjs-backend-cpu (bundled with tfjs-core ${tf.version_core})`,
    simd: false,
    threads: 1,
    device: 'CPU (JavaScript, main thread)',
    notes: [],
  };
}

/**
 * The pure-JavaScript cpu backend of tfjs: always available, the reference every other backend is tested
 * against, and the slowest (about 0.8 training steps/s of the reference VAE-1 at batch 2000 on 2 shared cores,
 * tools/bench/backend-throughput.mjs). Takes no options
 * except `threads: 1`.
 */
export const cpuAdapter: BackendAdapter = {
  name: 'cpu',
  requirements: 'nothing (pure JavaScript, always available)',
  check(): BackendCheck {
    return { available: true };
  },
  isAvailable(): boolean {
    return true;
  },
  async probe(): Promise<BackendProbe> {
    return withActiveBackendRestored(async () => ({ available: true, info: await cpuAdapter.init() }));
  },
  async init(options: BackendInitOptions = {}): Promise<BackendInfo> {
    checkInitOptions('cpu', options, []);
    await activateTfjsBackend('cpu');
    return cpuInfo();
  },
};
