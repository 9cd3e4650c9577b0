import { loadGeneratorMoments } from '../test-support/column-moments.js';
import { generatePca, generatePcaRing } from './pca.js';

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
    expect(() => generatePca({ n: 0 })).toThrow('options.n: expected an integer ≥ 1, got 0');
    expect(() => generatePca({ latentDim: 1.5 })).toThrow('options.latentDim: expected an integer ≥ 1, got 1.5');
    expect(() => generatePca({ noiseStd: -1 })).toThrow('options.noiseStd: expected a finite number ≥ 0, got -1');
    expect(() => generatePca({ noiseStd: Number.NaN })).toThrow('options.noiseStd: expected a finite number ≥ 0, got NaN');
    expect(() => generatePcaRing({ seed: -2 })).toThrow('options.seed: expected an integer ≥ 0, got -2');
  });
});

describe('generatePcaRing', () => {
  it('shares W, μ and σ with generatePca for the same seed', () => {
    const pca = generatePca({ n: 10, seed: 6 });
    const ring = generatePcaRing({ n: 10, seed: 6 });
    expect(Array.from(ring.loadings.values)).toEqual(Array.from(pca.loadings.values));
    expect(Array.from(ring.mean)).toEqual(Array.from(pca.mean));
    expect(Array.from(ring.data.values)).not.toEqual(Array.from(pca.data.values));
    expect(generatePcaRing({ n: 10, seed: 6 }).data.values).toEqual(ring.data.values);
  });

  it('latents ‖z‖ = 1 + ‖g‖/10 ≥ 1 (recovered from noise-free data), mean and variance as SciPy says', () => {
    const n = 20_000;
    const { data, loadings, mean } = generatePcaRing({ n, noiseStd: 0, seed: 12 });
    const w = loadings.values;
    // Solve the 2 × 2 normal equations (WᵀW) z = Wᵀ(x − μ) per point.
    let a = 0, b = 0, c = 0;
    for (let i = 0; i < 10; i++) {
      a += w[2 * i]! ** 2;
      b += w[2 * i]! * w[2 * i + 1]!;
      c += w[2 * i + 1]! ** 2;
    }
    const det = a * c - b * b;
    const norms = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let p = 0, q = 0;
      for (let i = 0; i < 10; i++) {
        const y = data.values[10 * r + i]! - mean[i]!;
        p += w[2 * i]! * y;
        q += w[2 * i + 1]! * y;
      }
      norms[r] = Math.hypot((c * p - b * q) / det, (a * q - b * p) / det);
    }
    expect(Math.min(...norms)).toBeGreaterThan(1 - 1e-4);
    const ref = loadGeneratorMoments().pcaRingLatentNorm;
    const sampleMean = norms.reduce((s, v) => s + v, 0) / n;
    const sampleVar = norms.reduce((s, v) => s + (v - sampleMean) ** 2, 0) / (n - 1);
    expect(Math.abs(sampleMean - ref.mean)).toBeLessThan(5 * Math.sqrt(ref.variance / n));
    // |g|²/100 is χ²₂/100; a loose relative check of the variance is enough here
    expect(Math.abs(sampleVar / ref.variance - 1)).toBeLessThan(0.06);
  });
});
