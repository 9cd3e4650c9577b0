// The platform-neutral entry: runs in a browser and in Node (no Node built-in is reachable from here).
// Everything that reads files lives in './node.ts' (the `@trientropy/data/node` subpath).
export { type DataMatrix, dataMatrix, row } from './data-matrix.js';
export { InvalidArgumentError, DataFormatError } from './errors.js';
export { SeededRandom, type RandomState } from './random.js';
export { generatePca, generatePcaRing, type PcaData, type PcaOptions } from './synthetic/pca.js';
export { MAX_GENERATED_VALUES } from './synthetic/size-limit.js';
export { type ToyOptions } from './synthetic/toy-options.js';
export { generateCircle } from './synthetic/circle.js';
export { generateEightGaussians, eightGaussianCentres, EIGHT_GAUSSIANS_RADIUS } from './synthetic/eight-gaussians.js';
export { generateCosine } from './synthetic/cosine.js';
export { generateLemniscate } from './synthetic/lemniscate.js';
export { generateLine } from './synthetic/line.js';
export { generateGaussian1d } from './synthetic/gaussian-1d.js';
export { generateSwissRoll } from './synthetic/swiss-roll.js';
export { generateSpiral3d } from './synthetic/spiral-3d.js';
export { generateStreamingSegments, type StreamingSegmentsData, type StreamingSegmentsOptions } from './synthetic/streaming-segments.js';
export { generateManifold, type ManifoldData, type ManifoldOptions } from './synthetic/manifold.js';
export { type NdArray, flatten } from './nd-array.js';
export { parseIdx, type IdxArray, type IdxDataType } from './formats/idx.js';
export { parseNpy, type NpyArray, type NpyDataType } from './formats/npy.js';
export { type NpyHeader } from './formats/npy-header.js';
export { minMaxScale, fitMinMax, applyMinMax, type MinMaxScaler } from './transforms/min-max-scale.js';
export { standardize, fitStandardizer, applyStandardizer, type Standardizer } from './transforms/standardize.js';
export { trainTestSplit, selectRows, type SplitOptions } from './transforms/train-test-split.js';
export { type CsvOptions } from './csv/csv-options.js';
export { parseCsv, type CsvMatrix } from './csv/parse-csv.js';
export { DATASET_SPECS, DEFAULT_DATASET, acceptedDatasetSpecs, type DatasetSpec } from './datasets/dataset-specs.js';
export { SYNTHETIC_DATASETS, type SyntheticDataset, type SyntheticSplit } from './datasets/synthetic-datasets.js';
