let counter = 0;

/** A process-unique variable-name prefix: tfjs registers variable names globally, so two models must not share one. */
export function uniqueScope(base: string): string {
  counter += 1;
  return `${base}_${counter}`;
}
