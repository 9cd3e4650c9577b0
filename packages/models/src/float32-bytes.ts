// Float32 values as base64 of their little-endian IEEE-754 bytes (exact round trip). In Node, Buffer does the
// base64 (found on the global object, so this module still bundles for browsers); elsewhere atob/btoa do it on
// chunks. Both avoid per-character string building, which made a 4 M-parameter model file take 26 s.

interface BufferLike {
  from(bytes: ArrayBuffer, offset: number, length: number): { toString(encoding: 'base64'): string };
  from(text: string, encoding: 'base64'): Uint8Array;
}

const NODE_BUFFER = (globalThis as { Buffer?: BufferLike }).Buffer;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function littleEndianBytes(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return bytes;
}

/** Encodes float32 values as base64 of their little-endian bytes. */
export function float32ToBase64(values: Float32Array): string {
  const bytes = littleEndianBytes(values);
  if (NODE_BUFFER !== undefined) return NODE_BUFFER.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** Number of bytes that canonical base64 text of `length` characters decodes to (NaN if it cannot be base64). */
export function base64ByteLength(text: string): number {
  if (text.length % 4 !== 0) return Number.NaN;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/**
 * Decodes {@link float32ToBase64} into exactly `expected` values; throws an Error whose message starts
 * with `what` for text that is not canonical base64 or of another length.
 */
export function base64ToFloat32(text: string, expected: number, what: string): Float32Array {
  const byteLength = base64ByteLength(text);
  if (byteLength !== expected * 4) {
    throw new Error(`${what}: expected ${expected} float32 values (${expected * 4} bytes), got ${Number.isNaN(byteLength) ? `base64 text of length ${text.length}, not a multiple of 4` : `${byteLength} bytes`}`);
  }
  if (!BASE64.test(text)) throw new Error(`${what}: expected base64 text, got characters outside the base64 alphabet`);
  let bytes: Uint8Array;
  if (NODE_BUFFER !== undefined) {
    bytes = NODE_BUFFER.from(text, 'base64');
  } else {
    const binary = atob(text);
    bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  }
  const values = new Float32Array(expected);
  if (LITTLE_ENDIAN) {
    new Uint8Array(values.buffer).set(bytes.subarray(0, expected * 4));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < expected; i++) values[i] = view.getFloat32(4 * i, true);
  }
  return values;
}

/** The index of the first non-finite value, or -1. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}
