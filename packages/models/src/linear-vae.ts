import * as tf from '@tensorflow/tfjs-core';
import { defineClassId, deriveSeed, InvalidArgumentError, LOG_2PI } from '@trientropy/distributions';
import { checkBatch } from './batch-checks.js';
import { checkInteger, checkLogVariance } from './config-checks.js';
import { type DataMoments, dataMoments } from './data-moments.js';
import { MODEL_SIZE_LIMITS, checkDimension, checkParameterCount } from './size-limits.js';
import { inverseSpd, symmetricEigen } from './dense-linear-algebra.js';
import { LinearGaussianEncoder } from './linear-gaussian-encoder.js';
import type { MatrixInput } from './matrix-input.js';
import { Mlp } from './mlp.js';
import { type PpcaParameters, ppcaLogLikelihood } from './ppca.js';
import { ScalarGaussianVae } from './scalar-gaussian-vae.js';
import { uniqueScope } from './unique-name.js';
import type { ElboTerms, OptimalVarianceOptions, OptimalVariances } from './vae-terms.js';

/** Configuration of {@link LinearVae}. */
export interface LinearVaeConfig {
  /** Observed dimension D. */
  dataDim: number;
  /** Latent dimension H. */
  latentDim: number;
  /** Initial log τ_h² of the encoder, the same for every h. Default 0. */
  initialEncoderLogVariance?: number;
  /** Initial log σ² of the decoder. Default 0. */
  initialLogDecoderVariance?: number;
  /** Seed of the weight initialisation. Default 0. */
  seed?: number;
}

/** All parameters of a linear VAE in the paper's orientation (column vectors). */
export interface LinearVaeParameters extends PpcaParameters {
  /** Encoder mean weight V, H rows of D values: ν(x) = V x + c. */
  encoderWeight: number[][];
  /** Encoder mean bias c, length H. */
  encoderBias: number[];
  /** log τ_h², length H (shared by all data points). */
  encoderLogVariance: number[];
}

/** What {@link LinearVae.coordinateAscent} did. */
export interface CoordinateAscentResult {
  /** Sweeps run (each: decoder and σ² given the encoder, the latent rotation and the best decoder within its column span, then the encoder given the decoder). */
  sweeps: number;
  /** The exact ELBO per point before the first and after the last sweep (float64, from the data's moments). */
  elboBefore: number;
  elboAfter: number;
}

/** Parameters as float64 arrays (W: D×H row-major, V: H×D row-major). */
interface Float64Parameters {
  w: Float64Array;
  b: Float64Array;
  s2: number;
  v: Float64Array;
  c: Float64Array;
  tau2: Float64Array;
}

/**
 * The linear VAE of the paper (arXiv 2010.14860, linear-VAE section): `ν(x) = V x + c`, data-independent τ_h², decoder `N(W z + b, σ² I)`, prior
 * N(0, I). Its decoder is probabilistic PCA, and at the pPCA maximum-likelihood point (see
 * {@link setPpcaSolution}) the variational posterior is exact, so ELBO = entropy sum = pPCA log-likelihood.
 * Besides the Monte-Carlo {@link elbo} it has the sampling-free {@link exactElbo}.
 */
export class LinearVae extends ScalarGaussianVae {
  static {
    defineClassId(this, '@trientropy/models:LinearVae'); // instanceof across the ESM and CJS builds (see VaeBase)
  }

  readonly kind = 'linear' as const;
  readonly decoderVarianceType = 'learnable' as const;
  readonly config: Readonly<Required<LinearVaeConfig>>;
  readonly encoder: LinearGaussianEncoder;

  constructor(config: LinearVaeConfig) {
    if (typeof config !== 'object' || config === null) throw new InvalidArgumentError('config', 'an object', String(config));
    const resolved: Required<LinearVaeConfig> = {
      dataDim: checkDimension(config.dataDim, 'dataDim', MODEL_SIZE_LIMITS.dataDim),
      latentDim: checkDimension(config.latentDim, 'latentDim', MODEL_SIZE_LIMITS.latentDim),
      initialEncoderLogVariance: checkLogVariance(config.initialEncoderLogVariance ?? 0, 'initialEncoderLogVariance'),
      initialLogDecoderVariance: checkLogVariance(config.initialLogDecoderVariance ?? 0, 'initialLogDecoderVariance'),
      seed: checkInteger(config.seed ?? 0, 'seed'),
    };
    checkParameterCount(2 * resolved.dataDim * resolved.latentDim, `dataDim ${resolved.dataDim}, latentDim ${resolved.latentDim}`);
    const scope = uniqueScope('linear_vae');
    const encoder = new LinearGaussianEncoder({ dataDim: resolved.dataDim, latentDim: resolved.latentDim, logVarianceInit: resolved.initialEncoderLogVariance, seed: resolved.seed, name: `${scope}/encoder` });
    super({
      dataDim: resolved.dataDim,
      latentDim: resolved.latentDim,
      encoder,
      decoderMean: new Mlp({ inputSize: resolved.latentDim, hiddenSizes: [], outputSize: resolved.dataDim, activation: 'linear', seed: deriveSeed(resolved.seed, 100), name: `${scope}/decoder` }),
      initialLogDecoderVariance: resolved.initialLogDecoderVariance,
      learnableDecoderVariance: true,
      scope,
    });
    this.config = resolved;
    this.encoder = encoder;
  }

  private get decoderLayer() {
    return this.decoderMean.layers[0]!;
  }

  /** R computed exactly: `mean_n ‖x_n − Wν_n − b‖² + Σ_h τ_h² ‖W_h‖²`. */
  private exactSquaredError(batch: tf.Tensor2D, mean: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const residual = tf.sub(batch, this.decoderMean.apply(mean));
      const spread = tf.sum(tf.mul(tf.exp(this.encoder.logVariance), tf.sum(tf.square(this.decoderLayer.weight), 1)));
      return tf.add(tf.mean(tf.sum(tf.square(residual), 1)), spread) as tf.Scalar;
    });
  }

  /**
   * The ELBO without sampling (arXiv 2010.14860, linear-VAE section): `−(D/2) log(2πσ²) − R/(2σ²) − KL` with R in closed form
   * (`mean_n ‖x_n − Wν_n − b‖² + Σ_h τ_h²‖W_h‖²`). Differentiable; a noise-free training objective.
   */
  exactElbo(x: tf.Tensor): ElboTerms {
    const batch = checkBatch(x, this.dataDim);
    return tf.tidy(() => {
      const encoded = this.encoder.encode(batch);
      const squaredError = this.exactSquaredError(batch, encoded.mean);
      const expectedLogLikelihood = tf.sub(
        tf.mul(tf.add(this.logDecoderVariance, LOG_2PI), -0.5 * this.dataDim),
        tf.mul(tf.exp(tf.neg(this.logDecoderVariance)), tf.mul(squaredError, 0.5)),
      ) as tf.Scalar;
      const kl = this.klOf(encoded);
      return { elbo: tf.sub(expectedLogLikelihood, kl) as tf.Scalar, expectedLogLikelihood, kl, squaredError };
    });
  }

  /** `{ decoderVariance: R/D }` with R computed exactly over all of `x` (the Monte-Carlo options are not used). */
  override optimalVariances(x: tf.Tensor, _options: OptimalVarianceOptions): OptimalVariances {
    const batch = checkBatch(x, this.dataDim);
    const r = tf.tidy(() => this.exactSquaredError(batch, this.encoder.encode(batch).mean));
    const value = r.dataSync()[0]!;
    r.dispose();
    if (!Number.isFinite(value)) throw new InvalidArgumentError('x', 'data with a finite reconstruction error R', String(value));
    return { decoderVariance: value / this.dataDim };
  }

  /** Reads every parameter back, in the paper's orientation. */
  parameters(): LinearVaeParameters {
    const read = (t: tf.Tensor): number[] => Array.from(t.dataSync());
    const wt = this.decoderLayer.weight.arraySync() as number[][]; // [H, D]
    const vt = this.encoder.mean.weight.arraySync() as number[][]; // [D, H]
    return {
      weight: Array.from({ length: this.dataDim }, (_, d) => wt.map((row) => row[d]!)),
      mean: read(this.decoderLayer.bias),
      noiseVariance: Math.exp(read(this.logDecoderVariance)[0]!),
      encoderWeight: Array.from({ length: this.latentDim }, (_, h) => vt.map((row) => row[h]!)),
      encoderBias: read(this.encoder.mean.bias),
      encoderLogVariance: read(this.encoder.logVariance),
    };
  }

  /** Sets every parameter (paper orientation: W is D×H, V is H×D). */
  setParameters(p: LinearVaeParameters): void {
    const { dataDim: d, latentDim: h } = this;
    const matrix = (m: number[][], rows: number, cols: number, name: string): number[][] => {
      if (m.length !== rows || !m.every((r) => r.length === cols && r.every(Number.isFinite))) throw new InvalidArgumentError(name, `${rows} rows of ${cols} finite numbers`, `${m.length} rows`);
      return m;
    };
    const vector = (v: number[], length: number, name: string): number[] => {
      if (v.length !== length || !v.every(Number.isFinite)) throw new InvalidArgumentError(name, `${length} finite numbers`, `${v.length} values`);
      return v;
    };
    const w = matrix(p.weight, d, h, 'weight');
    const v = matrix(p.encoderWeight, h, d, 'encoderWeight');
    const b = vector(p.mean, d, 'mean');
    const c = vector(p.encoderBias, h, 'encoderBias');
    const logTau2 = vector(p.encoderLogVariance, h, 'encoderLogVariance');
    this.setDecoderVariance(p.noiseVariance);
    tf.tidy(() => {
      this.decoderLayer.weight.assign(tf.transpose(tf.tensor2d(w, [d, h], 'float32')));
      this.decoderLayer.bias.assign(tf.tensor1d(b, 'float32'));
      this.encoder.mean.weight.assign(tf.transpose(tf.tensor2d(v, [h, d], 'float32')));
      this.encoder.mean.bias.assign(tf.tensor1d(c, 'float32'));
      this.encoder.logVariance.assign(tf.tensor1d(logTau2, 'float32'));
    });
  }

  /**
   * Sets the decoder to pPCA parameters (W, b, σ²) and the encoder to its optimum for them (arXiv 2010.14860, linear-VAE section):
   * `ν(x) = M⁻¹Wᵀ(x − b)` with `M = WᵀW + σ²I`, and `τ_h² = σ²/(σ² + ‖W_h‖²)`. For the maximum-likelihood
   * solution this is the exact posterior, so the ELBO equals the pPCA log-likelihood.
   */
  setPpcaSolution(solution: PpcaParameters): void {
    const { dataDim: d, latentDim: h } = this;
    const { weight: w, mean: b, noiseVariance: s2 } = solution;
    if (w.length !== d || !w.every((r) => r.length === h)) throw new InvalidArgumentError('solution.weight', `${d} rows of ${h} values`, `${w.length} rows of ${w[0]?.length ?? 0}`);
    const m = new Float64Array(h * h);
    for (let i = 0; i < h; i++) for (let j = 0; j < h; j++) m[i * h + j] = w.reduce((s, row) => s + row[i]! * row[j]!, i === j ? s2 : 0);
    const mInverse = inverseSpd(m, h);
    const encoderWeight = Array.from({ length: h }, (_, i) => Array.from({ length: d }, (_, k) => w[k]!.reduce((s, wk, j) => s + mInverse[i * h + j]! * wk, 0)));
    const encoderBias = encoderWeight.map((row) => -row.reduce((s, vik, k) => s + vik * b[k]!, 0));
    const encoderLogVariance = Array.from({ length: h }, (_, i) => Math.log(s2 / (s2 + w.reduce((s, row) => s + row[i]! ** 2, 0))));
    this.setParameters({ weight: w, mean: b, noiseVariance: s2, encoderWeight, encoderBias, encoderLogVariance });
  }

  /**
   * Sets the encoder to its exact optimum for the current decoder (arXiv 2010.14860, linear-VAE section): `ν(x) = M⁻¹Wᵀ(x − b)`,
   * `τ_h² = σ²/(σ² + ‖W_h‖²)`. A closed-form coordinate-ascent step: the ELBO cannot decrease. Reads the
   * parameters back once.
   */
  setOptimalEncoder(): void {
    this.setPpcaSolution(this.parameters());
  }

  private float64Parameters(): Float64Parameters {
    const p = this.parameters();
    return {
      w: Float64Array.from(p.weight.flat()),
      b: Float64Array.from(p.mean),
      s2: p.noiseVariance,
      v: Float64Array.from(p.encoderWeight.flat()),
      c: Float64Array.from(p.encoderBias),
      tau2: Float64Array.from(p.encoderLogVariance, Math.exp),
    };
  }

  private setFloat64Parameters(p: Float64Parameters): void {
    const { dataDim: d, latentDim: h } = this;
    this.setParameters({
      weight: Array.from({ length: d }, (_, i) => Array.from(p.w.subarray(i * h, (i + 1) * h))),
      mean: Array.from(p.b),
      noiseVariance: p.s2,
      encoderWeight: Array.from({ length: h }, (_, k) => Array.from(p.v.subarray(k * d, (k + 1) * d))),
      encoderBias: Array.from(p.c),
      encoderLogVariance: Array.from(p.tau2, Math.log),
    });
  }

  /** Exact ELBO per point from the data's moments (float64; the same value as {@link exactElbo} on the data). */
  private static momentElbo(m: DataMoments, p: Float64Parameters, h: number): number {
    const d = m.cols;
    const { w, b, s2, v, c, tau2 } = p;
    // ν_n = V x_n + c; residual r_n = (I − WV) x_n − (Wc + b); R = tr(A S Aᵀ) + ‖A x̄ − e‖² + Σ_h τ_h² ‖W_h‖².
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let sum = i === j ? 1 : 0;
      for (let k = 0; k < h; k++) sum -= w[i * h + k]! * v[k * d + j]!;
      a[i * d + j] = sum;
    }
    let r = 0;
    for (let i = 0; i < d; i++) {
      let offset = -b[i]!;
      for (let k = 0; k < h; k++) offset -= w[i * h + k]! * c[k]!;
      for (let j = 0; j < d; j++) offset += a[i * d + j]! * m.mean[j]!;
      r += offset * offset;
      for (let j = 0; j < d; j++) {
        let as = 0;
        for (let l = 0; l < d; l++) as += a[i * d + l]! * m.covariance[l * d + j]!;
        r += as * a[i * d + j]!;
      }
    }
    let kl = 0;
    for (let k = 0; k < h; k++) {
      let wk = 0;
      for (let i = 0; i < d; i++) wk += w[i * h + k]! ** 2;
      r += tau2[k]! * wk;
      let meanNu = c[k]!;
      for (let j = 0; j < d; j++) meanNu += v[k * d + j]! * m.mean[j]!;
      let varNu = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) varNu += v[k * d + i]! * m.covariance[i * d + j]! * v[k * d + j]!;
      kl += 0.5 * (varNu + meanNu * meanNu + tau2[k]! - 1 - Math.log(tau2[k]!));
    }
    return -0.5 * d * (LOG_2PI + Math.log(s2)) - r / (2 * s2) - kl;
  }

  /** M-step: decoder (W, b) and σ² maximising the exact ELBO for the current encoder (V, c, τ²). */
  private static decoderStep(m: DataMoments, p: Float64Parameters, h: number): void {
    const d = m.cols;
    const { v, c, tau2 } = p;
    // C_xν = S Vᵀ (D×H), A = V S Vᵀ + diag τ² (H×H); W = C_xν A⁻¹, b = x̄ − W ν̄, σ² = (tr S − tr(Wᵀ C_xν))/D.
    const cxn = new Float64Array(d * h);
    for (let i = 0; i < d; i++) for (let k = 0; k < h; k++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += m.covariance[i * d + j]! * v[k * d + j]!;
      cxn[i * h + k] = sum;
    }
    const a = new Float64Array(h * h);
    for (let k = 0; k < h; k++) for (let l = 0; l < h; l++) {
      let sum = k === l ? tau2[k]! : 0;
      for (let j = 0; j < d; j++) sum += v[k * d + j]! * cxn[j * h + l]!;
      a[k * h + l] = sum;
    }
    const aInverse = inverseSpd(a, h);
    const w = new Float64Array(d * h);
    for (let i = 0; i < d; i++) for (let l = 0; l < h; l++) {
      let sum = 0;
      for (let k = 0; k < h; k++) sum += cxn[i * h + k]! * aInverse[k * h + l]!;
      w[i * h + l] = sum;
    }
    const meanNu = Array.from({ length: h }, (_, k) => c[k]! + Array.from({ length: d }, (_, j) => v[k * d + j]! * m.mean[j]!).reduce((s, x) => s + x, 0));
    const b = Float64Array.from({ length: d }, (_, i) => m.mean[i]! - meanNu.reduce((s, nu, k) => s + w[i * h + k]! * nu, 0));
    let r = 0;
    for (let i = 0; i < d; i++) {
      r += m.covariance[i * d + i]!;
      for (let k = 0; k < h; k++) r -= w[i * h + k]! * cxn[i * h + k]!;
    }
    p.w = w;
    p.b = b;
    p.s2 = Math.max(r / d, 1e-12);
  }

  /**
   * Rotation step: W ← W Q with Q the eigenvectors of WᵀW (descending eigenvalues, each column's largest entry
   * made positive), so that WᵀW, and hence M = WᵀW + σ²I, is diagonal. The marginal likelihood of (W, b, σ²) is
   * invariant to rotations of the latent space, and the ELBO with the optimal encoder is that likelihood minus
   * the KL from the best diagonal posterior to the exact one (covariance σ²M⁻¹), which vanishes iff M is diagonal:
   * after this step and the E-step the ELBO equals the likelihood, so the step can only raise it. Without it,
   * EM with a diagonal posterior approaches the orthogonal columns at a rate set by σ², i.e. very slowly on
   * data with little noise (thousands of sweeps for 1e-4 of the ELBO).
   */
  private static rotationStep(p: Float64Parameters, d: number, h: number): void {
    const { w } = p;
    const gram = new Float64Array(h * h);
    for (let k = 0; k < h; k++) for (let l = 0; l < h; l++) {
      let sum = 0;
      for (let i = 0; i < d; i++) sum += w[i * h + k]! * w[i * h + l]!;
      gram[k * h + l] = sum;
    }
    const { vectors: q } = symmetricEigen(gram, h);
    const rotated = new Float64Array(d * h);
    for (let l = 0; l < h; l++) {
      let largest = 0;
      for (let i = 0; i < d; i++) {
        let sum = 0;
        for (let k = 0; k < h; k++) sum += w[i * h + k]! * q[k * h + l]!;
        rotated[i * h + l] = sum;
        if (Math.abs(sum) > Math.abs(rotated[largest * h + l]!)) largest = i;
      }
      if (rotated[largest * h + l]! < 0) for (let i = 0; i < d; i++) rotated[i * h + l] = -rotated[i * h + l]!;
    }
    p.w = rotated;
  }

  /**
   * Subspace step, after {@link rotationStep} (orthogonal columns): with only the column span of W fixed, the
   * marginal likelihood's maximiser over W, b and σ² is closed form (Tipping & Bishop's solution restricted to
   * that subspace, a Rayleigh–Ritz step): with Q an orthonormal basis of the span and `QᵀSQ = E Θ Eᵀ`,
   * `W = Q E (Θ − σ²I)^{1/2}`, `b = x̄`, `σ² = (tr S − Σ_h θ_h)/(D − H)`. The old W has the same span, so the
   * likelihood, and after the E-step the ELBO, cannot fall. Taken only where that maximiser is interior (every
   * θ_h > σ²); otherwise skipped, so no latent is switched off here. Without it EM approaches these values at a
   * rate of about 1 − 2σ²/λ_h per sweep: not at all in practice on data with little noise. EM is left with the
   * span itself, which it finds like a power iteration.
   */
  private static subspaceStep(m: DataMoments, p: Float64Parameters, h: number): void {
    const d = m.cols;
    if (d === h) return;
    const { w } = p;
    const norms = Float64Array.from({ length: h }, (_, k) => Math.sqrt(Array.from({ length: d }, (_, i) => w[i * h + k]! ** 2).reduce((s, x) => s + x, 0)));
    if (!norms.every((n) => n > 0 && Number.isFinite(n))) return;
    const q = Float64Array.from({ length: d * h }, (_, index) => w[index]! / norms[index % h]!);
    const sq = new Float64Array(d * h);
    for (let i = 0; i < d; i++) for (let k = 0; k < h; k++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += m.covariance[i * d + j]! * q[j * h + k]!;
      sq[i * h + k] = sum;
    }
    const projected = new Float64Array(h * h);
    for (let k = 0; k < h; k++) for (let l = 0; l < h; l++) {
      let sum = 0;
      for (let i = 0; i < d; i++) sum += q[i * h + k]! * sq[i * h + l]!;
      projected[k * h + l] = sum;
    }
    const { values: theta, vectors: e } = symmetricEigen(projected, h);
    let trace = 0;
    for (let i = 0; i < d; i++) trace += m.covariance[i * d + i]!;
    const s2 = (trace - theta.reduce((s, x) => s + x, 0)) / (d - h);
    if (!(s2 > 0) || !theta.every((t) => t > s2)) return;
    const next = new Float64Array(d * h);
    for (let l = 0; l < h; l++) {
      const length = Math.sqrt(theta[l]! - s2);
      let largest = 0;
      for (let i = 0; i < d; i++) {
        let sum = 0;
        for (let k = 0; k < h; k++) sum += q[i * h + k]! * e[k * h + l]!;
        next[i * h + l] = sum * length;
        if (Math.abs(next[i * h + l]!) > Math.abs(next[largest * h + l]!)) largest = i;
      }
      if (next[largest * h + l]! < 0) for (let i = 0; i < d; i++) next[i * h + l] = -next[i * h + l]!;
    }
    p.w = next;
    p.b = Float64Array.from(m.mean);
    p.s2 = Math.max(s2, 1e-12);
  }

  /** E-step: the encoder maximising the exact ELBO for the current decoder (probabilistic PCA, Tipping & Bishop 1999). */
  private static encoderStep(p: Float64Parameters, d: number, h: number): void {
    const { w, b, s2 } = p;
    const m = new Float64Array(h * h);
    for (let k = 0; k < h; k++) for (let l = 0; l < h; l++) {
      let sum = k === l ? s2 : 0;
      for (let i = 0; i < d; i++) sum += w[i * h + k]! * w[i * h + l]!;
      m[k * h + l] = sum;
    }
    const mInverse = inverseSpd(m, h);
    const v = new Float64Array(h * d);
    for (let k = 0; k < h; k++) for (let i = 0; i < d; i++) {
      let sum = 0;
      for (let l = 0; l < h; l++) sum += mInverse[k * h + l]! * w[i * h + l]!;
      v[k * d + i] = sum;
    }
    p.v = v;
    p.c = Float64Array.from({ length: h }, (_, k) => -Array.from({ length: d }, (_, i) => v[k * d + i]! * b[i]!).reduce((s, x) => s + x, 0));
    p.tau2 = Float64Array.from({ length: h }, (_, k) => s2 / m[k * h + k]!);
  }

  /**
   * Sets the decoder (W, b) and σ² to the maximiser of the exact ELBO for the current encoder (the M-step of
   * variational EM, closed form: `W = S Vᵀ (V S Vᵀ + diag τ²)⁻¹`, `b = x̄ − W ν̄`, `σ² = R/D`), computed in float64
   * from the data's mean and covariance. A coordinate-ascent step: the exact ELBO cannot decrease.
   */
  setOptimalDecoder(data: MatrixInput | DataMoments): void {
    const moments = 'covariance' in data && 'mean' in data ? (data as DataMoments) : dataMoments(data as MatrixInput);
    if (moments.cols !== this.dataDim) throw new InvalidArgumentError('data', `${this.dataDim} columns (the model's dataDim)`, `${moments.cols} columns`);
    const p = this.float64Parameters();
    LinearVae.decoderStep(moments, p, this.latentDim);
    this.setFloat64Parameters(p);
  }

  /**
   * Variational EM in closed form (the linear VAE and probabilistic PCA, Tipping & Bishop 1999): up to `maxSweeps`
   * sweeps of {@link setOptimalDecoder}, a rotation of the latent space that makes the decoder's columns orthogonal
   * (the marginal likelihood does not change; the diagonal posterior becomes exact), the closed-form W, b and σ²
   * within the span of the decoder's columns, then
   * {@link setOptimalEncoder}, in float64 on the data's moments, stopping early once a sweep raises the exact
   * ELBO by less than `tolerance`·|ELBO|. Each sweep is exact coordinate ascent, so the ELBO never decreases; for
   * pPCA this converges to the maximum-likelihood solution (ℓ_ML) from almost every start. Writes the parameters
   * once at the end. Default `maxSweeps` 100, `tolerance` 1e-12.
   */
  coordinateAscent(data: MatrixInput | DataMoments, options: { maxSweeps?: number; tolerance?: number } = {}): CoordinateAscentResult {
    const moments = 'covariance' in data && 'mean' in data ? (data as DataMoments) : dataMoments(data as MatrixInput);
    if (moments.cols !== this.dataDim) throw new InvalidArgumentError('data', `${this.dataDim} columns (the model's dataDim)`, `${moments.cols} columns`);
    const maxSweeps = options.maxSweeps ?? 100;
    if (!Number.isInteger(maxSweeps) || maxSweeps < 1) throw new InvalidArgumentError('maxSweeps', 'a positive integer', String(maxSweeps));
    const tolerance = options.tolerance ?? 1e-12;
    if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new InvalidArgumentError('tolerance', 'a finite number ≥ 0', String(tolerance));
    const { dataDim: d, latentDim: h } = this;
    const p = this.float64Parameters();
    const elboBefore = LinearVae.momentElbo(moments, p, h);
    let elbo = elboBefore;
    let sweeps = 0;
    while (sweeps < maxSweeps) {
      LinearVae.decoderStep(moments, p, h);
      LinearVae.rotationStep(p, d, h);
      LinearVae.subspaceStep(moments, p, h);
      LinearVae.encoderStep(p, d, h);
      sweeps += 1;
      const next = LinearVae.momentElbo(moments, p, h);
      const change = next - elbo;
      elbo = next;
      if (change <= tolerance * Math.abs(next)) break;
    }
    this.setFloat64Parameters(p);
    return { sweeps, elboBefore, elboAfter: elbo };
  }

  /** Exact marginal log-likelihood per data point of `data` under the current decoder (pPCA, float64). */
  logLikelihood(data: MatrixInput): number {
    return ppcaLogLikelihood(data, this.parameters());
  }
}
