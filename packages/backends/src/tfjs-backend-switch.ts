import * as tf from '@tensorflow/tfjs-core';

/**
 * Makes `tfjsBackend` the active tfjs backend and waits until it is ready. `tf.setBackend` resolves to
 * `false` (instead of throwing) when initialisation fails, so that is turned into an error here; and no op
 * may run before `tf.ready()` resolves (wasm initialises asynchronously).
 */
export async function activateTfjsBackend(tfjsBackend: string): Promise<void> {
  const ok = await tf.setBackend(tfjsBackend);
  if (!ok) throw new Error(`tf.setBackend('${tfjsBackend}') failed: the backend's initialisation returned an error (tfjs logged it above)`);
  await tf.ready();
}

/**
 * Name of the active tfjs backend, or `undefined` when none is set yet. Reads the engine's field rather
 * than calling `tf.getBackend()`, which would initialise the highest-priority registered backend.
 */
export function activeTfjsBackend(): string | undefined {
  const name: unknown = tf.engine().backendName;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Runs `start` (which changes the active backend) and afterwards switches back to the backend that was active
 * before, so probing for `doctor` has no lasting effect.
 */
export async function withActiveBackendRestored<T>(start: () => Promise<T>): Promise<T> {
  const previous = activeTfjsBackend();
  try {
    return await start();
  } finally {
    if (previous !== undefined && activeTfjsBackend() !== previous) await activateTfjsBackend(previous);
  }
}
