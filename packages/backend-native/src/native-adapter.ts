import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import {
  type BackendAdapter,
  type BackendCheck,
  type BackendInfo,
  type BackendInitOptions,
  type BackendProbe,
  BackendUnavailableError,
  activateTfjsBackend,
  checkInitOptions,
  errorMessage,
  probeByStarting,
} from '@trientropy/backends';
import { ADDON_PATH, BUILD_COMMAND, type NativeAddon, loadAddon, missingAddonReason } from './addon.js';
import { SYSTEM_REQUIREMENTS, platformSupport } from './requirements.js';
import { NATIVE_TFJS_BACKEND, registerNativeBackend } from './register-native-backend.js';

const PACKAGE = '@trientropy/backend-native';

function nativeInfo(addon: NativeAddon, threads: number): BackendInfo {
  const blas = addon.blasConfig();
  const notes = [`BLAS: ${blas}`];
  const coretype = process.env['OPENBLAS_CORETYPE'];
  if (coretype !== undefined) notes.push(`OPENBLAS_CORETYPE=${coretype} is set: OpenBLAS uses that processor's kernels instead of detecting the best ones`);
  return {
    backend: 'native',
    tfjsBackend: NATIVE_TFJS_BACKEND,
    tfjsCoreVersion: tf.version_core,
    kernels: `${PACKAGE} (Node-API addon on ${blas.split(':')[0]}; other kernels from @tensorflow/tfjs-backend-cpu)`,
    simd: true,
    threads,
    device: `CPU (native, ${blas.split(':')[0]}, ${threads} thread${threads === 1 ? '' : 's'} for matrix products)`,
    notes,
  };
}

/**
 * The `native` backend: tfjs's cpu backend with its hot kernels (matrix products on the system BLAS,
 * element-wise and broadcasting arithmetic, reductions, transposes, row gathers) in a Node-API addon compiled
 * on the user's machine at install (scripts/build-addon.mjs; nothing is downloaded). See the README for
 * what it needs and what it measured.
 *
 * Options: `threads` — threads of the BLAS's matrix products (default: the machine's logical cores,
 * `os.availableParallelism()`); the other kernels run on the calling thread.
 */
export const nativeAdapter: BackendAdapter = {
  name: 'native',
  requirements: SYSTEM_REQUIREMENTS,
  check(): BackendCheck {
    const platform = platformSupport();
    if (!platform.supported) return { available: false, reason: platform.reason, remedy: platform.remedy };
    if (!existsSync(ADDON_PATH)) return { available: false, ...missingAddonReason() };
    return { available: true };
  },
  isAvailable(): boolean {
    return nativeAdapter.check().available;
  },
  probe(): Promise<BackendProbe> {
    return probeByStarting(nativeAdapter, BUILD_COMMAND);
  },
  async init(options: BackendInitOptions = {}): Promise<BackendInfo> {
    checkInitOptions('native', options, ['threads']);
    const check = nativeAdapter.check();
    if (!check.available) throw new BackendUnavailableError('native', check.reason!, check.remedy);
    const load = loadAddon();
    if (!load.loaded) throw new BackendUnavailableError('native', load.reason, load.remedy);
    const threads = options.threads ?? availableParallelism();
    load.addon.setThreads(threads);
    registerNativeBackend(load.addon);
    try {
      await activateTfjsBackend(NATIVE_TFJS_BACKEND);
    } catch (error) {
      throw new BackendUnavailableError('native', `the native backend failed to start: ${errorMessage(error)}`, BUILD_COMMAND, { cause: error });
    }
    return nativeInfo(load.addon, threads);
  },
};
