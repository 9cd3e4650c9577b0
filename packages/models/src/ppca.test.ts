import * as tf from '@tensorflow/tfjs-core';
import { ppcaLogLikelihood, ppcaMaximumLikelihood } from './index.js';
import { loadFixture } from './test-support/tensors.js';

interface SolutionFixture {
  latentDim: number;
  eigenvalues: number[];
  mean: number[];
  noiseVariance: number;
  weightGram: number[][];
  logLikelihood: number;
}

interface PpcaFixture {
  spec: { data: number[][]; solutions: SolutionFixture[] };
  random: {
    data: number[][];
    solution: SolutionFixture;
    parameters: { weight: number[][]; mean: number[]; noiseVariance: number };
    logLikelihood: number;
  };
}

const fixture = loadFixture<PpcaFixture>('ppca');

function gram(w: number[][]): number[][] {
  return w.map((a) => w.map((b) => a.reduce((s, v, h) => s + v * b[h]!, 0)));
}

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(tolerance));
}

describe('ppcaMaximumLikelihood', () => {
  const cases: [string, number[][], SolutionFixture][] = [
    ...fixture.spec.solutions.map((s): [string, number[][], SolutionFixture] => [`the linear-VAE section of the paper (arXiv 2010.14860) data, H = ${s.latentDim}`, fixture.spec.data, s]),
    ['random N = 40, D = 5, H = 2', fixture.random.data, fixture.random.solution],
  ];

  it.each(cases)('matches the NumPy/SciPy fixture on %s', (_name, data, expected) => {
    const solution = ppcaMaximumLikelihood(data, expected.latentDim);
    expectClose(solution.eigenvalues, expected.eigenvalues, 1e-12);
    expectClose(solution.mean, expected.mean, 1e-12);
    expect(Math.abs(solution.noiseVariance - expected.noiseVariance)).toBeLessThan(1e-12);
    expect(Math.abs(solution.logLikelihood - expected.logLikelihood)).toBeLessThan(1e-12);
    expectClose(gram(solution.weight).flat(), expected.weightGram.flat(), 1e-10);
    // The closed form agrees with the Cholesky evaluation of the same parameters.
    expect(Math.abs(ppcaLogLikelihood(data, solution) - solution.logLikelihood)).toBeLessThan(1e-12);
  });

  it('gives the linear-VAE section of the paper (arXiv 2010.14860) values', () => {
    expect(ppcaMaximumLikelihood(fixture.spec.data, 1).logLikelihood).toBeCloseTo(-3.2517227495998737, 12);
    expect(ppcaMaximumLikelihood(fixture.spec.data, 2).noiseVariance).toBeCloseTo(0.10857973239529424, 12);
  });

  it('accepts a tensor and a row-major matrix and is a maximum (perturbations lower the likelihood)', () => {
    const data = fixture.random.data;
    const tensor = tf.tensor2d(data);
    const fromTensor = ppcaMaximumLikelihood(tensor, 2);
    tensor.dispose();
    const fromMatrix = ppcaMaximumLikelihood({ rows: data.length, cols: 5, values: Float32Array.from(data.flat()) }, 2);
    expect(Math.abs(fromTensor.logLikelihood - fixture.random.solution.logLikelihood)).toBeLessThan(1e-6);
    expect(Math.abs(fromMatrix.logLikelihood - fixture.random.solution.logLikelihood)).toBeLessThan(1e-6);
    const best = ppcaLogLikelihood(data, fromMatrix);
    for (const factor of [0.95, 1.05]) {
      expect(ppcaLogLikelihood(data, { ...fromMatrix, noiseVariance: fromMatrix.noiseVariance * factor })).toBeLessThan(best);
      expect(ppcaLogLikelihood(data, { ...fromMatrix, weight: fromMatrix.weight.map((r) => r.map((v) => v * factor)) })).toBeLessThan(best);
    }
  });

  it('rejects a latent dimension outside [1, D)', () => {
    expect(() => ppcaMaximumLikelihood(fixture.spec.data, 3)).toThrow('latentDim: expected an integer in [1, 2] (below the data dimension 3), got 3');
    expect(() => ppcaMaximumLikelihood([[1, 2], [3]], 1)).toThrow(/data: expected rows of equal length/);
  });
});

describe('ppcaLogLikelihood', () => {
  it('matches scipy.stats.multivariate_normal at random parameters', () => {
    expect(Math.abs(ppcaLogLikelihood(fixture.random.data, fixture.random.parameters) - fixture.random.logLikelihood)).toBeLessThan(1e-10);
  });

  it('names the bad argument', () => {
    expect(() => ppcaLogLikelihood(fixture.random.data, { ...fixture.random.parameters, noiseVariance: 0 })).toThrow('noiseVariance: expected a finite number > 0, got 0');
    expect(() => ppcaLogLikelihood(fixture.random.data, { ...fixture.random.parameters, mean: [1] })).toThrow('mean: expected length 5, got length 1');
  });
});
