import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { DataFormatError } from '../errors.js';
import type { IdxArray } from '../formats/idx.js';
import { readIdx } from '../formats/idx-file.js';

/** Where Debian's `dataset-fashion-mnist` package installs the Fashion-MNIST IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The two MNIST-format sets {@link loadMnistFiles} knows. */
export type MnistName = 'mnist' | 'fashion-mnist';

/** Images (scaled to [0, 1]) and labels of the training and test parts of an MNIST-format set. */
export interface MnistSplit {
  train: DataMatrix;
  test: DataMatrix;
  trainLabels: Int32Array;
  testLabels: Int32Array;
  /** Directory the files were read from. */
  directory: string;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/**
 * The directories searched, in order: `dataDir` and `dataDir/<name>` when given (an explicit choice
 * wins), then, for Fashion-MNIST, where Debian's package installs it.
 */
export function mnistSearchDirectories(name: MnistName, dataDir: string | undefined, debianDir = DEBIAN_FASHION_MNIST_DIR): string[] {
  const dirs = dataDir === undefined ? [] : [dataDir, join(dataDir, name)];
  if (name === 'fashion-mnist') dirs.push(debianDir);
  return dirs;
}

/** The path of one of the four files in `dir`: plain, `.gz`, or with `.` instead of `-` before `idx` (as some mirrors name them). */
function findFile(dir: string, base: string): string | undefined {
  const dotted = base.replace('-idx', '.idx');
  for (const candidate of [base, `${base}.gz`, dotted, `${dotted}.gz`]) {
    const path = join(dir, candidate);
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return undefined;
}

function howToGetFiles(name: MnistName, searched: Array<{ directory: string; missing: string[] }>): string {
  const where =
    searched.length > 0
      ? `looked in ${searched.map((s) => `${s.directory} (${s.missing.length === 4 ? 'none of them' : `missing ${s.missing.join(', ')}`})`).join(', ')}`
      : 'no --data-dir given';
  const files = `${Object.values(FILES).join(', ')} (each optionally .gz)`;
  const fix =
    name === 'fashion-mnist'
      ? `install Debian's package (apt-get install -y dataset-fashion-mnist, files land in ${DEBIAN_FASHION_MNIST_DIR}) or put the four files ${files} into a directory and pass it as --data-dir (dataDir)`
      : `Debian has no MNIST package; download the four files ${files} from the MNIST page (or a mirror) into a directory and pass it as --data-dir (dataDir)`;
  return `IDX files not found (${where}); ${fix}`;
}

function images(array: IdxArray, path: string): DataMatrix {
  if (array.dataType !== 'uint8' || array.shape.length !== 3) {
    throw new DataFormatError(path, undefined, `expected uint8 images of shape [n, rows, cols], found ${array.dataType} of shape [${array.shape.join(', ')}]`);
  }
  // Pixels 0–255 → [0, 1], as torchvision's ToTensor (the paper's MNIST preprocessing, arXiv 2010.14860, verification experiments).
  const values = array.values;
  for (let i = 0; i < values.length; i++) values[i] = values[i]! / 255;
  return dataMatrix(values, array.shape[0]!, array.shape[1]! * array.shape[2]!);
}

function labels(array: IdxArray, path: string, count: number): Int32Array {
  if (array.shape.length !== 1 || array.dataType !== 'uint8') {
    throw new DataFormatError(path, undefined, `expected uint8 labels of shape [n], found ${array.dataType} of shape [${array.shape.join(', ')}]`);
  }
  if (array.shape[0] !== count) throw new DataFormatError(path, undefined, `expected ${count} labels (one per image), found ${array.shape[0]}`);
  return Int32Array.from(array.values);
}

/**
 * Reads an MNIST-format set (MNIST or Fashion-MNIST: 60 000 + 10 000 images of 28 × 28, flattened to
 * 784 columns and scaled to [0, 1]) from the first searched directory that holds all four IDX files.
 * Throws an error that says where it looked and how to get the files when none does.
 */
export async function loadMnistFiles(name: MnistName, dataDir: string | undefined, debianDir = DEBIAN_FASHION_MNIST_DIR): Promise<MnistSplit> {
  const searched: Array<{ directory: string; missing: string[] }> = [];
  for (const directory of mnistSearchDirectories(name, dataDir, debianDir)) {
    const paths = {
      trainImages: findFile(directory, FILES.trainImages),
      trainLabels: findFile(directory, FILES.trainLabels),
      testImages: findFile(directory, FILES.testImages),
      testLabels: findFile(directory, FILES.testLabels),
    };
    const missing = (Object.keys(paths) as Array<keyof typeof FILES>).filter((key) => paths[key] === undefined).map((key) => FILES[key]);
    if (missing.length > 0) {
      searched.push({ directory, missing });
      continue;
    }
    const train = images(await readIdx(paths.trainImages!), paths.trainImages!);
    const test = images(await readIdx(paths.testImages!), paths.testImages!);
    if (train.cols !== test.cols) {
      throw new DataFormatError(paths.testImages!, undefined, `test images have ${test.cols} pixels, the training images ${train.cols}`);
    }
    return {
      train,
      test,
      trainLabels: labels(await readIdx(paths.trainLabels!), paths.trainLabels!, train.rows),
      testLabels: labels(await readIdx(paths.testLabels!), paths.testLabels!, test.rows),
      directory,
    };
  }
  throw new DataFormatError(name, undefined, howToGetFiles(name, searched));
}
