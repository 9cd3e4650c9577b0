"""Fixtures of Gamma (SciPy, float64), including the implicit reparameterisation gradient ∂x/∂α of a sample
(−∂P/∂α / p(x), with ∂P/∂α by Richardson-extrapolated differences of scipy.special.gammainc). Run through
distributions_fixtures.py."""
from __future__ import annotations

import mpmath
import numpy as np
from scipy import integrate, special, stats

from distributions_common import as_list, f32, fd_grad, header


def log_uniform(rng, low, high, n):
    return np.exp(rng.uniform(np.log(low), np.log(high), n))


def gamma_logpdf(concentration, rate, x):
    return stats.gamma.logpdf(x, concentration, scale=1 / rate)


def gamma_entropy(concentration, rate):
    return stats.gamma.entropy(concentration, scale=1 / rate)


def gamma_kl(a1, b1, a2, b2):
    return (a1 - a2) * special.digamma(a1) - special.gammaln(a1) + special.gammaln(a2) + a2 * (np.log(b1) - np.log(b2)) + a1 * (b2 - b1) / b1


def implicit_gradient(alpha, x):
    """∂x/∂α at fixed P(α, x) = −(∂P/∂α)/p(x; α)."""
    h = 1e-4 * alpha
    central = lambda step: (special.gammainc(alpha + step, x) - special.gammainc(alpha - step, x)) / (2 * step)
    dp = (4 * central(h / 2) - central(h)) / 3
    return -dp / stats.gamma.pdf(x, alpha)


def gamma_case(name, concentration, rate, u, with_cdf=True) -> dict:
    a, b = f32(concentration), f32(rate)
    x = f32(stats.gamma.ppf(u, a, scale=1 / b))
    args = {"concentration": a, "rate": b, "x": x}
    case = {
        "name": name,
        "params": {"concentration": as_list(a), "rate": as_list(b)},
        "x": as_list(x),
        "logProb": as_list(gamma_logpdf(**args)),
        "entropy": as_list(gamma_entropy(a, b)),
        "mean": as_list(a / b),
        "variance": as_list(a / b**2),
        "mode": as_list(np.maximum(a - 1, 0) / b),
        "grad": {
            "logProb": {
                "concentration": as_list(fd_grad(gamma_logpdf, args, "concentration", 1e-4 * a)),
                "rate": as_list(fd_grad(gamma_logpdf, args, "rate", 1e-4 * b)),
                "x": as_list(fd_grad(gamma_logpdf, args, "x", 1e-4 * x)),
            },
            "entropy": {
                "concentration": as_list(fd_grad(gamma_entropy, {"concentration": a, "rate": b}, "concentration", 1e-4 * a)),
                "rate": as_list(fd_grad(gamma_entropy, {"concentration": a, "rate": b}, "rate", 1e-4 * b)),
            },
        },
    }
    if with_cdf:
        case["cdf"] = as_list(stats.gamma.cdf(x, a, scale=1 / b))
    return case


def implicit_case(name, alpha, u) -> dict:
    a = f32(alpha)
    x = f32(stats.gamma.ppf(u, a))
    return {"name": name, "concentration": as_list(a), "x": as_list(x), "dxda": as_list(implicit_gradient(a, x)),
            "cdf": as_list(special.gammainc(a, x))}


def gamma_kl_case(name, a1, b1, a2, b2) -> dict:
    a = {"a1": f32(a1), "b1": f32(b1), "a2": f32(a2), "b2": f32(b2)}
    for i in range(3):  # closed form against quadrature of p·log(p/q)
        p = stats.gamma(a["a1"][i], scale=1 / a["b1"][i])
        q = stats.gamma(a["a2"][i], scale=1 / a["b2"][i])
        lo, hi = p.ppf(1e-13), p.ppf(1 - 1e-13)
        value = integrate.quad(lambda t: p.pdf(t) * (p.logpdf(t) - q.logpdf(t)), lo, hi, limit=400, points=[p.mean()])[0]
        assert abs(value - gamma_kl(a["a1"][i], a["b1"][i], a["a2"][i], a["b2"][i])) < 1e-7, (value, i)
    return {
        "name": name,
        "p": {"concentration": as_list(a["a1"]), "rate": as_list(a["b1"])},
        "q": {"concentration": as_list(a["a2"]), "rate": as_list(a["b2"])},
        "kl": as_list(gamma_kl(**a)),
        "grad": {
            "p.concentration": as_list(fd_grad(gamma_kl, a, "a1", 1e-4 * a["a1"])),
            "p.rate": as_list(fd_grad(gamma_kl, a, "b1", 1e-4 * a["b1"])),
            "q.concentration": as_list(fd_grad(gamma_kl, a, "a2", 1e-4 * a["a2"])),
            "q.rate": as_list(fd_grad(gamma_kl, a, "b2", 1e-4 * a["b2"])),
        },
    }


def gamma_kl_mp(a1, b1, a2, b2):
    return (a1 - a2) * mpmath.digamma(a1) - mpmath.loggamma(a1) + mpmath.loggamma(a2) + a2 * (mpmath.log(b1) - mpmath.log(b2)) + a1 * (b2 - b1) / b1


def gamma_kl_cancellation_case(name, pairs) -> dict:
    """KL where the textbook form cancels (p ≈ q, large α, matched means): mpmath at 50 digits, float32 inputs."""
    a1, b1, a2, b2 = (f32(np.array([p[i] for p in pairs])) for i in range(4))
    with mpmath.workdps(50):
        points = [tuple(mpmath.mpf(float(x)) for x in v) for v in zip(a1, b1, a2, b2)]
        kl = np.array([float(gamma_kl_mp(*v)) for v in points])
        grads = {}
        for key, index in (("p.concentration", 0), ("p.rate", 1), ("q.concentration", 2), ("q.rate", 3)):
            grads[key] = as_list(np.array([float(mpmath.diff(lambda t: gamma_kl_mp(*(v[:index] + (t,) + v[index + 1:])), v[index])) for v in points]))
    return {"name": name, "p": {"concentration": as_list(a1), "rate": as_list(b1)}, "q": {"concentration": as_list(a2), "rate": as_list(b2)},
            "kl": as_list(kl), "grad": grads}


# Issue 14: the textbook form lost 1e-3 (α = 100) to 100 % and more (α = 1e4) of the KL here.
GAMMA_KL_CANCELLATION = [
    (alpha * s, rate, alpha * s * c, rate * r)
    for alpha in (1.0, 30.0, 100.0, 1e4)
    for s, rate in ((1.0, 1.0), (1.3, 0.02))
    for c, r in ((1.01, 1.0), (1.0, 1.01), (1.01, 1.01), (1.1, 1.1), (1.001, 1.0), (0.5, 0.5), (0.999, 1.0005), (1.0, 1.0))
]


def gamma_fixtures(rng) -> dict:
    n = 24
    ext = np.array([(a, b) for a in (1e-2, 0.5, 1.0, 9.99, 10.0, 10.01, 300.0) for b in (1e-4, 1.0, 1e4)])
    huge = np.array([(a, b) for a in (1e3, 1e4) for b in (1e-4, 1.0, 1e4)])
    cases = [
        gamma_case("random", log_uniform(rng, 0.05, 50, n), log_uniform(rng, 1e-2, 1e2, n), rng.uniform(0.02, 0.98, n)),
        # u ≥ 0.7: a Gamma(0.01) quantile below that underflows float32 (0.7¹⁰⁰ ≈ 3e-16 is still fine).
        gamma_case("extreme concentrations and rates 1e-4, 1e4", ext[:, 0], ext[:, 1], rng.uniform(0.7, 0.95, len(ext))),
        gamma_case("concentration 1e3 and 1e4 (no cdf: beyond the verified range of P(a, x))", huge[:, 0], huge[:, 1], rng.uniform(0.05, 0.95, len(huge)), with_cdf=False),
    ]
    implicit = [
        implicit_case("random", log_uniform(rng, 0.05, 100, 32), rng.uniform(0.01, 0.99, 32)),
        implicit_case("both expansions and their switch at x = a + 1", np.array([0.3, 0.3, 2.0, 2.0, 2.0, 40.0, 40.0, 40.0, 300.0, 300.0, 500.0]),
                      np.array([0.001, 0.999, 0.05, 0.6, 0.95, 0.01, 0.55, 0.99, 0.3, 0.7, 0.5])),
    ]
    kl = [
        gamma_kl_case("random", log_uniform(rng, 0.1, 50, n), log_uniform(rng, 1e-2, 1e2, n), log_uniform(rng, 0.1, 50, n), log_uniform(rng, 1e-2, 1e2, n)),
        gamma_kl_cancellation_case("cancellation: p ≈ q, α up to 1e4, matched means (mpmath)", GAMMA_KL_CANCELLATION),
    ]
    return {**header("Gamma"), "cases": cases, "kl": kl, "implicit": implicit}


GENERATORS = {"gamma": gamma_fixtures}
