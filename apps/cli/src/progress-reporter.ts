import cliProgress from 'cli-progress';

/**
 * Progress of long work on stderr: a bar over each epoch's batches on a terminal; on a pipe or log file, a plain
 * line at most every {@link PLAIN_LINE_SECONDS} s during an epoch. Evaluation phases always get a line
 * (`phase`), so nothing runs silently for long.
 */
export interface ProgressReporter {
  startEpoch(epoch: number, epochs: number, batches: number): void;
  batchDone(batch: number): void;
  /** Removes the bar, so that the epoch's table row can be printed. */
  endEpoch(): void;
  /** Announces a phase without batches (an evaluation), as its own line. */
  phase(text: string): void;
  /** Removes the bar and shows the cursor again (on errors and Ctrl-C). */
  close(): void;
}

/** Seconds between plain progress lines when stderr is not a terminal. */
export const PLAIN_LINE_SECONDS = 15;

const SILENT: ProgressReporter = { startEpoch() {}, batchDone() {}, endEpoch() {}, phase() {}, close() {} };

/** A reporter on `stream`; `enabled: false` (`--quiet`) gives one that prints nothing. */
export function createProgressReporter(stream: NodeJS.WriteStream, enabled = true): ProgressReporter {
  if (!enabled) return SILENT;
  if (!stream.isTTY) return plainReporter(stream);
  const bar = new cliProgress.SingleBar(
    { stream, format: 'epoch {epoch}/{epochs} [{bar}] {value}/{total} batches  {eta_formatted} left', clearOnComplete: true, hideCursor: true, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  let current = { epoch: 0, batches: 0 };
  const stop = () => {
    if (running) bar.stop();
    running = false;
  };
  return {
    startEpoch(epoch, epochs, batches) {
      current = { epoch, batches };
      bar.start(batches, 0, { epoch, epochs });
      running = true;
    },
    batchDone(batch) {
      bar.update(batch + 1);
      // The epoch's evaluation follows its last batch: say so instead of a bar stuck at 100 %.
      if (batch + 1 === current.batches) {
        stop();
        stream.write(`epoch ${current.epoch}: evaluating…\r`);
      }
    },
    endEpoch() {
      stop();
      stream.write('\u001B[2K\r');
    },
    phase(text) {
      stop();
      stream.write(`${text}\n`);
    },
    close() {
      stop();
      stream.write('\u001B[?25h');
    },
  };
}

function plainReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let epochInfo = { epoch: 0, epochs: 0, batches: 0, started: 0 };
  let lastLine = 0;
  return {
    startEpoch(epoch, epochs, batches) {
      epochInfo = { epoch, epochs, batches, started: Date.now() };
      lastLine = Date.now();
    },
    batchDone(batch) {
      const now = Date.now();
      const last = batch + 1 === epochInfo.batches;
      // A long epoch is followed by a long evaluation: announce it.
      if (last && now - epochInfo.started > 5000) {
        stream.write(`epoch ${epochInfo.epoch}/${epochInfo.epochs}: ${epochInfo.batches} batches in ${((now - epochInfo.started) / 1000).toFixed(0)} s; evaluating…\n`);
      } else if (!last && now - lastLine > PLAIN_LINE_SECONDS * 1000) {
        stream.write(`epoch ${epochInfo.epoch}/${epochInfo.epochs}: batch ${batch + 1}/${epochInfo.batches}\n`);
        lastLine = now;
      }
    },
    endEpoch() {},
    phase(text) {
      stream.write(`${text}\n`);
    },
    close() {},
  };
}
