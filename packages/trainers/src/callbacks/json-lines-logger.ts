import type { EpochRecord } from '../epoch-record.js';
import type { TrainCallbacks } from '../train-callbacks.js';

/**
 * Writes one JSON object per epoch (the full {@link EpochRecord}) to `writeLine`, e.g. a file append or a
 * browser log. A final line `{"event":"end", ...}` records the number of epochs and why training stopped.
 */
export function jsonLinesLogger(writeLine: (line: string) => void | Promise<void>): TrainCallbacks {
  return {
    async onEpochEnd(record: EpochRecord) {
      await writeLine(JSON.stringify({ event: 'epoch', ...record }));
    },
    async onTrainEnd(result) {
      await writeLine(JSON.stringify({ event: 'end', epochs: result.epochs.length, steps: result.steps, stopReason: result.stopReason ?? null }));
    },
  };
}
