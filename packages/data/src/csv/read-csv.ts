import type { CsvOptions } from './csv-options.js';
import { CsvLineParser } from './csv-line-parser.js';
import { type CsvMatrix } from './parse-csv.js';
import { dataMatrix } from '../data-matrix.js';
import { DataFormatError, InvalidArgumentError, describeValue } from '../errors.js';
import { LineSplitter, readTextChunks } from '../io/text-chunks.js';

/**
 * Reads a CSV file of numbers (plain, or gzip when the name ends in `.gz`) into memory, with the same
 * rules and errors as {@link parseCsv}; error messages name the file. The file is read in chunks, so
 * only the resulting float32 matrix (4 bytes per value) has to fit into memory, not the text. For files
 * larger than memory, stream them with {@link csvBatches}.
 */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<CsvMatrix> {
  if (typeof path !== 'string' || path.length === 0) throw new InvalidArgumentError('path', 'a non-empty file path', describeValue(path));
  const parser = new CsvLineParser(options, path);
  const splitter = new LineSplitter(parser.source);
  let values = new Float32Array(1 << 16);
  let rows = 0;
  const onLine = (line: string, lineNumber: number): void => {
    if (rows >= parser.maxRows) return;
    const cells = parser.prepare(line, lineNumber);
    if (cells === undefined) return;
    const cols = parser.cols;
    if ((rows + 1) * cols > values.length) {
      const grown = new Float32Array(Math.max(values.length * 2, (rows + 1) * cols));
      grown.set(values);
      values = grown;
    }
    parser.writeRow(cells, lineNumber, values, rows * cols);
    rows++;
  };
  for await (const chunk of readTextChunks(path)) {
    splitter.push(chunk, onLine);
    if (rows >= parser.maxRows) break; // closes the file; the rest is not read
  }
  splitter.end(onLine);
  if (rows === 0) {
    const what = parser.started ? 'a header but no data rows' : 'no data (the file is empty or only blank lines)';
    throw new DataFormatError(parser.source, undefined, `found ${what}`);
  }
  return { ...dataMatrix(values.slice(0, rows * parser.cols), rows, parser.cols), columnNames: parser.columnNames };
}
