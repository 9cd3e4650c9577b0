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
  importModule,
  errorMessage,
  isNodeRuntime,
  probeByStarting,
} from '@trientropy/backends';
import { InvalidArgumentError } from '@trientropy/distributions';
import { runtimeHasWasmSimd, runtimeWebAssembly } from './wasm-simd-support.js';
import { WASM_BROWSER_SINGLE_THREAD_REASON, WASM_SINGLE_THREAD_REASON } from './wasm-threads.js';

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

/** The parts of @tensorflow/tfjs-backend-wasm this adapter uses. */
interface WasmModule {
  getThreadsCount(): number;
  setWasmPaths(prefixOrFileMap: string | Record<string, string>): void;
  version_wasm: string;
}


/**
 * Imports tfjs-backend-wasm only when the backend is wanted: importing it registers `wasm` at priority 2,
 * above cpu, which would make it tfjs's default backend for every user of this package, and any op run
 * before `tf.setBackend`/`tf.ready` would then throw "backend 'wasm' has not yet been initialized".
 */
async function importWasm(): Promise<WasmModule> {
  try {
    // The literal specifier lets browser bundlers find and bundle the package (see importModule).
    return (await importModule(WASM_PACKAGE, import.meta.url, () => import('@tensorflow/tfjs-backend-wasm'))) as WasmModule;
  } catch (error) {
    throw new BackendUnavailableError('wasm', `${WASM_PACKAGE} failed to load: ${errorMessage(error)}`, `npm install ${WASM_PACKAGE}@${tf.version_core}`, { cause: error });
  }
}

/** Whether tfjs has already initialised its wasm backend in this process (its SIMD mode is then fixed). */
function wasmAlreadyInitialised(): boolean {
  return 'wasm' in tf.engine().registry;
}

/**
 * Applies `options.simd` before the first start: tfjs picks the SIMD or the plain binary once per process,
 * from its `WASM_HAS_SIMD_SUPPORT` flag, so a later, different request cannot be honoured and is rejected.
 */
async function applySimdChoice(simd: boolean | undefined): Promise<void> {
  if (simd === undefined) return;
  if (simd && !runtimeHasWasmSimd()) {
    throw new InvalidArgumentError('simd', 'false or unset (this JavaScript engine cannot compile WebAssembly SIMD)', 'true');
  }
  if (wasmAlreadyInitialised()) {
    const current = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    if (current !== simd) {
      throw new InvalidArgumentError('simd', `${String(current)} (the wasm backend already started with SIMD ${current ? 'on' : 'off'} in this process; the binary is chosen once, at the first start)`, String(simd));
    }
    return;
  }
  tf.env().set('WASM_HAS_SIMD_SUPPORT', simd);
}

/** Points tfjs at the page's `.wasm` files (browsers); only possible before the backend's first start. */
function applyWasmPaths(wasm: WasmModule, paths: BackendInitOptions['wasmPaths']): void {
  if (paths === undefined) return;
  if (wasmAlreadyInitialised()) {
    throw new InvalidArgumentError('wasmPaths', 'unset (the wasm backend already started in this process; its binaries are fetched once, at the first start)', JSON.stringify(paths));
  }
  try {
    wasm.setWasmPaths(typeof paths === 'string' ? paths : { ...paths });
  } catch (error) {
    throw new InvalidArgumentError('wasmPaths', 'a URL prefix, or a URL for each of tfjs-backend-wasm.wasm, -simd.wasm and -threaded-simd.wasm', `${JSON.stringify(paths)} (${errorMessage(error)})`);
  }
}

async function wasmInfo(wasm: WasmModule): Promise<BackendInfo> {
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = wasm.getThreadsCount();
  return {
    backend: 'wasm',
    tfjsBackend: 'wasm',
    tfjsCoreVersion: tf.version_core,
    kernels: `${WASM_PACKAGE}@${wasm.version_wasm}`,
    simd,
    threads,
    device: `CPU (WebAssembly, XNNPACK${simd ? ', SIMD128' : ''})`,
    notes: threads === 1 ? [`1 thread: ${isNodeRuntime() ? WASM_SINGLE_THREAD_REASON : WASM_BROWSER_SINGLE_THREAD_REASON}`] : [],
  };
}

/**
 * The WebAssembly backend (tfjs-backend-wasm, XNNPACK kernels): about 3× the cpu backend's training steps/s on the reference VAE
 * (tools/bench/backend-throughput.mjs). Needs only WebAssembly, which every supported Node has, so it is
 * available wherever this package is installed. Uses SIMD when the engine supports it (Node 20 does).
 *
 * Options: `threads` must be 1 or unset (see {@link WASM_SINGLE_THREAD_REASON}); `simd: false` forces the
 * plain binary (for comparisons), and must be chosen before the first start in a process; in a browser,
 * `wasmPaths` says where the page serves the `.wasm` binaries (see {@link BackendInitOptions.wasmPaths}).
 */
export const wasmAdapter: BackendAdapter = {
  name: 'wasm',
  requirements: `WebAssembly (every Node ≥ 20; SIMD used when available) and ${WASM_PACKAGE}@${tf.version_core} (a dependency of @trientropy/backend-wasm)`,
  check(): BackendCheck {
    if (runtimeWebAssembly() === undefined) {
      return { available: false, reason: 'this JavaScript runtime has no WebAssembly', remedy: 'run on Node ≥ 20 (or any runtime with WebAssembly)' };
    }
    return { available: true };
  },
  isAvailable(): boolean {
    return wasmAdapter.check().available;
  },
  probe(): Promise<BackendProbe> {
    return probeByStarting(wasmAdapter, `npm install ${WASM_PACKAGE}@${tf.version_core}`);
  },
  async init(options: BackendInitOptions = {}): Promise<BackendInfo> {
    checkInitOptions('wasm', options, ['threads', 'simd', 'wasmPaths']);
    if (options.threads !== undefined && options.threads !== 1) {
      throw new InvalidArgumentError('threads', `1 (${WASM_SINGLE_THREAD_REASON})`, String(options.threads));
    }
    const check = wasmAdapter.check();
    if (!check.available) throw new BackendUnavailableError('wasm', check.reason!, check.remedy);
    const wasm = await importWasm();
    await applySimdChoice(options.simd);
    applyWasmPaths(wasm, options.wasmPaths);
    try {
      await activateTfjsBackend('wasm');
    } catch (error) {
      throw new BackendUnavailableError('wasm', `the wasm backend failed to start: ${errorMessage(error)}`, `reinstall ${WASM_PACKAGE}@${tf.version_core}; its .wasm files must sit in its dist/ folder`, { cause: error });
    }
    return wasmInfo(wasm);
  },
};
