"""Fixtures of values on the boundary of and outside each distribution's support (SciPy, float64): log-density,
density and cdf at points like x < 0 and x = 0 for Gamma (α < 1, = 1, > 1), x ∈ {0, 1} and outside [0, 1] for Beta,
fractional and negative counts for Poisson and Categorical, the faces of the simplex for Dirichlet. SciPy's values are the library's rule: log-density −∞
outside the support (density 0), cdf 0 below and 1 above it, and on a closed support's boundary the density's
limit (+∞ included). Kumaraswamy has no SciPy counterpart: its closed forms are evaluated in float64 with the same
limits (0·log 0 = 0). ±∞ inputs are left to the tests (SciPy's gamma.logpdf(∞) is NaN, ∞ − ∞; the limit is −∞).
Infinite values are written as the strings "inf" and "-inf" (JSON has no literal for them).
Run through distributions_fixtures.py."""
from __future__ import annotations

import numpy as np
from scipy import stats

from distributions_common import as_list, f32, header


def encode(values) -> list:
    """Floats as numbers, ±∞ as "inf"/"-inf"; NaN is refused (no reference value may be undefined)."""
    out = []
    for v in np.asarray(values, dtype=np.float64).ravel():
        if np.isnan(v):
            raise ValueError("a reference value is NaN")
        out.append("inf" if v == np.inf else "-inf" if v == -np.inf else float(v))
    return out


def case(distribution: str, params: dict, x, log_prob, prob, cdf=None) -> dict:
    entry = {"distribution": distribution, "params": params, "x": encode(x), "logProb": encode(log_prob), "prob": encode(prob)}
    if cdf is not None:
        entry["cdf"] = encode(cdf)
    return entry


def kumaraswamy_log_pdf(a: float, b: float, x: np.ndarray) -> np.ndarray:
    """log a + log b + (a − 1) log x + (b − 1) log(1 − x^a) on [0, 1] with 0·log 0 = 0; −∞ outside."""
    out = np.full(x.shape, -np.inf)
    inside = (x >= 0) & (x <= 1)
    with np.errstate(divide="ignore"):
        log_x = np.log(x[inside])
        log_1m_xa = np.log1p(-(x[inside] ** a))
    term_x = np.where(a == 1, 0.0, (a - 1) * log_x)
    term_1m = np.where(b == 1, 0.0, (b - 1) * log_1m_xa)
    out[inside] = np.log(a) + np.log(b) + term_x + term_1m
    return out


def kumaraswamy_cdf(a: float, b: float, x: np.ndarray) -> np.ndarray:
    clipped = np.clip(x, 0, 1)
    return 1 - (1 - clipped**a) ** b


def support_fixtures(rng) -> dict:
    del rng  # every point is chosen, none drawn
    cases = []
    x_gamma = f32([-1, -1e-30, 0, 1e-30, 0.5, 3])
    for alpha in (0.5, 1.0, 2.5):
        for rate in (1.0, 2.5):
            a, r = float(f32(alpha)), float(f32(rate))
            with np.errstate(divide="ignore"):
                cases.append(case("Gamma", {"concentration": a, "rate": r}, x_gamma,
                                  stats.gamma.logpdf(x_gamma, a, scale=1 / r), stats.gamma.pdf(x_gamma, a, scale=1 / r),
                                  stats.gamma.cdf(x_gamma, a, scale=1 / r)))
    x_unit = f32([-0.5, -1e-30, 0, 0.3, 1, 1.5])
    for a, b in ((0.5, 2.0), (1.0, 3.0), (2.5, 1.0), (2.0, 0.7), (1.0, 1.0)):
        a, b = float(f32(a)), float(f32(b))
        with np.errstate(divide="ignore"):
            cases.append(case("Beta", {"concentration1": a, "concentration0": b}, x_unit,
                              stats.beta.logpdf(x_unit, a, b), stats.beta.pdf(x_unit, a, b), stats.beta.cdf(x_unit, a, b)))
        log_pdf = kumaraswamy_log_pdf(a, b, x_unit)
        cases.append(case("Kumaraswamy", {"concentration1": a, "concentration0": b}, x_unit, log_pdf, np.exp(log_pdf), kumaraswamy_cdf(a, b, x_unit)))
    x_count = f32([-1, -0.5, 0, 1.5, 3, 40])
    for rate in (0.25, 2.5):
        r = float(f32(rate))
        cases.append(case("Poisson", {"rate": r}, x_count, stats.poisson.logpmf(x_count, r), stats.poisson.pmf(x_count, r), stats.poisson.cdf(x_count, r)))
    x_binary = f32([-0.5, 0, 1, 1.5])
    p = float(f32(0.3))
    cases.append(case("Bernoulli", {"probs": p}, x_binary, stats.bernoulli.logpmf(x_binary, p), stats.bernoulli.pmf(x_binary, p), stats.bernoulli.cdf(x_binary, p)))
    probs = f32([0.2, 0.5, 0.3])
    categorical = stats.rv_discrete(values=(np.arange(3), probs / probs.sum()))
    x_category = f32([-1, 0, 0.5, 2, 3])
    with np.errstate(divide="ignore"):
        cases.append(case("Categorical", {"probs": as_list(probs)}, x_category, categorical.logpmf(x_category), categorical.pmf(x_category)))
    # Dirichlet on the faces of the simplex, where SciPy defines it (a zero coordinate needs αₖ ≥ 1): points as rows.
    for alpha, points in (((1.0, 2.0, 3.0), ((0, 0.5, 0.5), (0.125, 0.375, 0.5), (0.5, 0.5, 0))), ((1.0, 1.0, 1.0), ((0, 0, 1), (0.25, 0.25, 0.5))), ((2.0, 1.0, 0.5), ((0, 0.5, 0.5), (0.25, 0, 0.75)))):
        a = f32(alpha)
        pts = [f32(point) for point in points]  # dyadic coordinates: exact in float32, summing to 1 exactly
        log_pdf = [stats.dirichlet.logpdf(point, a) for point in pts]
        entry = case("Dirichlet", {"concentration": as_list(a)}, np.concatenate(pts), log_pdf, np.exp(log_pdf))
        entry["eventSize"] = len(alpha)
        cases.append(entry)
    return {**header("support"), "cases": cases}


GENERATORS = {
    "support": support_fixtures,
}
