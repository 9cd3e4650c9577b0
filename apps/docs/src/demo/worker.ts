// The demo's training loop, in a Web Worker so the page stays responsive (reset = the page ends the worker). Everything here is the published
// packages' browser entries: data → models → trainers, backends at the edge.
import * as tf from '@tensorflow/tfjs-core';
import '@trientropy/backend-wasm';
import { selectBackend } from '@trientropy/backends';
import { generateCircle } from '@trientropy/data';
import { type UntypedVaeConfig, type VaeModel, createVaeModel } from '@trientropy/models';
import { type EpochRecord, type ParameterGroup, type TrainCallbacks, nameEndsWith, trainVae } from '@trientropy/trainers';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { DemoSettings, EpochMessage, PageMessage, WorkerMessage } from './protocol.js';

const wasmPaths = { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded };
const SHOWN_POINTS = 300;

const post = (message: WorkerMessage) => (self as unknown as Worker).postMessage(message);

let backendStarted: Promise<void> | undefined;
let paused = false;
let resume: (() => void) | undefined;

function startBackend(backend: DemoSettings['backend']): Promise<void> {
  backendStarted ??= selectBackend(backend, backend === 'cpu' ? {} : { init: { wasmPaths } }).then((selection) => post({ type: 'backend', name: selection.name, report: selection.report }));
  return backendStarted;
}

function modelConfig(settings: DemoSettings): UntypedVaeConfig {
  const base = { dataDim: 2, latentDim: settings.latents, seed: settings.seed };
  return settings.variant === 'linear' ? base : { ...base, hiddenSizes: [32, 32] };
}

function rows(tensor: tf.Tensor2D, columns: number): [number, number][] {
  const values = tensor.dataSync();
  const width = tensor.shape[1];
  const out: [number, number][] = [];
  for (let i = 0; i < tensor.shape[0]; i++) out.push([values[i * width]!, columns > 1 ? values[i * width + 1]! : 0]);
  return out;
}

function snapshot(model: VaeModel & { encode(x: tf.Tensor): { mean: tf.Tensor2D; logVariance: tf.Tensor2D }; reconstruct(x: tf.Tensor): tf.Tensor2D }, shown: tf.Tensor2D, record: EpochRecord, step: number): EpochMessage {
  const [latent, reconstruction, points, encoderEntropies] = tf.tidy(() => {
    const encoded = model.encode(shown);
    return [rows(encoded.mean, model.latentDim), rows(model.reconstruct(shown), 2), rows(shown, 2), Array.from(model.encoderEntropiesPerLatent(shown).dataSync())];
  });
  const c = record.certificate;
  return {
    type: 'epoch',
    epoch: record.epoch,
    step,
    elbo: record.elbo,
    entropySum: record.entropySum,
    rawGap: record.rawGap.relativeGap,
    closedFormSteps: record.closedFormSteps,
    encoderEntropies,
    certificate: c === undefined ? undefined : { converged: c.converged, worstGroup: c.worstGroup, maxRelativeGain: c.maxRelativeGain, reasons: c.reasons },
    latent,
    data: points,
    reconstruction,
  };
}

async function train(settings: DemoSettings): Promise<void> {
  await startBackend(settings.backend);
  const data = generateCircle({ n: settings.points, noiseStd: 0.05, seed: settings.seed });
  const model = createVaeModel(String(settings.variant), modelConfig(settings)) as unknown as Parameters<typeof snapshot>[0];
  const shown = tf.tensor2d(data.values.slice(0, Math.min(SHOWN_POINTS, data.rows) * 2), [Math.min(SHOWN_POINTS, data.rows), 2]);
  // As the paper does, σ² learns faster than the networks (10× the rate), by gradient: it has to fall from 1 to
  // about the noise variance, and a closed-form σ² ← R/D would hide the gap this demo is about.
  const isLogVariance = nameEndsWith('logDecoderVariance');
  const parameterGroups: ParameterGroup[] = model.trainableVariables().some(isLogVariance) ? [{ name: 'σ²', select: isLogVariance, learningRate: 10 * settings.learningRate }] : [];
  let step = 0;
  const callbacks: TrainCallbacks = {
    async onBatchEnd(info) {
      step = info.step;
      if (paused) await new Promise<void>((resolve) => (resume = resolve));
    },
    onEpochEnd(record) {
      post(snapshot(model, shown, record, step));
    },
  };
  try {
    // No closed-form step anywhere (σ² by gradient, no latent rescaling): the gap shown is the raw gap, which
    // only real convergence closes (a closed-form σ² ← R/D or m_h ← 1 step would zero parts of it at any weights).
    const result = await trainVae(model, data, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      seed: settings.seed,
      varianceUpdate: 'gradient',
      normalizeLatents: false,
      parameterGroups,
      evaluation: { samples: 4 },
      certificate: { samples: 2, maxRows: 1000 },
      callbacks,
    });
    post({ type: 'done', steps: result.steps, stopReason: result.stopReason });
  } finally {
    shown.dispose();
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
