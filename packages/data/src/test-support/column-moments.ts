// Test-only helpers (not exported from the package): Monte-Carlo checks of generated columns against the
// reference moments written by tools/reference/data_generator_moments.py.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataMatrix } from '../data-matrix.js';

/** Mean, variance and fourth central moment of one output column. */
export interface ReferenceMoments {
  mean: number;
  variance: number;
  fourthCentral: number;
}

/** The committed fixture `src/synthetic/fixtures/generator-moments.json`. */
export interface GeneratorMomentsFixture {
  noiseStd: number;
  columns: Record<string, ReferenceMoments[]>;
  manifold: { base: ReferenceMoments; extraDistinctPair: ReferenceMoments; extraSamePair: ReferenceMoments };
  pcaRingLatentNorm: { mean: number; variance: number };
}

/** Reads the generator-moments fixture. */
export function loadGeneratorMoments(): GeneratorMomentsFixture {
  return JSON.parse(readFileSync(join(__dirname, '..', 'synthetic', 'fixtures', 'generator-moments.json'), 'utf8')) as GeneratorMomentsFixture;
}

/** Sample mean and (unbiased) variance of column `col`, accumulated in float64. */
export function columnMeanVariance(matrix: DataMatrix, col: number): { mean: number; variance: number } {
  let mean = 0;
  for (let r = 0; r < matrix.rows; r++) mean += matrix.values[r * matrix.cols + col]!;
  mean /= matrix.rows;
  let ss = 0;
  for (let r = 0; r < matrix.rows; r++) ss += (matrix.values[r * matrix.cols + col]! - mean) ** 2;
  return { mean, variance: ss / (matrix.rows - 1) };
}

/**
 * How many standard errors the sample mean and variance of a column are away from the reference
 * (SE of the mean √(σ²/n); SE of the variance √((μ₄ − σ⁴)/n)). Tests require both below 5.
 */
export function momentZScores(matrix: DataMatrix, col: number, reference: ReferenceMoments): { mean: number; variance: number } {
  const n = matrix.rows;
  const sample = columnMeanVariance(matrix, col);
  const seMean = Math.sqrt(reference.variance / n);
  const seVariance = Math.sqrt(Math.max(reference.fourthCentral - reference.variance ** 2, 0) / n);
  return {
    mean: Math.abs(sample.mean - reference.mean) / seMean,
    variance: seVariance > 0 ? Math.abs(sample.variance - reference.variance) / seVariance : Math.abs(sample.variance - reference.variance),
  };
}
