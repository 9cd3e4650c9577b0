import type { Command } from 'commander';
import type { OutputMode } from './cli-output.js';

/** Adds the CSV flags every data-loading command shares. */
export function addCsvOptions(command: Command): Command {
  return command
    .option('--columns <list>', 'CSV: columns to keep, by header name or 0-based index, comma separated')
    .option('--drop-columns <list>', 'CSV: columns to drop (e.g. a label column), by name or index')
    .option('--delimiter <char>', "CSV: field separator, one character or 'tab' (default ,)")
    .option('--header <yes|no|auto>', 'CSV: whether the first line is a header (auto: when every cell is non-numeric)');
}

/** The output mode of a command from its (global) flags. */
export function outputModeOf(command: Command): OutputMode {
  const flags = command.optsWithGlobals() as { json?: boolean; quiet?: boolean };
  return { json: flags.json === true, quiet: flags.quiet === true };
}

/** Flags the user set on the command line (not defaults), by attribute name. */
export function explicitFlags(command: Command): Set<string> {
  return new Set(Object.keys(command.opts()).filter((key) => command.getOptionValueSource(key) === 'cli'));
}

