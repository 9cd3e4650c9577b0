import * as tf from '@tensorflow/tfjs-core';
import type { NativeBackend } from './native-backend.js';

/**
 * Name of the native backend's normal-noise kernel. @trientropy/distributions' `seededRandomNormal` runs it where
 * the active backend has it (`tf.getKernel(RANDOM_NORMAL_KERNEL, tf.getBackend())`) instead of tfjs-core's
 * `tf.randomNormal`, whose JavaScript loop cost ~0.35 ms for a VAE's [512, 20] noise (1.5 % of a batch-512 step):
 *
 * - no inputs; attrs `{ shape, mean, stdDev, seed }`: `seed` a non-zero finite number (tfjs treats a falsy seed
 *   as "no seed"; callers map their seeds first, see distributions' `tfjsSeed`);
 * - output: a float32 tensor of `shape`.
 *
 * The draws equal `tf.randomNormal(shape, mean, stdDev, 'float32', seed)` bit for bit: the same generator
 * (seedrandom's alea, seeded here from `String(seed)` as tfjs seeds it), the same polar method in double, the
 * same logarithm (fdlibm's, as V8's Math.log), each value rounded once to float32 (random-normal.test.ts).
 */
export const RANDOM_NORMAL_KERNEL = 'TrientropyRandomNormal';

/** seedrandom's `Mash` hash as alea uses it (seedrandom 3.0.5, lib/alea.js), on double arithmetic as there. */
function mash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000;
    }
    return (n >>> 0) * 2.3283064365386963e-10;
  };
}

/** alea's state [s0, s1, s2, c] right after `seedrandom.alea(seed)`, as the addon advances it. */
export function aleaState(seed: string): Float64Array {
  const hash = mash();
  const s = [hash(' '), hash(' '), hash(' ')];
  for (let i = 0; i < 3; i++) {
    s[i]! -= hash(seed);
    if (s[i]! < 0) s[i]! += 1;
  }
  return Float64Array.of(s[0]!, s[1]!, s[2]!, 1);
}

/** The kernel function of {@link RANDOM_NORMAL_KERNEL} on the native backend. */
export function randomNormal({ backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const { shape, mean, stdDev, seed } = attrs as { shape?: unknown; mean?: unknown; stdDev?: unknown; seed?: unknown };
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new Error(`${RANDOM_NORMAL_KERNEL}: shape: expected non-negative integer dimensions, got ${JSON.stringify(shape)}`);
  }
  if (typeof mean !== 'number' || typeof stdDev !== 'number') throw new Error(`${RANDOM_NORMAL_KERNEL}: mean and stdDev: expected numbers, got ${typeof mean} and ${typeof stdDev}`);
  if (typeof seed !== 'number' || !Number.isFinite(seed) || seed === 0) {
    throw new Error(`${RANDOM_NORMAL_KERNEL}: seed: expected a finite non-zero number (tfjs reads 0 as "no seed"), got ${String(seed)}`);
  }
  const dims = shape as number[];
  const out = backend.allocate(tf.util.sizeFromShape(dims));
  if (out.length > 0) backend.addon.randomNormal(out, aleaState(String(seed)), mean, stdDev);
  return backend.output(out, [...dims]);
}
