import * as tf from '@tensorflow/tfjs-core';
import type { DataMatrix } from '@trientropy/data';
import { LinearVae, VaeBase, type VaeKind, type VaeModel } from '@trientropy/models';
import { deriveSeed } from '@trientropy/distributions';
import { type AscentProbe, ascentProbe } from './ascent-probe.js';
import { constrainedGradient } from './constrained-gradient.js';
import { type GainVerdict, CONFIDENCE_STANDARD_ERRORS, formatRelativeGain, gainVerdict, pairedGain } from './paired-gain.js';
import { COLLAPSED_LATENT_KL, type LatentEscape, type SaddleTest, collapsedLatentEscape } from './collapsed-latent-escape.js';

/** Tolerances of {@link stationarityCertificate}'s verdict. */
export interface CertificateTolerances {
  /**
   * Largest ELBO increase that a step along any parameter group's gradient achieves, relative to max(|ELBO|, 1)
   * (see {@link GroupStationarity.gain}). Default 1e-5 for exact gradients, 1e-4 for Monte-Carlo ones (whose
   * line search sees the noise of its sampled ELBOs).
   */
  gain?: number;
  /**
   * Largest raw gap |ELBO − entropy sum|, measured before any closed-form step, relative to (D + H)/2 nats (see
   * {@link StationarityCertificate.rawGap}). Default 1e-2.
   */
  rawGap?: number;
  /** Largest relative ELBO change over the window, |F_t − F_{t−w}|/max(|F_t|, 1). Default 1e-3. */
  elboChange?: number;
  /**
   * Largest ELBO gain of letting a collapsed latent take the top residual direction ({@link LatentEscape.gain}),
   * relative to max(|ELBO|, 1). Default 1e-3.
   */
  latentEscape?: number;
  /**
   * Largest ELBO gain of the multi-step ascent probe ({@link AscentProbe.gain}), relative to max(|ELBO|, 1).
   * Default 1e-5 for exact gradients, 1e-4 for Monte-Carlo ones (as `gain`).
   */
  ascent?: number;
}

/** Options of {@link stationarityCertificate}. */
export interface StationarityCertificateOptions {
  /**
   * How the ELBO and its gradient are computed. `'exact'`: the sampling-free ELBO (the linear VAE only);
   * `'monte-carlo'`: reparameterised samples, the gradient's standard error from two independent sample sets
   * per chunk; `'auto'` (default): exact where available.
   */
  gradient?: 'auto' | 'exact' | 'monte-carlo';
  /** Seed of the Monte-Carlo samples. Default 0. */
  seed?: number;
  /**
   * Samples of z per point in each Monte-Carlo sample set (and in the line search's and checks' ELBOs). Default 2.
   * The standard errors of the gains fall as 1/√samples: where they straddle a tolerance the verdict is undecided.
   */
  samples?: number;
  /** Rows per forward pass (and per chunk of the standard error). Default 1000. */
  batchSize?: number;
  /**
   * Use at most this many rows: a fixed, evenly strided subset of larger data. Default 10 000. On a subset the
   * certificate judges the subset's ELBO, whose maximum differs from the full data's by O(1/rows): keep it large.
   */
  maxRows?: number;
  tolerances?: CertificateTolerances;
  /**
   * The gap ELBO − entropy sum of this state (nats per point) measured BEFORE any closed-form step (σ² = R/D,
   * m_h = 1, an EM sweep), as the training loops record it. Without it the gap is measured here, at the state as given.
   */
  rawGapNats?: number;
  /**
   * ELBOs of earlier certificates (same data, seed and samples), oldest first; the change is taken from the
   * first of them to this state's ELBO.
   */
  elboWindow?: readonly number[];
  /**
   * Steps of the multi-step ascent probe ({@link AscentProbe}): joint conjugate-gradient ascent on a copy of the
   * parameters, on the same rows with fixed sample draws, to catch slow valleys that a one-gradient line search
   * misses. Default 10; 0 switches the probe off (`ascent` and `checks.ascent` are then absent). Costs `steps`
   * gradient passes and about 2–8 forward passes per step on the certificate's rows (`ascent.passes` counts them).
   */
  ascentSteps?: number;
}

/** The certificate's numbers for one parameter group: the variables of one module (`encoder`, `decoder`, `logDecoderVariance`, …). */
export interface GroupStationarity {
  /** The module's name (the first part of its variables' model-local names). */
  name: string;
  /** Number of parameters. */
  size: number;
  /** ‖ĝ‖₂ of the ELBO gradient (nats per point per unit of the parameters). */
  gradientNorm: number;
  /** ‖s.e.(ĝ)‖₂, the Monte-Carlo standard error of the gradient; 0 for exact gradients. */
  standardError: number;
  /** ‖ĝ‖/‖s.e.‖: about 1 when the estimate is pure noise. Absent for exact gradients. */
  signalToNoise?: number;
  /**
   * The scale-free measure, in nats per point: the ELBO increase of the best step of this group's parameters along
   * ĝ (step lengths from 1e-6 to about 2 times the parameters' norm, factor 8 apart, stopping once the ELBO falls;
   * all other parameters fixed). Measured, not modelled, so invariant to how the parameters are scaled. Monte-Carlo
   * ELBOs: the search uses sample sets independent of the gradient's, common to every step, and the best step's
   * gain is then measured again on the two check families, which the search did not see, so that picking the best
   * of several noisy ELBOs does not inflate it (it can then be slightly negative).
   */
  gain: number;
  /** Monte-Carlo standard error of `gain` ({@link pairedGain}); 0 for exact ELBOs or when no step raised the ELBO. */
  gainStandardError: number;
  /** `gain / max(|ELBO|, 1)`: compared with `tolerances.gain`. */
  relativeGain: number;
  /**
   * `below`: gain + 2 s.e. ≤ `tolerances.gain` of max(|ELBO|, 1); `above`: gain − 2 s.e. above it; `undecided`:
   * the Monte-Carlo noise of this many samples cannot tell (more samples can).
   */
  verdict: GainVerdict;
  /** The step that achieved `gain`, as a fraction of max(‖θ‖, 1e-3·√size); 0 when no step raised the ELBO. */
  bestRelativeStep: number;
  stationary: boolean;
}

/**
 * Whether a model is at a local maximum of its ELBO, by the gradient of every parameter group, a second-order
 * test for collapsed-latent saddles, the gap measured before any closed-form step and the ELBO's change over a
 * window. Closed-form steps (σ² = R/D, m_h = 1) zero the gap at any weights (gap identity derived from arXiv
 * 2010.14860), an EM sweep zeroes the gradient of the group it updates but not the gradients of the other groups,
 * and a VAE whose latents all collapsed onto the prior has zero gradients and zero gap at a saddle far below the
 * optimum, which the residual test catches: this certificate cannot be passed by construction.
 */
export interface StationarityCertificate {
  kind: VaeKind;
  /** Rows the certificate was computed on. */
  points: number;
  gradientMethod: 'exact' | 'monte-carlo';
  /** Samples per point per sample set (0 for exact). */
  samples: number;
  /** The ELBO at this state on those rows, nats per point. */
  elbo: number;
  /** The entropy sum at this state on those rows. */
  entropySum: number;
  groups: GroupStationarity[];
  /** The group with the largest `relativeGain`. */
  worstGroup: string;
  maxRelativeGain: number;
  /**
   * The raw gap used by the verdict and where it was measured: `nats` = |ELBO − entropy sum| per point and
   * `relativeGap` = nats / `scale` with `scale` = (D + H)/2. By the gap identity (derived from arXiv 2010.14860)
   * the gap of a scalar-σ² Gaussian VAE is (D/2)(1 − ρ) + ½ Σ_h (1 − m_h), so `relativeGap` is a weighted mean of
   * the deviations of ρ = R/(Dσ²) and of the m_h from 1: independent of the data's units and offsets, and finite
   * where the ELBO crosses 0 (|ELBO| moves by D·log c when the data are scaled by c; a ratio to it means nothing
   * near ELBO = 0).
   */
  rawGap: { nats: number; scale: number; relativeGap: number; measured: 'before-closed-form-steps' | 'at-this-state' };
  /**
   * The second-order test for saddles that no gradient sees (all latents collapsed onto the prior): absent when
   * no latent has collapsed or the decoder is not Gaussian (see `saddleTest`, which says which).
   */
  latentEscape?: LatentEscape & { relativeGain: number };
  /** Whether the collapsed-latent saddle test applies to this model and what it found, in words. */
  saddleTest: SaddleTest;
  /** The multi-step ascent probe and its verdict (as {@link GroupStationarity.verdict}); absent when switched off (`ascentSteps: 0`). */
  ascent?: AscentProbe & { verdict: GainVerdict };
  /**
   * Relative ELBO change over the window; absent when no window was given. `epochs` is the number of earlier ELBOs
   * in the window (one per earlier certificate, however many training epochs lie between them).
   */
  elboChange?: { epochs: number; relativeChange: number };
  tolerances: Required<CertificateTolerances>;
  checks: { gradient: boolean; rawGap: boolean; elboChange?: boolean; latentEscape?: boolean; ascent?: boolean };
  /** Every check that applies passes. */
  converged: boolean;
  /**
   * Not converged, yet no check failed decisively: every failing check is a Monte-Carlo gain whose interval of
   * ±2 standard errors straddles its tolerance (`verdict: 'undecided'`). More `samples` decide.
   */
  undecided: boolean;
  /** Why not, one line per failed check (empty when converged). */
  reasons: string[];
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${name}: expected a finite number > 0, got ${String(value)}`);
  return value;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: expected a positive integer, got ${String(value)}`);
  return value;
}

/** Variables of a model under their model-local names (VaeBase) or tfjs names otherwise. */
function namedVariables(model: VaeModel): [string, tf.Variable][] {
  const trainable = new Set(model.trainableVariables());
  if (model instanceof VaeBase) return Object.entries(model.namedVariables()).filter(([, v]) => trainable.has(v));
  return [...trainable].map((v) => [v.name, v]);
}

/** Rows `i·N/m` for i < m: a fixed, evenly strided subset. */
function subset(x: tf.Tensor2D, maxRows: number): tf.Tensor2D {
  const n = x.shape[0];
  if (n <= maxRows) return tf.clone(x);
  return tf.tidy(() => tf.gather(x, tf.tensor1d(Array.from({ length: maxRows }, (_, i) => Math.floor((i * n) / maxRows)), 'int32')) as tf.Tensor2D);
}

/** Relative step lengths of the line search: 1e-6 · 8^k, up to about 2. */
const RELATIVE_STEPS = Array.from({ length: 8 }, (_, k) => 1e-6 * 8 ** k);

/** The check families measure gains on at least this many pieces of the rows, the degrees of freedom of their standard error. */
const CHECK_PIECES = 10;

/** Steps shorter than this may not move a float32 ELBO at all, so a search without gain goes on past it. */
const SHORTEST_DECISIVE_STEP = 1e-3;

/**
 * Certifies (or refuses to certify) that `model` is at a stationary point of its ELBO on `data`.
 *
 * On at most `maxRows` rows it computes the gradient of the ELBO (the training objective) with respect to every
 * trainable variable: exactly for the linear VAE (`LinearVae.exactElbo`), otherwise from two independent sets of
 * `samples` reparameterised samples per chunk, whose difference estimates the Monte-Carlo standard error. The
 * variables are grouped by module (encoder, decoder, each variance parameter), and for each group the ELBO is
 * evaluated after steps along the group's gradient: the largest increase found is the group's scale-free
 * `gain`. One line search per group misses slow valleys, so a multi-step probe ({@link AscentProbe},
 * `ascentSteps` joint conjugate-gradient steps on a copy of the parameters, with common random numbers) measures
 * what a few steps gain. A line search sees slopes, not saddles: where latents have collapsed (KL to the prior below
 * {@link COLLAPSED_LATENT_KL} nats), the largest variance left in the decoder's residuals whitened by the decoder
 * variance (σ², or σ_d²(ν(x)) for VAE-3), against the noise edge of this many rows, gives the ELBO that letting one
 * of them take that direction would gain ({@link LatentEscape}); for Bernoulli decoders `saddleTest` says the test
 * does not apply. Monte-Carlo gains (the best step of each group and the probe's) are measured on two check families
 * of sample sets that nothing else uses, which give each its standard error ({@link pairedGain}). The verdict
 * `converged` needs every group's relative gain plus two standard errors ≤ `tolerances.gain`, the probe's
 * ≤ `tolerances.ascent` (a gain whose ±2 s.e. interval straddles the tolerance is `undecided`: not certified,
 * and `undecided` says when nothing else failed), the escape gain ≤ `tolerances.latentEscape`, the raw gap (as measured before closed-form
 * steps, or here) ≤ `tolerances.rawGap` of (D + H)/2 nats, and, when `elboWindow` is given, the ELBO change over it
 * ≤ `tolerances.elboChange`. Parameters are restored exactly; no tensors are left behind.
 */
export async function stationarityCertificate(model: VaeModel, data: DataMatrix | tf.Tensor2D, options: StationarityCertificateOptions = {}): Promise<StationarityCertificate> {
  const method = options.gradient ?? 'auto';
  if (method !== 'auto' && method !== 'exact' && method !== 'monte-carlo') throw new Error(`gradient: expected 'auto', 'exact' or 'monte-carlo', got ${String(method)}`);
  if (method === 'exact' && !(model instanceof LinearVae)) throw new Error(`gradient: 'exact' needs a closed-form ELBO (the linear VAE), got kind '${model.kind}'`);
  const exact = model instanceof LinearVae && method !== 'monte-carlo';
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new Error(`seed: expected a safe integer (|seed| ≤ 2^53 − 1), got ${String(seed)}`);
  const samples = positiveInteger(options.samples ?? 2, 'samples');
  const batchSize = positiveInteger(options.batchSize ?? 1000, 'batchSize');
  const maxRows = positiveInteger(options.maxRows ?? 10_000, 'maxRows');
  const tolerances: Required<CertificateTolerances> = {
    gain: positive(options.tolerances?.gain ?? (exact ? 1e-5 : 1e-4), 'tolerances.gain'),
    rawGap: positive(options.tolerances?.rawGap ?? 1e-2, 'tolerances.rawGap'),
    elboChange: positive(options.tolerances?.elboChange ?? 1e-3, 'tolerances.elboChange'),
    latentEscape: positive(options.tolerances?.latentEscape ?? 1e-3, 'tolerances.latentEscape'),
    ascent: positive(options.tolerances?.ascent ?? (exact ? 1e-5 : 1e-4), 'tolerances.ascent'),
  };
  const ascentSteps = options.ascentSteps ?? 10;
  if (!Number.isInteger(ascentSteps) || ascentSteps < 0) throw new Error(`ascentSteps: expected an integer ≥ 0, got ${String(ascentSteps)}`);
  if (options.rawGapNats !== undefined && !Number.isFinite(options.rawGapNats)) throw new Error(`rawGapNats: expected a finite number, got ${String(options.rawGapNats)}`);
  const window = options.elboWindow ?? [];
  if (!window.every(Number.isFinite)) throw new Error('elboWindow: expected finite ELBO values');

  const full = data instanceof tf.Tensor ? data : tf.tensor2d(data.values, [data.rows, data.cols], 'float32');
  if (full.shape[1] !== model.dataDim) {
    if (full !== data) full.dispose();
    throw new Error(`data: expected ${model.dataDim} columns (the model's dataDim), got ${full.shape[1]}`);
  }
  if (full.shape[0] === 0) throw new Error('data: expected at least one row, got 0');
  const x = subset(full, maxRows);
  if (full !== data) full.dispose();
  const named = namedVariables(model);
  const n = x.shape[0];
  const chunks = Math.ceil(n / batchSize);
  const chunkRows = (c: number): number => Math.min(batchSize, n - c * batchSize);
  const chunkOf = (c: number): tf.Tensor2D => tf.slice(x, [c * batchSize, 0], [chunkRows(c), model.dataDim]);
  const sets = exact ? 1 : 2;
  // The certificate's own sample seeds, 4|seed| + 1 (apart from the seeds seed + k a training loop derives); beyond
  // |seed| = (2⁵³ − 2)/4, where that product is no longer a safe integer, −|seed| (below every 4|s| + 1).
  const gradientSeed = Math.abs(seed) <= (Number.MAX_SAFE_INTEGER - 1) / 4 ? Math.abs(seed) * 4 + 1 : -Math.abs(seed);
  const pieceSize = Math.min(batchSize, Math.ceil(n / CHECK_PIECES));
  const pieces = Math.ceil(n / pieceSize);
  const objective = (chunk: tf.Tensor2D, sampleSeed: number): tf.Scalar => (exact ? (model as LinearVae).exactElbo(chunk).elbo : model.objective(chunk, { seed: sampleSeed, samples }));
  // ELBO on all rows with the evaluation sample sets (independent of the gradient's, common to every step).
  const evaluate = (): tf.Scalar =>
    tf.tidy(() => {
      let total: tf.Scalar = tf.scalar(0);
      for (let c = 0; c < chunks; c++) total = tf.add(total, tf.mul(objective(chunkOf(c), deriveSeed(gradientSeed, 2 * chunks + 1_000_003 + c)), chunkRows(c) / n));
      return total;
    });
  // The ELBO's shares per check family and piece of the rows (see pairedGain): two families of sample sets that
  // neither the gradients nor the searches use, read on the host; the exact ELBO as a single share.
  const checkShares = async (): Promise<number[][]> => {
    const shares = tf.tidy(() => {
      if (exact) return tf.reshape(evaluate(), [1, 1]);
      const rows: tf.Tensor[] = [];
      for (let f = 0; f < 2; f++) {
        for (let p = 0; p < pieces; p++) {
          const size = Math.min(pieceSize, n - p * pieceSize);
          rows.push(tf.mul(objective(tf.slice(x, [p * pieceSize, 0], [size, model.dataDim]), deriveSeed(gradientSeed, 3_000_003 + 2 * p + f)), size / n));
        }
      }
      return tf.reshape(tf.stack(rows), [2, pieces]);
    });
    const values = (await shares.array()) as number[][];
    shares.dispose();
    return values;
  };

  const groupNames = [...new Set(named.map(([name]) => name.split('/')[0]!))];
  const groups = groupNames.map((name) => ({ name, variables: named.filter(([v]) => v.split('/')[0] === name).map(([, v]) => v) }));
  const variables = groups.flatMap((g) => g.variables);
  const kept: tf.Tensor[] = [];
  try {
    // Gradient sums: mean over sample sets and chunks; the squared set difference per chunk for the s.e.
    let mean: tf.Tensor[] = variables.map((v) => tf.zerosLike(v));
    let noise: tf.Tensor[] = variables.map((v) => tf.zerosLike(v));
    let base: tf.Scalar = tf.scalar(0);
    let sum: tf.Scalar = tf.scalar(0);
    for (let c = 0; c < chunks; c++) {
      const chunk = chunkOf(c);
      const w = chunkRows(c) / n;
      const perSet: tf.Tensor[][] = [];
      for (let s = 0; s < sets; s++) {
        const { value, grads } = tf.variableGrads(() => objective(chunk, deriveSeed(gradientSeed, sets * c + s)), variables);
        const projected = variables.map((v) => constrainedGradient(model, v, grads[v.name]!));
        perSet.push(projected);
        tf.dispose(Object.values(grads).filter((t) => !projected.includes(t)));
        const entropySum = model.entropies(chunk, { seed: deriveSeed(gradientSeed, sets * c + s), samples });
        const [nextBase, nextSum] = tf.tidy(() => [tf.add(base, tf.mul(value, w / sets)), tf.add(sum, tf.mul(entropySum.sum, w / sets))]);
        tf.dispose([base, sum, value, entropySum.prior, entropySum.encoder, entropySum.decoder, entropySum.sum]);
        base = nextBase as tf.Scalar;
        sum = nextSum as tf.Scalar;
      }
      const next = tf.tidy(() => ({
        mean: mean.map((m, i) => tf.add(m, tf.mul(perSet.length === 2 ? tf.add(perSet[0]![i]!, perSet[1]![i]!) : perSet[0]![i]!, w / sets))),
        // E[(a − b)²] = 2σ²_MC, so w²(a − b)²/4 estimates this chunk's share of the variance of the mean.
        noise: noise.map((m, i) => (perSet.length === 2 ? tf.add(m, tf.mul(tf.square(tf.sub(perSet[0]![i]!, perSet[1]![i]!)), (w * w) / 4)) : tf.clone(m))),
      }));
      tf.dispose([...mean, ...noise, ...perSet.flat(), chunk]);
      mean = next.mean;
      noise = next.noise;
    }
    kept.push(...mean, ...noise, base, sum);

    // Line search per group along its gradient; the parameters are restored after every trial step. Steps grow
    // by 8 until the ELBO falls below the best value found, or stays at or below the start up to a relative step of
    // 1e-3: along a ray the ELBO is unimodal near a maximum, so later steps cannot win.
    const readScalar = async (t: tf.Tensor): Promise<number> => (await t.data())[0]!;
    const start = evaluate();
    kept.push(start);
    const [elbo, entropySum, startValue] = await Promise.all([readScalar(base), readScalar(sum), readScalar(start)]);
    if (!Number.isFinite(elbo) || !Number.isFinite(startValue)) throw new Error(`model: the ELBO is not finite at this state (${elbo}); nothing to certify`);
    const scale = Math.max(Math.abs(elbo), 1);
    const startShares = exact ? undefined : await checkShares();
    const groupNumbers: GroupStationarity[] = [];
    for (const g of groups) {
      const offset = variables.indexOf(g.variables[0]!);
      const size = g.variables.reduce((total, v) => total + v.size, 0);
      const stats = tf.tidy(() =>
        tf.stack([
          tf.addN(g.variables.map((v) => tf.sum(tf.square(v)))),
          tf.addN(g.variables.map((_, i) => tf.sum(tf.square(mean[offset + i]!)))),
          tf.addN(g.variables.map((_, i) => tf.sum(noise[offset + i]!))),
        ]),
      );
      const [p2, g2, se2] = Array.from(await stats.data()) as [number, number, number];
      stats.dispose();
      const gradientNorm = Math.sqrt(g2);
      const reference = Math.max(Math.sqrt(p2), 1e-3 * Math.sqrt(size));
      let gain = 0;
      let gainStandardError = 0;
      let best = 0;
      if (gradientNorm > 0 && Number.isFinite(gradientNorm)) {
        const saved = g.variables.map((v) => tf.clone(v));
        const stepTo = (relative: number): void => {
          const t = (relative * reference) / gradientNorm;
          g.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.add(saved[i]!, tf.mul(mean[offset + i]!, t)))));
        };
        try {
          for (const relative of RELATIVE_STEPS) {
            stepTo(relative);
            const trial = evaluate();
            const value = await readScalar(trial);
            trial.dispose();
            if (Number.isFinite(value) && value - startValue > gain) {
              gain = value - startValue;
              best = relative;
            } else if (gain > 0 || !Number.isFinite(value) || relative >= SHORTEST_DECISIVE_STEP) break;
          }
          if (startShares !== undefined && best > 0) {
            stepTo(best);
            ({ gain, standardError: gainStandardError } = pairedGain(startShares, await checkShares()));
          }
        } finally {
          g.variables.forEach((v, i) => v.assign(saved[i]!));
          tf.dispose(saved);
        }
      }
      const verdict = Number.isFinite(g2) ? gainVerdict({ gain, standardError: gainStandardError }, scale, tolerances.gain) : 'above';
      const group: GroupStationarity = {
        name: g.name,
        size,
        gradientNorm,
        standardError: Math.sqrt(se2),
        gain,
        gainStandardError,
        relativeGain: gain / scale,
        verdict,
        bestRelativeStep: best,
        stationary: verdict === 'below',
      };
      if (!exact) group.signalToNoise = se2 > 0 ? Math.sqrt(g2 / se2) : Number.POSITIVE_INFINITY;
      groupNumbers.push(group);
    }
    const worst = groupNumbers.reduce((a, b) => (b.relativeGain > a.relativeGain ? b : a));

    // The multi-step probe: the same rows and gradient draws at every step (common random numbers), the gain
    // judged on the check families of sample sets, which neither the gradients nor the line searches saw.
    let probe: AscentProbe | undefined;
    if (ascentSteps > 0) {
      probe = await ascentProbe(
        {
          variables,
          gradient: () =>
            tf.tidy(() => {
              let sums: tf.Tensor[] = variables.map((v) => tf.zerosLike(v));
              for (let c = 0; c < chunks; c++) {
                const chunk = chunkOf(c);
                for (let s = 0; s < sets; s++) {
                  const { value, grads } = tf.variableGrads(() => objective(chunk, deriveSeed(gradientSeed, sets * c + s)), variables);
                  value.dispose();
                  sums = sums.map((m, i) => tf.add(m, tf.mul(constrainedGradient(model, variables[i]!, grads[variables[i]!.name]!), chunkRows(c) / n / sets)));
                }
              }
              return sums;
            }),
          search: evaluate,
          check: checkShares,
          constrain: () => model.applyConstraints(),
          scale,
        },
        ascentSteps,
      );
    }

    const gapScale = (model.dataDim + model.latentDim) / 2;
    const gapNats = Math.abs(options.rawGapNats ?? elbo - entropySum);
    const rawGap = { nats: gapNats, scale: gapScale, relativeGap: gapNats / gapScale, measured: options.rawGapNats === undefined ? ('at-this-state' as const) : ('before-closed-form-steps' as const) };
    const checks: StationarityCertificate['checks'] = { gradient: groupNumbers.every((group) => group.stationary), rawGap: rawGap.relativeGap <= tolerances.rawGap };
    const { escape, saddleTest } = await collapsedLatentEscape(model, x, batchSize, deriveSeed(gradientSeed, 2_000_003));
    const reasons: string[] = [];
    // Checks that failed only because their Monte-Carlo interval straddles the tolerance (see `undecided`).
    let undecidedChecks = 0;
    const undecidedNote = `${CONFIDENCE_STANDARD_ERRORS} standard errors of ${samples} samples per point reach across the tolerance; more samples decide`;
    const above = groupNumbers.filter((group) => group.verdict === 'above');
    if (above.length > 0) reasons.push(`gradient: a step along the gradient raises the ELBO by more than ${tolerances.gain} of |ELBO| for ${above.map((group) => `${group.name} ${formatRelativeGain({ gain: group.gain, standardError: group.gainStandardError }, scale)}`).join(', ')}`);
    const unsure = groupNumbers.filter((group) => group.verdict === 'undecided');
    if (unsure.length > 0) {
      undecidedChecks++;
      reasons.push(`gradient undecided: the gain of a step along the gradient, relative to |ELBO|, is ${unsure.map((group) => `${group.name} ${formatRelativeGain({ gain: group.gain, standardError: group.gainStandardError }, scale)}`).join(', ')} against ${tolerances.gain} (${undecidedNote})`);
    }
    if (!checks.rawGap) reasons.push(`raw gap: ${rawGap.nats.toExponential(2)} nats, ${rawGap.relativeGap.toExponential(2)} of (D + H)/2 (${rawGap.measured}), above ${tolerances.rawGap}`);
    let probeVerdict: GainVerdict | undefined;
    if (probe !== undefined) {
      probeVerdict = gainVerdict(probe, scale, tolerances.ascent);
      checks.ascent = probeVerdict === 'below';
      const gain = formatRelativeGain(probe, scale);
      if (probeVerdict === 'above') reasons.push(`ascent probe: ${probe.stepsTaken} joint ascent steps raise the ELBO by ${gain} of |ELBO| (above ${tolerances.ascent}): a slow valley, not a maximum`);
      if (probeVerdict === 'undecided') {
        undecidedChecks++;
        reasons.push(`ascent probe undecided: ${probe.stepsTaken} joint ascent steps raise the ELBO by ${gain} of |ELBO| against ${tolerances.ascent} (${undecidedNote})`);
      }
    }
    if (escape !== undefined) {
      checks.latentEscape = escape.gain / scale <= tolerances.latentEscape;
      if (!checks.latentEscape) {
        reasons.push(
          `collapsed latents ${escape.collapsedLatents.join(', ')}: the whitened residuals keep a direction with ${escape.residualEigenvalueRatio.toPrecision(3)} times the decoder variance (noise edge ${escape.noiseEdge.toPrecision(3)}); using it would raise the ELBO by ${(escape.gain / scale).toExponential(2)} of |ELBO| (a saddle, not a maximum)`,
        );
      }
    }
    const certificate: StationarityCertificate = {
      kind: model.kind,
      points: n,
      gradientMethod: exact ? 'exact' : 'monte-carlo',
      samples: exact ? 0 : samples,
      elbo,
      entropySum,
      groups: groupNumbers,
      worstGroup: worst.name,
      maxRelativeGain: worst.relativeGain,
      rawGap,
      saddleTest,
      tolerances,
      checks,
      converged: false,
      undecided: false,
      reasons,
    };
    if (escape !== undefined) certificate.latentEscape = { ...escape, relativeGain: escape.gain / scale };
    if (probe !== undefined) certificate.ascent = { ...probe, verdict: probeVerdict! };
    if (window.length > 0) {
      const relativeChange = Math.abs(elbo - window[0]!) / scale;
      certificate.elboChange = { epochs: window.length, relativeChange };
      checks.elboChange = relativeChange <= tolerances.elboChange;
      if (!checks.elboChange) reasons.push(`ELBO change since the oldest of the ${window.length} earlier certificates in the window: ${relativeChange.toExponential(2)} above ${tolerances.elboChange}`);
    }
    certificate.converged = reasons.length === 0;
    certificate.undecided = undecidedChecks > 0 && undecidedChecks === reasons.length;
    return certificate;
  } finally {
    x.dispose();
    tf.dispose(kept);
  }
}
