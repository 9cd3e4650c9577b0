import type * as tf from '@tensorflow/tfjs-core';
import type { LearningRateSchedule } from './learning-rate-schedule.js';

/**
 * A set of variables trained with its own learning rate (and its own Adam state). The paper trains the
 * variance parameters (σ², α²) with a faster rate than the networks.
 */
export interface ParameterGroup {
  /** Name for errors and logs. */
  name: string;
  /** Which of the model's variables belong to the group (e.g. by `variable.name`). */
  select: (variable: tf.Variable) => boolean;
  learningRate: number | LearningRateSchedule;
}

/** A resolved group: its variables, in the model's order, and its schedule. */
export interface ResolvedGroup {
  name: string;
  variables: tf.Variable[];
  schedule: LearningRateSchedule;
}

/** Selects variables whose tfjs name ends with `/<suffix>`, e.g. `nameEndsWith('logDecoderVariance')`. */
export function nameEndsWith(suffix: string): (variable: tf.Variable) => boolean {
  return (variable) => variable.name.endsWith(`/${suffix}`) || variable.name === suffix;
}

/**
 * Splits `variables` into the default group (every variable no group selects) followed by `groups`.
 * A variable selected by two groups, or a group that selects nothing, is an error.
 */
export function resolveParameterGroups(
  variables: readonly tf.Variable[],
  groups: readonly ParameterGroup[],
  defaultSchedule: LearningRateSchedule,
  toSchedule: (rate: number | LearningRateSchedule, argument: string) => LearningRateSchedule,
): ResolvedGroup[] {
  const owner = new Map<tf.Variable, string>();
  const resolved = groups.map((group, index) => {
    const selected = variables.filter((v) => group.select(v));
    if (selected.length === 0) throw new Error(`parameterGroups[${index}] ('${group.name}'): expected to select at least one variable, selected none of ${variables.map((v) => v.name).join(', ')}`);
    for (const v of selected) {
      const previous = owner.get(v);
      if (previous !== undefined) throw new Error(`parameterGroups[${index}] ('${group.name}'): variable ${v.name} is already in group '${previous}'`);
      owner.set(v, group.name);
    }
    return { name: group.name, variables: selected, schedule: toSchedule(group.learningRate, `parameterGroups[${index}].learningRate`) };
  });
  const rest = variables.filter((v) => !owner.has(v));
  return rest.length > 0 ? [{ name: 'default', variables: rest, schedule: defaultSchedule }, ...resolved] : resolved;
}
