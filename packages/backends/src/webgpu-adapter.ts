// Importing @trientropy/distributions registers the pure-JS cpu backend and tfjs-core's gradients.
import '@trientropy/distributions';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendAdapter, BackendCheck, BackendInfo, BackendInitOptions, BackendProbe } from './backend-adapter.js';
import { BackendUnavailableError } from './backend-unavailable-error.js';
import { errorMessage } from './error-message.js';
import { checkInitOptions } from './init-options-checks.js';
import { probeByStarting } from './probe-by-starting.js';
import { isNodeRuntime } from './runtime.js';
import { isSoftwareGpu, softwareGpuSkipReason } from './software-gpu.js';
import { activateTfjsBackend } from './tfjs-backend-switch.js';

const WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu';
const REMEDY = 'use a browser with WebGPU (Chrome/Edge ≥ 113; Chromium on Linux needs --enable-unsafe-webgpu --enable-features=Vulkan) on a secure origin (https or localhost), or use webgl or wasm';

/** The parts of the WebGPU API this adapter reads (typed here: the DOM library of this build has no WebGPU types). */
interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}
interface GpuAdapter {
  info?: GpuAdapterInfo;
  isFallbackAdapter?: boolean;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapter | null>;
}

function navigatorGpu(): Gpu | undefined {
  return (globalThis as { navigator?: { gpu?: Gpu } }).navigator?.gpu;
}

function staticCheck(): BackendCheck {
  if (isNodeRuntime()) return { available: false, reason: 'WebGPU needs a browser (a page or a Web Worker); this is Node', remedy: REMEDY };
  if (navigatorGpu() === undefined) {
    return { available: false, reason: 'navigator.gpu is absent: this browser has no WebGPU, it is turned off, or the page is not a secure context', remedy: REMEDY };
  }
  return { available: true };
}

/** What a WebGPU adapter calls itself, e.g. `google swiftshader (fallback)`; empty fields are left out. */
function describeAdapter(adapter: GpuAdapter): string {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((part): part is string => typeof part === 'string' && part !== '');
  const fallback = adapter.isFallbackAdapter === true || (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return `${parts.length > 0 ? parts.join(' ') : 'unnamed adapter'}${fallback ? ' (fallback adapter)' : ''}`;
}

/**
 * Asks the browser for the adapter tfjs would use (`high-performance`, as tfjs asks). `null` means WebGPU exists
 * but no device offers it; reported before tfjs tries, so tfjs logs no failed initialisation.
 */
async function requestAdapter(): Promise<{ adapter?: GpuAdapter; reason?: string }> {
  const gpu = navigatorGpu();
  if (gpu === undefined) return { reason: staticCheck().reason! };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    return adapter === null ? { reason: 'navigator.gpu.requestAdapter() found no WebGPU adapter (no supported GPU or driver, or WebGPU blocklisted here)' } : { adapter };
  } catch (error) {
    return { reason: `navigator.gpu.requestAdapter() failed: ${errorMessage(error)}` };
  }
}

/** The literal specifier lets browser bundlers split the package into its own chunk, loaded only when webgpu starts. */
async function importWebgpu(): Promise<void> {
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    throw new BackendUnavailableError('webgpu', `${WEBGPU_PACKAGE} failed to load: ${errorMessage(error)}`, `npm install ${WEBGPU_PACKAGE}@${tf.version_core}`, { cause: error });
  }
}

/**
 * tfjs's WebGPU backend (@tensorflow/tfjs-backend-webgpu): the kernels run as compute shaders, in a page or a
 * Web Worker. Browsers with WebGPU only. Import `@trientropy/backends/webgpu` once to make it known to
 * `selectBackend`; @tensorflow/tfjs-backend-webgpu (an optional peer, same version as tfjs-core) is loaded only
 * when the backend starts. `auto` tries it first in a browser and passes it over when the adapter is a software
 * emulation (SwiftShader), which is slower than wasm.
 *
 * Options: `threads` (1 only) and `simd` (false only) are refused otherwise, as on cpu.
 */
export const webgpuAdapter: BackendAdapter = {
  name: 'webgpu',
  requirements: `a browser with WebGPU on a secure origin, and ${WEBGPU_PACKAGE}@${tf.version_core} (optional peer of @trientropy/backends)`,
  check: staticCheck,
  isAvailable(): boolean {
    return staticCheck().available;
  },
  probe(): Promise<BackendProbe> {
    return probeByStarting(webgpuAdapter, REMEDY);
  },
  async autoSkipReason(): Promise<string | undefined> {
    const { adapter, reason } = await requestAdapter();
    if (adapter === undefined) return reason;
    const description = describeAdapter(adapter);
    return isSoftwareGpu(description) || description.endsWith('(fallback adapter)') ? softwareGpuSkipReason('WebGPU', description) : undefined;
  },
  async init(options: BackendInitOptions = {}): Promise<BackendInfo> {
    checkInitOptions('webgpu', options, []);
    const { adapter, reason } = await requestAdapter();
    if (adapter === undefined) throw new BackendUnavailableError('webgpu', reason!, REMEDY);
    await importWebgpu();
    await activateTfjsBackend('webgpu');
    const description = describeAdapter(adapter);
    return {
      backend: 'webgpu',
      tfjsBackend: 'webgpu',
      tfjsCoreVersion: tf.version_core,
      kernels: `${WEBGPU_PACKAGE} (pinned to tfjs-core ${tf.version_core})`,
      simd: false,
      threads: undefined,
      device: `GPU (WebGPU): ${description}`,
      notes: isSoftwareGpu(description) ? ['software-emulated GPU: correct, but slower than wasm on this machine'] : [],
    };
  },
};
