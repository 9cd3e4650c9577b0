import * as tf from '@tensorflow/tfjs-core';
import './class-ids.js';
import { classKey, globalRegistry } from './class-identity.js';
import { Distribution } from './distribution.js';
import { assertSeed } from './tensor-checks.js';
import { InvalidArgumentError, UnsupportedMethodError, describeValue } from './errors.js';
import { Beta, klBetaBeta } from './beta.js';
import { Bernoulli, klBernoulliBernoulli } from './bernoulli.js';
import { ContinuousBernoulli, klContinuousBernoulliContinuousBernoulli } from './continuous-bernoulli.js';
import { Categorical, klCategoricalCategorical } from './categorical.js';
import { Deterministic, klDeterministicDeterministic } from './deterministic.js';
import { Dirichlet, klDirichletDirichlet } from './dirichlet.js';
import { Gamma, klGammaGamma } from './gamma.js';
import { Independent, klIndependentIndependent } from './independent.js';
import { Laplace, klLaplaceLaplace } from './laplace.js';
import { LowRankMultivariateNormal, klLowRankMultivariateNormal } from './low-rank-multivariate-normal.js';
import { Normal, klNormalNormal } from './normal.js';
import { Poisson, klPoissonPoisson } from './poisson.js';
import { OneHotCategorical, klOneHotCategoricalOneHotCategorical } from './one-hot-categorical.js';
import { HypersphericalUniform } from './hyperspherical-uniform.js';
import { VonMisesFisher, klVonMisesFisherHypersphericalUniform } from './von-mises-fisher.js';

type DistributionClass<D extends Distribution> = abstract new (...args: never[]) => D;
type KlFunction = (p: Distribution, q: Distribution) => tf.Tensor;

type ClassKey = string | Function;

// One registry for every copy of this package in the program (its ESM and CJS builds), keyed by stable
// class ids, so that a KL registered by either copy serves distributions made by either.
const registry = globalRegistry<ClassKey, Map<ClassKey, KlFunction>>('@trientropy/distributions:kl-registry');

/** Registers a closed-form KL for a pair of distribution classes (subclasses inherit it). */
export function registerKl<P extends Distribution, Q extends Distribution>(
  pClass: DistributionClass<P>,
  qClass: DistributionClass<Q>,
  kl: (p: P, q: Q) => tf.Tensor,
): void {
  let inner = registry.get(classKey(pClass));
  if (inner === undefined) registry.set(classKey(pClass), (inner = new Map()));
  inner.set(classKey(qClass), kl as KlFunction);
}

function* prototypeChain(value: object): Generator<Function> {
  for (let proto = Object.getPrototypeOf(value); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    yield proto.constructor as Function;
  }
}

function lookup(p: Distribution, q: Distribution): KlFunction | undefined {
  for (const pClass of prototypeChain(p)) {
    const inner = registry.get(classKey(pClass));
    if (inner === undefined) continue;
    for (const qClass of prototypeChain(q)) {
      const kl = inner.get(classKey(qClass));
      if (kl !== undefined) return kl;
    }
  }
  return undefined;
}

/** Options of {@link klDivergence} and {@link crossEntropy}. */
export interface KlOptions {
  /**
   * Estimate KL by Monte Carlo with this many samples of `p` when no closed form is registered.
   * Never used silently: without it, a missing closed form is an error.
   */
  monteCarloSamples?: number;
  /** Seed of the Monte-Carlo samples (required with `monteCarloSamples`). */
  seed?: number;
}

/** Whether a closed-form `KL(p ‖ q)` is registered for these two distributions' classes. */
export function hasClosedFormKl(p: Distribution, q: Distribution): boolean {
  return lookup(p, q) !== undefined;
}

/**
 * Monte-Carlo estimate `mean_s [log p(x_s) − log q(x_s)]`, `x_s ~ p`, per batch member. Differentiable
 * with respect to the parameters of `p` when `p` has `rsample` (reparameterised), else only through
 * the log densities (`x_s` is then a `sample` without gradients).
 */
export function monteCarloKl(p: Distribution, q: Distribution, samples: number, seed: number): tf.Tensor {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new InvalidArgumentError('monteCarloSamples', 'a positive integer', describeValue(samples));
  }
  assertSeed(seed);
  return tf.tidy(() => {
    const x = p.hasRsample ? p.rsample([samples], seed) : p.sample([samples], seed);
    return tf.mean(tf.sub(p.logProb(x), q.logProb(x)), 0);
  });
}

/**
 * `KL(p ‖ q)` per batch member, in nats: the registered closed form, or an explicit Monte-Carlo estimate
 * ({@link monteCarloKl}) when no closed form exists and `options.monteCarloSamples` is given. A missing
 * closed form without that option is an error: the fallback is never used silently.
 */
export function klDivergence(p: Distribution, q: Distribution, options: KlOptions = {}): tf.Tensor {
  const closedForm = lookup(p, q);
  if (closedForm !== undefined) return closedForm(p, q);
  const samples = options.monteCarloSamples;
  if (samples === undefined) {
    throw new UnsupportedMethodError(
      'klDivergence',
      `(${p.constructor.name} ‖ ${q.constructor.name})`,
      'no closed form is registered for this pair; pass { monteCarloSamples, seed } to estimate it by Monte Carlo',
    );
  }
  if (options.seed === undefined) throw new InvalidArgumentError('seed', 'a safe integer with monteCarloSamples', 'undefined');
  return monteCarloKl(p, q, samples, options.seed);
}

/**
 * Cross entropy `H(p, q) = −E_p[log q(x)] = H(p) + KL(p ‖ q)` per batch member, with the same closed-form
 * or explicit Monte-Carlo rule as {@link klDivergence}.
 */
export function crossEntropy(p: Distribution, q: Distribution, options: KlOptions = {}): tf.Tensor {
  return tf.tidy(() => tf.add(p.entropy(), klDivergence(p, q, options)));
}

registerKl(Normal, Normal, klNormalNormal);
registerKl(Bernoulli, Bernoulli, klBernoulliBernoulli);
registerKl(ContinuousBernoulli, ContinuousBernoulli, klContinuousBernoulliContinuousBernoulli);
registerKl(Categorical, Categorical, klCategoricalCategorical);
registerKl(OneHotCategorical, OneHotCategorical, klOneHotCategoricalOneHotCategorical);
registerKl(Deterministic, Deterministic, klDeterministicDeterministic);
registerKl(Laplace, Laplace, klLaplaceLaplace);
registerKl(Poisson, Poisson, klPoissonPoisson);
registerKl(Gamma, Gamma, klGammaGamma);
registerKl(Beta, Beta, klBetaBeta);
registerKl(Dirichlet, Dirichlet, klDirichletDirichlet);
registerKl(LowRankMultivariateNormal, LowRankMultivariateNormal, klLowRankMultivariateNormal);
registerKl(VonMisesFisher, HypersphericalUniform, klVonMisesFisherHypersphericalUniform);
// Also covers MultivariateNormalDiag (an Independent of Normals) against itself and against Independent(Normal).
// The bases' KL must be a registered closed form: a Monte-Carlo fallback is never chosen implicitly.
registerKl(Independent, Independent, (p, q) => klIndependentIndependent(p, q, (a, b) => klDivergence(a, b)));
