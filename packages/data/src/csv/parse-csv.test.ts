import { DataFormatError, InvalidArgumentError } from '../errors.js';
import { parseCsv } from './parse-csv.js';

describe('parseCsv', () => {
  it('reads numbers row-major and detects a header', () => {
    const m = parseCsv('x,y,z\n1,2,3\n-4.5,5e-1,+6\n');
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.values)).toEqual([1, 2, 3, -4.5, 0.5, 6]);
    expect(m.columnNames).toEqual(['x', 'y', 'z']);
  });

  it('treats an all-numeric first line as data', () => {
    const m = parseCsv('1,2\n3,4');
    expect(m.rows).toBe(2);
    expect(m.columnNames).toBeUndefined();
    expect(Array.from(m.values)).toEqual([1, 2, 3, 4]);
  });

  it('accepts CRLF, blank lines, spaces around cells, quoted header names and other delimiters', () => {
    const m = parseCsv('"a";" b;c"\r\n\r\n 1 ; .25\r\n\n3.;-0\r\n', { delimiter: ';' });
    expect(m.columnNames).toEqual(['a', 'b;c']); // header names are trimmed
    expect(Array.from(m.values)).toEqual([1, 0.25, 3, -0]);
  });

  it('honours header: false and header: true', () => {
    expect(() => parseCsv('a,b\n1,2', { header: false })).toThrow(/line 1, column 1: expected a finite decimal number, found "a"/);
    const m = parseCsv('10,20\n1,2', { header: true });
    expect(m.columnNames).toEqual(['10', '20']);
    expect(m.rows).toBe(1);
  });

  it('selects and drops columns by name or index, without parsing unused columns', () => {
    const text = 'label,x,y\ncat,1,2\ndog,3,4\n';
    expect(Array.from(parseCsv(text, { columns: ['y', 'x'] }).values)).toEqual([2, 1, 4, 3]);
    expect(Array.from(parseCsv(text, { dropColumns: [0] }).values)).toEqual([1, 2, 3, 4]);
    expect(parseCsv(text, { dropColumns: ['label'] }).columnNames).toEqual(['x', 'y']);
  });

  it('rejects unknown columns naming the choices', () => {
    expect(() => parseCsv('a,b\n1,2', { columns: ['c'] })).toThrow(InvalidArgumentError);
    expect(() => parseCsv('a,b\n1,2', { columns: ['c'] })).toThrow(/options.columns\[0\]: expected one of the header names \["a", "b"\], got "c"/);
    expect(() => parseCsv('1,2\n3,4', { columns: [2] })).toThrow(/options.columns\[0\]: expected a column index in \[0, 1\]/);
    expect(() => parseCsv('1,2\n3,4', { columns: ['a'] })).toThrow(/has no header/);
    expect(() => parseCsv('1,2\n3,4', { dropColumns: [0, 1] })).toThrow(/at least one column/);
  });

  it('names line and counts for ragged rows', () => {
    expect(() => parseCsv('a,b,c\n1,2,3\n4,5\n')).toThrow(DataFormatError);
    expect(() => parseCsv('a,b,c\n1,2,3\n4,5\n')).toThrow('<text>, line 3: expected 3 fields (as on line 1), found 2');
    expect(() => parseCsv('1,2\n\n3,4,5', { source: 'my.csv' })).toThrow('my.csv, line 3: expected 2 fields (as on line 1), found 3');
  });

  it('names line, column and cell text for non-numeric cells', () => {
    expect(() => parseCsv('x,y\n1,2\n3,abc\n')).toThrow('<text>, line 3, column 2 ("y"): expected a finite decimal number, found "abc"');
    expect(() => parseCsv('1,0x1f')).toThrow(/line 1, column 2: expected a finite decimal number, found "0x1f"/);
    expect(() => parseCsv('1,Infinity')).toThrow(/found "Infinity"/);
    expect(() => parseCsv('1,1e999')).toThrow(/found "1e999"/);
  });

  it('rejects missing values naming them as such', () => {
    expect(() => parseCsv('x,y\n1,\n')).toThrow('<text>, line 2, column 2 ("y"): missing value ""; missing values are not supported, remove or impute them');
    expect(() => parseCsv('1,2\nNaN,3')).toThrow(/line 2, column 1: missing value "NaN"/);
    expect(() => parseCsv('1,2\nNA,3')).toThrow(/missing value "NA"/);
  });

  it('rejects empty text and a header without rows', () => {
    expect(() => parseCsv('')).toThrow('<text>: found no data (the text is empty or only blank lines)');
    expect(() => parseCsv('\n \r\n')).toThrow(/found no data/);
    expect(() => parseCsv('a,b\n')).toThrow('<text>: found a header but no data rows');
  });

  it('rejects broken quoting and bad options', () => {
    expect(() => parseCsv('"a,b\n1,2')).toThrow(/line 1, column 1: unterminated quoted field/);
    expect(() => parseCsv('"a"x,b\n1,2')).toThrow(/unexpected "x" after a closing quote/);
    expect(() => parseCsv('1,2', { delimiter: ',,' })).toThrow(/options.delimiter: expected a single character/);
    expect(() => parseCsv('1,2', { header: 'yes' as unknown as boolean })).toThrow(/options.header: expected true, false or "auto", got "yes"/);
  });

  it('stores values as float32', () => {
    const m = parseCsv('0.1');
    expect(m.values[0]).toBe(Math.fround(0.1));
  });

  it('reads at most maxRows data rows and ignores what follows', () => {
    const m = parseCsv('a,b\n1,2\n3,4\nnot,numbers\n', { maxRows: 2 });
    expect([m.rows, Array.from(m.values)]).toEqual([2, [1, 2, 3, 4]]);
    expect(() => parseCsv('1,2', { maxRows: 0 })).toThrow('options.maxRows: expected an integer ≥ 1, got 0');
    expect(() => parseCsv('1,2', { maxRows: 1.5 })).toThrow('options.maxRows: expected an integer ≥ 1, got 1.5');
  });

  it('ignores a leading byte-order mark', () => {
    expect(parseCsv('\uFEFFx,y\n1,2').columnNames).toEqual(['x', 'y']);
    expect(Array.from(parseCsv('\uFEFF1,2').values)).toEqual([1, 2]);
  });
});
