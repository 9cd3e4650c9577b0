/** Where the parameters went back to after a failed epoch: the start, an epoch's end, or a resumed checkpoint's step. */
export type RestorePoint = { kind: 'initial' } | { kind: 'epoch-end'; epoch: number } | { kind: 'checkpoint'; epoch: number; step: number };

function describeRestorePoint(point: RestorePoint): string {
  switch (point.kind) {
    case 'initial':
      return 'were restored to their initial values';
    case 'epoch-end':
      return `were restored to the end of epoch ${point.epoch}`;
    case 'checkpoint':
      return `were restored to the resumed checkpoint (epoch ${point.epoch}, step ${point.step})`;
  }
}

/**
 * Thrown when training diverges: a loss that is NaN or ±Infinity, non-finite parameters, or an exploding
 * loss or decoder variance (`reason` says which). The model has been restored to its last good state
 * (`restoredTo`), and `trainVae` has kept (or rewritten) its last good checkpoint.
 */
export class NonFiniteLossError extends Error {
  /** The epoch the parameters were restored to the end of (0: initial values; for a resumed checkpoint, its epoch − 1). */
  readonly restoredEpoch: number;

  constructor(
    readonly epoch: number,
    readonly firstStep: number,
    readonly lastStep: number,
    readonly restoredTo: RestorePoint = epoch - 1 === 0 ? { kind: 'initial' } : { kind: 'epoch-end', epoch: epoch - 1 },
    readonly reason = 'non-finite loss',
  ) {
    super(`${reason} in epoch ${epoch} (steps ${firstStep}–${lastStep}); training stopped and the parameters ${describeRestorePoint(restoredTo)}. Try a smaller learning rate, gradient clipping, or check the data for extreme values.`);
    this.name = 'NonFiniteLossError';
    this.restoredEpoch = restoredTo.kind === 'initial' ? 0 : restoredTo.kind === 'epoch-end' ? restoredTo.epoch : restoredTo.epoch - 1;
  }
}
