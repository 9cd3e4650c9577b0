import * as tf from '@tensorflow/tfjs-core';

/** Copies of a set of variables' values, to roll a model back after a failed step. */
export class ParameterSnapshot {
  private values: tf.Tensor[];

  constructor(private readonly variables: readonly tf.Variable[]) {
    this.values = variables.map((v) => tf.clone(v));
  }

  /** Replaces the stored copies with the variables' current values. */
  update(): void {
    tf.dispose(this.values);
    this.values = this.variables.map((v) => tf.clone(v));
  }

  /** Writes the stored copies back into the variables. */
  restore(): void {
    this.variables.forEach((v, i) => v.assign(this.values[i]!));
  }

  dispose(): void {
    tf.dispose(this.values);
    this.values = [];
  }
}
