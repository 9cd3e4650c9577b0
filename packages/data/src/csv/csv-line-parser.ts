import { DataFormatError, InvalidArgumentError, describeValue } from '../errors.js';
import type { CsvOptions } from './csv-options.js';
import { isMissingCell, parseDecimal } from './csv-number.js';

/**
 * The line-by-line core shared by the in-memory and the streaming CSV readers: it decides about the
 * header, resolves the selected columns, checks that every row has the same number of fields and turns
 * the selected cells into numbers, with errors that name the line, the column and the cell.
 *
 * Quoted fields (`"a,b"`, `""` for a quote) are supported within one line; a quoted field that spans
 * lines is rejected (numeric data sets do not need it, and supporting it would make line numbers lie).
 */
export class CsvLineParser {
  readonly source: string;
  /** Most data rows to read (`options.maxRows`, default ∞). */
  readonly maxRows: number;
  private readonly delimiter: string;
  private readonly headerMode: boolean | 'auto';
  private readonly options: CsvOptions;
  private fieldCount = -1;
  private firstRowLine = 0;
  private selected: Int32Array | undefined;
  private names: string[] | undefined;
  private selectedNames: string[] | undefined;

  constructor(options: CsvOptions, defaultSource: string) {
    const delimiter = options.delimiter ?? ',';
    if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new InvalidArgumentError('options.delimiter', 'a single character other than a quote or a line break', describeValue(delimiter));
    }
    const header = options.header ?? 'auto';
    if (header !== true && header !== false && header !== 'auto') {
      throw new InvalidArgumentError('options.header', 'true, false or "auto"', describeValue(header));
    }
    const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
    if (maxRows !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxRows) || maxRows < 1)) {
      throw new InvalidArgumentError('options.maxRows', 'an integer ≥ 1', describeValue(maxRows));
    }
    this.maxRows = maxRows;
    this.delimiter = delimiter;
    this.headerMode = header;
    this.options = options;
    this.source = options.source ?? defaultSource;
  }

  /** Number of output columns, known after the first data row (or header). */
  get cols(): number {
    return this.selected?.length ?? 0;
  }

  /** Header names of the output columns, if the file had a header. */
  get columnNames(): readonly string[] | undefined {
    return this.selectedNames;
  }

  /** Whether the column layout is known (a header or a first data row was seen). */
  get started(): boolean {
    return this.selected !== undefined;
  }

  /**
   * Parses one line (without its line break). Returns true when a data row was written to
   * `out[offset .. offset + cols)`, false for a blank line or the header. `out` must have room for
   * `cols` values once {@link started} is true; call {@link prepare} first to learn `cols`.
   */
  parseLine(line: string, lineNumber: number, out: Float32Array, offset: number): boolean {
    const cells = this.prepare(line, lineNumber);
    if (cells === undefined) return false;
    this.writeRow(cells, lineNumber, out, offset);
    return true;
  }

  /** Converts the selected cells of a row returned by {@link prepare} into `out[offset ..]`. */
  writeRow(cells: readonly string[], lineNumber: number, out: Float32Array, offset: number): void {
    const selected = this.selected!;
    for (let k = 0; k < selected.length; k++) {
      const column = selected[k]!;
      const cell = cells[column]!.trim();
      const value = parseDecimal(cell);
      if (value === undefined) throw this.cellError(cell, lineNumber, column);
      // Values are stored as float32: a finite float64 beyond its range would silently become ±Infinity.
      if (!Number.isFinite(Math.fround(value))) throw this.cellError(cell, lineNumber, column, 'beyond the float32 range (|x| ≤ 3.4028235e38), which data are stored in');
      out[offset + k] = value;
    }
  }

  /**
   * Splits a line and handles the header/layout logic. Returns the cells of a data row, or undefined
   * for a blank line or the header. After the first call on a non-blank line, {@link cols} is known.
   */
  prepare(line: string, lineNumber: number): string[] | undefined {
    if (line.length === 0 || line.trim().length === 0) return undefined;
    const cells = this.split(line, lineNumber);
    if (this.fieldCount < 0) {
      this.fieldCount = cells.length;
      this.firstRowLine = lineNumber;
      const isHeader =
        this.headerMode === 'auto' ? cells.every((c) => parseDecimal(c.trim()) === undefined && !isMissingCell(c.trim())) : this.headerMode;
      if (isHeader) this.names = cells.map((c) => c.trim());
      this.resolveColumns();
      if (isHeader) return undefined;
    } else if (cells.length !== this.fieldCount) {
      throw new DataFormatError(
        this.source,
        `line ${lineNumber}`,
        `expected ${this.fieldCount} fields (as on line ${this.firstRowLine}), found ${cells.length}`,
      );
    }
    return cells;
  }

  private cellError(cell: string, lineNumber: number, column: number, problem?: string): DataFormatError {
    const where = `line ${lineNumber}, column ${column + 1}${this.names ? ` (${JSON.stringify(this.names[column])})` : ''}`;
    if (problem !== undefined) return new DataFormatError(this.source, where, `${describeValue(cell)} is ${problem}`);
    if (isMissingCell(cell)) {
      return new DataFormatError(this.source, where, `missing value ${describeValue(cell)}; missing values are not supported, remove or impute them`);
    }
    return new DataFormatError(this.source, where, `expected a finite decimal number, found ${describeValue(cell)}`);
  }

  private resolveColumns(): void {
    const resolve = (spec: string | number, argument: string): number => {
      if (typeof spec === 'number') {
        if (!Number.isInteger(spec) || spec < 0 || spec >= this.fieldCount) {
          throw new InvalidArgumentError(argument, `a column index in [0, ${this.fieldCount - 1}] (${this.source} has ${this.fieldCount} columns)`, describeValue(spec));
        }
        return spec;
      }
      if (this.names === undefined) {
        throw new InvalidArgumentError(argument, `column indices (${this.source} has no header, so names cannot be resolved)`, describeValue(spec));
      }
      const index = this.names.indexOf(spec);
      if (index < 0) throw new InvalidArgumentError(argument, `one of the header names ${describeValue(this.names)}`, describeValue(spec));
      return index;
    };
    let columns: number[];
    if (this.options.columns !== undefined) {
      columns = this.options.columns.map((c, i) => resolve(c, `options.columns[${i}]`));
    } else {
      columns = Array.from({ length: this.fieldCount }, (_, i) => i);
    }
    if (this.options.dropColumns !== undefined) {
      const dropped = new Set(this.options.dropColumns.map((c, i) => resolve(c, `options.dropColumns[${i}]`)));
      columns = columns.filter((c) => !dropped.has(c));
    }
    if (columns.length === 0) throw new InvalidArgumentError('options.columns/dropColumns', 'at least one column left to read', 'none');
    this.selected = Int32Array.from(columns);
    this.selectedNames = this.names === undefined ? undefined : columns.map((c) => this.names![c]!);
  }

  private split(line: string, lineNumber: number): string[] {
    if (line.indexOf('"') < 0) return line.split(this.delimiter);
    const cells: string[] = [];
    let i = 0;
    for (;;) {
      // Leading spaces before an opening quote are allowed.
      let j = i;
      while (j < line.length && line[j] === ' ') j++;
      if (line[j] === '"') {
        let text = '';
        let k = j + 1;
        for (;;) {
          const close = line.indexOf('"', k);
          if (close < 0) {
            throw new DataFormatError(this.source, `line ${lineNumber}, column ${cells.length + 1}`, 'unterminated quoted field (quoted fields may not span lines)');
          }
          text += line.slice(k, close);
          if (line[close + 1] === '"') {
            text += '"';
            k = close + 2;
            continue;
          }
          k = close + 1;
          break;
        }
        while (k < line.length && line[k] === ' ') k++;
        cells.push(text);
        if (k >= line.length) return cells;
        if (line[k] !== this.delimiter) {
          throw new DataFormatError(this.source, `line ${lineNumber}, column ${cells.length}`, `unexpected ${describeValue(line[k])} after a closing quote`);
        }
        i = k + 1;
      } else {
        const next = line.indexOf(this.delimiter, i);
        if (next < 0) {
          cells.push(line.slice(i));
          return cells;
        }
        cells.push(line.slice(i, next));
        i = next + 1;
      }
    }
  }
}
