import * as tf from '@tensorflow/tfjs-core';

// The Gaussian parts of the ELBO as single differentiable operations (tf.customGrad) with hand-written
// gradients. Written with tfjs's own ops they are the same arithmetic, but tfjs's tape then records ~140 kernels
// per training step for them (each with saved-tensor clones and a generic gradient, several of them for
// broadcasting and casts); inside a customGrad nothing is taped and each gradient is a few kernels. That was
// about a third of a VAE-1 step on the native backend (tools/bench/NOTES.md). The forward passes round exactly
// as the composed versions did (same ops, same order); gradients agree to float32 rounding
// (gaussian-elbo-ops.test.ts compares them with tfjs's gradients of the composed forms).

/**
 * Reparameterised draws `z = ν + exp(½ log τ²)·ε` for `noise` ε of shape [S, n, H] (S samples of each of the n
 * rows of `mean` and `logVariance`, [n, H]), returned sample-major as [S·n, H].
 */
export function reparameterize(mean: tf.Tensor2D, logVariance: tf.Tensor2D, noise: tf.Tensor3D): tf.Tensor2D {
  const [samples, rows, width] = noise.shape;
  const op = tf.customGrad((m, lv, save) => {
    const scale = tf.exp(tf.mul(lv as tf.Tensor, 0.5));
    const z = tf.reshape(tf.add(m as tf.Tensor, tf.mul(scale, noise)), [samples * rows, width]);
    // The noise is saved too: the caller's tidy may dispose it before the backward pass runs.
    (save as tf.GradSaveFunc)([scale, noise]);
    return {
      value: z,
      gradFunc: (dy, saved) => {
        const [savedScale, savedNoise] = saved as [tf.Tensor, tf.Tensor];
        const dz = tf.reshape(dy as tf.Tensor, [samples, rows, width]);
        // d/dν: Σ_s dz; d/d log τ²: Σ_s dz·ε·τ·½ (tfjs's chain: Mul, Exp, Mul by ½, in that order).
        const sumSamples = (t: tf.Tensor): tf.Tensor => (samples === 1 ? tf.reshape(t, [rows, width]) : tf.sum(t, 0));
        return [sumSamples(dz), tf.mul(tf.mul(sumSamples(tf.mul(dz, savedNoise)), savedScale), 0.5)];
      },
    };
  });
  return op(mean, logVariance) as tf.Tensor2D;
}

/**
 * `mean_n Σ_h KL(N(ν_nh, τ_nh²) ‖ N(0, α_h²))` for `mean`, `logVariance` [n, H] and the prior's log α² [H],
 * evaluated as {@link klNormalNormal} does: `½(expm1(d) − d) + ½(ν/α)²` with `d = log τ² − log α²`.
 */
export function gaussianKlToPrior(mean: tf.Tensor2D, logVariance: tf.Tensor2D, priorLogVariance: tf.Tensor1D): tf.Scalar {
  const rows = mean.shape[0];
  const op = tf.customGrad((m, lv, plv, save) => {
    const priorLogScale = tf.mul(plv as tf.Tensor, 0.5);
    const priorScale = tf.exp(priorLogScale);
    const d = tf.mul(tf.sub(tf.mul(lv as tf.Tensor, 0.5), priorLogScale), 2);
    const expm1d = tf.expm1(d);
    const ratio = tf.div(m as tf.Tensor, priorScale);
    const kl = tf.mean(tf.sum(tf.mul(tf.add(tf.sub(expm1d, d), tf.square(ratio)), 0.5), 1)) as tf.Scalar;
    (save as tf.GradSaveFunc)([expm1d, ratio, priorScale]);
    return {
      value: kl,
      gradFunc: (dy, saved) => {
        const [savedExpm1, savedRatio, savedPriorScale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        // h = ½ ∂kl/∂KL_nh = ½ dy/n. ∂/∂ν = h·2(ν/α)/α; ∂/∂ log τ² = h·expm1(d); ∂/∂ log α² = −Σ_n (h·expm1(d) + h·(ν/α)²).
        const h = tf.mul(tf.div(dy as tf.Scalar, rows), 0.5);
        const dMean = tf.div(tf.mul(h, tf.mul(savedRatio, 2)), savedPriorScale);
        const dLogVariance = tf.mul(h, savedExpm1);
        const dPrior = tf.neg(tf.sum(tf.add(dLogVariance, tf.mul(h, tf.square(savedRatio))), 0));
        return [dMean, dLogVariance, dPrior];
      },
    };
  });
  return op(mean, logVariance, priorLogVariance) as tf.Scalar;
}

/**
 * `mean_n Σ_h KL(N(ν_nh, τ_nh²) ‖ N(0, 1))` for `mean`, `logVariance` [n, H]: {@link gaussianKlToPrior} with
 * log α² = 0, which the prior of VAE-0, VAE-1 and VAE-3 is. The same values (there d = (log τ²·½ − 0)·2 = log τ²
 * and ν/α = ν exactly, short of log τ² below 2⁻¹²⁵ in magnitude) from 7 kernels instead of 13, and no gradient
 * to a prior that has none: 5 kernels instead of 11 in the backward pass.
 */
export function standardNormalKl(mean: tf.Tensor2D, logVariance: tf.Tensor2D): tf.Scalar {
  const rows = mean.shape[0];
  const op = tf.customGrad((m, lv, save) => {
    const expm1d = tf.expm1(lv as tf.Tensor);
    const kl = tf.mean(tf.sum(tf.mul(tf.add(tf.sub(expm1d, lv as tf.Tensor), tf.square(m as tf.Tensor)), 0.5), 1)) as tf.Scalar;
    (save as tf.GradSaveFunc)([expm1d, m as tf.Tensor]);
    return {
      value: kl,
      gradFunc: (dy, saved) => {
        const [savedExpm1, savedMean] = saved as [tf.Tensor, tf.Tensor];
        // h = ½ dy/n as in gaussianKlToPrior; ∂/∂ν = h·(2ν) (÷ α = 1 dropped: exact); ∂/∂ log τ² = h·expm1(log τ²).
        const h = tf.mul(tf.div(dy as tf.Scalar, rows), 0.5);
        return [tf.mul(h, tf.mul(savedMean, 2)), tf.mul(h, savedExpm1)];
      },
    };
  });
  return op(mean, logVariance) as tf.Scalar;
}

/**
 * A kernel computing the latent block in one pass (and, through its registered gradient, its gradients in one
 * more) where the active backend has it (today @trientropy/backend-native's `native`; see its
 * GAUSSIAN_LATENT_KERNEL for the contract). Named here for the reason given at {@link SQUARED_ERROR_KERNEL}.
 */
const GAUSSIAN_LATENT_KERNEL = 'TrientropyGaussianLatent';

/**
 * {@link reparameterize} and {@link standardNormalKl} of the same ν, log τ² and noise: one kernel forward and one
 * backward where the backend has {@link GAUSSIAN_LATENT_KERNEL} (instead of ~20 on [n, H] arrays and the Adds
 * accumulating the two ops' gradients, ~0.5 CPU-ms of a VAE-1 step at batch 512), the two ops elsewhere.
 */
export function reparameterizeWithStandardNormalKl(mean: tf.Tensor2D, logVariance: tf.Tensor2D, noise: tf.Tensor3D): { z: tf.Tensor2D; kl: tf.Scalar } {
  if (tf.getKernel(GAUSSIAN_LATENT_KERNEL, tf.getBackend()) === undefined) {
    return { z: reparameterize(mean, logVariance, noise), kl: standardNormalKl(mean, logVariance) };
  }
  return tf.tidy(() => {
    // Its other two outputs (τ and expm1(log τ²), which tfjs keeps for the gradient) are disposed here.
    const [z, kl] = tf.engine().runKernel(GAUSSIAN_LATENT_KERNEL, { mean, logVariance, noise }, {}) as [tf.Tensor2D, tf.Scalar, tf.Tensor2D, tf.Tensor2D];
    return { z, kl };
  });
}

/**
 * A kernel computing R and x − μ in one pass where the active backend has it (today @trientropy/backend-native's
 * `native`; see its SQUARED_ERROR_KERNEL for the contract). Named here rather than imported, because backends sit
 * at the edge and nothing depends on them.
 */
const SQUARED_ERROR_KERNEL = 'TrientropySquaredError';

/**
 * R = `mean over the S·n rows of ‖x_n − μ_row‖²` for `x` [n, D] and decoder means `mu` [S·n, D] (sample-major),
 * with the gradient `−2(x − μ)·dR/(S·n)` to μ only (x is data).
 */
export function meanSquaredErrorSum(x: tf.Tensor2D, mu: tf.Tensor2D): tf.Scalar {
  const [rows, dim] = x.shape;
  const samples = mu.shape[0] / rows;
  const fused = tf.getKernel(SQUARED_ERROR_KERNEL, tf.getBackend()) !== undefined;
  const op = tf.customGrad((m, save) => {
    let value: tf.Scalar;
    let difference: tf.Tensor;
    if (fused) {
      // One kernel for Sub, Square, Sum and Mean, the same values bit for bit (tested in @trientropy/backend-native).
      [value, difference] = tf.engine().runKernel(SQUARED_ERROR_KERNEL, { x, mu: m as tf.Tensor }, {}) as [tf.Scalar, tf.Tensor];
    } else {
      difference = tf.sub(x, tf.reshape(m as tf.Tensor, [samples, rows, dim]));
      value = tf.mean(tf.sum(tf.square(difference), -1)) as tf.Scalar;
    }
    (save as tf.GradSaveFunc)([difference]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [savedDifference] = saved as [tf.Tensor];
        // tfjs's chain gives −(2·(x − μ))·(dR/(S·n)) = −2·((x − μ)·(dR/(S·n))): the same float32 values.
        return tf.reshape(tf.mul(savedDifference, tf.mul(tf.div(dy as tf.Scalar, samples * rows), -2)), [samples * rows, dim]);
      },
    };
  });
  return op(mu) as tf.Scalar;
}

/**
 * `−(D/2)(log σ² + log 2π) − R/(2σ²)` (the expected Gaussian log-likelihood per data point through R) from the
 * scalars log σ² and R, with its gradients to both.
 */
export function gaussianLogLikelihoodFromSquaredError(logDecoderVariance: tf.Scalar, squaredError: tf.Scalar, dataDim: number, log2Pi: number): tf.Scalar {
  const op = tf.customGrad((logVariance, r, save) => {
    const precisionHalf = tf.mul(tf.exp(tf.neg(logVariance as tf.Scalar)), 0.5);
    const value = tf.sub(tf.mul(tf.add(logVariance as tf.Scalar, log2Pi), -0.5 * dataDim), tf.mul(precisionHalf, r as tf.Scalar)) as tf.Scalar;
    (save as tf.GradSaveFunc)([precisionHalf, r as tf.Scalar]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [savedPrecisionHalf, savedR] = saved as [tf.Scalar, tf.Scalar];
        // ∂/∂ log σ² = −D/2 + R/(2σ²); ∂/∂R = −1/(2σ²).
        const dLogVariance = tf.mul(dy as tf.Scalar, tf.add(tf.mul(savedPrecisionHalf, savedR), -0.5 * dataDim));
        return [dLogVariance, tf.mul(dy as tf.Scalar, tf.neg(savedPrecisionHalf))];
      },
    };
  });
  return op(logDecoderVariance, squaredError) as tf.Scalar;
}
