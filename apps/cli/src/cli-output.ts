/** Where a command writes and how much: `--json` puts one JSON document on stdout, `--quiet` drops notes and progress. */
export interface CliStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

/** The output modes every command accepts. */
export interface OutputMode {
  /** `--json`: stdout holds only the command's result as one JSON document. */
  json: boolean;
  /** `--quiet`: no notes or progress on stderr, no per-epoch rows; results and errors still print. */
  quiet: boolean;
}

/** A command's writer: human lines and notes obey the output mode; `result` prints text or JSON. */
export class CliOutput {
  constructor(
    readonly streams: CliStreams,
    readonly mode: OutputMode,
  ) {}

  /** Whether per-item lines (table rows, progress) should be shown. */
  get verbose(): boolean {
    return !this.mode.quiet;
  }

  /** A note or progress line for people (stderr), dropped with --quiet. */
  note(text: string): void {
    if (!this.mode.quiet) this.streams.stderr.write(`${text}\n`);
  }

  /** A warning for people (stderr): about results that may be wrong, so printed even with --quiet. */
  warn(text: string): void {
    this.streams.stderr.write(`${text}\n`);
  }

  /** A line of the human-readable result (stdout): dropped with --json; with --quiet only if `essential`. */
  line(text: string, essential = false): void {
    if (this.mode.json) return;
    if (this.mode.quiet && !essential) return;
    this.streams.stdout.write(`${text}\n`);
  }

  /** The machine-readable result: printed only with --json. */
  json(value: unknown): void {
    if (this.mode.json) this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}
