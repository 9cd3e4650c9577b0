import * as tf from '@tensorflow/tfjs-core';
import '@trientropy/distributions';
import { constantSchedule, cosineSchedule, setLearningRate } from './learning-rate-schedule.js';

describe('learning-rate schedules', () => {
  it('constantSchedule returns its rate at every step', () => {
    const schedule = constantSchedule(0.01);
    expect([1, 50, 100].map((step) => schedule({ step, totalSteps: 100 }))).toEqual([0.01, 0.01, 0.01]);
  });

  it('cosineSchedule starts at the initial rate, ends at the final fraction and decreases monotonically', () => {
    const schedule = cosineSchedule(0.1, 0.05);
    const rates = Array.from({ length: 101 }, (_, i) => schedule({ step: i + 1, totalSteps: 101 }));
    expect(rates[0]).toBeCloseTo(0.1, 12);
    expect(rates[50]).toBeCloseTo(0.1 * (0.05 + 0.95 * 0.5), 12);
    expect(rates[100]).toBeCloseTo(0.005, 12);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeLessThanOrEqual(rates[i - 1]!);
    expect(cosineSchedule(0.1)({ step: 1, totalSteps: 1 })).toBeCloseTo(0.01, 12);
  });

  it('cosineSchedule with a hold keeps the initial rate through the hold fraction, then decays over the rest to the floor', () => {
    // 101 steps, progress t = (step − 1)/100: the hold covers steps 1–51 (t ≤ 0.5), the decay steps 52–101.
    const schedule = cosineSchedule(0.1, 0.05, 0.5);
    const rates = Array.from({ length: 101 }, (_, i) => schedule({ step: i + 1, totalSteps: 101 }));
    expect(rates[0]).toBeCloseTo(0.1, 15);
    expect(rates.slice(0, 51).every((rate) => rate === rates[0])).toBe(true);
    // The boundary: the last held step is at the full rate, the first decayed one at u = 0.01/0.5 of the decay.
    expect(rates[50]).toBeCloseTo(0.1, 15);
    expect(rates[51]).toBeCloseTo(0.1 * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * 0.02))), 15);
    expect(rates[51]!).toBeLessThan(rates[50]!);
    // Half-way through the decay (t = 0.75) the rate is half-way between initial rate and floor.
    expect(rates[75]).toBeCloseTo(0.1 * (0.05 + 0.95 * 0.5), 15);
    expect(rates[100]).toBeCloseTo(0.005, 15);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeLessThanOrEqual(rates[i - 1]!);
    // A floor of 0 ends at 0; a single-step run gets the floor also with a hold.
    expect(cosineSchedule(0.1, 0, 0.9)({ step: 11, totalSteps: 11 })).toBe(0);
    expect(cosineSchedule(0.1, 0.1, 0.5)({ step: 1, totalSteps: 1 })).toBeCloseTo(0.01, 15);
  });

  it('cosineSchedule with a tail decays between hold and tail, then stays at the floor for the last tail fraction', () => {
    // 101 steps: hold t ≤ 0.3 (steps 1–31), decay over 0.3 < t < 0.8, floor for t ≥ 0.8 (steps 81–101).
    const schedule = cosineSchedule(0.1, 0.05, 0.3, 0.2);
    const rates = Array.from({ length: 101 }, (_, i) => schedule({ step: i + 1, totalSteps: 101 }));
    expect(rates.slice(0, 31).every((rate) => rate === 0.1)).toBe(true);
    // Half-way through the decay (t = 0.55) the rate is half-way between initial rate and floor.
    expect(rates[55]).toBeCloseTo(0.1 * (0.05 + 0.95 * 0.5), 15);
    expect(rates[79]).toBeCloseTo(0.1 * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * (0.49 / 0.5)))), 15);
    expect(rates[79]!).toBeGreaterThan(0.005);
    expect(rates.slice(80).every((rate) => Math.abs(rate - 0.005) < 1e-17)).toBe(true);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeLessThanOrEqual(rates[i - 1]!);
    // Without a hold the decay starts at step 1; a single-step run gets the floor.
    expect(cosineSchedule(0.1, 0.05, 0, 0.5)({ step: 51, totalSteps: 101 })).toBeCloseTo(0.005, 15);
    expect(cosineSchedule(0.1, 0.05, 0, 0.5)({ step: 26, totalSteps: 101 })).toBeCloseTo(0.1 * (0.05 + 0.95 * 0.5), 15);
    expect(cosineSchedule(0.1, 0.1, 0.5, 0.4)({ step: 1, totalSteps: 1 })).toBeCloseTo(0.01, 15);
  });

  it('cosineSchedule with holdFraction 0 gives exactly the rates of the schedule without a hold', () => {
    // The formula of the schedule before the hold existed (checkpoints of such runs resume on these rates).
    const before = (initial: number, floor: number) => ({ step, totalSteps }: { step: number; totalSteps: number }) => {
      const t = totalSteps <= 1 ? 1 : (step - 1) / (totalSteps - 1);
      return initial * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t)));
    };
    for (const [initial, floor, totalSteps] of [[0.02, 0.005, 8000], [0.1, 0.05, 101], [1e-3, 0.1, 7], [0.5, 0, 1]] as const) {
      const [held, reference, defaulted] = [cosineSchedule(initial, floor, 0), before(initial, floor), cosineSchedule(initial, floor)];
      for (let step = 1; step <= totalSteps; step++) {
        expect(held({ step, totalSteps })).toBe(reference({ step, totalSteps }));
        expect(defaulted({ step, totalSteps })).toBe(reference({ step, totalSteps }));
      }
    }
  });

  it('rejects invalid rates and fractions', () => {
    expect(() => constantSchedule(0)).toThrow('rate: expected a finite number > 0, got 0');
    expect(() => cosineSchedule(Number.NaN)).toThrow('initialRate: expected a finite number > 0, got NaN');
    expect(() => cosineSchedule(0.1, 1.5)).toThrow('finalFraction: expected a number in [0, 1], got 1.5');
    expect(() => cosineSchedule(0.1, 0.1, 1)).toThrow('holdFraction: expected a number in [0, 1), got 1');
    expect(() => cosineSchedule(0.1, 0.1, -0.1)).toThrow('holdFraction: expected a number in [0, 1), got -0.1');
    expect(() => cosineSchedule(0.1, 0.1, Number.NaN)).toThrow('holdFraction: expected a number in [0, 1), got NaN');
    expect(() => cosineSchedule(0.1, 0.1, 0.5, 0.5)).toThrow('tailFraction: expected a number in [0, 1 − holdFraction = 0.5), got 0.5');
    expect(() => cosineSchedule(0.1, 0.1, 0, -0.1)).toThrow('tailFraction: expected a number in [0, 1 − holdFraction = 1), got -0.1');
    expect(() => cosineSchedule(0.1, 0.1, 0, Number.NaN)).toThrow('tailFraction: expected a number in [0, 1 − holdFraction = 1), got NaN');
  });
});

describe('setLearningRate', () => {
  // Adam's first step moves every parameter by about the learning rate (m̂/√v̂ = ±1).
  async function firstAdamStep(rate: number): Promise<number> {
    const variable = tf.variable(tf.scalar(1));
    const optimizer = tf.train.adam(0.5);
    setLearningRate(optimizer, rate);
    optimizer.minimize(() => tf.square(variable) as tf.Scalar, false, [variable]);
    const moved = 1 - ((await variable.data())[0] as number);
    optimizer.dispose();
    variable.dispose();
    return moved;
  }

  it('changes the step size of an existing Adam optimizer', async () => {
    expect(await firstAdamStep(0.01)).toBeCloseTo(0.01, 5);
    expect(await firstAdamStep(0.2)).toBeCloseTo(0.2, 5);
  });
});
