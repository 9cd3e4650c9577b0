"""Fixtures of Laplace and Poisson (SciPy, float64) and Kumaraswamy (closed forms in mpmath at 40 digits, checked
by SciPy quadrature: SciPy has no Kumaraswamy). Run through distributions_fixtures.py."""
from __future__ import annotations

import mpmath
import numpy as np
from scipy import integrate, special, stats

from distributions_common import as_list, f32, fd_grad, header

mpmath.mp.dps = 40


def log_uniform(rng, low, high, n):
    return np.exp(rng.uniform(np.log(low), np.log(high), n))


# ---------------------------------------------------------------------------------------------- Laplace
def laplace_logpdf(loc, scale, x):
    return stats.laplace.logpdf(x, loc, scale)


def laplace_entropy(loc, scale):
    return stats.laplace.entropy(loc, scale) + 0 * loc


def laplace_kl(loc_p, scale_p, loc_q, scale_q):
    d = np.abs(loc_p - loc_q)
    return np.log(scale_q / scale_p) + d / scale_q + scale_p / scale_q * np.exp(-d / scale_p) - 1


def laplace_case(name, loc, scale, z) -> dict:
    loc, scale = f32(loc), f32(scale)
    x = f32(loc + scale * z)
    keep = x != loc  # a point at the kink (after float32 rounding) has no derivative in loc or x
    loc, scale, x = loc[keep], scale[keep], x[keep]
    a = {"loc": loc, "scale": scale, "x": x}
    return {
        "name": name,
        "params": {"loc": as_list(loc), "scale": as_list(scale)},
        "x": as_list(x),
        "logProb": as_list(laplace_logpdf(**a)),
        "entropy": as_list(laplace_entropy(loc, scale)),
        "mean": as_list(loc),
        "variance": as_list(stats.laplace.var(loc, scale)),
        "mode": as_list(loc),
        "cdf": as_list(stats.laplace.cdf(x, loc, scale)),
        "logCdf": as_list(stats.laplace.logcdf(x, loc, scale)),
        "grad": {
            "logProb": {k: as_list(fd_grad(laplace_logpdf, a, k, 1e-4 * scale)) for k in ("loc", "scale", "x")},
            "entropy": {"scale": as_list(fd_grad(laplace_entropy, {"loc": loc, "scale": scale}, "scale", 1e-3 * scale))},
        },
    }


def laplace_kl_case(name, lp, sp, lq, sq) -> dict:
    a = {"loc_p": f32(lp), "scale_p": f32(sp), "loc_q": f32(lq), "scale_q": f32(sq)}
    for i in range(min(4, len(a["loc_p"]))):  # the closed form against quadrature of p·log(p/q)
        args = [a[k][i] for k in ("loc_p", "scale_p", "loc_q", "scale_q")]
        if max(args[1], args[3]) / min(args[1], args[3]) > 1e3:
            continue
        logpdf = lambda t, m, b: -abs(t - m) / b - np.log(2 * b)  # SciPy's logpdf is −inf in the far tails
        f = lambda t: np.exp(logpdf(t, args[0], args[1])) * (logpdf(t, args[0], args[1]) - logpdf(t, args[2], args[3]))
        pts = sorted([args[0], args[2]])
        value = sum(integrate.quad(f, lo, hi, limit=200)[0] for lo, hi in ((pts[0] - 80 * args[1], pts[0]), (pts[0], pts[1]), (pts[1], pts[1] + 80 * args[1])))
        closed = laplace_kl(*args)
        assert abs(value - closed) < 1e-7 * max(1, abs(closed)), (value, closed)
    step = 1e-4 * np.minimum(a["scale_p"], a["scale_q"])
    return {
        "name": name,
        "p": {"loc": as_list(a["loc_p"]), "scale": as_list(a["scale_p"])},
        "q": {"loc": as_list(a["loc_q"]), "scale": as_list(a["scale_q"])},
        "kl": as_list(laplace_kl(**a)),
        "grad": {
            "p.loc": as_list(fd_grad(laplace_kl, a, "loc_p", step)),
            "p.scale": as_list(fd_grad(laplace_kl, a, "scale_p", 1e-4 * a["scale_p"])),
            "q.loc": as_list(fd_grad(laplace_kl, a, "loc_q", step)),
            "q.scale": as_list(fd_grad(laplace_kl, a, "scale_q", 1e-4 * a["scale_q"])),
        },
    }


def laplace_fixtures(rng) -> dict:
    n = 32
    grid = np.array([(s, l, z) for s in (1e-4, 1e4) for l in (0.0, 3.5, -1e3) for z in (-4.0, -0.25, 0.5, 3.0)])
    cases = [
        laplace_case("random", rng.uniform(-10, 10, n), log_uniform(rng, 1e-2, 1e2, n), rng.uniform(-5, 5, n)),
        laplace_case("extreme scales 1e-4 and 1e4", grid[:, 1], grid[:, 0], grid[:, 2]),
    ]
    # Locations offset so that no finite-difference step crosses the kink of |μ₁ − μ₂|.
    kl = [
        laplace_kl_case("random", rng.uniform(-5, 5, n), log_uniform(rng, 1e-2, 1e2, n), rng.uniform(-5, 5, n), log_uniform(rng, 1e-2, 1e2, n)),
        laplace_kl_case("extreme scales", np.full(4, 0.5), np.array([1e-4, 1e4, 1.0, 1e-4]), np.array([0.6, 0.7, 3.0, 0.5001]), np.array([1e4, 1e-4, 1.0, 1e-4])),
    ]
    return {**header("Laplace"), "cases": cases, "kl": kl}


# ---------------------------------------------------------------------------------------------- Poisson
def poisson_logpmf(rate, x):
    return stats.poisson.logpmf(x, rate)


def poisson_entropy(rate):
    """−Σ p log p over every k with non-negligible mass (SciPy's own entropy warns 'sum did not converge' at 1e4)."""
    out = []
    for r in np.atleast_1d(rate):
        k = np.arange(max(0, int(r - 40 * np.sqrt(r) - 50)), int(r + 40 * np.sqrt(r) + 60))
        lp = stats.poisson.logpmf(k, r)
        out.append(-np.sum(np.exp(lp) * lp))
    return np.array(out)


def check_poisson_entropy() -> None:
    for r in (0.01, 0.7, 5.0, 33.0, 300.0):
        assert abs(poisson_entropy(r)[0] - stats.poisson.entropy(r)) < 1e-11, r


def poisson_kl(rate_p, rate_q):
    return rate_p * np.log(rate_p / rate_q) - rate_p + rate_q


def poisson_case(name, rate, x) -> dict:
    rate, x = f32(rate), f32(x)
    return {
        "name": name,
        "params": {"rate": as_list(rate)},
        "x": as_list(x),
        "logProb": as_list(poisson_logpmf(rate, x)),
        "entropy": as_list(poisson_entropy(rate)),
        "mean": as_list(rate),
        "variance": as_list(rate),
        "mode": as_list(np.floor(rate)),
        "grad": {
            "logProb": {"rate": as_list(fd_grad(poisson_logpmf, {"rate": rate, "x": x}, "rate", 1e-4 * rate))},
            "entropy": {"rate": as_list(fd_grad(poisson_entropy, {"rate": rate}, "rate", 1e-3 * rate))},
        },
    }


def poisson_fixtures(rng) -> dict:
    n = 24
    rate = log_uniform(rng, 1e-2, 1e3, n)
    extreme = np.array([1e-6, 1e-4, 0.5, 19.99, 20.0, 20.01, 150.0, 1e4])
    check_poisson_entropy()
    for r in (0.3, 7.0, 45.0):  # the KL closed form against the direct sum over k
        k = np.arange(0, 400)
        lp, lq = stats.poisson.logpmf(k, r), stats.poisson.logpmf(k, 1.7 * r)
        assert abs(np.sum(np.exp(lp) * (lp - lq)) - poisson_kl(r, 1.7 * r)) < 1e-12
    cases = [
        poisson_case("random", rate, rng.poisson(rate)),
        poisson_case("extreme rates and both sides of the entropy switch at 20", extreme, np.array([0, 1, 3, 15, 25, 20, 140, 10100])),
    ]
    kp, kq = f32(np.concatenate([log_uniform(rng, 1e-2, 1e3, n), [1e-6, 1e4, 5.0, 5.0]])), f32(np.concatenate([log_uniform(rng, 1e-2, 1e3, n), [1e4, 1e-6, 5.0001, 5.3]]))
    kl = [{
        "name": "random and extreme",
        "p": {"rate": as_list(kp)},
        "q": {"rate": as_list(kq)},
        "kl": as_list(poisson_kl(kp, kq)),
        "grad": {"p.rate": as_list(fd_grad(poisson_kl, {"rate_p": kp, "rate_q": kq}, "rate_p", 1e-4 * kp)),
                 "q.rate": as_list(fd_grad(poisson_kl, {"rate_p": kp, "rate_q": kq}, "rate_q", 1e-4 * kq))},
    }]
    return {**header("Poisson"), "cases": cases, "kl": kl}


# ------------------------------------------------------------------------------------------ Kumaraswamy
def ku_logpdf(a, b, x):
    return mpmath.log(a * b) + (a - 1) * mpmath.log(x) + (b - 1) * mpmath.log1p(-(x**a))


def ku_moment(a, b, n):
    return b * mpmath.beta(1 + n / a, b)


def ku_entropy(a, b):
    return (1 - 1 / b) + (1 - 1 / a) * (mpmath.digamma(b + 1) + mpmath.euler) - mpmath.log(a * b)


def ku_cdf(a, b, x):
    return -mpmath.expm1(b * mpmath.log1p(-(x**a)))


def vec(f, *arrays):
    return np.array([float(f(*(mpmath.mpf(float(v)) for v in args))) for args in zip(*arrays)])


def vec_diff(f, index, *arrays):
    out = []
    for args in zip(*arrays):
        args = [mpmath.mpf(float(v)) for v in args]
        out.append(float(mpmath.diff(lambda t: f(*(args[:index] + [t] + args[index + 1:])), args[index])))
    return np.array(out)


def check_kumaraswamy_by_quadrature() -> None:
    for a, b in ((0.5, 0.7), (2.0, 5.0), (7.0, 0.3)):
        pdf = lambda x: float(mpmath.exp(ku_logpdf(mpmath.mpf(a), mpmath.mpf(b), mpmath.mpf(x))))
        m1 = float(ku_moment(a, b, 1))
        for value, closed in (
            (integrate.quad(pdf, 0, 1, limit=200)[0], 1.0),
            (integrate.quad(lambda x: x * pdf(x), 0, 1, limit=200)[0], m1),
            (integrate.quad(lambda x: x * x * pdf(x), 0, 1, limit=200)[0], float(ku_moment(a, b, 2))),
            (integrate.quad(lambda x: -pdf(x) * float(ku_logpdf(mpmath.mpf(a), mpmath.mpf(b), mpmath.mpf(x))), 0, 1, limit=200)[0], float(ku_entropy(a, b))),
        ):
            assert abs(value - closed) < 1e-7 * max(1, abs(closed)), (a, b, value, closed)


def kumaraswamy_case(name, a, b, u) -> dict:
    a, b = f32(a), f32(b)
    # x from the inverse cdf in float64, then rounded: a point where the density is not negligible.
    x = f32(np.clip((1 - (1 - u) ** (1 / b)) ** (1 / a), 1e-6, 1 - 1e-6))
    mean = vec(lambda p, q: ku_moment(p, q, 1), a, b)
    return {
        "name": name,
        "params": {"concentration1": as_list(a), "concentration0": as_list(b)},
        "x": as_list(x),
        "logProb": as_list(vec(ku_logpdf, a, b, x)),
        "entropy": as_list(vec(ku_entropy, a, b)),
        "mean": as_list(mean),
        "variance": as_list(vec(lambda p, q: ku_moment(p, q, 2) - ku_moment(p, q, 1) ** 2, a, b)),
        "cdf": as_list(vec(ku_cdf, a, b, x)),
        "grad": {
            "logProb": {"concentration1": as_list(vec_diff(ku_logpdf, 0, a, b, x)), "concentration0": as_list(vec_diff(ku_logpdf, 1, a, b, x)),
                        "x": as_list(vec_diff(ku_logpdf, 2, a, b, x))},
            "entropy": {"concentration1": as_list(vec_diff(ku_entropy, 0, a, b)), "concentration0": as_list(vec_diff(ku_entropy, 1, a, b))},
        },
    }


CONCENTRATED = np.array([(200, 200), (59, 57), (20, 20), (1000, 5), (5, 1000), (1, 1), (1, 300), (300, 2), (2, 300), (1.5, 50), (1e4, 1e4), (3, 0.2)])


def kumaraswamy_fixtures(rng) -> dict:
    check_kumaraswamy_by_quadrature()
    n = 24
    ext = np.array([(a, b) for a in (0.05, 1.0, 20.0) for b in (0.05, 1.0, 20.0)])
    cases = [
        kumaraswamy_case("random", log_uniform(rng, 0.2, 10, n), log_uniform(rng, 0.2, 10, n), rng.uniform(0.05, 0.95, n)),
        kumaraswamy_case("extreme shapes 0.05 and 20", ext[:, 0], ext[:, 1], np.full(len(ext), 0.5)),
        # Issue 14: E[X²] − E[X]² from float32 lnΓ values was 650 % off at a = b = 200 and 4 % at (59, 57).
        kumaraswamy_case("concentrated shapes: variance ≪ mean²", CONCENTRATED[:, 0], CONCENTRATED[:, 1], np.full(len(CONCENTRATED), 0.5)),
    ]
    return {**header("Kumaraswamy"), "cases": cases, "kl": []}


GENERATORS = {"laplace": laplace_fixtures, "poisson": poisson_fixtures, "kumaraswamy": kumaraswamy_fixtures}
