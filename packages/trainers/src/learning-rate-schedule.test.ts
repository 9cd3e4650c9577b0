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

  it('rejects invalid rates and fractions', () => {
    expect(() => constantSchedule(0)).toThrow('rate: expected a finite number > 0, got 0');
    expect(() => cosineSchedule(Number.NaN)).toThrow('initialRate: expected a finite number > 0, got NaN');
    expect(() => cosineSchedule(0.1, 1.5)).toThrow('finalFraction: expected a number in [0, 1], got 1.5');
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
