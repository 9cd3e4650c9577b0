// The CommonJS builds of the main entry and of `/node` each carry their own copy of these classes, and a
// program may load both the ESM and the CJS build: `instanceof` compares a global brand, not the class object.
const INVALID_ARGUMENT_BRAND = Symbol.for('@trientropy/data:InvalidArgumentError');
const DATA_FORMAT_BRAND = Symbol.for('@trientropy/data:DataFormatError');

function brand(error: Error, id: symbol): void {
  Object.defineProperty(error, id, { value: true });
}

function hasBrand(value: unknown, id: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[id] === true;
}

/**
 * Thrown when an argument of a public function is invalid; the message names the argument, the
 * expected and the actual value (same shape as `@trientropy/distributions`' error, duplicated here so
 * this package stays free of tfjs).
 */
export class InvalidArgumentError extends Error {
  /** Recognises instances made by any copy of this package (its ESM and CJS builds, `/node` included). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, INVALID_ARGUMENT_BRAND);
  }

  constructor(
    readonly argument: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${argument}: expected ${expected}, got ${actual}`);
    this.name = 'InvalidArgumentError';
    brand(this, INVALID_ARGUMENT_BRAND);
  }
}

/**
 * Thrown when the contents of a data file (or of a text/bytes buffer passed to a parser) do not follow
 * the expected format. `source` names the file (or `"<text>"`), `location` says where (line/column or
 * byte offset) so the user can open the file at the right spot.
 */
export class DataFormatError extends Error {
  /** Recognises instances made by any copy of this package (its ESM and CJS builds, `/node` included). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, DATA_FORMAT_BRAND);
  }

  constructor(
    readonly source: string,
    readonly location: string | undefined,
    readonly detail: string,
  ) {
    super(location === undefined ? `${source}: ${detail}` : `${source}, ${location}: ${detail}`);
    this.name = 'DataFormatError';
    brand(this, DATA_FORMAT_BRAND);
  }
}

/** Formats a value for an error message without dumping large inputs. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return value.length <= 8 ? `[${value.map(describeValue).join(', ')}]` : `an array of length ${value.length}`;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  return typeof value;
}

/** Checks that `value` is an integer ≥ `min` and returns it. */
export function checkInteger(value: number, argument: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(argument, `an integer ≥ ${min}`, describeValue(value));
  }
  return value;
}

/** Checks that `value` is a finite number ≥ 0 and returns it. */
export function checkNonNegative(value: number, argument: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(argument, 'a finite number ≥ 0', describeValue(value));
  }
  return value;
}
