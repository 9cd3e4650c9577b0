// Messages between the demo page and its training worker.

/** Model variants the demo trains (the Gaussian ones of the theorem). */
export const DEMO_VARIANTS = ['vae-1', 'vae-2', 'vae-3', 'vae-0', 'linear'] as const;
export type DemoVariant = (typeof DEMO_VARIANTS)[number];

/** The learning rate decays along a cosine to this fraction of its start: late small steps let the ELBO settle. */
export const FINAL_LEARNING_RATE_FRACTION = 0.02;

export interface DemoSettings {
  variant: DemoVariant;
  latents: number;
  /** Adam's initial learning rate; it decays along a cosine to {@link FINAL_LEARNING_RATE_FRACTION} of it. */
  learningRate: number;
  /** `auto`: webgpu > webgl > wasm > cpu by availability, passing over software-emulated GPUs (see the backend report). */
  backend: 'auto' | 'wasm' | 'webgl' | 'webgpu' | 'cpu';
  /** Epochs to train (each of `points / batchSize` Adam steps). */
  epochs: number;
  /** Seeds the data, the initial weights, the batches and every Monte-Carlo sample. */
  seed: number;
  /** 2-D points of the synthetic data set (circle). */
  points: number;
  batchSize: number;
}

/** The stationarity certificate of @trientropy/trainers, as the page shows it. */
export interface CertificateSummary {
  converged: boolean;
  /** Refused only because a Monte-Carlo gain's ±2 standard errors straddle its tolerance. */
  undecided: boolean;
  worstGroup: string;
  maxRelativeGain: number;
  reasons: string[];
}

export interface EpochMessage {
  type: 'epoch';
  /** 0: the untrained model (after the decoder bias starts at the data mean), before any step. */
  epoch: number;
  step: number;
  /** Seconds since the worker started this run (backend start included). */
  seconds: number;
  elbo: number;
  entropySum: number;
  /** |ELBO − entropy sum| / |ELBO| measured before any closed-form step (the demo runs none: `closedFormSteps` is empty). */
  rawGap: number;
  /** ELBO − entropy sum in nats, before any closed-form step. */
  rawGapNats: number;
  /** The closed-form steps that ran at the epoch's end, as the trainer records them. */
  closedFormSteps: string[];
  /** mean_n H[q(z_h|x_n)] per latent. */
  encoderEntropies: number[];
  /** The prior's entropy per latent (½ log 2πe for a standard normal) and the trainers' posterior-collapse threshold. */
  priorEntropyPerLatent: number;
  collapseThreshold: number;
  certificate: CertificateSummary;
  /** Encoder means of a subsample (first two latents; z2 = 0 for one latent). */
  latent: [number, number][];
  /** The same points and their reconstructions (decoder mean at the encoder mean). */
  data: [number, number][];
  reconstruction: [number, number][];
}

export type WorkerMessage =
  | { type: 'backend'; name: string; report: string }
  | EpochMessage
  | { type: 'done'; steps: number; stopReason: string | undefined }
  | { type: 'error'; message: string };

export type PageMessage = { type: 'start'; settings: DemoSettings } | { type: 'pause' } | { type: 'resume' };
