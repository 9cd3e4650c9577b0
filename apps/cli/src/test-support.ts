import { PassThrough } from 'node:stream';

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
