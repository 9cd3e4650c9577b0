import { type AnyVae, VAE_KIND_OPTIONS, createVaeModel, parseVaeOptions } from '@trientropy/models';
import type { TrainSettings } from './train-options.js';
import { UsageError } from './usage-error.js';

/** Hidden sizes the CLI uses for MLP models when `--hidden` is not given (small: fast on the cpu backend). */
export const CLI_DEFAULT_HIDDEN = [20, 20];

/** Options that come from dedicated flags or the data, never from `--option`. */
const RESERVED_OPTIONS: Record<string, string> = { dataDim: 'the data', latentDim: '--latents', seed: '--seed', hiddenSizes: '--hidden' };

/**
 * The model configuration (all but `dataDim`) from `--latents`, `--hidden`, `--seed` and `--option name=value`.
 * Throws a UsageError for a bad option, so that runs fail before loading data.
 */
export function modelConfig(settings: TrainSettings): Record<string, unknown> {
  const options = VAE_KIND_OPTIONS[settings.model];
  for (const name of Object.keys(settings.modelOptions)) {
    if (Object.hasOwn(RESERVED_OPTIONS, name)) throw new UsageError(`--option: ${name} is set by ${RESERVED_OPTIONS[name]}, not by --option`);
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parseVaeOptions(settings.model, settings.modelOptions);
  } catch (error) {
    throw new UsageError(`--option: ${(error as Error).message}`);
  }
  const hasHidden = options.some((o) => o.name === 'hiddenSizes');
  if (!hasHidden && settings.hidden !== undefined) throw new UsageError(`--hidden: the ${settings.model} model has no hidden layers`);
  return { latentDim: settings.latents, seed: settings.seed, ...parsed, ...(hasHidden ? { hiddenSizes: settings.hidden ?? CLI_DEFAULT_HIDDEN } : {}) };
}

/** Builds the model `--model` names for data of `dataDim` columns (see {@link modelConfig}). */
export function buildModel(settings: TrainSettings, dataDim: number): AnyVae {
  return createVaeModel(settings.model, { ...modelConfig(settings), dataDim, latentDim: settings.latents });
}
