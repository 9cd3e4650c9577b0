export { type DataMatrix, dataMatrix, row } from './data-matrix.js';
export { InvalidArgumentError, DataFormatError } from './errors.js';
export { SeededRandom, type RandomState } from './random.js';
export { generatePca, type PcaData, type PcaOptions } from './synthetic/pca.js';
export { type CsvOptions } from './csv/csv-options.js';
export { parseCsv, type CsvMatrix } from './csv/parse-csv.js';
export { readCsv } from './csv/read-csv.js';
export { loadDataset, acceptedDatasetSpecs, DEFAULT_DATASET, type LoadedDataset, type LoadDatasetOptions } from './datasets/load-dataset.js';
