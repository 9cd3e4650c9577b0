import type { BackendAdapter, BackendProbe } from './backend-adapter.js';
import { errorMessage } from './error-message.js';
import { withActiveBackendRestored } from './tfjs-backend-switch.js';

/**
 * The `probe` every adapter shares: the cheap `check` first, then a real `init`, after which tfjs is switched
 * back to the backend that was active. A failed start becomes an unavailable probe with its message and `remedy`.
 */
export async function probeByStarting(adapter: Pick<BackendAdapter, 'check' | 'init'>, remedy: string): Promise<BackendProbe> {
  const check = adapter.check();
  if (!check.available) return check;
  return withActiveBackendRestored(async () => {
    try {
      return { available: true, info: await adapter.init() };
    } catch (error) {
      return { available: false, reason: errorMessage(error), remedy };
    }
  });
}
