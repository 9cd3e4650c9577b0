import * as tf from '@tensorflow/tfjs-core';

// tfjs 4.22's AdamOptimizer keeps these in TypeScript-private fields (checkpoint/adam-state.ts reads the same).
interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
}

/**
 * A kernel that does one whole Adam update of all variables in one call, where the active backend has it (today
 * @trientropy/backend-native's `native`; see its FUSED_ADAM_KERNEL for the contract). Named here rather than
 * imported, because backends sit at the edge and nothing depends on them.
 */
const FUSED_ADAM_KERNEL = 'TrientropyFusedAdamGroup';

/** The constants of one update, kept between steps (tfjs's Adam turns each number into a new tensor per variable). */
interface Constants {
  one: tf.Scalar;
  beta1: tf.Scalar;
  oneMinusBeta1: tf.Scalar;
  beta2: tf.Scalar;
  oneMinusBeta2: tf.Scalar;
  epsilon: tf.Scalar;
  negativeRate: tf.Scalar;
  rate: number;
}

/**
 * `tf.train.adam` with the same arithmetic, op for op and bit for bit, and without its per-step tensor churn:
 * tfjs's `AdamOptimizer.applyGradients` uploads six scalar tensors per variable and step (β₁, 1 − β₁, β₂,
 * 1 − β₂, ε, −lr); these are made once (−lr again when the rate changes). It is an `AdamOptimizer`, so
 * checkpoints (`captureAdamState`/`restoreAdamState`) and `setLearningRate` work unchanged.
 */
export class LeanAdamOptimizer extends tf.AdamOptimizer {
  private constants: Constants | undefined;

  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  private fields(): AdamFields {
    return this as unknown as AdamFields;
  }

  private constantsFor(adam: AdamFields): Constants {
    let c = this.constants;
    if (c !== undefined && c.rate === adam.learningRate) return c;
    if (c === undefined) {
      c = {
        one: tf.keep(tf.scalar(1)),
        beta1: tf.keep(tf.scalar(adam.beta1)),
        oneMinusBeta1: tf.keep(tf.scalar(1 - adam.beta1)),
        beta2: tf.keep(tf.scalar(adam.beta2)),
        oneMinusBeta2: tf.keep(tf.scalar(1 - adam.beta2)),
        epsilon: tf.keep(tf.scalar(adam.epsilon)),
        negativeRate: tf.keep(tf.scalar(-adam.learningRate)),
        rate: adam.learningRate,
      };
    } else {
      c.negativeRate.dispose();
      c.negativeRate = tf.keep(tf.scalar(-adam.learningRate));
      c.rate = adam.learningRate;
    }
    this.constants = c;
    return c;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>): void {
    const adam = this.fields();
    const list = Array.isArray(variableGradients) ? variableGradients : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name]! }));
    const c = this.constantsFor(adam);
    if (tf.getKernel(FUSED_ADAM_KERNEL, tf.getBackend()) !== undefined) {
      this.applyFused(adam, list, c);
      return;
    }
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(c.one, adam.accBeta1);
      const oneMinusAccBeta2 = tf.sub(c.one, adam.accBeta2);
      list.forEach(({ name, tensor: gradient }, i) => {
        const value = tf.engine().registeredVariables[name]!;
        adam.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        adam.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const firstMoment = adam.accumulatedFirstMoment[i]!.variable;
        const secondMoment = adam.accumulatedSecondMoment[i]!.variable;
        // The same operations in the same order as tfjs 4.22's AdamOptimizer.applyGradients.
        const newFirstMoment = tf.add(tf.mul(firstMoment, c.beta1), tf.mul(gradient, c.oneMinusBeta1));
        const newSecondMoment = tf.add(tf.mul(secondMoment, c.beta2), tf.mul(tf.square(gradient), c.oneMinusBeta2));
        const biasCorrectedFirstMoment = tf.div(newFirstMoment, oneMinusAccBeta1);
        const biasCorrectedSecondMoment = tf.div(newSecondMoment, oneMinusAccBeta2);
        firstMoment.assign(newFirstMoment);
        secondMoment.assign(newSecondMoment);
        value.assign(tf.add(tf.mul(tf.div(biasCorrectedFirstMoment, tf.add(tf.sqrt(biasCorrectedSecondMoment), c.epsilon)), c.negativeRate), value));
      });
      adam.accBeta1.assign(tf.mul(adam.accBeta1, c.beta1));
      adam.accBeta2.assign(tf.mul(adam.accBeta2, c.beta2));
    });
    this.incrementIterations();
  }

  /** One kernel call for every variable with a gradient: applyGradients' arithmetic, bit for bit (tested in @trientropy/backend-native). */
  private applyFused(adam: AdamFields, list: Array<{ name: string; tensor: tf.Tensor | null }>, c: Constants): void {
    tf.tidy(() => {
      const inputs: tf.NamedTensorMap = { accBeta1: adam.accBeta1, accBeta2: adam.accBeta2 };
      const targets: Array<{ value: tf.Variable; firstMoment: tf.Variable; secondMoment: tf.Variable }> = [];
      list.forEach(({ name, tensor: gradient }, i) => {
        const value = tf.engine().registeredVariables[name]!;
        adam.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        adam.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const k = targets.length;
        const firstMoment = adam.accumulatedFirstMoment[i]!.variable;
        const secondMoment = adam.accumulatedSecondMoment[i]!.variable;
        inputs[`value${k}`] = value;
        inputs[`gradient${k}`] = gradient;
        inputs[`firstMoment${k}`] = firstMoment;
        inputs[`secondMoment${k}`] = secondMoment;
        targets.push({ value, firstMoment, secondMoment });
      });
      const attrs = { count: targets.length, beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, learningRate: adam.learningRate };
      // No outputs: every array was updated in place; otherwise three new tensors per variable, in order.
      const outputs = tf.engine().runKernel(FUSED_ADAM_KERNEL, inputs, attrs) as tf.Tensor[];
      targets.forEach(({ value, firstMoment, secondMoment }, k) => {
        if (outputs.length === 0) return;
        firstMoment.assign(outputs[3 * k + 1]!);
        secondMoment.assign(outputs[3 * k + 2]!);
        value.assign(outputs[3 * k]!);
      });
      adam.accBeta1.assign(tf.mul(adam.accBeta1, c.beta1));
      adam.accBeta2.assign(tf.mul(adam.accBeta2, c.beta2));
    });
    this.incrementIterations();
  }

  override dispose(): void {
    super.dispose();
    const c = this.constants;
    if (c !== undefined) tf.dispose([c.one, c.beta1, c.oneMinusBeta1, c.beta2, c.oneMinusBeta2, c.epsilon, c.negativeRate]);
    this.constants = undefined;
  }
}
