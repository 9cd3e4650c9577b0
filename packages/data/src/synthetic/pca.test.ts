import { generatePca } from './pca.js';

describe('generatePca', () => {
  it('has the requested shape and the paper defaults', () => {
    const { data, loadings, mean, noiseStd } = generatePca();
    expect([data.rows, data.cols]).toEqual([10_000, 10]);
    expect([loadings.rows, loadings.cols]).toEqual([10, 2]);
    expect(mean.length).toBe(10);
    expect(noiseStd).toBe(0.1);
    expect(Array.from(loadings.values).every((w) => w >= 0 && w < 1)).toBe(true);
    const small = generatePca({ n: 7, dataDim: 5, latentDim: 3, noiseStd: 0.5, seed: 9 });
    expect([small.data.rows, small.data.cols, small.loadings.rows, small.loadings.cols]).toEqual([7, 5, 5, 3]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = generatePca({ n: 100, seed: 3 });
    const b = generatePca({ n: 100, seed: 3 });
    const c = generatePca({ n: 100, seed: 4 });
    expect(Array.from(a.data.values)).toEqual(Array.from(b.data.values));
    expect(Array.from(a.loadings.values)).toEqual(Array.from(b.loadings.values));
    expect(Array.from(a.data.values)).not.toEqual(Array.from(c.data.values));
  });

  it('has sample mean μ and covariance W Wᵀ + σ² I within 5 standard errors per entry', () => {
    const n = 40_000;
    const { data, loadings, mean, noiseStd } = generatePca({ n, seed: 11 });
    const d = data.cols;
    const h = loadings.cols;
    const sigma = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = i === j ? noiseStd ** 2 : 0;
        for (let k = 0; k < h; k++) s += loadings.values[i * h + k]! * loadings.values[j * h + k]!;
        sigma[i * d + j] = s;
      }
    }
    const sampleMean = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) sampleMean[i]! += data.values[r * d + i]! / n;
    const cov = new Float64Array(d * d);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < d; i++) {
        const xi = data.values[r * d + i]! - sampleMean[i]!;
        for (let j = 0; j < d; j++) cov[i * d + j]! += (xi * (data.values[r * d + j]! - sampleMean[j]!)) / (n - 1);
      }
    }
    for (let i = 0; i < d; i++) {
      expect(Math.abs(sampleMean[i]! - mean[i]!)).toBeLessThan(5 * Math.sqrt(sigma[i * d + i]! / n));
      for (let j = 0; j < d; j++) {
        // Var of a Gaussian sample covariance entry: (Σ_ii Σ_jj + Σ_ij²) / n.
        const se = Math.sqrt((sigma[i * d + i]! * sigma[j * d + j]! + sigma[i * d + j]! ** 2) / n);
        expect(Math.abs(cov[i * d + j]! - sigma[i * d + j]!)).toBeLessThan(5 * se);
      }
    }
  });

  it('rejects invalid options naming them', () => {
    expect(() => generatePca({ n: 0 })).toThrow(/n: expected a positive integer, got 0/);
    expect(() => generatePca({ latentDim: 1.5 })).toThrow(/latentDim/);
    expect(() => generatePca({ noiseStd: -1 })).toThrow(/noiseStd: expected a finite number ≥ 0, got -1/);
  });
});
