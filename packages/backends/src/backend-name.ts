import { InvalidArgumentError } from '@trientropy/distributions';

/** The backends trientropy knows, each provided by one adapter package. */
export const BACKEND_NAMES = ['cpu', 'wasm', 'native', 'node', 'cuda'] as const;

/**
 * Name of a backend: `cpu` (pure JS), `wasm` (XNNPACK), `native` (trientropy's Node-API kernels on the system
 * BLAS), `node` (libtensorflow CPU), `cuda` (libtensorflow GPU).
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

/** npm package that provides each backend's adapter (what `doctor` tells users to install). */
export const ADAPTER_PACKAGES: Readonly<Record<BackendName, string>> = {
  cpu: '@trientropy/backends',
  wasm: '@trientropy/backend-wasm',
  native: '@trientropy/backend-native',
  node: '@trientropy/backend-node',
  cuda: '@trientropy/backend-cuda',
};

/** Type guard for {@link BackendName}. */
export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

/**
 * Parses a `--backend` value. Throws an {@link InvalidArgumentError} naming `argument` for anything other
 * than `auto`, `cpu`, `wasm`, `native`, `node` or `cuda`.
 */
export function parseBackendRequest(value: string, argument = 'backend'): BackendRequest {
  if (value === 'auto' || isBackendName(value)) return value;
  throw new InvalidArgumentError(argument, `one of auto, ${BACKEND_NAMES.join(', ')}`, JSON.stringify(value));
}
