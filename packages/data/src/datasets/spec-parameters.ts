import { InvalidArgumentError, describeValue } from '../errors.js';

/** One `key=value` parameter a data set spec accepts: what it means, and which values are valid. */
export interface SpecParameter {
  /** One line, with the default, e.g. "training points, default 10000". */
  readonly meaning: string;
  /** `integer`: whole numbers only (counts, dimensions); `number`: any finite number. */
  readonly kind: 'integer' | 'number';
  /** Smallest valid value. */
  readonly min: number;
}

/** A count or dimension: an integer ≥ 1. */
export function countParameter(meaning: string): SpecParameter {
  return { meaning, kind: 'integer', min: 1 };
}

/** A scale such as a noise standard deviation: a finite number ≥ 0. */
export function scaleParameter(meaning: string): SpecParameter {
  return { meaning, kind: 'number', min: 0 };
}

function describeRange(parameter: SpecParameter): string {
  return parameter.kind === 'integer' ? `an integer ≥ ${parameter.min}` : `a finite number ≥ ${parameter.min}`;
}

/**
 * Parses the optional parameter part of a spec such as `synthetic:manifold:k=5,D=20,n=1000` into
 * numbers, accepting only the keys in `allowed` (own keys only: `__proto__` or `constructor` are unknown
 * keys like any other) and only values in each parameter's range, so a bad value is refused here with the
 * spec in the message, not deep inside a generator.
 */
export function parseSpecParameters(text: string | undefined, allowed: Readonly<Record<string, SpecParameter>>, spec: string): Map<string, number> {
  const out = new Map<string, number>();
  if (text === undefined || text.length === 0) return out;
  const known = new Map(Object.entries(allowed));
  const accepted = [...known].map(([key, parameter]) => `${key} (${parameter.meaning})`).join(', ');
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part.trim() : part.slice(0, eq).trim();
    const raw = eq < 0 ? '' : part.slice(eq + 1).trim();
    const parameter = known.get(key);
    if (parameter === undefined) {
      throw new InvalidArgumentError('spec', accepted.length > 0 ? `parameters among ${accepted}` : 'no parameters for this data set', `${describeValue(key)} in ${describeValue(spec)}`);
    }
    const value = Number(raw);
    if (raw.length === 0 || !Number.isFinite(value)) {
      throw new InvalidArgumentError('spec', `a finite number after "${key}="`, `${describeValue(raw)} in ${describeValue(spec)}`);
    }
    if ((parameter.kind === 'integer' && !Number.isSafeInteger(value)) || value < parameter.min) {
      throw new InvalidArgumentError('spec', `${key} (${parameter.meaning}) to be ${describeRange(parameter)}`, `${describeValue(raw)} in ${describeValue(spec)}`);
    }
    if (out.has(key)) throw new InvalidArgumentError('spec', `each parameter at most once`, `${describeValue(key)} twice in ${describeValue(spec)}`);
    out.set(key, value);
  }
  return out;
}
