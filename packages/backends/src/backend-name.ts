import { InvalidArgumentError } from '@trientropy/distributions';
import { isNodeRuntime } from './runtime.js';

/** The backends trientropy knows, each provided by one adapter package. */
export const BACKEND_NAMES = ['cpu', 'wasm', 'native', 'node', 'cuda', 'webgl', 'webgpu'] as const;

/**
 * Name of a backend: `cpu` (pure JS), `wasm` (XNNPACK), `native` (trientropy's Node-API kernels on the system
 * BLAS), `node` (libtensorflow CPU), `cuda` (libtensorflow GPU), `webgl` and `webgpu` (tfjs's GPU backends,
 * browsers only).
 */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What a user may ask for: a backend by name, or `auto` for the fastest one that loads. */
export type BackendRequest = 'auto' | BackendName;

/**
 * The order `auto` tries backends in, fastest first. cuda runs libtensorflow on the GPU; native runs
 * trientropy's Node-API kernels on the system BLAS (the fastest CPU backend measured here on the reference VAE,
 * `npm run bench`, tools/bench/bench.mjs; node, libtensorflow's CPU kernels, cannot be installed here to compare, so
 * native, which the user's own machine compiled, comes first); wasm runs XNNPACK (about 3× the cpu backend's
 * training steps/s on the reference VAE, tools/bench/backend-throughput.mjs); cpu is plain JavaScript and
 * always loads.
 */
export const AUTO_PREFERENCE: readonly BackendName[] = ['cuda', 'native', 'node', 'wasm', 'cpu'];

/**
 * The order `auto` tries backends in inside a browser (a page or a Web Worker): webgpu, then webgl (the GPU
 * backends, each passed over when the browser offers only a software-emulated GPU such as SwiftShader, which
 * is slower than wasm), then wasm, then cpu.
 */
export const BROWSER_AUTO_PREFERENCE: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** The backends that exist in Node: the three native ones need Node-API or libtensorflow. */
export const NODE_BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'native', 'node', 'cuda'];

/** The backends that exist in a browser: webgl and webgpu need a page or worker with WebGL / WebGPU. */
export const BROWSER_BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'webgl', 'webgpu'];

/** The backends of this runtime ({@link NODE_BACKENDS} in Node, else {@link BROWSER_BACKENDS}). */
export function runtimeBackends(): readonly BackendName[] {
  return isNodeRuntime() ? NODE_BACKENDS : BROWSER_BACKENDS;
}

/** The order `auto` tries backends in here: {@link AUTO_PREFERENCE} in Node, {@link BROWSER_AUTO_PREFERENCE} in a browser. */
export function autoPreference(): readonly BackendName[] {
  return isNodeRuntime() ? AUTO_PREFERENCE : BROWSER_AUTO_PREFERENCE;
}

/** npm package that provides each backend's adapter (what `doctor` tells users to install). */
export const ADAPTER_PACKAGES: Readonly<Record<BackendName, string>> = {
  cpu: '@trientropy/backends',
  wasm: '@trientropy/backend-wasm',
  native: '@trientropy/backend-native',
  node: '@trientropy/backend-node',
  cuda: '@trientropy/backend-cuda',
  webgl: '@trientropy/backends/webgl',
  webgpu: '@trientropy/backends/webgpu',
};

/** Type guard for {@link BackendName}. */
export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

/**
 * Parses a `--backend` value. Throws an {@link InvalidArgumentError} naming `argument` for anything other
 * than `auto` or one of {@link BACKEND_NAMES}. (A known backend that does not exist in this runtime, e.g.
 * `webgl` in Node, is refused later by {@link selectBackend}, with its reason.)
 */
export function parseBackendRequest(value: string, argument = 'backend'): BackendRequest {
  if (value === 'auto' || isBackendName(value)) return value;
  throw new InvalidArgumentError(argument, `one of auto, ${BACKEND_NAMES.join(', ')}`, JSON.stringify(value));
}
