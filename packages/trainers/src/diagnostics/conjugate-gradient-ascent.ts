import * as tf from '@tensorflow/tfjs-core';

/**
 * What {@link conjugateGradientAscent} climbs: every variable at once, with a gradient and an ELBO that use fixed
 * sample draws (common random numbers), so that a line search compares like with like.
 */
export interface AscentProblem {
  /** Every trainable variable, all groups together. */
  variables: tf.Variable[];
  /** The ELBO gradient on all rows, one tensor per variable, with fixed sample seeds. */
  gradient: () => tf.Tensor[];
  /** The ELBO on all rows with the line search's fixed sample seeds. */
  search: () => tf.Scalar;
  /** Re-imposes a parameter constraint after a step (VAE-2 'rescale'); a no-op for the other models. */
  constrain: () => void;
}

/** What a {@link conjugateGradientAscent} did. */
export interface AscentRun {
  /** Steps that raised the search ELBO (the ascent stops early when a line search finds no rise). */
  stepsTaken: number;
  /** Gradient passes plus ELBO evaluations used, a measure of its cost. */
  passes: number;
  /** The search ELBO before and after, nats per point. */
  startElbo: number;
  endElbo: number;
}

/** First trial step of the first line search, relative to the parameters' norm; later searches start at the last accepted step. */
const FIRST_RELATIVE_STEP = 1e-3;
/** Expansion and contraction factor of the line search. */
const STEP_FACTOR = 4;
/** Trial steps per line search at most. */
const MAX_TRIALS = 8;
/** Relative steps below this cannot move a float32 ELBO reliably: the line search gives up there. */
const SMALLEST_RELATIVE_STEP = 1e-7;

/** The value of a scalar tensor, which it disposes. */
export async function read(t: tf.Tensor): Promise<number> {
  const value = (await t.data())[0]!;
  t.dispose();
  return value;
}

/**
 * Runs up to `steps` steps of nonlinear conjugate-gradient ascent (Polak–Ribière⁺ directions, each step an
 * expanding/backtracking line search on the search ELBO, refined by the vertex of a parabola) on all variables at
 * once and leaves them where it ended. The step lengths are set by measured ELBOs relative to the parameters' norm,
 * so no learning rate (and no unit of the data) enters. Leaves no tensors behind. Used by the certificate's ascent
 * probe (on a copy it restores) and by the end-of-run polish of the trainers.
 */
export async function conjugateGradientAscent(problem: AscentProblem, steps: number): Promise<AscentRun> {
  const { variables } = problem;
  let direction: tf.Tensor[] | undefined;
  let previousGradient: tf.Tensor[] | undefined;
  let passes = 1;
  let stepsTaken = 0;
  try {
    let current = await read(problem.search());
    const startElbo = current;
    const norm = await read(tf.tidy(() => tf.sqrt(tf.addN(variables.map((v) => tf.sum(tf.square(v)))))));
    const reference = Math.max(norm, 1e-3 * Math.sqrt(variables.reduce((n, v) => n + v.size, 0)));
    let relative = FIRST_RELATIVE_STEP;
    let restarted = false;
    for (let step = 0; step < steps; step++) {
      const gradient = problem.gradient();
      passes += 1;
      // PR⁺: β = max(0, gᵀ(g − g₋)/‖g₋‖²); a direction that is no longer an ascent direction restarts at g.
      let next = gradient.map((g) => tf.clone(g));
      let conjugate = false;
      if (direction !== undefined && previousGradient !== undefined) {
        const dot = (a: tf.Tensor[], b: tf.Tensor[]): tf.Scalar => tf.addN(a.map((t, i) => tf.sum(tf.mul(t, b[i]!)))) as tf.Scalar;
        const last = direction;
        const lastGradient = previousGradient;
        const candidate = tf.tidy(() => {
          const beta = tf.relu(tf.div(tf.sub(dot(gradient, gradient), dot(gradient, lastGradient)), tf.maximum(dot(lastGradient, lastGradient), 1e-30)));
          return gradient.map((g, i) => tf.add(g, tf.mul(beta, last[i]!)));
        });
        if ((await read(tf.tidy(() => dot(candidate, gradient)))) > 0) {
          tf.dispose(next);
          next = candidate;
          conjugate = true;
        } else tf.dispose(candidate);
      }
      tf.dispose([...(direction ?? []), ...(previousGradient ?? [])]);
      direction = next;
      previousGradient = gradient;
      const chosen = next;
      const directionNorm = await read(tf.tidy(() => tf.sqrt(tf.addN(chosen.map((d) => tf.sum(tf.square(d)))))));
      if (!(directionNorm > 0) || !Number.isFinite(directionNorm)) break;
      const origin = variables.map((v) => tf.clone(v));
      const tryStep = async (r: number): Promise<number> => {
        const t = (r * reference) / directionNorm;
        variables.forEach((v, i) => tf.tidy(() => v.assign(tf.add(origin[i]!, tf.mul(chosen[i]!, t)))));
        problem.constrain();
        passes += 1;
        const value = await read(problem.search());
        const finite = Number.isFinite(value) ? value : Number.NEGATIVE_INFINITY;
        trialsSeen.push([r, finite]);
        return finite;
      };
      let best = current;
      let bestRelative = 0;
      const trialsSeen: [number, number][] = [[0, current]];
      try {
        // Expand while the ELBO rises; if the first trial does not rise, contract until one does.
        let value = await tryStep(relative);
        let trials = 1;
        if (value > best) {
          best = value;
          bestRelative = relative;
          while (trials < MAX_TRIALS) {
            const wider = bestRelative * STEP_FACTOR;
            value = await tryStep(wider);
            trials++;
            if (!(value > best)) break;
            best = value;
            bestRelative = wider;
          }
        } else {
          let narrower = relative / STEP_FACTOR;
          while (trials < MAX_TRIALS && narrower >= SMALLEST_RELATIVE_STEP) {
            value = await tryStep(narrower);
            trials++;
            if (value > best) {
              best = value;
              bestRelative = narrower;
              break;
            }
            narrower /= STEP_FACTOR;
          }
        }
        // The vertex of the parabola through the best trial and its two neighbours: a nearly exact line search,
        // which keeps the conjugate directions conjugate along a curved valley.
        if (bestRelative > 0) {
          const sorted = [...trialsSeen].sort((a, b) => a[0] - b[0]);
          const at = sorted.findIndex(([r]) => r === bestRelative);
          if (at > 0 && at < sorted.length - 1) {
            const [[a, fa], [b, fb], [c, fc]] = [sorted[at - 1]!, sorted[at]!, sorted[at + 1]!];
            const numerator = (b - a) ** 2 * (fb - fc) - (b - c) ** 2 * (fb - fa);
            const denominator = (b - a) * (fb - fc) - (b - c) * (fb - fa);
            const vertex = denominator !== 0 ? b - numerator / (2 * denominator) : Number.NaN;
            if (vertex > a && vertex < c && vertex !== b) {
              const value = await tryStep(vertex);
              if (value > best) {
                best = value;
                bestRelative = vertex;
              }
            }
          }
        }
      } finally {
        const t = (bestRelative * reference) / directionNorm;
        variables.forEach((v, i) => tf.tidy(() => v.assign(tf.add(origin[i]!, tf.mul(chosen[i]!, t)))));
        if (bestRelative > 0) problem.constrain();
        tf.dispose(origin);
      }
      if (bestRelative === 0) {
        // A conjugate direction that fails restarts once from the plain gradient; a failed gradient ends the probe.
        if (restarted || !conjugate) break;
        restarted = true;
        tf.dispose(direction);
        direction = undefined;
        tf.dispose(previousGradient);
        previousGradient = undefined;
        relative = FIRST_RELATIVE_STEP;
        continue;
      }
      restarted = false;
      current = best;
      relative = bestRelative;
      stepsTaken++;
    }
    return { stepsTaken, passes, startElbo, endElbo: current };
  } finally {
    tf.dispose([...(direction ?? []), ...(previousGradient ?? [])]);
  }
}
