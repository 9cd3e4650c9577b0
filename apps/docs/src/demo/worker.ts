// The demo's training loop, in a Web Worker so the page stays responsive (reset = the page ends the worker). Everything here is the published
// packages' browser entries: data → models → trainers, backends at the edge.
import * as tf from '@tensorflow/tfjs-core';
import '@trientropy/backend-wasm';
import '@trientropy/backends/webgl';
import '@trientropy/backends/webgpu';
import { selectBackend } from '@trientropy/backends';
import { generateCircle } from '@trientropy/data';
import { type UntypedVaeConfig, type VaeModel, VAE_KIND_OPTIONS, createVaeModel } from '@trientropy/models';
import {
  type EpochRecord,
  type Evaluation,
  type ParameterGroup,
  type StationarityCertificate,
  type StationarityCertificateOptions,
  type TrainCallbacks,
  DEFAULT_COLLAPSE_THRESHOLD,
  cosineSchedule,
  evaluateVae,
  nameEndsWith,
  stationarityCertificate,
  trainVae,
} from '@trientropy/trainers';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { type CertificateSummary, type DemoSettings, type EpochMessage, FINAL_LEARNING_RATE_FRACTION, type PageMessage, type WorkerMessage } from './protocol.js';

const wasmPaths = { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded };
const SHOWN_POINTS = 300;
const EVALUATION = { samples: 8 };
const CERTIFICATE: StationarityCertificateOptions = { samples: 2, maxRows: 1000 };

const post = (message: WorkerMessage) => (self as unknown as Worker).postMessage(message);

let backendStarted: Promise<void> | undefined;
let paused = false;
let resume: (() => void) | undefined;

function startBackend(backend: DemoSettings['backend']): Promise<void> {
  backendStarted ??= selectBackend(backend, backend === 'wasm' || backend === 'auto' ? { init: { wasmPaths } } : {}).then((selection) => post({ type: 'backend', name: selection.name, report: selection.report }));
  return backendStarted;
}

/**
 * Small networks, and the starting variances of the paper's code: log τ² = −3 for the encoder and a small σ²
 * (e⁻⁴) for the decoder, so that the untrained model explains the data badly and the decoder has to learn the
 * ring rather than settle in posterior collapse (σ² = the data variance, ELBO = that of one Gaussian). Only the
 * options a variant has are passed.
 */
function modelConfig(settings: DemoSettings): UntypedVaeConfig {
  const wanted: Record<string, unknown> = { seed: settings.seed, hiddenSizes: [32, 32], initialEncoderLogVariance: -3, initialLogDecoderVariance: -4 };
  const known = new Set(VAE_KIND_OPTIONS[settings.variant].map((option) => option.name));
  return { dataDim: 2, latentDim: settings.latents, ...Object.fromEntries(Object.entries(wanted).filter(([name]) => known.has(name))) };
}

type DemoModel = VaeModel & { encode(x: tf.Tensor): { mean: tf.Tensor2D; logVariance: tf.Tensor2D }; reconstruct(x: tf.Tensor): tf.Tensor2D };

function rows(tensor: tf.Tensor2D, columns: number): [number, number][] {
  const values = tensor.dataSync();
  const width = tensor.shape[1];
  const out: [number, number][] = [];
  for (let i = 0; i < tensor.shape[0]; i++) out.push([values[i * width]!, columns > 1 ? values[i * width + 1]! : 0]);
  return out;
}

function summary(c: StationarityCertificate): CertificateSummary {
  return { converged: c.converged, undecided: c.undecided, worstGroup: c.worstGroup, maxRelativeGain: c.maxRelativeGain, reasons: c.reasons };
}

interface EpochState {
  epoch: number;
  step: number;
  evaluation: Evaluation;
  raw: { elbo: number; entropySum: number; relativeGap: number };
  closedFormSteps: string[];
  certificate: StationarityCertificate;
}

function snapshot(model: DemoModel, shown: tf.Tensor2D, state: EpochState, started: number): EpochMessage {
  const [latent, reconstruction, points, encoderEntropies] = tf.tidy(() => {
    const encoded = model.encode(shown);
    return [rows(encoded.mean, model.latentDim), rows(model.reconstruct(shown), 2), rows(shown, 2), Array.from(model.encoderEntropiesPerLatent(shown).dataSync())];
  });
  return {
    type: 'epoch',
    epoch: state.epoch,
    step: state.step,
    seconds: (performance.now() - started) / 1000,
    elbo: state.evaluation.elbo,
    entropySum: state.evaluation.entropySum,
    rawGap: state.raw.relativeGap,
    rawGapNats: state.raw.elbo - state.raw.entropySum,
    closedFormSteps: state.closedFormSteps,
    encoderEntropies,
    priorEntropyPerLatent: state.evaluation.entropies.prior / model.latentDim,
    collapseThreshold: DEFAULT_COLLAPSE_THRESHOLD,
    certificate: summary(state.certificate),
    latent,
    data: points,
    reconstruction,
  };
}

/** Epoch 0: the untrained model, measured as the trainer measures each epoch's end (no window for the certificate yet). */
async function untrainedState(model: DemoModel, x: tf.Tensor2D, seed: number): Promise<EpochState> {
  const evaluation = await evaluateVae(model, x, { seed, ...EVALUATION });
  const raw = { elbo: evaluation.elbo, entropySum: evaluation.entropySum, relativeGap: evaluation.relativeGap };
  const certificate = await stationarityCertificate(model, x, { ...CERTIFICATE, rawGapNats: raw.elbo - raw.entropySum });
  return { epoch: 0, step: 0, evaluation, raw, closedFormSteps: [], certificate };
}

function recordState(record: EpochRecord, step: number): EpochState {
  if (record.certificate === undefined) throw new Error(`epoch ${record.epoch}: the trainer returned no stationarity certificate`);
  return { epoch: record.epoch, step, evaluation: record, raw: record.rawGap, closedFormSteps: record.closedFormSteps, certificate: record.certificate };
}

async function train(settings: DemoSettings): Promise<void> {
  const started = performance.now();
  await startBackend(settings.backend);
  const data = generateCircle({ n: settings.points, noiseStd: 0.05, seed: settings.seed });
  const model = createVaeModel(String(settings.variant), modelConfig(settings)) as unknown as DemoModel;
  const x = tf.tensor2d(data.values, [data.rows, 2]);
  const shown = tf.slice(x, [0, 0], [Math.min(SHOWN_POINTS, data.rows), 2]);
  const schedule = (rate: number) => cosineSchedule(rate, FINAL_LEARNING_RATE_FRACTION);
  // As the paper does, σ² learns faster than the networks (10× the rate), by gradient: it has to move from its
  // start to about the noise variance, and a closed-form σ² ← R/D would hide the gap this demo is about.
  const isLogVariance = nameEndsWith('logDecoderVariance');
  const parameterGroups: ParameterGroup[] = model.trainableVariables().some(isLogVariance) ? [{ name: 'σ²', select: isLogVariance, learningRate: schedule(10 * settings.learningRate) }] : [];
  let step = 0;
  const callbacks: TrainCallbacks = {
    // Called after the trainer has set the decoder bias to the data mean, before the first step.
    async onTrainStart() {
      post(snapshot(model, shown, await untrainedState(model, x, settings.seed), started));
    },
    async onBatchEnd(info) {
      step = info.step;
      if (paused) await new Promise<void>((resolve) => (resume = resolve));
    },
    onEpochEnd(record) {
      post(snapshot(model, shown, recordState(record, step), started));
    },
  };
  try {
    // No closed-form step anywhere (σ² by gradient, no latent rescaling): the gap shown is the raw gap, which
    // only real convergence closes (a closed-form σ² ← R/D or m_h ← 1 step would zero parts of it at any weights).
    const result = await trainVae(model, data, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: schedule(settings.learningRate),
      seed: settings.seed,
      varianceUpdate: 'gradient',
      normalizeLatents: false,
      parameterGroups,
      evaluation: EVALUATION,
      certificate: CERTIFICATE,
      callbacks,
    });
    post({ type: 'done', steps: result.steps, stopReason: result.stopReason });
  } finally {
    tf.dispose([x, shown]);
    model.dispose();
  }
}

self.onmessage = (event: MessageEvent<PageMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'start':
      paused = false;
      train(message.settings).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
      break;
    case 'pause':
      paused = true;
      break;
    case 'resume':
      paused = false;
      resume?.();
      resume = undefined;
      break;
  }
};
