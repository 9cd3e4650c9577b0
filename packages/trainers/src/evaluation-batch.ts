import type { VaeModel } from '@trientropy/models';

/**
 * Most float32 values one activation of an evaluation pass may hold (2^24: 64 MiB). A pass over `rows` rows
 * with `samples` draws of z holds `rows · samples · width` values per layer, so with many samples the
 * default batch of rows would exceed what tfjs can allocate ("memory access out of bounds").
 */
export const EVALUATION_ELEMENT_BUDGET = 2 ** 24;

/** The widest layer of a model: D, H, 2H or a hidden size (from `config.hiddenSizes` where the model has one). */
export function widestLayer(model: VaeModel): number {
  const hidden = (model as { config?: { hiddenSizes?: readonly number[] } }).config?.hiddenSizes ?? [];
  return Math.max(model.dataDim, 2 * model.latentDim, ...hidden);
}

/**
 * The rows per evaluation pass: `requested` when the caller chose it, else `fallback` reduced so that one
 * activation stays within {@link EVALUATION_ELEMENT_BUDGET} (at least one row). Defaults are unchanged for
 * the usual sample counts, so their chunk seeds and results are too.
 */
export function evaluationBatchRows(model: VaeModel, samples: number, requested: number | undefined, fallback: number): number {
  if (requested !== undefined) return requested;
  return Math.max(1, Math.min(fallback, Math.floor(EVALUATION_ELEMENT_BUDGET / (samples * widestLayer(model)))));
}
