// Test-only: generic checks run for every distribution (SciPy fixtures, Monte Carlo, memory, finiteness).
import * as tf from '@tensorflow/tfjs-core';
import { Distribution } from '../distribution.js';
import { UnsupportedMethodError } from '../errors.js';
import { klDivergence } from '../kl-registry.js';
import type { NumericArray } from './fixtures.js';
import {
  PROBABILITY_TOLERANCE,
  REFERENCE_TOLERANCE,
  type Tolerance,
  column,
  expectAllFinite,
  expectClose,
  expectGradientClose,
  expectNoTensorLeak,
  expectVarianceWithinStandardErrors,
  expectWithinStandardErrors,
} from './numeric-assertions.js';

/** Quantities a fixture case may hold, evaluated by the method of the same name. */
export type ReferenceQuantity = 'logProb' | 'entropy' | 'mean' | 'variance' | 'mode' | 'cdf' | 'logCdf';

/** One fixture case: a batch of parameter sets, the points `x`, and SciPy's values. */
export interface ReferenceCase extends Partial<Record<ReferenceQuantity, NumericArray | null>> {
  name: string;
  params: Record<string, NumericArray>;
  x?: NumericArray;
  grad?: { logProb?: Record<string, NumericArray>; entropy?: Record<string, NumericArray> };
}

/** A KL fixture case. Gradient keys are `p.<param>` / `q.<param>`. */
export interface KlReferenceCase {
  name: string;
  p: Record<string, NumericArray>;
  q: Record<string, NumericArray>;
  kl: NumericArray;
  grad?: Record<string, NumericArray>;
}

export type Factory = (params: Record<string, tf.Tensor>, validateArgs: boolean) => Distribution;

export interface ReferenceSuiteOptions {
  make: Factory;
  /** dtype of `x` (default float32). */
  xDtype?: 'float32' | 'int32';
  /** Per-quantity tolerance; defaults: REFERENCE_TOLERANCE, PROBABILITY_TOLERANCE for cdf. */
  tolerances?: Partial<Record<ReferenceQuantity, Tolerance>>;
  /**
   * Cases whose gradient checks are reported as skipped, with the reason, when the whole suite runs on the wasm
   * backend (`TRIENTROPY_TEST_BACKEND=wasm`, see jest.wasm.config.cjs): `'<case name>/<logProb|entropy>'` →
   * measured reason.
   */
  gradientsSkippedOnWasm?: Record<string, string>;
}

const TEST_BACKEND = process.env.TRIENTROPY_TEST_BACKEND ?? 'cpu';

const QUANTITIES: ReferenceQuantity[] = ['logProb', 'entropy', 'mean', 'variance', 'mode', 'cdf', 'logCdf'];

function evaluate(d: Distribution, quantity: ReferenceQuantity, x: tf.Tensor | undefined): tf.Tensor {
  switch (quantity) {
    case 'logProb':
      return d.logProb(x!);
    case 'cdf':
      return d.cdf(x!);
    case 'logCdf':
      return d.logCdf(x!);
    default:
      return d[quantity]();
  }
}

function tensors(params: Record<string, NumericArray>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.tensor(v as number[], undefined, 'float32')]));
}

/** Registers Jest tests comparing every quantity and gradient in `cases` with the distribution's methods. */
export function describeReferenceCases(title: string, cases: ReferenceCase[], options: ReferenceSuiteOptions): void {
  describe.each(cases.map((c) => [c.name, c] as const))(`${title} against SciPy (float64) fixtures: %s`, (_name, c) => {
    const xTensor = (): tf.Tensor | undefined => (c.x === undefined ? undefined : tf.tensor(c.x as number[], undefined, options.xDtype ?? 'float32'));
    const describeParams = (i: number): string =>
      `(${Object.entries(c.params)
        .map(([k, v]) => `${k} ${JSON.stringify(Array.isArray(v) ? v[i] : v)}`)
        .join(', ')}${Array.isArray(c.x) ? `, x ${JSON.stringify(c.x[i])}` : ''})`;

    it.each(QUANTITIES.filter((q) => c[q] !== undefined && c[q] !== null))('%s', (quantity) => {
      tf.tidy(() => {
        const d = options.make(tensors(c.params), true);
        const tolerance = options.tolerances?.[quantity] ?? (quantity === 'cdf' ? PROBABILITY_TOLERANCE : REFERENCE_TOLERANCE);
        expectClose(evaluate(d, quantity, xTensor()), c[quantity] as NumericArray, tolerance, quantity, describeParams);
      });
    });

    for (const quantity of ['logProb', 'entropy'] as const) {
      const expected = c.grad?.[quantity];
      if (expected === undefined) continue;
      const skipReason = TEST_BACKEND === 'wasm' ? options.gradientsSkippedOnWasm?.[`${c.name}/${quantity}`] : undefined;
      if (skipReason !== undefined) console.warn(`${title} '${c.name}': gradients of ${quantity} skipped on wasm: ${skipReason}`);
      (skipReason === undefined ? it : it.skip)(`gradients of ${quantity} (${Object.keys(expected).join(', ')}) match float64 finite differences`, () => {
        const names = Object.keys(expected);
        const base: Record<string, tf.Tensor> = { ...tensors(c.params), ...(c.x === undefined ? {} : { x: xTensor()! }) };
        const inputs = names.map((n) => base[n]!);
        const grads = tf.grads((...v: tf.Tensor[]) => {
          const all = { ...base, ...Object.fromEntries(names.map((n, i) => [n, v[i]!])) };
          const { x, ...params } = all;
          const d = options.make(params, false);
          return tf.sum(quantity === 'logProb' ? d.logProb(x!) : d.entropy());
        })(inputs);
        names.forEach((n, i) => expectGradientClose(grads[i], expected[n] as NumericArray, `d ${quantity} / d ${n}`));
        tf.dispose([...Object.values(base), ...grads]);
      });
    }

    it('returns finite values for these valid parameters (no NaN leaks)', () => {
      tf.tidy(() => {
        const d = options.make(tensors(c.params), true);
        const x = xTensor();
        for (const quantity of QUANTITIES) {
          if (c[quantity] === undefined || c[quantity] === null) continue;
          expectAllFinite(evaluate(d, quantity, x), quantity);
        }
        expectAllFinite(d.sample([3], 1), 'sample');
        if (d.hasRsample) expectAllFinite(d.rsample([3], 1), 'rsample');
      });
    });
  });
}

/** Registers Jest tests comparing `klDivergence(p, q)` and its gradients with the fixtures. */
export function describeKlReferenceCases(title: string, cases: KlReferenceCase[], makeP: Factory, makeQ: Factory = makeP, tolerance: Tolerance = REFERENCE_TOLERANCE): void {
  describe.each(cases.map((c) => [c.name, c] as const))(`${title} against SciPy (float64) fixtures: %s`, (_name, c) => {
    const where = (i: number): string => `(p ${JSON.stringify(Object.fromEntries(Object.entries(c.p).map(([k, v]) => [k, (v as NumericArray[])[i]])))}, q ${JSON.stringify(Object.fromEntries(Object.entries(c.q).map(([k, v]) => [k, (v as NumericArray[])[i]])))})`;
    it('closed form', () => {
      tf.tidy(() => {
        expectClose(klDivergence(makeP(tensors(c.p), true), makeQ(tensors(c.q), true)), c.kl, tolerance, 'KL', where);
      });
    });
    if (c.grad !== undefined) {
      const expected = c.grad;
      it(`gradients (${Object.keys(expected).join(', ')}) match float64 finite differences`, () => {
        const names = Object.keys(expected);
        const base = { ...prefixed('p', tensors(c.p)), ...prefixed('q', tensors(c.q)) };
        const grads = tf.grads((...v: tf.Tensor[]) => {
          const all = { ...base, ...Object.fromEntries(names.map((n, i) => [n, v[i]!])) };
          const p = makeP(unprefixed('p', all), false);
          const q = makeQ(unprefixed('q', all), false);
          return tf.sum(klDivergence(p, q));
        })(names.map((n) => base[n]!));
        names.forEach((n, i) => expectGradientClose(grads[i], expected[n] as NumericArray, `d KL / d ${n}`));
        tf.dispose([...Object.values(base), ...grads]);
      });
    }
  });
}

function prefixed(prefix: string, values: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}.${k}`, v]));
}
function unprefixed(prefix: string, values: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([k]) => k.startsWith(`${prefix}.`))
      .map(([k, v]) => [k.slice(prefix.length + 1), v]),
  );
}

/**
 * Monte-Carlo moments: with `n` samples, the sample mean and variance of every batch/event element and
 * `−mean(logProb(samples))` of every batch member lie within 4 standard errors of mean, variance, entropy.
 */
export function expectMomentsByMonteCarlo(
  d: Distribution,
  n: number,
  seed: number,
  check: { mean?: boolean; variance?: boolean; entropy?: boolean } = { mean: true, variance: true, entropy: true },
): void {
  tf.tidy(() => {
    const x = d.sample([n], seed);
    const elements = x.size / n;
    const xs = x.dataSync();
    if (check.mean ?? true) {
      const mean = d.mean().dataSync();
      for (let j = 0; j < elements; j++) expectWithinStandardErrors(column(xs, elements, j), mean[j] as number, `mean[${j}]`);
    }
    if (check.variance ?? true) {
      const variance = d.variance().dataSync();
      for (let j = 0; j < elements; j++) expectVarianceWithinStandardErrors(column(xs, elements, j), variance[j] as number, `variance[${j}]`);
    }
    if (check.entropy ?? true) {
      const negLogP = tf.neg(d.logProb(x)).dataSync();
      const entropy = d.entropy().dataSync();
      const members = negLogP.length / n;
      for (let j = 0; j < members; j++) expectWithinStandardErrors(column(negLogP, members, j), entropy[j] as number, `entropy[${j}]`);
    }
  });
}

/** Monte-Carlo KL: `mean(log p(x) − log q(x))`, `x ~ p`, is within 4 standard errors of `klDivergence(p, q)`. */
export function expectKlByMonteCarlo(p: Distribution, q: Distribution, n: number, seed: number): void {
  tf.tidy(() => {
    const x = p.sample([n], seed);
    const ratio = tf.sub(p.logProb(x), q.logProb(x)).dataSync();
    const kl = klDivergence(p, q).dataSync();
    for (let j = 0; j < kl.length; j++) expectWithinStandardErrors(column(ratio, kl.length, j), kl[j] as number, `KL[${j}]`);
  });
}

/**
 * Calls every method the distribution supports (methods throwing UnsupportedMethodError are skipped),
 * outside any tidy, disposes the results and checks that no tensor was left behind.
 */
export function expectMethodsDoNotLeak(d: Distribution, x: tf.Tensor, q?: Distribution): void {
  const calls: Array<() => tf.Tensor> = [
    () => d.logProb(x),
    () => d.prob(x),
    () => d.entropy(),
    () => d.mean(),
    () => d.variance(),
    () => d.stddev(),
    () => d.mode(),
    () => d.cdf(x),
    () => d.logCdf(x),
    () => d.sample([3], 1),
    () => d.rsample([3], 1),
  ];
  if (q !== undefined) calls.push(() => klDivergence(d, q));
  expectNoTensorLeak(() => {
    for (const call of calls) {
      try {
        call().dispose();
      } catch (error) {
        if (!(error instanceof UnsupportedMethodError)) throw error;
      }
    }
  });
}
