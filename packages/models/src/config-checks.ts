import { InvalidArgumentError } from '@trientropy/distributions';

/** A short rendering of a value for error messages. */
export function show(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : typeof value === 'number' || typeof value === 'string' ? String(value) : typeof value;
}

/** `value` if it is an integer ≥ 1, else an error naming `argument`. */
export function checkPositiveInteger(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, 'a positive integer', show(value));
  }
  return value;
}

/** `value` if it is an array of integers ≥ 1, else an error naming `argument`. */
export function checkIntegerList(value: unknown, argument: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
    throw new InvalidArgumentError(argument, 'a list of positive integers', show(value));
  }
  return value as number[];
}

/** `value` if it is a finite number, else an error naming `argument`. */
export function checkFinite(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidArgumentError(argument, 'a finite number', show(value));
  return value;
}

/**
 * Largest |log-variance| a config may start from: σ² between e^−50 ≈ 2e-22 and e^50 ≈ 5e21. Further out,
 * float32's exp (overflow at 88.7) and the 1/σ² of the ELBO overflow, and the first ELBO is already ±Infinity.
 */
export const MAX_ABS_LOG_VARIANCE = 50;

/** `value` if it is a finite log-variance within ±{@link MAX_ABS_LOG_VARIANCE}, else an error naming `argument`. */
export function checkLogVariance(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_ABS_LOG_VARIANCE) {
    throw new InvalidArgumentError(argument, `a finite log-variance in [−${MAX_ABS_LOG_VARIANCE}, ${MAX_ABS_LOG_VARIANCE}]`, show(value));
  }
  return value;
}

/** `value` if it is an integer, else an error naming `argument`. */
export function checkInteger(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new InvalidArgumentError(argument, 'an integer', show(value));
  return value;
}
