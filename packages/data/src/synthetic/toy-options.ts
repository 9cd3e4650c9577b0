/** Options shared by the low-dimensional toy generators (arXiv 2010.14860, experiments, `prepare_data.py`). */
export interface ToyOptions {
  /** Number of points. Default 50 000 (the paper's toy-set size before its 50/50 split). */
  n?: number;
  /** Standard deviation of the Gaussian noise; default 0.05 (the paper's `noise`). */
  noiseStd?: number;
  /** Seed of the generator. Default 0. */
  seed?: number;
}
