import { deriveSeed, InvalidArgumentError } from '@trientropy/distributions';
import { ACTIVATION_NAMES, type ActivationName, isActivationName } from './activations.js';
import { checkInteger, checkIntegerList, checkLogVariance } from './config-checks.js';
import { GaussianEncoder } from './gaussian-encoder.js';
import { Mlp } from './mlp.js';
import { MODEL_SIZE_LIMITS, checkDimension, checkParameterCount, denseChainParameters } from './size-limits.js';

/** Configuration shared by the VAEs with MLP encoder and decoder. */
export interface MlpVaeConfig {
  /** Observed dimension D. */
  dataDim: number;
  /** Latent dimension H. */
  latentDim: number;
  /** Hidden layer sizes of the encoder; the decoder mirrors them. Default [50, 50] (the paper's verification nets). */
  hiddenSizes?: readonly number[];
  /** Hidden-layer activation. Default 'relu'. */
  activation?: ActivationName;
  /** Initial bias of the encoder's log τ² outputs. Default 0. */
  initialEncoderLogVariance?: number;
  /** Seed of the weight initialisation. Default 0. */
  seed?: number;
}

/** Checks an {@link MlpVaeConfig} and fills in its defaults. */
export function resolveMlpVaeConfig(config: MlpVaeConfig): Required<MlpVaeConfig> {
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError('config', 'an object', String(config));
  const activation = config.activation ?? 'relu';
  if (!isActivationName(activation)) throw new InvalidArgumentError('activation', `one of ${ACTIVATION_NAMES.join(', ')}`, String(activation));
  const dataDim = checkDimension(config.dataDim, 'dataDim', MODEL_SIZE_LIMITS.dataDim);
  const latentDim = checkDimension(config.latentDim, 'latentDim', MODEL_SIZE_LIMITS.latentDim);
  const hiddenSizes = [...checkIntegerList(config.hiddenSizes ?? [50, 50], 'hiddenSizes')];
  if (hiddenSizes.length > MODEL_SIZE_LIMITS.hiddenLayers) throw new InvalidArgumentError('hiddenSizes', `at most ${MODEL_SIZE_LIMITS.hiddenLayers} hidden layers`, `${hiddenSizes.length} layers`);
  hiddenSizes.forEach((size, i) => checkDimension(size, `hiddenSizes[${i}]`, MODEL_SIZE_LIMITS.hiddenSize));
  // The encoder and the decoder's mean network; variants add at most as many again (VAE-3's variance net).
  checkParameterCount(denseChainParameters([dataDim, ...hiddenSizes, 2 * latentDim]) + denseChainParameters([latentDim, ...[...hiddenSizes].reverse(), dataDim]), `dataDim ${dataDim}, latentDim ${latentDim}, hiddenSizes [${hiddenSizes.join(', ')}]`);
  return {
    dataDim,
    latentDim,
    hiddenSizes,
    activation,
    initialEncoderLogVariance: checkLogVariance(config.initialEncoderLogVariance ?? 0, 'initialEncoderLogVariance'),
    seed: checkInteger(config.seed ?? 0, 'seed'),
  };
}

/** The MLP Gaussian encoder of a resolved configuration. */
export function mlpEncoder(config: Required<MlpVaeConfig>, scope: string): GaussianEncoder {
  return new GaussianEncoder({
    dataDim: config.dataDim,
    latentDim: config.latentDim,
    hiddenSizes: config.hiddenSizes,
    activation: config.activation,
    logVarianceBiasInit: config.initialEncoderLogVariance,
    seed: config.seed,
    name: `${scope}/encoder`,
  });
}

/**
 * The decoder MLP `H → reversed hidden sizes → outputSize` with a linear output layer. Its first layer is
 * affine in z (`act(zW + b)`), which the theorem's rescaling argument needs (arXiv 2010.14860, VAE-1 section).
 */
export function mlpDecoder(config: Required<MlpVaeConfig>, outputSize: number, scope: string): Mlp {
  return new Mlp({
    inputSize: config.latentDim,
    hiddenSizes: [...config.hiddenSizes].reverse(),
    outputSize,
    activation: config.activation,
    seed: deriveSeed(config.seed, 100),
    name: `${scope}/decoder`,
  });
}
