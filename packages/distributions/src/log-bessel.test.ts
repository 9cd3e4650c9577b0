import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, besselIRatio, logBesselI, logBesselIve } from './index.js';
import { besselIRatioComplement, lgammaHost } from './log-bessel.js';
import { loadFixture } from './test-support/fixtures.js';
import { expectClose, expectNoTensorLeak } from './test-support/numeric-assertions.js';

interface BesselCase {
  order: number;
  x: number[];
  logIve: number[];
  ratio: number[];
  oneMinusRatio: number[];
  dLogIve: number[];
  dRatio: number[];
}
const fixture = loadFixture<{ bessel: BesselCase[] }>('von_mises_fisher');

describe.each(fixture.bessel.map((c) => [c.order, c] as const))('log-Bessel functions against mpmath (40 digits): order %s', (_order, c) => {
  const where = (i: number): string => `(ν ${c.order}, x ${c.x[i]})`;

  it('log(I_ν(x)e^{−x}) and log I_ν(x), 1e-5 relative', () => {
    tf.tidy(() => {
      const x = tf.tensor1d(c.x);
      expectClose(logBesselIve(c.order, x), c.logIve, { rtol: 1e-5, atol: 1e-6 }, 'logIve', where);
      expectClose(logBesselI(c.order, x), c.logIve.map((v, i) => v + (c.x[i] as number)), { rtol: 1e-5, atol: 1e-6 }, 'logI', where);
    });
  });

  it('the ratio I_{ν+1}/I_ν and its complement 1 − I_{ν+1}/I_ν, 1e-5 relative', () => {
    tf.tidy(() => {
      const x = tf.tensor1d(c.x);
      expectClose(besselIRatio(c.order, x), c.ratio, { rtol: 1e-5, atol: 1e-30 }, 'ratio', where);
      expectClose(besselIRatioComplement(c.order, x), c.oneMinusRatio, { rtol: 1e-5, atol: 1e-30 }, '1 − ratio', where);
    });
  });

  it('gradients: d/dx log ive = A + ν/x − 1 and d/dx A = 1 − A² − (2ν + 1)A/x against mpmath.diff', () => {
    tf.tidy(() => {
      const x = tf.tensor1d(c.x);
      const gLog = tf.grad((t: tf.Tensor) => tf.sum(logBesselIve(c.order, t)))(x);
      // d log ive/dx = ν/x − (1 − A) cancels to ≈ −1/(2x) for x ≫ ν: float32 keeps ~1e-7·ν/x of it absolutely.
      const dLogAtol = (i: number): number => 2e-7 * (c.order / (c.x[i] as number) + 1);
      c.dLogIve.forEach((e, i) => {
        const tolerance = 1e-4 * Math.abs(e) + dLogAtol(i);
        expect({ i, diff: Math.abs((gLog.dataSync()[i] as number) - e) <= tolerance }).toEqual({ i, diff: true });
      });
      const gRatio = tf.grad((t: tf.Tensor) => tf.sum(besselIRatio(c.order, t)))(x);
      // A′ ≈ (2ν + 1)/(2x²) for x ≫ ν is differentiated through the cancellation-free forms: 1e-4 relative everywhere.
      c.dRatio.forEach((e, i) => {
        const tolerance = 1e-4 * Math.abs(e);
        expect({ i, ok: Math.abs((gRatio.dataSync()[i] as number) - e) <= tolerance }).toEqual({ i, ok: true });
      });
    });
  });
});

describe('log-Bessel functions: host lgamma, argument checks, memory', () => {
  it('lgammaHost matches known values', () => {
    expect(lgammaHost(1)).toBeCloseTo(0, 13);
    expect(lgammaHost(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lgammaHost(16)).toBeCloseTo(Math.log(1307674368000), 10);
  });

  it('rejects bad orders and non-float arguments, naming the argument', () => {
    expect(() => logBesselIve(-1, 1)).toThrow(/order: expected a finite number ≥ 0, got -1/);
    expect(() => besselIRatio(Number.NaN, 1)).toThrow(InvalidArgumentError);
    expect(() => logBesselI(1, tf.tensor1d([1], 'int32'))).toThrow(/x: expected dtype float32/);
  });

  it('leaves no tensors behind (values and gradients)', () => {
    const x = tf.tensor1d([0.5, 20, 3000]);
    expectNoTensorLeak(() => {
      for (const order of [0, 2.5, 40]) {
        logBesselIve(order, x).dispose();
        logBesselI(order, x).dispose();
        besselIRatio(order, x).dispose();
        besselIRatioComplement(order, x).dispose();
        tf.grad((t: tf.Tensor) => tf.sum(logBesselIve(order, t)))(x).dispose();
        tf.grad((t: tf.Tensor) => tf.sum(besselIRatio(order, t)))(x).dispose();
      }
    });
    x.dispose();
  });
});
