export { ACTIVATION_NAMES, LEAKY_RELU_SLOPE, type ActivationName, applyActivation, isActivationName } from './activations.js';
export { Dense, type DenseApplyOptions, type DenseConfig } from './dense.js';
export { GaussianEncoder, type GaussianEncoderConfig } from './gaussian-encoder.js';
export { LinearGaussianEncoder, type LinearGaussianEncoderConfig } from './linear-gaussian-encoder.js';
export type { EncoderOutput, LatentEncoder } from './latent-encoder.js';
export { Mlp, type MlpConfig } from './mlp.js';
export type { MlpVaeConfig } from './mlp-vae-config.js';
export { VaeBase, DEFAULT_ENTROPY_SAMPLES, type DataStatistics, type LikelihoodTerms } from './vae-base.js';
export { ScalarGaussianVae, type DecoderOutputRefitOptions, type DecoderOutputRefitResult } from './scalar-gaussian-vae.js';
export { Vae0, type Vae0Config } from './vae0.js';
export { Vae1, type Vae1Config } from './vae1.js';
export { Vae2, WEIGHT_CONSTRAINTS, type Vae2Config, type WeightConstraint } from './vae2.js';
export { Vae3, VAE3_VARIANCE_MODELS, type Vae3Config, type Vae3VarianceModel } from './vae3.js';
export { type CoordinateAscentResult, LinearVae, type LinearVaeConfig, type LinearVaeParameters } from './linear-vae.js';
export { type DataMoments, dataMoments } from './data-moments.js';
export { initializeDecoderBias } from './decoder-bias.js';
export { ppcaLogLikelihood, ppcaMaximumLikelihood, type PpcaParameters, type PpcaSolution } from './ppca.js';
export type { MatrixInput } from './matrix-input.js';
export { VAE_KINDS, isVaeKind, type DecoderVarianceType, type VaeKind } from './vae-kind.js';
export type { VaeModel } from './vae-model.js';
export type { ElboOptions, ElboTerms, EntropyOptions, EntropyTerms, OptimalVarianceOptions, OptimalVariances } from './vae-terms.js';
export { BernoulliVae, BERNOULLI_LIKELIHOODS, type BernoulliLikelihood, type BernoulliVaeConfig } from './bernoulli-vae.js';
export { createVaeModel, parseVaeOptions, type AnyVae, type NotALiteral, type UntypedVaeConfig, type VaeByKind, type VaeConfigByKind } from './create-vae-model.js';
export { VAE_KIND_DESCRIPTIONS, VAE_KIND_OPTIONS, type VaeOptionDescription } from './vae-kind-options.js';
export { variantEntropyTerms, type VariantEntropyTerms, type VariantEntropyTermsOptions } from './variant-entropy-terms.js';
export { base64ByteLength, base64ToFloat32, firstNonFinite, float32ToBase64 } from './float32-bytes.js';
export { jsonNestsDeeperThan } from './json-depth.js';
export { MODEL_SIZE_LIMITS } from './size-limits.js';
export {
  READABLE_VAE_FILE_VERSIONS,
  VAE_FILE_FORMAT,
  VAE_FILE_VERSION,
  VaeFileError,
  deserializeVae,
  deserializeVaeFile,
  serializeVae,
  vaeFileChecksum,
  vaeToFile,
  type DeserializedVaeFile,
  type SaveVaeOptions,
  type VaeFile,
  type VaeFileProblem,
  type VaeFileStandardization,
  type VaeFileWeight,
} from './vae-file.js';
