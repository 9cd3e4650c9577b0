import './tfjs-runtime.js';
import './class-ids.js';

export { Beta, klBetaBeta } from './beta.js';
export { Bernoulli, klBernoulliBernoulli } from './bernoulli.js';
export { ContinuousBernoulli, klContinuousBernoulliContinuousBernoulli } from './continuous-bernoulli.js';
export type { LogitsOrProbs } from './logits-or-probs.js';
export { LOG_2PI, LOG_2PI_E, STANDARD_NORMAL_ENTROPY } from './constants.js';
export { Categorical, klCategoricalCategorical } from './categorical.js';
export type { CategoricalParameters } from './categorical-parameter.js';
export { Deterministic, klDeterministicDeterministic } from './deterministic.js';
export { Dirichlet, klDirichletDirichlet } from './dirichlet.js';
export { CLASS_ID, classIdOf, defineClassId, globalRegistry, isInstanceAcross } from './class-identity.js';
export { Distribution, type DistributionOptions } from './distribution.js';
export { exponentialFamily, type ExponentialFamilyView } from './exponential-family.js';
export { Gamma, klGammaGamma } from './gamma.js';
export { Independent, klIndependentIndependent } from './independent.js';
export { Kumaraswamy } from './kumaraswamy.js';
export { Laplace, klLaplaceLaplace } from './laplace.js';
export { LowRankMultivariateNormal, klLowRankMultivariateNormal } from './low-rank-multivariate-normal.js';
export { MixtureSameFamily } from './mixture-same-family.js';
export { MultivariateNormalDiag } from './multivariate-normal-diag.js';
export { RelaxedBernoulli } from './relaxed-bernoulli.js';
export { RelaxedOneHotCategorical } from './relaxed-one-hot-categorical.js';
export { Poisson, klPoissonPoisson } from './poisson.js';
export { VonMisesFisher, klVonMisesFisherHypersphericalUniform } from './von-mises-fisher.js';
export { HypersphericalUniform, logSphereSurfaceArea } from './hyperspherical-uniform.js';
export { OneHotCategorical, klOneHotCategoricalOneHotCategorical } from './one-hot-categorical.js';
export { InvalidArgumentError, UnsupportedMethodError } from './errors.js';
export { besselIRatio, logBesselI, logBesselIve } from './log-bessel.js';
export { erfc, logErfc, logNdtr, ndtr } from './erfc.js';
export { crossEntropy, hasClosedFormKl, klDivergence, monteCarloKl, registerKl, type KlOptions } from './kl-registry.js';
export { Normal, klNormalNormal } from './normal.js';
export { regularizedGammaP } from './special/regularized-gamma.js';
export {
  continuousBernoulliLogNormalizer,
  digamma,
  lgamma,
  log1mexp,
  log1p,
  logExpm1,
  logSumExp,
  softplus,
  softplusInverse,
  trigamma,
  xMinusLog1p,
} from './special/index.js';
export { seededRandomNormal, seededRandomUniform, tfjsSeed } from './seeded-random-ops.js';
export { deriveNonNegativeSeed, deriveSeed } from './seed-derivation.js';
export { stopGradient } from './stop-gradient.js';
export { MAX_SAMPLE_VALUES, type TensorLike } from './tensor-checks.js';
