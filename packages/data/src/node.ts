// `@trientropy/data/node`: the loaders that read files (Node only: they use node:fs, node:zlib and
// node:path). Everything platform-neutral is in the main entry, which a browser can bundle.
export { readIdx } from './formats/idx-file.js';
export { readNpy } from './formats/npy-file.js';
export { npyBatches, NpyBatchSource, type NpyBatchOptions } from './formats/npy-batches.js';
export { readCsv } from './csv/read-csv.js';
export { csvBatches, CsvBatchSource, type CsvBatchOptions } from './csv/csv-batches.js';
export { loadDataset, type LoadedDataset, type LoadDatasetOptions } from './datasets/load-dataset.js';
export { loadMnistFiles, DEBIAN_FASHION_MNIST_DIR, type MnistName, type MnistSplit } from './datasets/mnist-files.js';
