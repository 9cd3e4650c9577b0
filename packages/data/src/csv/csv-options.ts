/** Options shared by {@link parseCsv}, {@link readCsv} and {@link csvBatches}. */
export interface CsvOptions {
  /** Field separator, one character. Default `","`. */
  delimiter?: string;
  /**
   * Whether the first non-blank line is a header. `"auto"` (default) treats it as a header when *every*
   * cell in it is non-numeric (so `x,y,label` is a header, while `1.5,abc,3` is a data row with a bad cell
   * and is reported as such instead of being silently swallowed).
   */
  header?: boolean | 'auto';
  /**
   * Columns to keep, in this order: header names or 0-based indices. Default: all columns. Columns not
   * kept are not parsed, so a text label column can be dropped this way.
   */
  columns?: readonly (string | number)[];
  /** Columns to drop (header names or 0-based indices); applied after `columns`. Default none. */
  dropColumns?: readonly (string | number)[];
  /**
   * Read at most this many data rows; the rest of the file is not read (e.g. the paper's first 2 500 000
   * SUSY rows). Default: all rows.
   */
  maxRows?: number;
  /** Name used in error messages. Default: the file path, or `"<text>"` for {@link parseCsv}. */
  source?: string;
}
