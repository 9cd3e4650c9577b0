import { isInstanceAcross } from './class-identity.js';

/** Thrown when an argument of a public function is invalid; the message names the argument. */
export class InvalidArgumentError extends Error {
  /** Also true for this error thrown by the other build (ESM/CJS) of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceAcross(value, this);
  }

  constructor(
    readonly argument: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${argument}: expected ${expected}, got ${actual}`);
    this.name = 'InvalidArgumentError';
  }
}

/** Formats a value for an error message without dumping large arrays. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length <= 8 ? `[${value.map(describeValue).join(', ')}]` : `an array of length ${value.length}`;
  if (value === null) return 'null';
  return typeof value;
}

/**
 * Thrown when a distribution does not support a method: no reparameterised sampler (`rsample`), no
 * closed-form `cdf`, no registered closed-form KL. The message says what to use instead.
 */
export class UnsupportedMethodError extends Error {
  /** Also true for this error thrown by the other build (ESM/CJS) of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceAcross(value, this);
  }

  constructor(
    readonly distribution: string,
    readonly method: string,
    readonly hint: string,
  ) {
    super(`${distribution}.${method} is not available: ${hint}`);
    this.name = 'UnsupportedMethodError';
  }
}
