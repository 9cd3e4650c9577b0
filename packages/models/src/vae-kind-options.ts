import { ACTIVATION_NAMES } from './activations.js';
import { BERNOULLI_LIKELIHOODS } from './bernoulli-vae.js';
import type { VaeKind } from './vae-kind.js';
import { WEIGHT_CONSTRAINTS } from './vae2.js';
import { VAE3_VARIANCE_MODELS } from './vae3.js';

/** One configuration option of a VAE variant, described for a CLI or a form. */
export interface VaeOptionDescription {
  /** The config field, e.g. 'hiddenSizes'. */
  name: string;
  /** 'integer-list' values are written `32,32` on a command line. */
  type: 'number' | 'integer' | 'integer-list' | 'choice' | 'boolean';
  /** The allowed values of a 'choice'. */
  choices?: readonly string[];
  /** undefined for a required option. */
  default?: number | string | boolean | readonly number[];
  description: string;
}

/** One sentence per variant, for `--help`. */
export const VAE_KIND_DESCRIPTIONS: Readonly<Record<VaeKind, string>> = {
  'vae-0': 'Gaussian VAE with a fixed decoder variance σ² (the entropy-sum theorem does not apply).',
  'vae-1': 'standard Gaussian VAE: prior N(0, I), one learnable decoder variance σ².',
  'vae-2': 'VAE-1 with learnable prior variances α² and unit-norm first-layer decoder columns.',
  'vae-3': 'Gaussian VAE with a latent-dependent diagonal decoder variance σ²(z).',
  linear: 'linear VAE (probabilistic PCA): linear encoder mean, shared encoder variances, linear decoder.',
  bernoulli: 'VAE with a Bernoulli or continuous-Bernoulli decoder for binary or [0, 1] data.',
};

const dataDim: VaeOptionDescription = { name: 'dataDim', type: 'integer', description: 'observed dimension D (from the data)' };
const latentDim: VaeOptionDescription = { name: 'latentDim', type: 'integer', description: 'latent dimension H' };
const seed: VaeOptionDescription = { name: 'seed', type: 'integer', default: 0, description: 'seed of the weight initialisation' };
const mlp: VaeOptionDescription[] = [
  dataDim,
  latentDim,
  { name: 'hiddenSizes', type: 'integer-list', default: [50, 50], description: 'encoder hidden layer sizes; the decoder mirrors them' },
  { name: 'activation', type: 'choice', choices: ACTIVATION_NAMES, default: 'relu', description: 'hidden-layer activation' },
  { name: 'initialEncoderLogVariance', type: 'number', default: 0, description: "initial bias of the encoder's log τ² outputs" },
  seed,
];
const logSigma2: VaeOptionDescription = { name: 'initialLogDecoderVariance', type: 'number', default: 0, description: 'initial log σ² of the decoder' };

/** The options of every variant: the fields of its config type, with defaults. */
export const VAE_KIND_OPTIONS: Readonly<Record<VaeKind, readonly VaeOptionDescription[]>> = {
  'vae-0': [...mlp, { name: 'decoderVariance', type: 'number', default: 1, description: 'the fixed decoder variance σ²' }],
  'vae-1': [...mlp, logSigma2],
  'vae-2': [
    ...mlp,
    logSigma2,
    { name: 'initialLogPriorVariance', type: 'number', default: 1, description: 'initial log α_h² of the prior' },
    { name: 'weightConstraint', type: 'choice', choices: WEIGHT_CONSTRAINTS, default: 'rescale', description: "how the decoder's first-layer columns keep unit norm" },
    { name: 'penaltyWeight', type: 'number', default: 1, description: "γ of the 'regularize' penalty γΣ(‖W_h‖² − 1)²" },
    { name: 'rescalePreservesFunction', type: 'boolean', default: true, description: "'rescale' mode: compensate in the encoder and α so F is unchanged (false: only normalise, as the authors' code)" },
  ],
  'vae-3': [
    ...mlp,
    { name: 'initialLogDecoderVariance', type: 'number', default: 0, description: 'initial log of the global scale s of σ²(z)' },
    { name: 'varianceModel', type: 'choice', choices: VAE3_VARIANCE_MODELS, default: 'latent-dependent', description: "σ²(z) from a decoder head, or a learnable per-dimension vector (the authors' model.py)" },
  ],
  linear: [
    dataDim,
    latentDim,
    { name: 'initialEncoderLogVariance', type: 'number', default: 0, description: 'initial log τ_h² (shared by all data points)' },
    logSigma2,
    seed,
  ],
  bernoulli: [...mlp, { name: 'likelihood', type: 'choice', choices: BERNOULLI_LIKELIHOODS, default: 'bernoulli', description: 'observation model' }],
};
