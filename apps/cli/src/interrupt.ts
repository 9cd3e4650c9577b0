/**
 * Ctrl-C handling shared by the long-running commands. The first SIGINT asks the running command to stop at the
 * next safe point (after the current step: a checkpoint of that position and the metrics are written, status
 * `interrupted`, and --resume continues exactly there); a second one ends the process at once (the last checkpoint
 * on disk stays valid, it is written atomically, as after a SIGKILL).
 */
export class InterruptSignal {
  private requestedAt: number | undefined;
  private readonly listeners = new Set<() => void>();

  /** Whether an interrupt was asked for. */
  get requested(): boolean {
    return this.requestedAt !== undefined;
  }

  /** Marks the interrupt and tells every listener (idempotent). */
  request(): void {
    if (this.requestedAt !== undefined) return;
    this.requestedAt = Date.now();
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` when an interrupt is requested; returns a function that removes it. */
  onRequest(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Thrown by a command that stopped because of Ctrl-C, after it saved its state; exit code 130. */
export class InterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}
