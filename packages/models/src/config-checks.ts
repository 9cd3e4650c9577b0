import { InvalidArgumentError } from '@trientropy/distributions';

/** A short rendering of a value for error messages. */
export function show(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : typeof value === 'number' || typeof value === 'string' ? String(value) : typeof value;
}

export function checkPositiveInteger(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, 'a positive integer', show(value));
  }
  return value;
}

export function checkIntegerList(value: unknown, argument: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
    throw new InvalidArgumentError(argument, 'a list of positive integers', show(value));
  }
  return value as number[];
}

export function checkFinite(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidArgumentError(argument, 'a finite number', show(value));
  return value;
}

export function checkInteger(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new InvalidArgumentError(argument, 'an integer', show(value));
  return value;
}
