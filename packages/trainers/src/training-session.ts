import * as tf from '@tensorflow/tfjs-core';
import type { SeededRandom } from '@trientropy/data';
import { type DataMoments, LinearVae, ScalarGaussianVae, type VaeModel, dataMoments, initializeDecoderBias } from '@trientropy/models';
import type { BetaSchedule } from './beta-schedule.js';
import { type StationarityCertificateOptions, stationarityCertificate } from './diagnostics/stationarity-certificate.js';
import type { EpochRecord, GapSnapshot } from './epoch-record.js';
import { evaluateVae } from './evaluate.js';
import { LeanAdamOptimizer } from './lean-adam.js';
import { type LearningRateSchedule, constantSchedule, setLearningRate } from './learning-rate-schedule.js';
import { evaluationBatchRows } from './evaluation-batch.js';
import { NonFiniteLossError, type RestorePoint } from './non-finite-loss-error.js';
import { type ParameterGroup, type ResolvedGroup, resolveParameterGroups } from './parameter-groups.js';
import { ParameterSnapshot } from './parameter-snapshot.js';
import { TrainControl } from './train-control.js';
import { type FinalPolishOptions, type FinalPolishReport, checkFinalPolish, finalPolish } from './final-polish.js';
import { type DecoderOutputRefitSchedule, type ResolvedRefitSchedule, refitsAt, resolveRefitSchedule } from './decoder-output-refit-schedule.js';
import { deriveSeed } from '@trientropy/distributions';
import type { TrainCallbacks } from './train-callbacks.js';
import { type GroupOptimizer, trainingStep } from './training-step.js';

/**
 * How the variance parameters with a closed-form optimum (σ²; α² of VAE-2; the scale of VAE-3's σ²(z)) are
 * learned (arXiv 2010.14860, stationary-point conditions, `VaeModel.setOptimalVariances`).
 * - `'gradient'`: by Adam, like every other parameter.
 * - `'closed-form-per-epoch'`: by Adam during the epoch, then set to their closed-form optimum (σ² ← R/D …)
 *   on the evaluation data before the epoch's evaluation. This is a coordinate-ascent step: it raises the
 *   ELBO and removes the σ² part of the gap, `(D/2)(1 − R/(Dσ²))` (gap identity derived from arXiv 2010.14860), which constant-rate Adam
 *   leaves jumping by a few per cent from epoch to epoch.
 * - `'closed-form-per-step'`: set to their closed form on each minibatch after every Adam step (the paper's
 *   "optimal variances" mode), and once more on the evaluation data at the epoch's end, so that the epoch does
 *   not end on the last minibatch's estimate. Costs one device read per step.
 * Variants without such parameters (VAE-0, Bernoulli decoders) ignore the closed-form modes.
 */
export type VarianceUpdate = 'gradient' | 'closed-form-per-epoch' | 'closed-form-per-step';

const VARIANCE_UPDATES: readonly VarianceUpdate[] = ['gradient', 'closed-form-per-epoch', 'closed-form-per-step'];

/** Options shared by {@link trainVae} and {@link trainVaeOnStream}. */
export interface CommonTrainOptions {
  epochs: number;
  /** Adam's learning rate, or a schedule of it over the steps (see {@link cosineSchedule}). */
  learningRate: number | LearningRateSchedule;
  /** Seeds shuffling and every Monte-Carlo sample. */
  seed: number;
  /** Samples of z per data point in each training step. Default 1. */
  samples?: number;
  /** KL weight β (a number or a schedule such as {@link linearKlAnnealing}). Default 1, the ELBO. */
  beta?: number | BetaSchedule;
  /** Variables trained with their own learning rate and Adam state; the rest form the default group. */
  parameterGroups?: ParameterGroup[];
  /** Clip the global L2 norm of the gradients to this value. Default: no clipping. */
  gradientClipNorm?: number;
  /** Default 'closed-form-per-epoch'. */
  varianceUpdate?: VarianceUpdate;
  /**
   * Rescale every latent to m_h = 1 before each epoch's closed-form variance update (arXiv 2010.14860, VAE-1 section and stationary-point conditions; models
   * with a scalar-σ² Gaussian decoder: VAE-0/1/2, linear): an exact coordinate-ascent step that raises the ELBO
   * by ½Σ(m_h − 1 − log m_h) and removes the −½Σ(m_h − 1) part of the gap, which gradient training closes
   * slowly. Default false.
   */
  normalizeLatents?: boolean;
  /**
   * Compute a {@link stationarityCertificate} of the end state of every epoch on the evaluation data (its options,
   * or `true` for the defaults), with that epoch's raw gap and the ELBOs of the previous `certificateWindow`
   * certificates; stored in {@link EpochRecord.certificate} and used by {@link convergenceStop}. Default false.
   */
  certificate?: boolean | StationarityCertificateOptions;
  /**
   * Linear VAE only: end every epoch with up to this many sweeps of closed-form variational EM
   * (`LinearVae.coordinateAscent`: decoder and σ² given the encoder, then the encoder given the decoder, exact
   * on the evaluation data's moments), an accelerator that reaches the pPCA optimum on any data. The epoch's raw
   * gap and the certificate's gradients still judge the state honestly. Default 0 (off).
   */
  linearCoordinateAscent?: number;
  /**
   * Models with a scalar-σ² Gaussian decoder (vae-0/1/2, linear): at the end of scheduled epochs, before the other
   * closed-form steps, set the decoder's output layer to its least-squares optimum given the last hidden features at
   * draws z ~ q(z|x) (`ScalarGaussianVae.refitDecoderOutputLayer`, an exact coordinate-ascent step of the ELBO), an
   * accelerator for ill-conditioned data (column scales 0.1 against 4 with one σ²), which Adam crosses slowly.
   * Refits stop after `untilFraction` of the epochs, so that gradients alone finish the run. `true`: the defaults
   * of {@link DecoderOutputRefitSchedule}. Default false (off).
   */
  decoderOutputRefit?: boolean | DecoderOutputRefitSchedule;
  /**
   * At the end of the run's last epoch, after its raw evaluation and before its other closed-form steps and its
   * certificate: {@link finalPolish}, up to `steps` steps of joint conjugate-gradient ascent on the ELBO of the whole
   * evaluation data with fixed draws of the run's own (never the certificate's). Minibatch Adam at its floor rate
   * crosses slow valleys too slowly to end at a stationary point of the full-data ELBO; this moves along them faster
   * (measured on the default VAE-1 runs: closer, not within the certificate's tolerance; see the package README).
   * An optimiser step, not a closed-form identity: the certificate still judges its result by gradients, line
   * searches and a probe on independent draws. Recorded in the last {@link EpochRecord.polish}. Default: off.
   */
  finalPolish?: FinalPolishOptions;
  /**
   * Start the decoder's output bias at the mean of the training (evaluation) data (`initializeDecoderBias` of
   * @trientropy/models); a resumed run keeps its checkpoint's bias. Default true.
   */
  initializeDecoderBias?: boolean;
  /** Certificates in the certificate's ELBO-change window. Default 3. */
  certificateWindow?: number;
  /**
   * With `certificate`: certify every this many epochs (epochs k, 2k, …) and always the last epoch of the run;
   * the other epochs' records have no certificate. The certificate costs several epochs' worth of forward passes
   * on large models, so runs on a time budget certify now and then and at the end. {@link convergenceStop} needs
   * a certificate at every epoch (1). Default 1.
   */
  certificateEvery?: number;
  /** Monte-Carlo samples and batch size of the per-epoch evaluation. Defaults 10 and 2000. */
  evaluation?: { samples?: number; batchSize?: number };
  callbacks?: TrainCallbacks | TrainCallbacks[];
}

export function positiveInteger(value: number, argument: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${argument}: expected a positive integer, got ${String(value)}`);
  return value;
}

export function positiveNumber(value: number, argument: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${argument}: expected a finite number > 0, got ${String(value)}`);
  return value;
}

function toSchedule(rate: number | LearningRateSchedule, argument: string): LearningRateSchedule {
  return typeof rate === 'function' ? rate : constantSchedule(positiveNumber(rate, argument));
}

/** Copies data into a [rows, D] tensor the caller owns, checking its width against the model. */
export function toTrainingTensor(data: { values: Float32Array; rows: number; cols: number } | tf.Tensor2D, dataDim: number, argument: string): tf.Tensor2D {
  const cols = data instanceof tf.Tensor ? data.shape[1] : data.cols;
  const rows = data instanceof tf.Tensor ? data.shape[0] : data.rows;
  if (cols !== dataDim) throw new Error(`${argument}: expected ${dataDim} columns (the model's dataDim), got ${cols}`);
  if (rows === 0) throw new Error(`${argument}: expected at least one row, got 0`);
  return data instanceof tf.Tensor ? tf.clone(data) : tf.tensor2d(data.values, [data.rows, data.cols], 'float32');
}

/**
 * The gap of an evaluation. For the linear VAE both sides are exact (its sampling-free ELBO; its entropy sum needs
 * no samples), so the raw gap is not buried under the Monte-Carlo noise of a few-sample ELBO (about 1e-2 of
 * |ELBO| with one sample on a few thousand points of small |ELBO|); otherwise the Monte-Carlo ELBO.
 */
function gapSnapshot(evaluation: Awaited<ReturnType<typeof evaluateVae>>): GapSnapshot {
  const elbo = evaluation.linear?.exactElbo ?? evaluation.elbo;
  return { elbo, entropySum: evaluation.entropySum, relativeGap: Math.abs(elbo - evaluation.entropySum) / Math.abs(elbo) };
}

/** Runs every callback list's hook in order. */
function combineCallbacks(callbacks: TrainCallbacks | TrainCallbacks[] | undefined): Required<TrainCallbacks> {
  const list = callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
  const run =
    <K extends keyof TrainCallbacks>(key: K) =>
    async (...args: Parameters<Required<TrainCallbacks>[K]>) => {
      for (const c of list) await (c[key] as ((...a: typeof args) => void | Promise<void>) | undefined)?.(...args);
    };
  return {
    onTrainStart: run('onTrainStart'),
    onEpochStart: run('onEpochStart'),
    onBatchEnd: run('onBatchEnd'),
    onEpochEnd: run('onEpochEnd'),
    onTrainEnd: run('onTrainEnd'),
  };
}

/**
 * Magnitude beyond which a mean loss or a decoder variance counts as diverged although still finite in
 * float32 (whose largest value is 3.4e38): a run there is one step away from ±Infinity (e.g. σ² → 3e34).
 */
export const DIVERGENCE_THRESHOLD = 1e30;

/** Models being trained right now: one model trained by two sessions at once would corrupt both runs. */
const MODELS_IN_TRAINING = new WeakSet<VaeModel>();

/** Whether an error of the end-of-epoch updates says the model produced non-finite values (i.e. diverged). */
function isNonFiniteFailure(error: unknown): boolean {
  return error instanceof Error && /finite|NaN|Infinity/.test(error.message);
}

/**
 * The machinery both training loops share: validated options, one Adam per parameter group, the step, the
 * health check, the end-of-epoch variance update and evaluation, the last-good-epoch snapshot, callbacks
 * and the event-loop yielding. Loops own the data and the order of batches.
 */
export class TrainingSession {
  readonly epochs: number;
  readonly samples: number;
  readonly varianceUpdate: VarianceUpdate;
  readonly variables: tf.Variable[];
  readonly groups: ResolvedGroup[];
  readonly optimizers: GroupOptimizer[];
  readonly callbacks: Required<TrainCallbacks>;
  readonly control = new TrainControl();
  private readonly betaAt: BetaSchedule;
  private readonly clipNorm: number | undefined;
  private readonly normalizeLatents: boolean;
  private readonly evaluationSamples: number;
  private readonly evaluationBatchSize: number;
  private readonly certificateOptions: StationarityCertificateOptions | undefined;
  private readonly certificateWindow: number;
  private readonly certificateEvery: number;
  private certificateElbos: number[] = [];
  private readonly coordinateAscentSweeps: number;
  private readonly refitSchedule: ResolvedRefitSchedule | undefined;
  private readonly polish: Required<FinalPolishOptions> | undefined;
  readonly initializeDecoderBias: boolean;
  private moments: { data: tf.Tensor2D; moments: DataMoments } | undefined;
  private snapshot: ParameterSnapshot | undefined;
  private restorePoint: RestorePoint = { kind: 'initial' };
  private lastYield = Date.now();
  private registered = false;

  /** Validates `options` and creates one Adam per parameter group (dispose the session when done). */
  constructor(
    readonly model: VaeModel,
    options: CommonTrainOptions,
    private readonly totalSteps: number,
  ) {
    this.epochs = positiveInteger(options.epochs, 'epochs');
    const schedule = toSchedule(options.learningRate, 'learningRate');
    this.samples = positiveInteger(options.samples ?? 1, 'samples');
    if (!Number.isInteger(options.seed)) throw new Error(`seed: expected an integer, got ${String(options.seed)}`);
    const beta = options.beta ?? 1;
    if (typeof beta === 'number' && !(beta >= 0 && Number.isFinite(beta))) throw new Error(`beta: expected a finite number ≥ 0, got ${String(beta)}`);
    this.betaAt = typeof beta === 'function' ? beta : () => beta;
    this.clipNorm = options.gradientClipNorm === undefined ? undefined : positiveNumber(options.gradientClipNorm, 'gradientClipNorm');
    this.varianceUpdate = options.varianceUpdate ?? 'closed-form-per-epoch';
    if (!VARIANCE_UPDATES.includes(this.varianceUpdate)) throw new Error(`varianceUpdate: expected one of ${VARIANCE_UPDATES.join(', ')}, got ${String(this.varianceUpdate)}`);
    this.normalizeLatents = options.normalizeLatents ?? false;
    if (this.normalizeLatents && !(model instanceof ScalarGaussianVae)) {
      throw new Error(`normalizeLatents: expected a model with a scalar-σ² Gaussian decoder (vae-0, vae-1, vae-2, linear), got '${model.kind}'`);
    }
    this.certificateOptions = options.certificate === true ? {} : options.certificate === false ? undefined : options.certificate;
    this.certificateWindow = positiveInteger(options.certificateWindow ?? 3, 'certificateWindow');
    this.certificateEvery = positiveInteger(options.certificateEvery ?? 1, 'certificateEvery');
    this.coordinateAscentSweeps = options.linearCoordinateAscent ?? 0;
    if (!Number.isInteger(this.coordinateAscentSweeps) || this.coordinateAscentSweeps < 0) throw new Error(`linearCoordinateAscent: expected an integer ≥ 0, got ${String(options.linearCoordinateAscent)}`);
    if (this.coordinateAscentSweeps > 0 && !(model instanceof LinearVae)) throw new Error(`linearCoordinateAscent: expected a linear VAE (closed-form EM), got '${model.kind}'`);
    this.refitSchedule = resolveRefitSchedule(options.decoderOutputRefit);
    if (this.refitSchedule !== undefined && !(model instanceof ScalarGaussianVae)) throw new Error(`decoderOutputRefit: expected a model with a scalar-σ² Gaussian decoder (vae-0, vae-1, vae-2, linear), got '${model.kind}'`);
    this.polish = options.finalPolish === undefined ? undefined : checkFinalPolish(options.finalPolish);
    this.initializeDecoderBias = options.initializeDecoderBias ?? true;
    this.evaluationSamples = positiveInteger(options.evaluation?.samples ?? 10, 'evaluation.samples');
    const evaluationBatchSize = options.evaluation?.batchSize === undefined ? undefined : positiveInteger(options.evaluation.batchSize, 'evaluation.batchSize');
    this.evaluationBatchSize = evaluationBatchRows(model, this.evaluationSamples, evaluationBatchSize, 2000);
    if (MODELS_IN_TRAINING.has(model)) throw new Error(`model: this ${model.kind} model is already being trained by another trainVae/trainVaeOnStream call; train one model in one call at a time (or train a copy)`);
    this.variables = model.trainableVariables();
    this.groups = resolveParameterGroups(this.variables, options.parameterGroups ?? [], schedule, toSchedule);
    this.optimizers = this.groups.map((g) => ({ variables: g.variables, optimizer: new LeanAdamOptimizer(positiveNumber(g.schedule({ step: 1, totalSteps }), `learning rate of group '${g.name}'`)) }));
    this.callbacks = combineCallbacks(options.callbacks);
    MODELS_IN_TRAINING.add(model);
    this.registered = true;
  }

  /** Sets the decoder's output bias to the column means of `x` (when `initializeDecoderBias`); call before the first step of a fresh run. */
  initializeBias(x: tf.Tensor2D): void {
    if (!this.initializeDecoderBias) return;
    const mean = tf.tidy(() => tf.mean(x, 0));
    initializeDecoderBias(this.model, mean.dataSync());
    mean.dispose();
  }

  /** The float64 moments of `x`, computed once per evaluation tensor. */
  private momentsOf(x: tf.Tensor2D): DataMoments {
    if (this.moments?.data !== x) this.moments = { data: x, moments: dataMoments(x) };
    return this.moments.moments;
  }

  /**
   * Takes the first last-good snapshot; call after any parameters were restored from a checkpoint, with the
   * records so far (a resumed run continues the certificate's ELBO window) and where the parameters came
   * from (the initial values by default) for the message of a later failure.
   */
  start(records: readonly EpochRecord[] = [], restorePoint: RestorePoint = { kind: 'initial' }): void {
    this.snapshot = new ParameterSnapshot(this.variables);
    this.certificateElbos = records.flatMap((r) => (r.certificate === undefined ? [] : [r.certificate.elbo])).slice(-this.certificateWindow);
    this.restorePoint = restorePoint;
  }

  /** One optimiser step on `xb` as global step `step` (from 1); returns the loss, which the caller owns. */
  step(xb: tf.Tensor2D, seed: number, step: number): tf.Scalar {
    const progress = { step, totalSteps: this.totalSteps };
    this.groups.forEach((g, i) => setLearningRate(this.optimizers[i]!.optimizer, positiveNumber(g.schedule(progress), `learning rate of group '${g.name}'`)));
    const loss = trainingStep(this.model, xb, this.optimizers, { seed, samples: this.samples, beta: this.betaAt(progress), clipNorm: this.clipNorm });
    if (this.varianceUpdate === 'closed-form-per-step') this.model.setOptimalVariances(xb, { seed, samples: this.samples });
    return loss;
  }

  /**
   * Reads the running loss (summed over `steps` steps) and checks that every parameter is finite and that
   * neither the mean loss nor the decoder variance exploded past {@link DIVERGENCE_THRESHOLD} (one device read).
   * `problem` names what failed, if anything.
   */
  async health(lossSum: tf.Scalar, steps: number): Promise<{ loss: number; finite: boolean; problem?: string }> {
    const checks = tf.tidy(() => {
      const finite = tf.all(tf.stack(this.variables.map((v) => tf.all(tf.isFinite(v)))));
      const variance = this.model.decoderVarianceType === 'none' ? tf.scalar(0) : this.model.decoderVariance();
      return tf.stack([tf.cast(finite, 'float32'), variance]);
    });
    const [loss, values] = await Promise.all([lossSum.data(), checks.data()]);
    checks.dispose();
    const total = loss[0] as number;
    const mean = total / Math.max(1, steps);
    const variance = values[1] as number;
    let problem: string | undefined;
    if (!Number.isFinite(total)) problem = 'non-finite loss';
    else if (values[0] !== 1) problem = 'non-finite parameters';
    else if (Math.abs(mean) > DIVERGENCE_THRESHOLD) problem = `diverging loss (mean ${mean.toExponential(2)})`;
    else if (!(variance <= DIVERGENCE_THRESHOLD)) problem = `diverging decoder variance (σ² = ${variance.toExponential(2)})`;
    return problem === undefined ? { loss: total, finite: true } : { loss: total, finite: false, problem };
  }

  /** Restores the last good parameters and throws the {@link NonFiniteLossError} (`reason`: what diverged). */
  fail(epoch: number, firstStep: number, lastStep: number, reason?: string): never {
    this.snapshot?.restore();
    throw new NonFiniteLossError(epoch, firstStep, lastStep, this.restorePoint, reason);
  }

  /**
   * Ends an epoch whose steps were healthy: the raw evaluation (when closed-form steps follow), latent
   * normalisation (if asked), closed-form variances (per-epoch mode; per-step mode finishes on the full data), the
   * evaluation of the end state on `x`, all seeded from `rng`, and the certificate (if asked). A non-finite
   * evaluation fails like a non-finite loss. Then the snapshot moves on.
   */
  async endEpoch(x: tf.Tensor2D, rng: SeededRandom, epoch: number, firstStep: number, lastStep: number): Promise<EpochRecord> {
    const settings = { samples: this.evaluationSamples, batchSize: this.evaluationBatchSize };
    const steps: string[] = [];
    const polish = this.polish !== undefined && epoch === this.epochs ? this.polish : undefined;
    if (polish !== undefined) steps.push(`joint conjugate-gradient ascent on the full ELBO (at most ${polish.steps} steps, ${polish.samples} fixed draws of z per point)`);
    const refit = this.refitSchedule !== undefined && refitsAt(this.refitSchedule, epoch, this.epochs) ? this.refitSchedule : undefined;
    if (refit !== undefined) steps.push(`decoder output layer refitted by least squares (${refit.samples} draws of z per point)`);
    if (this.coordinateAscentSweeps > 0) steps.push(`closed-form EM sweeps (at most ${this.coordinateAscentSweeps})`);
    if (this.normalizeLatents) steps.push('latents rescaled to m_h = 1');
    if (this.varianceUpdate !== 'gradient' && this.model.decoderVarianceType !== 'none' && this.model.decoderVarianceType !== 'fixed') steps.push('variances set to their closed form on the evaluation data');
    // Seeds are drawn in the order of earlier releases (variance update, then evaluation), so runs repeat; the raw
    // evaluation shares the final evaluation's samples, so the two differ only by the closed-form steps.
    const varianceSeed = this.varianceUpdate === 'closed-form-per-epoch' ? rng.nextSeed() : undefined;
    const evaluationSeed = rng.nextSeed();
    let raw: GapSnapshot | undefined;
    let polished: FinalPolishReport | undefined;
    let evaluation: Awaited<ReturnType<typeof evaluateVae>>;
    try {
      if (steps.length > 0) {
        const before = await evaluateVae(this.model, x, { seed: evaluationSeed, ...settings });
        if (!Number.isFinite(before.elbo) || !Number.isFinite(before.entropySum)) this.fail(epoch, firstStep, lastStep, 'non-finite evaluation');
        raw = gapSnapshot(before);
      }
      // The polish and the refit draw with seeds of their own, derived rather than drawn, so that runs without them repeat.
      if (polish !== undefined) polished = await finalPolish(this.model, x, polish, deriveSeed(evaluationSeed, 31), this.evaluationBatchSize);
      if (refit !== undefined) (this.model as ScalarGaussianVae).refitDecoderOutputLayer(x, { seed: deriveSeed(evaluationSeed, 17), samples: refit.samples, batchSize: this.evaluationBatchSize });
      if (this.coordinateAscentSweeps > 0) (this.model as LinearVae).coordinateAscent(this.momentsOf(x), { maxSweeps: this.coordinateAscentSweeps });
      if (this.normalizeLatents) (this.model as ScalarGaussianVae).normalizeLatentMoments(x);
      if (this.varianceUpdate !== 'gradient') this.model.setOptimalVariances(x, { seed: varianceSeed ?? evaluationSeed, ...settings });
      evaluation = await evaluateVae(this.model, x, { seed: evaluationSeed, ...settings });
    } catch (error) {
      // R = ∞ or m_h = ∞ makes the closed-form updates throw: the model diverged during the epoch.
      if (!(error instanceof NonFiniteLossError) && isNonFiniteFailure(error)) this.fail(epoch, firstStep, lastStep, `diverged (${(error as Error).message})`);
      throw error;
    }
    if (!Number.isFinite(evaluation.elbo) || !Number.isFinite(evaluation.entropySum)) this.fail(epoch, firstStep, lastStep, 'non-finite evaluation');
    if (evaluation.decoderVariance !== undefined && !(evaluation.decoderVariance <= DIVERGENCE_THRESHOLD)) {
      this.fail(epoch, firstStep, lastStep, `diverging decoder variance (σ² = ${evaluation.decoderVariance.toExponential(2)})`);
    }
    const record: EpochRecord = {
      epoch,
      ...evaluation,
      closedFormSteps: steps,
      rawGap: raw ?? gapSnapshot(evaluation),
    };
    if (polished !== undefined) record.polish = polished;
    if (this.certificateOptions !== undefined && (epoch % this.certificateEvery === 0 || epoch === this.epochs)) {
      const certificate = await stationarityCertificate(this.model, x, { ...this.certificateOptions, rawGapNats: record.rawGap.elbo - record.rawGap.entropySum, elboWindow: this.certificateElbos });
      record.certificate = certificate;
      this.certificateElbos = [...this.certificateElbos, certificate.elbo].slice(-this.certificateWindow);
    }
    this.snapshot?.update();
    this.restorePoint = { kind: 'epoch-end', epoch };
    return record;
  }

  /** Lets timers (progress bars) and the browser's event loop run during long synchronous training. */
  async maybeYield(): Promise<void> {
    if (Date.now() - this.lastYield < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.lastYield = Date.now();
  }

  dispose(): void {
    this.snapshot?.dispose();
    for (const g of this.optimizers) g.optimizer.dispose();
    if (this.registered) MODELS_IN_TRAINING.delete(this.model);
    this.registered = false;
  }
}
