import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { InvalidArgumentError, checkInteger, checkNonNegative, checkSeed, describeValue } from '../errors.js';
import { checkGeneratedSize } from './size-limit.js';
import { SeededRandom } from '../random.js';
import { randomOrthogonal } from './random-orthogonal.js';

/** Options of {@link generateStreamingSegments}; defaults are the paper's (arXiv 2010.14860, streaming linear-VAE experiment). */
export interface StreamingSegmentsOptions {
  /** Points per stationary segment. Default 100 000. */
  segmentLength?: number;
  /** True latent dimensionality H_data of each segment, in stream order. Default [6, 2, 4]. */
  activeDims?: readonly number[];
  /** Data dimension D. Default 10. */
  dataDim?: number;
  /** Standard deviation of the isotropic observation noise. Default 0.1. */
  noiseStd?: number;
  /** Seed of the generator. Default 0. */
  seed?: number;
}

/** The stream and its generating parameters. */
export interface StreamingSegmentsData {
  /** All segments one after the other (segmentLength · segments × D), in stream order. */
  readonly data: DataMatrix;
  /** The orthogonal basis U (D × D, row-major) shared by all segments. */
  readonly basis: Float64Array;
  /** Per segment: its first row, H_data and the standard deviations s (zero beyond H_data). */
  readonly segments: ReadonlyArray<{ start: number; activeDims: number; scales: Float64Array }>;
  readonly noiseStd: number;
}

/**
 * The paper's streaming model-selection data (arXiv 2010.14860, streaming linear-VAE experiment, `streamingVAE/main.py`): consecutive
 * stationary segments, each `x = U (s ⊙ ε) + N(0, noiseStd² I)` with `ε ~ N(0, I_D)`,
 * `s = linspace(1, 5, D)` and `s[H_data:] = 0`, where U is one random orthogonal matrix shared by all
 * segments. Meant to be consumed in order (a non-stationary stream), not shuffled.
 */
export function generateStreamingSegments(options: StreamingSegmentsOptions = {}): StreamingSegmentsData {
  const n = checkInteger(options.segmentLength ?? 100_000, 'options.segmentLength', 1);
  const d = checkInteger(options.dataDim ?? 10, 'options.dataDim', 1);
  const noiseStd = checkNonNegative(options.noiseStd ?? 0.1, 'options.noiseStd');
  const activeDims = options.activeDims ?? [6, 2, 4];
  if (!Array.isArray(activeDims) || activeDims.length === 0 || !activeDims.every((h) => Number.isInteger(h) && h >= 0 && h <= d)) {
    throw new InvalidArgumentError('options.activeDims', `a non-empty list of integers in [0, ${d}]`, describeValue(activeDims));
  }
  const rng = new SeededRandom(checkSeed(options.seed ?? 0, 'options.seed'));
  const basis = randomOrthogonal(d, rng);
  checkGeneratedSize(n * activeDims.length, d, 'options.segmentLength');
  const values = new Float32Array(n * activeDims.length * d);
  const eps = new Float64Array(d);
  const segments = activeDims.map((h, index) => {
    const scales = new Float64Array(d);
    for (let i = 0; i < h; i++) scales[i] = d === 1 ? 1 : 1 + (4 * i) / (d - 1);
    const start = index * n;
    for (let r = start; r < start + n; r++) {
      for (let i = 0; i < d; i++) eps[i] = scales[i]! * rng.normal();
      for (let i = 0; i < d; i++) {
        let v = 0;
        for (let k = 0; k < h; k++) v += basis[i * d + k]! * eps[k]!;
        values[r * d + i] = v + noiseStd * rng.normal();
      }
    }
    return { start, activeDims: h, scales };
  });
  return { data: dataMatrix(values, n * activeDims.length, d), basis, segments, noiseStd };
}
