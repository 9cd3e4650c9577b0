// Stable ids of this package's classes (see class-identity.ts): the ESM and CJS builds give their classes
// the same ids, so `instanceof` and the KL registry work across the two copies.
import { defineClassId } from './class-identity.js';
import { Bernoulli } from './bernoulli.js';
import { Beta } from './beta.js';
import { Categorical } from './categorical.js';
import { ContinuousBernoulli } from './continuous-bernoulli.js';
import { Deterministic } from './deterministic.js';
import { Dirichlet } from './dirichlet.js';
import { Distribution } from './distribution.js';
import { Gamma } from './gamma.js';
import { HypersphericalUniform } from './hyperspherical-uniform.js';
import { Independent } from './independent.js';
import { InvalidArgumentError } from './errors.js';
import { Kumaraswamy } from './kumaraswamy.js';
import { Laplace } from './laplace.js';
import { LowRankMultivariateNormal } from './low-rank-multivariate-normal.js';
import { MixtureSameFamily } from './mixture-same-family.js';
import { MultivariateNormalDiag } from './multivariate-normal-diag.js';
import { Normal } from './normal.js';
import { OneHotCategorical } from './one-hot-categorical.js';
import { Poisson } from './poisson.js';
import { RelaxedBernoulli } from './relaxed-bernoulli.js';
import { RelaxedOneHotCategorical } from './relaxed-one-hot-categorical.js';
import { UnsupportedMethodError } from './errors.js';
import { VonMisesFisher } from './von-mises-fisher.js';

const CLASSES: [Function, string][] = [
  [Bernoulli, 'Bernoulli'],
  [Beta, 'Beta'],
  [Categorical, 'Categorical'],
  [ContinuousBernoulli, 'ContinuousBernoulli'],
  [Deterministic, 'Deterministic'],
  [Dirichlet, 'Dirichlet'],
  [Distribution, 'Distribution'],
  [Gamma, 'Gamma'],
  [HypersphericalUniform, 'HypersphericalUniform'],
  [Independent, 'Independent'],
  [InvalidArgumentError, 'InvalidArgumentError'],
  [Kumaraswamy, 'Kumaraswamy'],
  [Laplace, 'Laplace'],
  [LowRankMultivariateNormal, 'LowRankMultivariateNormal'],
  [MixtureSameFamily, 'MixtureSameFamily'],
  [MultivariateNormalDiag, 'MultivariateNormalDiag'],
  [Normal, 'Normal'],
  [OneHotCategorical, 'OneHotCategorical'],
  [Poisson, 'Poisson'],
  [RelaxedBernoulli, 'RelaxedBernoulli'],
  [RelaxedOneHotCategorical, 'RelaxedOneHotCategorical'],
  [UnsupportedMethodError, 'UnsupportedMethodError'],
  [VonMisesFisher, 'VonMisesFisher'],
];

for (const [cls, name] of CLASSES) defineClassId(cls, `@trientropy/distributions:${name}`);
