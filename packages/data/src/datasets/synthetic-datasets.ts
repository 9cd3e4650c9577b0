import type { DataMatrix } from '../data-matrix.js';
import { SeededRandom } from '../random.js';
import { generateCircle } from '../synthetic/circle.js';
import { generateCosine } from '../synthetic/cosine.js';
import { generateEightGaussians } from '../synthetic/eight-gaussians.js';
import { generateGaussian1d } from '../synthetic/gaussian-1d.js';
import { generateLemniscate } from '../synthetic/lemniscate.js';
import { generateLine } from '../synthetic/line.js';
import { generateManifold } from '../synthetic/manifold.js';
import { generatePca, generatePcaRing, type PcaOptions } from '../synthetic/pca.js';
import { generateSpiral3d } from '../synthetic/spiral-3d.js';
import { generateStreamingSegments } from '../synthetic/streaming-segments.js';
import { generateSwissRoll } from '../synthetic/swiss-roll.js';
import type { ToyOptions } from '../synthetic/toy-options.js';
import { type SpecParameter, countParameter, scaleParameter } from './spec-parameters.js';
import { minMaxScale } from '../transforms/min-max-scale.js';
import { selectRows, trainTestSplit } from '../transforms/train-test-split.js';

/** Training and (for all but the stream) held-out points of a named synthetic set. */
export interface SyntheticSplit {
  train: DataMatrix;
  test?: DataMatrix;
}

/** A `synthetic:<name>` data set: what it is, which spec parameters it takes, how to make it. */
export interface SyntheticDataset {
  readonly name: string;
  readonly description: string;
  /** Accepted `key=value` parameters of the spec, with their meaning and default. */
  readonly parameters: Readonly<Record<string, SpecParameter>>;
  make(seed: number, parameters: ReadonlyMap<string, number>): SyntheticSplit;
}

/**
 * The paper's verification sets (arXiv 2010.14860, verification experiments): `ntrain + ntest` points from one generating model, the
 * first `ntrain` for training, the rest held out, no rescaling (the ground-truth log-likelihood refers
 * to the raw data).
 */
function verificationSet(name: string, description: string, generate: (options: PcaOptions) => { data: DataMatrix }): SyntheticDataset {
  return {
    name,
    description,
    parameters: {
      n: countParameter('training points, default 10000'),
      test: countParameter('held-out points, default 10000'),
      D: countParameter('data dimension, default 10'),
      H: countParameter('latent dimension, default 2'),
      noise: scaleParameter('σ_gen, default 0.1'),
    },
    make(seed, p) {
      const n = p.get('n') ?? 10_000;
      const nTest = p.get('test') ?? 10_000;
      const { data } = generate({ n: n + nTest, dataDim: p.get('D'), latentDim: p.get('H'), noiseStd: p.get('noise'), seed });
      return {
        train: selectRows(data, Int32Array.from({ length: n }, (_, i) => i)),
        test: selectRows(data, Int32Array.from({ length: nTest }, (_, i) => n + i)),
      };
    },
  };
}

/**
 * The paper's `prepare_data.py` pipeline (arXiv 2010.14860, experiments): N = 50 000 points, min-max scaled to [0, 1] per
 * feature (fitted on all N, as the paper's code does), then a seeded 50/50 train/test split.
 */
function toySet(name: string, description: string, generate: (options: ToyOptions & Record<string, number | undefined>) => DataMatrix, extra: Record<string, SpecParameter> = {}, noiseDefault = '0.05'): SyntheticDataset {
  return {
    name,
    description,
    parameters: { n: countParameter('points before the 50/50 split, default 50000'), noise: scaleParameter(`noise standard deviation, default ${noiseDefault}`), ...extra },
    make(seed, p) {
      const options: ToyOptions & Record<string, number | undefined> = { n: p.get('n'), noiseStd: p.get('noise'), seed };
      for (const key of Object.keys(extra)) options[key] = p.get(key);
      const { data } = minMaxScale(generate(options));
      return trainTestSplit(data, { testFraction: 0.5, seed: new SeededRandom(seed).nextSeed() });
    },
  };
}

/** Every `synthetic:<name>` set, in the order `--help` lists them. */
export const SYNTHETIC_DATASETS: readonly SyntheticDataset[] = [
  verificationSet('pca', 'linear Gaussian data of Fig. 1a: x = W z + μ + N(0, 0.1² I), D = 10, H = 2; 10 000 train + 10 000 test', generatePca),
  verificationSet('pca-ring', 'as pca, latents pushed to the unit circle (z ← z/10 + z/‖z‖), Fig. 1c', generatePcaRing),
  toySet('circle', 'unit circle, radius ~ N(1, 0.05²); 2-D; 50 000 points, [0,1]-scaled, 50/50 split (as all toy sets)', generateCircle),
  toySet('8gauss', '8 Gaussian blobs (std 0.05) on a circle of radius 0.4; 2-D', generateEightGaussians),
  toySet('cosine', 'x = (t, cos t + 1) + noise, t ~ U[0, 3π); 2-D', generateCosine),
  toySet('eight', 'lemniscate of Gerono (cos t, sin t cos t)/2 + noise; 2-D', generateLemniscate),
  toySet('line', 'x = (t, 1.5 t + 2) + noise, t ~ U[0, 3); 2-D', generateLine),
  toySet('1dgauss', 'N(3, 0.05²); 1-D', generateGaussian1d),
  toySet('swiss-roll', "scikit-learn's swiss roll, noise 0.05; 3-D", generateSwissRoll),
  toySet('spiral-3d', 'one turn of a 3-D spiral, rotated, noise 0.05; 3-D', generateSpiral3d),
  toySet(
    'manifold',
    'k-dimensional manifold in D dimensions (k = 10, D = 100), no noise',
    (o) => generateManifold({ n: o.n, noiseStd: o.noiseStd, seed: o.seed, intrinsicDim: o['k'], dataDim: o['D'] }).data,
    { k: countParameter('intrinsic dimension, default 10'), D: countParameter('data dimension, default 100') },
    '0',
  ),
  {
    name: 'streaming',
    description: 'stream of 3 × 100 000 points in D = 10 with true H = 6, then 2, then 4 (arXiv 2010.14860, streaming linear-VAE experiment); keep the order, no test part',
    parameters: { n: countParameter('points per segment, default 100000'), D: countParameter('data dimension, default 10'), noise: scaleParameter('noise standard deviation, default 0.1') },
    make(seed, p) {
      return { train: generateStreamingSegments({ segmentLength: p.get('n'), dataDim: p.get('D'), noiseStd: p.get('noise'), seed }).data };
    },
  },
];

/** Looks a synthetic set up by name; `_` and upper case are accepted (`swiss_roll`, `spiral_3D`, `1Dgauss`). */
export function findSyntheticDataset(name: string): SyntheticDataset | undefined {
  const normalized = name.toLowerCase().replaceAll('_', '-');
  return SYNTHETIC_DATASETS.find((d) => d.name === normalized);
}
