import cliProgress from 'cli-progress';

/** Shows the batches of each epoch: a progress bar on a terminal, nothing per batch otherwise. */
export interface ProgressReporter {
  startEpoch(epoch: number, epochs: number, batches: number): void;
  batchDone(batch: number): void;
  /** Removes the bar, so that the epoch's table row can be printed. */
  endEpoch(): void;
}

/** A progress bar on `stream` (stderr) when it is a TTY, else a silent reporter (plain lines come from the table). */
export function createProgressReporter(stream: NodeJS.WriteStream): ProgressReporter {
  if (!stream.isTTY) return { startEpoch() {}, batchDone() {}, endEpoch() {} };
  const bar = new cliProgress.SingleBar(
    { stream, format: 'epoch {epoch}/{epochs} [{bar}] {value}/{total} batches  {eta_formatted} left', clearOnComplete: true, hideCursor: true, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  return {
    startEpoch(epoch, epochs, batches) {
      bar.start(batches, 0, { epoch, epochs });
    },
    batchDone(batch) {
      bar.update(batch + 1);
    },
    endEpoch() {
      bar.stop();
    },
  };
}
