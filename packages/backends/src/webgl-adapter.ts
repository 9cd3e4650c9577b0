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

const WEBGL_PACKAGE = '@tensorflow/tfjs-backend-webgl';
const REMEDY = `enable the browser's hardware acceleration (chrome://gpu shows why WebGL is off), or use wasm`;

/** The parts of a WebGL context this adapter reads. */
interface GlContext {
  getParameter(name: number): unknown;
  getExtension(name: string): { UNMASKED_RENDERER_WEBGL?: number; loseContext?: () => void } | null;
  readonly RENDERER: number;
}

interface GlProbe {
  version?: 'WebGL 2' | 'WebGL 1';
  renderer?: string;
  reason?: string;
}

/**
 * Opens a throw-away 1×1 WebGL context (an OffscreenCanvas in a worker, a canvas in a page), reads its
 * renderer and releases it. tfjs prefers WebGL 2 and falls back to WebGL 1, and so does this.
 */
function probeWebgl(): GlProbe {
  if (isNodeRuntime()) return { reason: 'WebGL needs a browser (a page or a Web Worker); this is Node' };
  const scope = globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string): unknown }; document?: { createElement(tag: string): { getContext(kind: string): unknown } } };
  const canvas = typeof scope.OffscreenCanvas === 'function' ? new scope.OffscreenCanvas(1, 1) : scope.document?.createElement('canvas');
  if (canvas === undefined) return { reason: 'this scope has neither OffscreenCanvas nor a document, so no WebGL context can be made (a worker of a browser without OffscreenCanvas)' };
  let version: GlProbe['version'] = 'WebGL 2';
  let gl = canvas.getContext('webgl2') as GlContext | null;
  if (gl === null) {
    version = 'WebGL 1';
    gl = canvas.getContext('webgl') as GlContext | null;
  }
  if (gl === null) return { reason: 'the browser gives no WebGL context (WebGL is off, the GPU is blocklisted, or the browser runs without a GPU and without SwiftShader)' };
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug?.UNMASKED_RENDERER_WEBGL ?? gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext?.();
  return { version, renderer };
}

/** The literal specifier lets browser bundlers find the package and split it into its own chunk, loaded only when webgl starts. */
async function importWebgl(): Promise<{ version_webgl: string }> {
  try {
    return await import('@tensorflow/tfjs-backend-webgl');
  } catch (error) {
    throw new BackendUnavailableError('webgl', `${WEBGL_PACKAGE} failed to load: ${errorMessage(error)}`, `npm install ${WEBGL_PACKAGE}@${tf.version_core}`, { cause: error });
  }
}

/**
 * tfjs's WebGL backend (@tensorflow/tfjs-backend-webgl): the kernels run as fragment shaders on the GPU, in a
 * page or in a Web Worker (through OffscreenCanvas). Browsers only. Import `@trientropy/backends/webgl` once to
 * make it known to `selectBackend`; @tensorflow/tfjs-backend-webgl (an optional peer, same version as
 * tfjs-core) is loaded only when the backend starts.
 *
 * `auto` passes it over when the WebGL renderer is a software emulation (SwiftShader in a GPU-less or headless
 * Chromium): it works there, but slower than wasm. Float32 textures are needed for training
 * (`EXT_color_buffer_float`, present on WebGL 2 nearly everywhere); tfjs falls back to float16 without them,
 * which is too coarse for ELBO gradients, and `init` notes it.
 *
 * Options: `threads` (1 only) and `simd` (false only) are refused otherwise, as on cpu.
 */
export const webglAdapter: BackendAdapter = {
  name: 'webgl',
  requirements: `a browser with WebGL 2 (or 1) and float32 render targets, and ${WEBGL_PACKAGE}@${tf.version_core} (optional peer of @trientropy/backends)`,
  check(): BackendCheck {
    const probe = probeWebgl();
    return probe.reason === undefined ? { available: true } : { available: false, reason: probe.reason, remedy: REMEDY };
  },
  isAvailable(): boolean {
    return webglAdapter.check().available;
  },
  probe(): Promise<BackendProbe> {
    return probeByStarting(webglAdapter, REMEDY);
  },
  async autoSkipReason(): Promise<string | undefined> {
    const probe = probeWebgl();
    return probe.renderer !== undefined && isSoftwareGpu(probe.renderer) ? softwareGpuSkipReason('WebGL', probe.renderer) : undefined;
  },
  async init(options: BackendInitOptions = {}): Promise<BackendInfo> {
    checkInitOptions('webgl', options, []);
    const probe = probeWebgl();
    if (probe.reason !== undefined) throw new BackendUnavailableError('webgl', probe.reason, REMEDY);
    const webgl = await importWebgl();
    await activateTfjsBackend('webgl');
    const notes: string[] = [];
    if (tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE') === false) notes.push('no float32 render targets: tfjs computes in float16, too coarse for training');
    if (isSoftwareGpu(probe.renderer!)) notes.push('software-emulated GPU: correct, but slower than wasm on this machine');
    return {
      backend: 'webgl',
      tfjsBackend: 'webgl',
      tfjsCoreVersion: tf.version_core,
      kernels: `${WEBGL_PACKAGE}@${webgl.version_webgl}`,
      simd: false,
      threads: undefined,
      device: `GPU (${probe.version}): ${probe.renderer}`,
      notes,
    };
  },
};
