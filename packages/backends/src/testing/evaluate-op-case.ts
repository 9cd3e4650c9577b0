import * as tf from '@tensorflow/tfjs-core';
import type { InputSpec, OpCase } from './op-cases.js';
import { indexValues, uniformValues } from './seeded-values.js';
import { deriveSeed } from '@trientropy/distributions';

/** Value and gradients of an {@link OpCase} on the active backend, read back to JavaScript. */
export interface OpCaseResult {
  shape: number[];
  value: Float32Array | Int32Array | Uint8Array;
  /** One gradient per float input, in input order. Empty for cases without a gradient. */
  gradients: Float32Array[];
}

function makeInput(spec: InputSpec, seed: number): tf.Tensor {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  return 'indicesBelow' in spec
    ? tf.tensor(indexValues(size, spec.indicesBelow, seed), spec.shape, 'int32')
    : tf.tensor(uniformValues(size, spec.low, spec.high, seed), spec.shape, 'float32');
}

/**
 * Runs `opCase` on the active tfjs backend. Inputs and the upstream gradient `dy` come from fixed seeds, so
 * every backend sees identical numbers; gradients are `tf.grads` with respect to the float inputs. Every
 * tensor created here is disposed before returning.
 */
export async function evaluateOpCase(opCase: OpCase, seed = 1234): Promise<OpCaseResult> {
  const inputs = opCase.inputs.map((spec, i) => makeInput(spec, deriveSeed(seed, 97 * i)));
  try {
    const floatPositions = opCase.inputs.flatMap((spec, i) => ('indicesBelow' in spec ? [] : [i]));
    const outputs = tf.tidy(() => {
      const value = opCase.fn(...inputs);
      if (opCase.gradient === null) return [value];
      const dy = tf.tensor(uniformValues(value.size, -1, 1, deriveSeed(seed, 7919)), value.shape, 'float32');
      const withFloats = (...floats: tf.Tensor[]): tf.Tensor => {
        const all = inputs.slice();
        floatPositions.forEach((position, k) => {
          all[position] = floats[k]!;
        });
        return opCase.fn(...all);
      };
      const gradients = tf.grads(withFloats)(floatPositions.map((i) => inputs[i]!), dy);
      return [value, ...gradients];
    });
    try {
      const [value, ...gradients] = await Promise.all(outputs.map((t) => t.data()));
      return { shape: outputs[0]!.shape, value: value!, gradients: gradients.map((g) => Float32Array.from(g)) };
    } finally {
      tf.dispose(outputs);
    }
  } finally {
    tf.dispose(inputs);
  }
}
