import * as tf from '@tensorflow/tfjs-core';
import * as api from './index.js';
import { CLASS_ID, Distribution, InvalidArgumentError, Normal, classIdOf, hasClosedFormKl, isInstanceAcross, klDivergence, registerKl } from './index.js';

// A second, independent copy of this package's modules, as a program gets when one dependency imports the
// ESM build and another requires the CJS build.
function secondCopy(): typeof api {
  let copy: typeof api | undefined;
  jest.isolateModules(() => {
    copy = require('./index') as typeof api;
  });
  if (copy === undefined || copy.Normal === Normal) throw new Error('jest.isolateModules did not load a second copy');
  return copy;
}

describe('class identity across copies of the package', () => {
  const other = secondCopy();

  it('gives every exported distribution and error class a stable id named after it', () => {
    const classes = Object.entries(api).filter(
      ([, value]) => typeof value === 'function' && (value.prototype instanceof Distribution || value.prototype instanceof Error || value === Distribution),
    );
    expect(classes.length).toBeGreaterThan(20);
    for (const [name, cls] of classes) expect([name, classIdOf(cls as Function)]).toEqual([name, `@trientropy/distributions:${name}`]);
    expect(Normal.name).toBe('Normal');
  });

  it('makes instanceof hold for instances of the other copy, and only for the same class', () => {
    const fromOther = new other.Normal(0, 1);
    expect(fromOther.constructor).not.toBe(Normal);
    expect(fromOther instanceof Normal).toBe(true);
    expect(fromOther instanceof Distribution).toBe(true);
    expect(new Normal(0, 1) instanceof other.Normal).toBe(true);
    expect(new other.Laplace(0, 1) instanceof Normal).toBe(false);
    expect(isInstanceAcross({}, Normal)).toBe(false);
    expect(isInstanceAcross(null, Normal)).toBe(false);
    // A user's subclass is an instance of its base, but has no id of its own.
    class ScaledNormal extends Normal {}
    expect(new ScaledNormal(0, 2) instanceof other.Normal).toBe(true);
    expect(classIdOf(ScaledNormal)).toBeUndefined();
    expect((ScaledNormal as unknown as Record<symbol, unknown>)[CLASS_ID]).toBe('@trientropy/distributions:Normal'); // inherited, not own
    // Errors thrown by one copy are caught by the other's class.
    expect(new other.InvalidArgumentError('x', 'y', 'z') instanceof InvalidArgumentError).toBe(true);
  });

  it('finds the closed-form KL for distributions of either copy, in either copy', () => {
    const [p, q] = [new other.Normal(tf.tensor1d([0.5]), tf.tensor1d([2])), new Normal(0, 1)];
    expect(hasClosedFormKl(p, q)).toBe(true);
    expect(other.hasClosedFormKl(q, p)).toBe(true);
    const kl = tf.tidy(() => klDivergence(p, q).arraySync() as number[]);
    // KL(N(μ, σ²) ‖ N(0, 1)) = (σ² + μ² − 1)/2 − log σ
    expect(kl[0]).toBeCloseTo((4 + 0.25 - 1) / 2 - Math.log(2), 5);
    tf.dispose([p.loc, p.scale]);
  });

  it('shares registrations made through either copy', () => {
    class Coin extends Distribution {
      readonly batchShape: number[] = [];
      readonly eventShape: number[] = [];
      readonly hasRsample = false;
      logProb(): tf.Tensor { return tf.scalar(Math.log(0.5)); }
      entropy(): tf.Tensor { return tf.scalar(Math.LN2); }
      mean(): tf.Tensor { return tf.scalar(0.5); }
      variance(): tf.Tensor { return tf.scalar(0.25); }
    }
    expect(other.hasClosedFormKl(new Coin(), new Coin())).toBe(false);
    registerKl(Coin, Coin, () => tf.scalar(0));
    expect(other.hasClosedFormKl(new Coin(), new Coin())).toBe(true);
  });
});
