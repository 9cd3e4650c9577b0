import { HostRandom } from './host-random.js';
import { besselIRatioComplementHost } from './log-bessel.js';

/** Proposals per draw before Wood's sampler gives up (its acceptance rate is above 0.5 for every p and κ). */
export const MAX_PROPOSALS = 1000;

/** Host draws of Wood's sampler for a batch of concentrations, layout `[draw, member]` (tangent: `[draw, member, p − 1]`). */
export interface WoodDraws {
  /** 1 − w, w = μᵀx, kept apart so that √(1 − w²) is accurate for w → 1. */
  oneMinusW: Float64Array;
  /** Unit vectors uniform on S^{p−2} (the tangent direction). */
  tangent: Float64Array;
  /** Implicit reparameterisation gradient ∂w/∂κ of each draw (only when requested). */
  dwdk: Float64Array | undefined;
}

/** 8-point Gauss–Legendre nodes and weights on [−1, 1]. */
const GL_NODES = [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498, 0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363];
const GL_WEIGHTS = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620, 0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];
/** Panels of the composite rule (256 nodes): the integrand for p = 1000 is a peak ~2 % of the interval wide. */
const GL_PANELS = 32;

/**
 * Implicit reparameterisation gradient of w (Figurnov et al. 2018): with F(w; κ) the cdf of w = μᵀx, whose density is
 * f(t) ∝ e^{κt}(1 − t²)^{(p−3)/2}, holding F fixed gives ∂w/∂κ = −(∂F/∂κ)/f(w) = ∫_w^1 (t − A_p) f(t)/f(w) dt, because
 * ∂ log f/∂κ = t − A_p (the normaliser's κ-derivative is E[t] = A_p). Computed with y = 1 − t = u² (smooth in u for
 * every p ≥ 2, including the (1 − t²)^{−½} endpoint of p = 2) by composite Gauss–Legendre, in float64;
 * `complement` = 1 − A_p.
 */
export function woodImplicitGradient(oneMinusW: number, kappa: number, p: number, complement: number): number {
  if (!(oneMinusW > 0)) return 0;
  const upper = Math.sqrt(oneMinusW);
  const exponent = (p - 3) / 2;
  const logReference = Math.log(oneMinusW * (2 - oneMinusW));
  const half = upper / (2 * GL_PANELS);
  let sum = 0;
  for (let panel = 0; panel < GL_PANELS; panel++) {
    const middle = (2 * panel + 1) * half;
    for (let i = 0; i < GL_NODES.length; i++) {
      const u = middle + half * (GL_NODES[i] as number);
      const y = u * u;
      const logRatio = kappa * (oneMinusW - y) + (exponent === 0 ? 0 : exponent * (Math.log(y * (2 - y)) - logReference));
      sum += (GL_WEIGHTS[i] as number) * (complement - y) * Math.exp(logRatio) * 2 * u;
    }
  }
  return sum * half;
}

/**
 * Wood (1994) for members with concentrations `kappas` in dimension p, `draws` draws each, from one seeded stream.
 * With b = (p − 1)/(2κ + √(4κ² + (p − 1)²)), x₀ = (1 − b)/(1 + b) and z ~ Beta((p − 1)/2, (p − 1)/2):
 * 1 − w = 2bz/(1 − (1 − b)z), accepted when κ(w − x₀) + (p − 1)·log((1 − x₀w)/(1 − x₀²)) ≥ log U (Wood's test
 * κw + (p − 1)log(1 − x₀w) − c ≥ log U, c = κx₀ + (p − 1)log(1 − x₀²), regrouped so no term of size κ cancels).
 * Throws after {@link MAX_PROPOSALS} rejections for one draw.
 */
export function drawWood(kappas: ArrayLike<number>, p: number, draws: number, seed: number, withGradient: boolean): WoodDraws {
  const members = kappas.length;
  const m = p - 1;
  const half = m / 2;
  const rng = new HostRandom(seed);
  const oneMinusW = new Float64Array(draws * members);
  const tangent = new Float64Array(draws * members * m);
  const dwdk = withGradient ? new Float64Array(draws * members) : undefined;
  const constants = Array.from({ length: members }, (_, j) => {
    const kappa = kappas[j] as number;
    const b = m / (2 * kappa + Math.sqrt(4 * kappa * kappa + m * m));
    const oneMinusX0 = (2 * b) / (1 + b);
    return { kappa, b, oneMinusX0, x0: 1 - oneMinusX0, complement: withGradient ? besselIRatioComplementHost(p / 2 - 1, kappa) : 0 };
  });
  for (let i = 0; i < draws; i++) {
    for (let j = 0; j < members; j++) {
      const c = constants[j]!;
      const index = i * members + j;
      for (let attempt = 0; ; attempt++) {
        if (attempt >= MAX_PROPOSALS) {
          throw new Error(`VonMisesFisher.sample: Wood's rejection sampler rejected ${MAX_PROPOSALS} proposals in a row (κ ${c.kappa}, p ${p}); this should not happen for finite κ > 0`);
        }
        const z = rng.beta(half, half);
        const candidate = (2 * c.b * z) / (1 - (1 - c.b) * z);
        const t = c.kappa * (c.oneMinusX0 - candidate) + m * Math.log((c.oneMinusX0 + c.x0 * candidate) / (c.oneMinusX0 * (1 + c.x0)));
        if (t >= Math.log(rng.uniform())) {
          oneMinusW[index] = candidate;
          break;
        }
      }
      let norm = 0;
      for (let k = 0; k < m; k++) {
        const g = rng.normal();
        tangent[index * m + k] = g;
        norm += g * g;
      }
      norm = Math.sqrt(norm);
      for (let k = 0; k < m; k++) tangent[index * m + k] = (tangent[index * m + k] as number) / norm;
      if (dwdk !== undefined) dwdk[index] = woodImplicitGradient(oneMinusW[index] as number, c.kappa, p, c.complement);
    }
  }
  return { oneMinusW, tangent, dwdk };
}
