// The special functions tfjs lacks, as differentiable element-wise tfjs ops.
export { continuousBernoulliLogNormalizer } from './continuous-bernoulli-log-normalizer.js';
export { digamma } from './digamma.js';
export { lgamma } from './lgamma.js';
export { log1mexp, logExpm1 } from './log1mexp.js';
export { log1p } from './log1p.js';
export { xMinusLog1p } from './x-minus-log1p.js';
export { logSumExp } from './log-sum-exp.js';
export { softplus } from './softplus.js';
export { softplusInverse } from './softplus-inverse.js';
export { trigamma } from './trigamma.js';
