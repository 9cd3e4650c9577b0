import type { BackendName } from './backend-name.js';

/**
 * Thrown when a backend cannot be started. The message says which backend, why, and what to do about it
 * (the package to install, the CUDA/cuDNN versions to check, ...).
 */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
    readonly remedy: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`backend '${backend}' is not available: ${reason}${remedy === undefined ? '' : `\n  fix: ${remedy}`}`, options);
    this.name = 'BackendUnavailableError';
  }
}
