/** Lets callbacks end training early (early stopping, convergence rules); passed to every callback. */
export class TrainControl {
  private reason: string | undefined;

  /**
   * Asks training to stop after the current epoch's callbacks, or, from onBatchEnd, after the current step (the
   * partial epoch is then checkpointed where it stopped, see `trainVae`).
   */
  stop(reason: string): void {
    this.reason ??= reason;
  }

  /** Why training was asked to stop, if it was. */
  get stopReason(): string | undefined {
    return this.reason;
  }
}
