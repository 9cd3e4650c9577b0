import * as tf from '@tensorflow/tfjs-core';
import { LOG_2PI } from './constants.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { InvalidArgumentError, UnsupportedMethodError, describeValue } from './errors.js';
import { HostRandom } from './host-random.js';
import { HypersphericalUniform } from './hyperspherical-uniform.js';
import { besselIRatio, besselIRatioComplement, lgammaHost, logPowerOverBesselIve } from './log-bessel.js';
import { log1p } from './special/log1p.js';
import { type TensorLike, assertAllElements, broadcastShapes, toFloatTensor } from './tensor-checks.js';

/** Largest accepted deviation of ‖loc‖ from 1 (float32 normalisation of a 1000-vector is off by ~1e-6). */
const UNIT_NORM_TOLERANCE = 1e-4;
/** Proposals per draw before Wood's sampler gives up (its acceptance rate is above 0.5 for every p and κ). */
const MAX_PROPOSALS = 1000;

/**
 * Von Mises–Fisher distribution on the unit sphere S^{p−1} ⊂ ℝ^p, with mean direction `loc` (unit vectors, last axis
 * = dimension p ≥ 2) and concentration κ > 0. Event shape `[p]`.
 *
 * Mathematical details (ν = p/2 − 1, A_p(κ) = I_{p/2}(κ)/I_{p/2−1}(κ)):
 * - `logProb(x) = κμᵀx + log C_p(κ)`, `log C_p(κ) = ν log κ − (p/2) log 2π − log I_ν(κ)`, evaluated as
 *   `−½κ‖x − μ‖² + ν log κ − (p/2) log 2π − log(I_ν(κ)e^{−κ})`: equal for unit x and μ, and free of the
 *   κμᵀx − log I_ν(κ) cancellation (both ≈ κ) at large κ. `ν log κ − log(I_ν e^{−κ})` is one op whose κ-derivative
 *   is 1 − A_p(κ), so the gradient does not cancel ν/κ against ν/κ at small κ.
 * - `entropy = −log C_p(κ) − κA_p(κ)`, evaluated as `−ν log κ + (p/2) log 2π + log(I_ν e^{−κ}) + κ(1 − A_p)` with
 *   1 − A_p computed directly (≈ (p − 1)/(2κ) for large κ, where 1 − A_p from A_p would cancel).
 * - `mean = A_p(κ)μ`; `variance` (diagonal of Cov = (A_p/κ)(I − μμᵀ) + A_p′ μμᵀ) `= (A_p/κ)(1 − μᵢ²) + A_p′μᵢ²`,
 *   `A_p′ = 1 − A_p² − (p − 1)A_p/κ`; `mode = μ`.
 * - `sample`: Wood (1994): w = μᵀx by rejection from a Beta((p − 1)/2, (p − 1)/2) proposal, a uniform tangent
 *   direction, and the Householder reflection taking e₁ to μ. It runs on the host in float64 with a seeded stream
 *   (reads κ and μ back once per call) and throws after 1000 rejected proposals for one draw.
 * - `rsample` is not available: a correct κ-gradient needs the implicit reparameterisation of w through its
 *   marginal cdf, which is not implemented (see the README's known gaps).
 */
export class VonMisesFisher extends Distribution {
  readonly loc: tf.Tensor;
  readonly concentration: tf.Tensor;
  /** Dimension p of the ambient space (the sphere is S^{p−1}). */
  readonly dimension: number;
  readonly batchShape: number[];
  readonly eventShape: number[];
  readonly hasRsample = false;

  constructor(loc: tf.Tensor, concentration: TensorLike, options: DistributionOptions = {}) {
    super();
    this.loc = toFloatTensor(loc, 'loc');
    this.concentration = toFloatTensor(concentration, 'concentration');
    if (this.loc.rank < 1) throw new InvalidArgumentError('loc', 'a tensor of rank ≥ 1 (last axis = dimension p)', 'a scalar');
    this.dimension = this.loc.shape[this.loc.rank - 1] as number;
    if (this.dimension < 2) throw new InvalidArgumentError('loc', 'a last axis (dimension p) of size ≥ 2', `size ${this.dimension}`);
    this.eventShape = [this.dimension];
    this.batchShape = broadcastShapes(this.loc.shape.slice(0, -1), this.concentration.shape, 'loc', 'concentration');
    if (options.validateArgs ?? true) {
      assertAllElements(this.concentration, 'concentration', 'finite values > 0', (v) => v > 0 && Number.isFinite(v));
      const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(this.loc), -1)));
      const values = norms.dataSync();
      norms.dispose();
      values.forEach((n, i) => {
        if (!(Math.abs(n - 1) <= UNIT_NORM_TOLERANCE)) {
          throw new InvalidArgumentError('loc', `unit vectors along the last axis (|‖loc‖ − 1| ≤ ${UNIT_NORM_TOLERANCE})`, `a vector of norm ${describeValue(n)} at batch index ${i}`);
        }
      });
    }
  }

  /** ν = p/2 − 1, the order of the Bessel function in the normaliser. */
  private get order(): number {
    return this.dimension / 2 - 1;
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    const p = this.dimension;
    if (x.rank < 1 || x.shape[x.rank - 1] !== p) {
      throw new InvalidArgumentError('value', `a last axis of size ${p} (the dimension)`, `shape [${x.shape.join(',')}]`);
    }
    return tf.tidy(() => {
      const shape = broadcastShapes(x.shape.slice(0, -1), this.batchShape, 'value', 'loc/concentration');
      const squaredDistance = tf.sum(tf.square(tf.sub(x, this.loc)), -1);
      const kappa = tf.broadcastTo(this.concentration, shape);
      const logNormalizerTerms = tf.sub(logPowerOverBesselIve(this.order, kappa), (p / 2) * LOG_2PI);
      return tf.add(tf.mul(tf.mul(kappa, -0.5), tf.broadcastTo(squaredDistance, shape)), logNormalizerTerms);
    });
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const kappa = tf.broadcastTo(this.concentration, this.batchShape);
      const p = this.dimension;
      const negLogNormalizer = tf.sub((p / 2) * LOG_2PI, logPowerOverBesselIve(this.order, kappa));
      return tf.add(negLogNormalizer, tf.mul(kappa, besselIRatioComplement(this.order, kappa)));
    });
  }

  mean(): tf.Tensor {
    return tf.tidy(() => {
      const a = tf.expandDims(besselIRatio(this.order, tf.broadcastTo(this.concentration, this.batchShape)), -1);
      return tf.broadcastTo(tf.mul(a, this.loc), [...this.batchShape, this.dimension]);
    });
  }

  variance(): tf.Tensor {
    return tf.tidy(() => {
      const kappa = tf.expandDims(tf.broadcastTo(this.concentration, this.batchShape), -1);
      const a = besselIRatio(this.order, kappa);
      const s = besselIRatioComplement(this.order, kappa);
      const derivative = tf.sub(tf.mul(s, tf.sub(2, s)), tf.div(tf.mul(this.dimension - 1, a), kappa));
      const mu2 = tf.square(this.loc);
      const value = tf.add(tf.mul(tf.div(a, kappa), tf.sub(1, mu2)), tf.mul(derivative, mu2));
      return tf.broadcastTo(value, [...this.batchShape, this.dimension]);
    });
  }

  override mode(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, [...this.batchShape, this.dimension]));
  }

  protected override rsampleImpl(): tf.Tensor {
    throw new UnsupportedMethodError(
      'VonMisesFisher',
      'rsample',
      "the κ-gradient of Wood's rejection sampler (implicit reparameterisation of w = μᵀx) is not implemented; use sample() (no gradients) or a score-function estimator",
    );
  }

  protected override sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    const p = this.dimension;
    const batchSize = this.batchShape.reduce((a, b) => a * b, 1);
    const draws = sampleShape.reduce((a, b) => a * b, 1);
    const [kappaTensor, locTensor] = tf.tidy(() => [tf.broadcastTo(this.concentration, this.batchShape), tf.broadcastTo(this.loc, [...this.batchShape, p])]);
    const kappas = kappaTensor!.dataSync();
    const locs = locTensor!.dataSync();
    tf.dispose([kappaTensor!, locTensor!]);
    const members = Array.from({ length: batchSize }, (_, b) => woodMember(kappas[b] as number, locs.subarray(b * p, (b + 1) * p), p));
    const rng = new HostRandom(seed);
    const out = new Float32Array(draws * batchSize * p);
    const tangent = new Float64Array(p);
    for (let i = 0; i < draws; i++) {
      for (let b = 0; b < batchSize; b++) drawOne(members[b]!, rng, tangent, out, (i * batchSize + b) * p);
    }
    return tf.tensor(out, [...sampleShape, ...this.batchShape, p], 'float32');
  }
}

/** Per-member constants of Wood's sampler, in float64. */
interface WoodMember {
  kappa: number;
  p: number;
  /** b = (p − 1)/(2κ + √(4κ² + (p − 1)²)) (Wood's b, cancellation-free form). */
  b: number;
  /** 1 − x₀ = 2b/(1 + b). */
  oneMinusX0: number;
  x0: number;
  /** Unit mean direction and the Householder vector u = e₁ − μ̂ with ‖u‖². */
  mu: Float64Array;
  u: Float64Array;
  uNorm2: number;
}

function woodMember(kappa: number, loc: ArrayLike<number>, p: number): WoodMember {
  const m = p - 1;
  const b = m / (2 * kappa + Math.sqrt(4 * kappa * kappa + m * m));
  const oneMinusX0 = (2 * b) / (1 + b);
  let norm = 0;
  for (let j = 0; j < p; j++) norm += (loc[j] as number) ** 2;
  norm = Math.sqrt(norm);
  const mu = Float64Array.from({ length: p }, (_, j) => (loc[j] as number) / norm);
  const u = Float64Array.from(mu, (v, j) => (j === 0 ? 1 : 0) - v);
  const uNorm2 = u.reduce((s, v) => s + v * v, 0);
  return { kappa, p, b, oneMinusX0, x0: 1 - oneMinusX0, mu, u, uNorm2 };
}

/**
 * One draw of Wood's algorithm written into `out[offset..offset + p)`. With z ~ Beta((p − 1)/2, (p − 1)/2),
 * w = (1 − (1 + b)z)/(1 − (1 − b)z), accepted when κ(w − x₀) + (p − 1)·log((1 − x₀w)/(1 − x₀²)) ≥ log U: Wood's
 * test κw + (p − 1)log(1 − x₀w) − c ≥ log U, c = κx₀ + (p − 1)log(1 − x₀²), regrouped so that no term of size κ
 * cancels. 1 − w = 2bz/(1 − (1 − b)z) is kept separately so √(1 − w²) is accurate for w → 1.
 */
function drawOne(m: WoodMember, rng: HostRandom, tangent: Float64Array, out: Float32Array, offset: number): void {
  const half = (m.p - 1) / 2;
  let oneMinusW = Number.NaN;
  for (let attempt = 0; ; attempt++) {
    if (attempt >= MAX_PROPOSALS) {
      throw new Error(`VonMisesFisher.sample: Wood's rejection sampler rejected ${MAX_PROPOSALS} proposals in a row (κ ${m.kappa}, p ${m.p}); this should not happen for finite κ > 0`);
    }
    const z = rng.beta(half, half);
    const candidate = (2 * m.b * z) / (1 - (1 - m.b) * z);
    const wMinusX0 = m.oneMinusX0 - candidate;
    const oneMinusX0W = m.oneMinusX0 + m.x0 * candidate;
    const oneMinusX0Squared = m.oneMinusX0 * (1 + m.x0);
    const t = m.kappa * wMinusX0 + (m.p - 1) * Math.log(oneMinusX0W / oneMinusX0Squared);
    if (t >= Math.log(rng.uniform())) {
      oneMinusW = candidate;
      break;
    }
  }
  const w = 1 - oneMinusW;
  const radius = Math.sqrt(Math.max(oneMinusW * (2 - oneMinusW), 0));
  // x' = (w, radius·v), v uniform on S^{p−2}.
  let vNorm = 0;
  for (let j = 1; j < m.p; j++) {
    const g = rng.normal();
    tangent[j] = g;
    vNorm += g * g;
  }
  vNorm = Math.sqrt(vNorm);
  tangent[0] = w;
  for (let j = 1; j < m.p; j++) tangent[j] = (radius * (tangent[j] as number)) / vNorm;
  // Householder reflection H = I − 2uuᵀ/‖u‖² with u = e₁ − μ̂ maps e₁ to μ̂ (identity when μ̂ = e₁).
  let projection = 0;
  if (m.uNorm2 > 0) for (let j = 0; j < m.p; j++) projection += (m.u[j] as number) * (tangent[j] as number);
  const factor = m.uNorm2 > 0 ? (2 * projection) / m.uNorm2 : 0;
  for (let j = 0; j < m.p; j++) out[offset + j] = (tangent[j] as number) - factor * (m.u[j] as number);
}

/**
 * `KL(vMF(μ, κ) ‖ Uniform(S^{p−1})) = log C_p(κ) + κA_p(κ) + log |S^{p−1}| = κA_p(κ) − log S(κ)`, where
 * `S(κ) = Γ(ν + 1)(2/κ)^ν I_ν(κ) = Σ_k (κ²/4)^k/(k!(ν + 1)_k)` (ν = p/2 − 1). Evaluated for κ ≤ √(10p) as
 * `κA_p − log1p(S − 1)` (KL ≈ κ²/(2p) there, which `log |S| − H` loses to cancellation: its terms are of size
 * ν log ν, with float32 errors of ~1e-7 of that) and above (KL ≳ 5) as
 * `ν log(κ/2) − lnΓ(ν + 1) − log(I_ν e^{−κ}) − κ(1 − A_p)`. Differentiable in κ; independent of μ.
 */
export function klVonMisesFisherHypersphericalUniform(p: VonMisesFisher, q: HypersphericalUniform): tf.Tensor {
  if (p.dimension !== q.dimension) {
    throw new InvalidArgumentError('q', `a HypersphericalUniform of dimension ${p.dimension} (that of p)`, `dimension ${q.dimension}`);
  }
  const order = p.dimension / 2 - 1;
  return tf.tidy(() => {
    const shape = broadcastShapes(p.batchShape, q.batchShape, 'p', 'q');
    const kappa = tf.broadcastTo(p.concentration, shape);
    const limit = Math.sqrt(10 * p.dimension);
    const small = tf.greaterEqual(limit, kappa);
    const ks = tf.where(small, kappa, tf.onesLike(kappa));
    const y = tf.div(tf.square(ks), 4);
    let tail: tf.Tensor = tf.onesLike(ks);
    for (let k = seriesTerms(order, (limit * limit) / 4); k >= 2; k--) tail = tf.add(1, tf.mul(tf.mul(y, 1 / (k * (order + k))), tail));
    const sMinusOne = tf.mul(tf.mul(y, 1 / (order + 1)), tail);
    const series = tf.sub(tf.mul(ks, besselIRatio(order, ks)), log1p(sMinusOne));
    const kl = tf.sub(tf.sub(logPowerOverBesselIve(order, kappa), order * Math.log(2) + lgammaHost(order + 1)), tf.mul(kappa, besselIRatioComplement(order, kappa)));
    return tf.where(small, series, kl);
  });
}

/**
 * Terms of Σ_k y^k/(k!(ν + 1)_k) needed at y = κ²/4 until a term is < 1e-10 of the largest one (host, float64).
 */
function seriesTerms(order: number, y: number): number {
  let logTerm = 0;
  let largest = 0;
  for (let k = 1; k < 2000; k++) {
    logTerm += Math.log(y / (k * (order + k)));
    largest = Math.max(largest, logTerm);
    if (logTerm < largest - 23) return k;
  }
  return 2000;
}
