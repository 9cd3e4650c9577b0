// Messages between the demo page and its training worker.

/** Model variants the demo trains (the Gaussian ones of the theorem). */
export const DEMO_VARIANTS = ['vae-1', 'vae-2', 'vae-3', 'vae-0', 'linear'] as const;
export type DemoVariant = (typeof DEMO_VARIANTS)[number];

export interface DemoSettings {
  variant: DemoVariant;
  latents: number;
  learningRate: number;
  backend: 'wasm' | 'cpu' | 'auto';
  /** Epochs to train (each of `points / batchSize` Adam steps). */
  epochs: number;
  seed: number;
  /** 2-D points of the synthetic data set (circle). */
  points: number;
  batchSize: number;
}

export interface EpochMessage {
  type: 'epoch';
  epoch: number;
  step: number;
  elbo: number;
  entropySum: number;
  /** |ELBO − entropy sum| / |ELBO| measured before any closed-form step (the demo runs none: `closedFormSteps` is empty). */
  rawGap: number;
  /** The closed-form steps that ran at the epoch's end, as the trainer records them. */
  closedFormSteps: string[];
  /** mean_n H[q(z_h|x_n)] per latent. */
  encoderEntropies: number[];
  /** The stationarity certificate of @trientropy/trainers: gradient-step gain per parameter group, raw gap, ELBO window. */
  certificate: { converged: boolean; worstGroup: string; maxRelativeGain: number; reasons: string[] } | undefined;
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
