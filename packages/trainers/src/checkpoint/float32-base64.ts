// Float32 values travel through JSON as base64 of their little-endian bytes: exact, and 4/3 the size of the
// binary instead of ~10 characters per number.

/** Encodes float32 values as base64 (little-endian bytes). */
export function float32ToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** Decodes {@link float32ToBase64}; throws if the length is not `expectedLength` values (when given). */
export function base64ToFloat32(text: string, expectedLength: number | undefined, what: string): Float32Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error(`${what}: expected base64 text, got invalid characters`);
  }
  expectedLength ??= Math.floor(binary.length / 4);
  if (binary.length !== expectedLength * 4) throw new Error(`${what}: expected ${expectedLength} float32 values (${expectedLength * 4} bytes), got ${binary.length} bytes`);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const values = new Float32Array(expectedLength);
  for (let i = 0; i < expectedLength; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}
