import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { DataFormatError, InvalidArgumentError, describeValue } from '../errors.js';
import { CsvLineParser } from './csv-line-parser.js';
import type { CsvOptions } from './csv-options.js';

/** A matrix read from CSV, with the header names of its columns when the file had a header. */
export interface CsvMatrix extends DataMatrix {
  readonly columnNames: readonly string[] | undefined;
}

/**
 * Parses CSV text of numbers into a row-major float32 matrix.
 *
 * Blank lines are skipped; `\n` and `\r\n` line breaks are accepted. Errors ({@link DataFormatError})
 * name the line and column: rows with a different number of fields, cells that are not finite decimal
 * numbers (missing values such as `""`, `NA`, `NaN` included), text without any data row.
 *
 * @example
 * const m = parseCsv('x,y\n1,2\n3,4\n'); // m.rows = 2, m.cols = 2, m.columnNames = ['x', 'y']
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvMatrix {
  if (typeof text !== 'string') throw new InvalidArgumentError('text', 'a string', describeValue(text));
  const parser = new CsvLineParser(options, '<text>');
  let values = new Float32Array(1024);
  let rows = 0;
  let lineNumber = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 byte-order mark is not part of the first cell
  while (start <= text.length && rows < parser.maxRows) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNumber++;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    const cells = parser.prepare(line, lineNumber);
    if (cells === undefined) continue;
    const cols = parser.cols;
    if ((rows + 1) * cols > values.length) {
      const grown = new Float32Array(Math.max(values.length * 2, (rows + 1) * cols));
      grown.set(values);
      values = grown;
    }
    parser.writeRow(cells, lineNumber, values, rows * cols);
    rows++;
  }
  if (rows === 0) {
    const what = parser.started ? 'a header but no data rows' : 'no data (the text is empty or only blank lines)';
    throw new DataFormatError(parser.source, undefined, `found ${what}`);
  }
  return { ...dataMatrix(values.slice(0, rows * parser.cols), rows, parser.cols), columnNames: parser.columnNames };
}
