import { InvalidArgumentError, describeValue } from '../errors.js';

/**
 * Parses the optional parameter part of a spec such as `synthetic:manifold:k=5,D=20,n=1000` into
 * numbers, accepting only the keys in `allowed` (each with a one-line meaning, for the error message).
 */
export function parseSpecParameters(text: string | undefined, allowed: Readonly<Record<string, string>>, spec: string): Map<string, number> {
  const out = new Map<string, number>();
  if (text === undefined || text.length === 0) return out;
  const accepted = Object.entries(allowed)
    .map(([key, meaning]) => `${key} (${meaning})`)
    .join(', ');
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part.trim() : part.slice(0, eq).trim();
    const raw = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!(key in allowed)) {
      throw new InvalidArgumentError('spec', accepted.length > 0 ? `parameters among ${accepted}` : 'no parameters for this data set', `${describeValue(key)} in ${describeValue(spec)}`);
    }
    const value = Number(raw);
    if (raw.length === 0 || !Number.isFinite(value)) {
      throw new InvalidArgumentError('spec', `a finite number after "${key}="`, `${describeValue(raw)} in ${describeValue(spec)}`);
    }
    if (out.has(key)) throw new InvalidArgumentError('spec', `each parameter at most once`, `${describeValue(key)} twice in ${describeValue(spec)}`);
    out.set(key, value);
  }
  return out;
}
