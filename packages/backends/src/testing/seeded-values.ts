/**
 * mulberry32: a tiny deterministic PRNG. Test inputs are generated in JavaScript, not with tf.random*, so
 * the cpu reference and the backend under test receive bit-identical inputs.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` float32 values uniform in [low, high) from `seed`. */
export function uniformValues(size: number, low: number, high: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = low + (high - low) * next();
  return values;
}

/** `size` int32 values uniform in {0, …, count − 1} from `seed`. */
export function indexValues(size: number, count: number, seed: number): Int32Array {
  const next = mulberry32(seed);
  const values = new Int32Array(size);
  for (let i = 0; i < size; i++) values[i] = Math.floor(next() * count);
  return values;
}
