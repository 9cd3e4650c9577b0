import { SYNTHETIC_DATASETS } from './synthetic-datasets.js';

/** One accepted form of the `--data` spec with a one-line description, for `--help` texts. */
export interface DatasetSpec {
  readonly spec: string;
  readonly description: string;
}

/** The default data set spec. */
export const DEFAULT_DATASET = 'synthetic:pca';

/** Every accepted `--data` spec (named sets and file patterns), in the order `--help` should print them. */
export const DATASET_SPECS: readonly DatasetSpec[] = [
  ...SYNTHETIC_DATASETS.map((d) => ({ spec: `synthetic:${d.name}`, description: d.description })),
  { spec: 'synthetic:<name>:key=value,…', description: 'parameters of a synthetic set, e.g. synthetic:manifold:k=5,D=20 or synthetic:circle:n=2000,noise=0.1' },
  { spec: 'fashion-mnist', description: `Fashion-MNIST IDX files from --data-dir or Debian's dataset-fashion-mnist; 60 000 + 10 000 × 784 in [0,1]` },
  { spec: 'mnist', description: 'MNIST IDX files (train-images-idx3-ubyte[.gz] etc.) from --data-dir; 60 000 + 10 000 × 784 in [0,1]' },
  { spec: 'susy[:rows=N]', description: 'UCI SUSY.csv[.gz] from --data-dir: first 2 500 000 rows, label dropped, 18 features in [0,1], 50/50 split' },
  { spec: '<path>.csv[.gz]', description: 'a CSV file of numbers (header detected automatically)' },
  { spec: '<path>.npy[.gz]', description: 'a NumPy array (float32, float64 or uint8, C order); first axis = data points, uint8 scaled to [0,1]' },
  { spec: '<path>.idx[.gz] or *-idx?-ubyte[.gz]', description: 'an IDX array (the MNIST format); first axis = data points, uint8 scaled to [0,1]' },
];

/** What `loadDataset` accepts, as short spec patterns (for error messages and one-line help texts). */
export function acceptedDatasetSpecs(): string[] {
  return DATASET_SPECS.map((d) => d.spec);
}
