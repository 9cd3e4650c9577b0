export { ACTIVATION_NAMES, LEAKY_RELU_SLOPE, type ActivationName, applyActivation, isActivationName } from './activations.js';
export { Dense, type DenseConfig } from './dense.js';
export { GaussianEncoder, type EncoderOutput, type GaussianEncoderConfig } from './gaussian-encoder.js';
export { Mlp, type MlpConfig } from './mlp.js';
export { Vae1, type Vae1Config } from './vae1.js';
export type { VaeModel } from './vae-model.js';
export type { ElboOptions, ElboTerms, EntropyTerms } from './vae-terms.js';
