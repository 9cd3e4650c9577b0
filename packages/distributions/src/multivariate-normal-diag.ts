import * as tf from '@tensorflow/tfjs-core';
import { type DistributionOptions } from './distribution.js';
import { InvalidArgumentError } from './errors.js';
import { Independent } from './independent.js';
import { Normal } from './normal.js';
import { type TensorLike, assertAllElements, broadcastShapes, toFloatTensor } from './tensor-checks.js';

/**
 * Multivariate normal with diagonal covariance `N(loc, diag(scaleDiag²))` over the last axis (event shape
 * `[d]`): exactly `Independent(Normal(loc, scaleDiag), 1)`, so it shares Normal's verified formulas and the
 * Independent ‖ Independent KL (also against an `Independent` of `Normal`s).
 *
 * Mathematical details: `logProb(x) = Σᵢ [−½((xᵢ − μᵢ)/σᵢ)² − log σᵢ] − (d/2) log 2π`,
 * `entropy = Σᵢ log σᵢ + (d/2)(1 + log 2π)`, `rsample = μ + σ ⊙ ε`.
 */
export class MultivariateNormalDiag extends Independent<Normal> {
  constructor(loc: TensorLike, scaleDiag: TensorLike, options: DistributionOptions = {}) {
    super(buildBase(loc, scaleDiag, options), 1);
  }

  /** From a log-variance per coordinate (what VAE encoders output); `log σ` is then used exactly. */
  static fromLogVariance(loc: TensorLike, logVariance: TensorLike, options: DistributionOptions = {}): MultivariateNormalDiag {
    const normal = Normal.fromLogVariance(requireVector(loc, 'loc'), requireVector(logVariance, 'logVariance'), options);
    // Same fields as the constructor would set, around a Normal that keeps log σ = ½ logVar exactly.
    const mvn = Object.create(MultivariateNormalDiag.prototype) as MultivariateNormalDiag;
    return Object.assign(mvn, new Independent(normal, 1));
  }

  get loc(): tf.Tensor {
    return this.base.loc;
  }

  get scaleDiag(): tf.Tensor {
    return this.base.scale;
  }
}

function requireVector(value: TensorLike, argument: string): tf.Tensor {
  const t = toFloatTensor(value, argument);
  if (t.rank < 1) throw new InvalidArgumentError(argument, 'a tensor of rank ≥ 1 (the last axis is the event)', `rank ${t.rank}`);
  return t;
}

/** Validates with this class's argument names, then builds the Normal without re-validating. */
function buildBase(loc: TensorLike, scaleDiag: TensorLike, options: DistributionOptions): Normal {
  const locTensor = requireVector(loc, 'loc');
  const scaleTensor = requireVector(scaleDiag, 'scaleDiag');
  broadcastShapes(locTensor.shape, scaleTensor.shape, 'loc', 'scaleDiag');
  if (options.validateArgs ?? true) {
    assertAllElements(locTensor, 'loc', 'finite values', Number.isFinite);
    assertAllElements(scaleTensor, 'scaleDiag', 'finite values > 0', (v) => v > 0 && Number.isFinite(v));
  }
  return new Normal(locTensor, scaleTensor, { validateArgs: false });
}
