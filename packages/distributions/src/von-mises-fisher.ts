import * as tf from '@tensorflow/tfjs-core';
import { LOG_2PI } from './constants.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { InvalidArgumentError, UnsupportedMethodError, describeValue } from './errors.js';
import { HypersphericalUniform } from './hyperspherical-uniform.js';
import { besselIRatio, besselIRatioComplement, lgammaHost, logPowerOverBesselIve } from './log-bessel.js';
import { log1p } from './special/log1p.js';
import { stopGradient } from './stop-gradient.js';
import { drawWood } from './wood-sampler.js';
import { UNIT_NORM_TOLERANCE, fillWhere, offUnitSphere } from './support.js';
import { type TensorLike, assertAllElements, broadcastShapes, toFloatTensor } from './tensor-checks.js';


/**
 * Von Mises–Fisher distribution on the unit sphere S^{p−1} ⊂ ℝ^p, with mean direction `loc` (unit vectors, last axis
 * = dimension p ≥ 2) and concentration κ > 0. Event shape `[p]`.
 *
 * Mathematical details (ν = p/2 − 1, A_p(κ) = I_{p/2}(κ)/I_{p/2−1}(κ)):
 * - `logProb(x) = κμᵀx + log C_p(κ)` on the sphere (−∞ for |‖x‖ − 1| > 1e-4), `log C_p(κ) = ν log κ − (p/2) log 2π − log I_ν(κ)`, evaluated as
 *   `−½κ‖x − μ‖² + ν log κ − (p/2) log 2π − log(I_ν(κ)e^{−κ})`: equal for unit x and μ, and free of the
 *   κμᵀx − log I_ν(κ) cancellation (both ≈ κ) at large κ. `ν log κ − log(I_ν e^{−κ})` is one op whose κ-derivative
 *   is 1 − A_p(κ), so the gradient does not cancel ν/κ against ν/κ at small κ.
 * - `entropy = −log C_p(κ) − κA_p(κ)`, evaluated as `−ν log κ + (p/2) log 2π + log(I_ν e^{−κ}) + κ(1 − A_p)` with
 *   1 − A_p computed directly (≈ (p − 1)/(2κ) for large κ, where 1 − A_p from A_p would cancel).
 * - `mean = A_p(κ)μ`; `variance` (diagonal of Cov = (A_p/κ)(I − μμᵀ) + A_p′ μμᵀ) `= (A_p/κ)(1 − μᵢ²) + A_p′μᵢ²`,
 *   `A_p′ = 1 − A_p² − (p − 1)A_p/κ`; `mode = μ`.
 * - `sample`/`rsample`: Wood (1994): w = μᵀx by rejection from a Beta((p − 1)/2, (p − 1)/2) proposal, a uniform
 *   tangent direction, and a Householder reflection taking e₁ to μ/‖μ‖. The rejection loop runs on the host in float64
 *   with a seeded stream (κ is read back once per call) and throws after 1000 rejected proposals for one draw.
 * - `rsample` gradients: to `loc` pathwise through the reflection; to κ by *implicit reparameterisation* of w
 *   (Figurnov et al. 2018): ∂w/∂κ = −(∂F/∂κ)/f(w) = ∫_w^1 (t − A_p) f(t)/f(w) dt, with F, f the cdf and density of w,
 *   computed per draw on the host by Gauss–Legendre quadrature. Finite differences of a seeded draw in κ are not a
 *   check of it (acceptance changes with κ); the tests check E[∂w/∂κ] = A_p′(κ) by Monte Carlo instead.
 */
export class VonMisesFisher extends Distribution {
  readonly loc: tf.Tensor;
  readonly concentration: tf.Tensor;
  /** Dimension p of the ambient space (the sphere is S^{p−1}). */
  readonly dimension: number;
  readonly batchShape: number[];
  readonly eventShape: number[];
  readonly hasRsample = true;

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
      return fillWhere(offUnitSphere(x), tf.add(tf.mul(tf.mul(kappa, -0.5), tf.broadcastTo(squaredDistance, shape)), logNormalizerTerms), -Infinity);
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

  protected override rsampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return this.draw(sampleShape, seed, true);
  }

  protected override sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => stopGradient(this.draw(sampleShape, seed, false)));
  }

  /**
   * x = τ·H_v·(w, √(1 − w²)·v) with v uniform on S^{p−2} and w from Wood's sampler (host, float64), the reflection
   * H_v = I − 2vvᵀ/‖v‖², v = e₁ − τμ̂, τ = −1 if μ̂₁ ≥ 0 else 1 (so ‖v‖² = 2 + 2|μ̂₁| ≥ 2: no 0/0 at μ̂ = ±e₁), which
   * maps e₁ to μ̂ = loc/‖loc‖. Gradients: pathwise to `loc` through the reflection (x′ does not depend on it), implicit
   * to κ through w (`woodImplicitGradient` in wood-sampler.ts).
   */
  private draw(sampleShape: number[], seed: number, withGradient: boolean): tf.Tensor {
    const p = this.dimension;
    const draws = sampleShape.reduce((a, b) => a * b, 1);
    const kappaValues = tf.tidy(() => tf.broadcastTo(this.concentration, this.batchShape));
    const host = drawWood(kappaValues.dataSync(), p, draws, seed, withGradient);
    kappaValues.dispose();
    const shape = [...sampleShape, ...this.batchShape];
    const sampleAxes = sampleShape.map((_, i) => i);
    const oneMinusWOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      void args;
      return {
        value: tf.tensor(Float32Array.from(host.oneMinusW), shape, 'float32'),
        gradFunc: (dy: tf.Tensor) =>
          tf.tidy(() => {
            const perDraw = tf.mul(dy, tf.neg(tf.tensor(Float32Array.from(host.dwdk ?? new Float64Array(host.oneMinusW.length)), shape, 'float32')));
            return sampleAxes.length === 0 ? perDraw : tf.sum(perDraw, sampleAxes);
          }),
      };
    });
    return tf.tidy(() => {
      const kappa = tf.broadcastTo(this.concentration, this.batchShape);
      const oneMinusW = oneMinusWOp(kappa) as tf.Tensor;
      const w = tf.sub(1, oneMinusW);
      const radius = tf.sqrt(tf.mul(oneMinusW, tf.sub(2, oneMinusW)));
      const tangent = tf.tensor(Float32Array.from(host.tangent), [...shape, p - 1], 'float32');
      const xPrime = tf.concat([tf.expandDims(w, -1), tf.mul(tf.expandDims(radius, -1), tangent)], -1);
      const loc = tf.broadcastTo(this.loc, [...this.batchShape, p]);
      const muHat = tf.div(loc, tf.sqrt(tf.sum(tf.square(loc), -1, true)));
      const first = tf.slice(muHat, Array(muHat.rank).fill(0), [...this.batchShape, 1]);
      const tau = tf.where(tf.greaterEqual(first, 0), tf.fill(first.shape, -1), tf.onesLike(first));
      const e1 = tf.tensor1d(Array.from({ length: p }, (_, j) => (j === 0 ? 1 : 0)));
      const v = tf.sub(e1, tf.mul(tau, muHat));
      const projection = tf.div(tf.sum(tf.mul(v, xPrime), -1, true), tf.sum(tf.square(v), -1, true));
      return tf.mul(tau, tf.sub(xPrime, tf.mul(tf.mul(projection, 2), v)));
    });
  }
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
