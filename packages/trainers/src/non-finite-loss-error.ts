/** Thrown when a training loss is NaN or ±Infinity; the model has been restored to its last good state. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly epoch: number,
    readonly firstStep: number,
    readonly lastStep: number,
    readonly restoredEpoch: number,
  ) {
    super(
      `non-finite loss in epoch ${epoch} (steps ${firstStep}–${lastStep}); training stopped and the parameters ` +
        (restoredEpoch === 0 ? 'were restored to their initial values' : `were restored to the end of epoch ${restoredEpoch}`) +
        '. Try a smaller learning rate or check the data for extreme values.',
    );
    this.name = 'NonFiniteLossError';
  }
}
