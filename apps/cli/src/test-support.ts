import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generatePca } from '@trientropy/data';

/** An in-memory stdout/stderr pair for running the CLI inside a test. */
export function memoryIo(): { io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream }; stdout: () => string; stderr: () => string } {
  const capture = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return { stream, text: () => text };
  };
  const out = capture();
  const err = capture();
  return { io: { stdout: out.stream, stderr: err.stream as unknown as NodeJS.WriteStream }, stdout: out.text, stderr: err.text };
}

/** Writes `rows` points of 4-D PCA data with one latent (seeded) as `dir/points.csv`, with a header line if asked. */
export function writePcaCsv(dir: string, rows: number, seed: number, header = false): string {
  const { data } = generatePca({ n: rows, dataDim: 4, latentDim: 1, seed });
  const lines = header ? ['a,b,c,d'] : [];
  for (let r = 0; r < data.rows; r++) lines.push(Array.from(data.values.subarray(r * 4, r * 4 + 4)).join(','));
  const path = join(dir, 'points.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
