export { type DataMatrix, dataMatrix, row } from './data-matrix.js';
export { SeededRandom, type RandomState } from './random.js';
export { generatePca, type PcaData, type PcaOptions } from './synthetic/pca.js';
