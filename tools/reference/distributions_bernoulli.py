"""Fixtures of Bernoulli (SciPy, float64) and ContinuousBernoulli (mpmath at 40 digits: SciPy has no continuous
Bernoulli; its closed forms are cross-checked here by numerical integration). Run through distributions_fixtures.py.

Bernoulli quantities are written in log space from the float32 logits (never through p = expit(η), which is 1.0
in float64 for η > 37), and checked against scipy.stats.bernoulli where p is representable."""
from __future__ import annotations

import mpmath
import numpy as np
from scipy import integrate, special, stats

from distributions_common import as_list, f32, fd_grad, header

mpmath.mp.dps = 40


# ------------------------------------------------------------------------------------------- Bernoulli
def log_p_and_log1m_p(logits=None, probs=None):
    if logits is not None:
        return -np.logaddexp(0, -logits), -np.logaddexp(0, logits)
    with np.errstate(divide="ignore"):
        return np.log(probs), np.log1p(-probs)


def xlogy(x, y):
    return np.where(x == 0, 0.0, x * np.where(x == 0, 1.0, y))


def bern_logpmf(x, **param):
    lp, l1p = log_p_and_log1m_p(**param)
    return xlogy(x, lp) + xlogy(1 - x, l1p)


def bern_entropy(**param):
    lp, l1p = log_p_and_log1m_p(**param)
    return -(xlogy(np.exp(lp), lp) + xlogy(np.exp(l1p), l1p))


def bern_kl(p: dict, q: dict):
    lp, l1p = log_p_and_log1m_p(**p)
    lq, l1q = log_p_and_log1m_p(**q)
    return xlogy(np.exp(lp), lp - lq) + xlogy(np.exp(l1p), l1p - l1q)


def bernoulli_case(name: str, x, **param) -> dict:
    (key, value), = param.items()
    value, x = f32(value), f32(x)
    lp, l1p = log_p_and_log1m_p(**{key: value})
    p = np.exp(lp)
    if key == "probs":
        # The log-space formulas agree with SciPy wherever p itself is the parameter.
        assert np.allclose(bern_logpmf(x, probs=value), stats.bernoulli.logpmf(x, value), rtol=1e-13, atol=0)
        assert np.allclose(bern_entropy(probs=value), stats.bernoulli.entropy(value), rtol=1e-12, atol=1e-300)
    step = 1e-3 * np.minimum(p, np.exp(l1p)) if key == "probs" else 1e-3
    return {
        "name": name,
        "params": {key: as_list(value)},
        "x": as_list(x),
        "logProb": as_list(bern_logpmf(x, **{key: value})),
        "entropy": as_list(bern_entropy(**{key: value})),
        "mean": as_list(p),
        "variance": as_list(np.exp(lp + l1p)),
        "mode": as_list((p > 0.5).astype(float)),
        "cdf": as_list(np.where(x >= 1, 1.0, np.exp(l1p))),
        "grad": {
            "logProb": {key: as_list(fd_grad(lambda v: bern_logpmf(x, **{key: v}), {"v": value}, "v", step))},
            "entropy": {key: as_list(fd_grad(lambda v: bern_entropy(**{key: v}), {"v": value}, "v", step))},
        },
    }


def bernoulli_kl_case(name: str, key: str, p, q) -> dict:
    p, q = f32(p), f32(q)
    f = lambda a, b: bern_kl({key: a}, {key: b})
    if key == "probs":
        sp = 1e-3 * np.minimum(p, 1 - p)
        sq = 1e-3 * np.minimum(q, 1 - q)
    else:
        sp = sq = 1e-3
    return {
        "name": name,
        "p": {key: as_list(p)},
        "q": {key: as_list(q)},
        "kl": as_list(f(p, q)),
        "grad": {f"p.{key}": as_list(fd_grad(f, {"a": p, "b": q}, "a", sp)), f"q.{key}": as_list(fd_grad(f, {"a": p, "b": q}, "b", sq))},
    }


def bernoulli_fixtures(rng: np.random.Generator) -> dict:
    n = 32
    extreme_p = np.array([1e-6, 1e-3, 0.25, 0.5, 1 - 1e-3, 1 - 1e-6])
    extreme_l = np.array([-80.0, -30.0, -13.8155, -1e-4, 0.0, 1e-4, 13.8155, 30.0, 80.0])
    cases = [
        bernoulli_case("probs random", rng.integers(0, 2, n), probs=rng.uniform(0.01, 0.99, n)),
        bernoulli_case("probs 1e-6 from 0 and 1", np.tile([0, 1], len(extreme_p)), probs=np.repeat(extreme_p, 2)),
        bernoulli_case("logits random", rng.integers(0, 2, n), logits=rng.uniform(-8, 8, n)),
        bernoulli_case("logits extreme", np.tile([0, 1], len(extreme_l)), logits=np.repeat(extreme_l, 2)),
    ]
    pp, qq = np.meshgrid(extreme_p, extreme_p)
    kl = [
        bernoulli_kl_case("probs random", "probs", rng.uniform(0.01, 0.99, n), rng.uniform(0.01, 0.99, n)),
        bernoulli_kl_case("probs extreme pairs", "probs", pp.ravel(), qq.ravel()),
        bernoulli_kl_case("logits random", "logits", rng.uniform(-10, 10, n), rng.uniform(-10, 10, n)),
    ]
    return {**header("Bernoulli"), "cases": cases, "kl": kl}


# --------------------------------------------------------------------------------- ContinuousBernoulli
def mp_softplus(e):
    return mpmath.log1p(mpmath.exp(e)) if e < 0 else e + mpmath.log1p(mpmath.exp(-e))


# Below |η| = 1e-12 the closed forms (0/0 at η = 0) are replaced by their Taylor series, exact there to ~1e-48:
# mpmath.diff then sees smooth functions (a constant at η = 0 alone gave it wrong derivatives).
TINY = mpmath.mpf("1e-12")


def cb_log_c(e):
    return mpmath.log(2) + e**2 / 12 - 7 * e**4 / 1440 if abs(e) < TINY else mpmath.log(e / mpmath.tanh(e / 2))


def cb_logpdf(x, e):
    return x * e - mp_softplus(e) + cb_log_c(e)


def cb_mean(e):
    return mpmath.mpf(1) / 2 + e / 12 - e**3 / 720 if abs(e) < TINY else 1 / (1 - mpmath.exp(-e)) - 1 / e


def cb_variance(e):
    return mpmath.mpf(1) / 12 - e**2 / 240 if abs(e) < TINY else 1 / e**2 - 1 / (4 * mpmath.sinh(e / 2) ** 2)


def cb_entropy(e):
    return -(e * cb_mean(e) - mp_softplus(e) + cb_log_c(e))


def cb_cdf(x, e):
    return x + e * x * (x - 1) / 2 if abs(e) < TINY else mpmath.expm1(e * x) / mpmath.expm1(e)


def cb_icdf(u, e):
    return u + e * u * (1 - u) / 2 if abs(e) < TINY else mpmath.log1p(u * mpmath.expm1(e)) / e


def logit_of(probs):
    return mpmath.log(probs) - mpmath.log1p(-probs)


def check_cb_by_quadrature(etas) -> None:
    """The closed forms must agree with numerical integration of the density (float64 SciPy quad)."""
    for e in etas:
        pdf = lambda x: float(mpmath.exp(cb_logpdf(x, mpmath.mpf(e))))
        for value, closed in (
            (integrate.quad(pdf, 0, 1)[0], 1.0),
            (integrate.quad(lambda x: x * pdf(x), 0, 1)[0], float(cb_mean(mpmath.mpf(e)))),
            (integrate.quad(lambda x: (x - float(cb_mean(mpmath.mpf(e)))) ** 2 * pdf(x), 0, 1)[0], float(cb_variance(mpmath.mpf(e)))),
            (integrate.quad(lambda x: -pdf(x) * float(cb_logpdf(x, mpmath.mpf(e))), 0, 1)[0], float(cb_entropy(mpmath.mpf(e)))),
        ):
            assert abs(value - closed) < 1e-9 * max(1.0, abs(closed)), (e, value, closed)


def vec(f, *arrays):
    return np.array([float(f(*(mpmath.mpf(float(a)) for a in args))) for args in zip(*arrays)])


def vec_diff(f, index, *arrays):
    """d f / d arrays[index], element-wise, by mpmath's high-precision numerical differentiation."""
    out = []
    for args in zip(*arrays):
        args = [mpmath.mpf(float(a)) for a in args]
        g = lambda t: f(*(args[:index] + [t] + args[index + 1:]))
        out.append(float(mpmath.diff(g, args[index])))
    return np.array(out)


def cb_case(name: str, x, u, **param) -> dict:
    (key, value), = param.items()
    value, x, u = f32(value), f32(x), f32(u)
    if key == "logits":
        as_logit = lambda v: v
    else:
        as_logit = logit_of
    logpdf = lambda xx, v: cb_logpdf(xx, as_logit(v))
    entropy = lambda v: cb_entropy(as_logit(v))
    return {
        "name": name,
        "params": {key: as_list(value)},
        "x": as_list(x),
        "u": as_list(u),
        "logProb": as_list(vec(logpdf, x, value)),
        "entropy": as_list(vec(entropy, value)),
        "mean": as_list(vec(lambda v: cb_mean(as_logit(v)), value)),
        "variance": as_list(vec(lambda v: cb_variance(as_logit(v)), value)),
        "cdf": as_list(vec(lambda xx, v: cb_cdf(xx, as_logit(v)), x, value)),
        "icdf": as_list(vec(lambda uu, v: cb_icdf(uu, as_logit(v)), u, value)),
        "grad": {
            "logProb": {key: as_list(vec_diff(logpdf, 1, x, value)), "x": as_list(vec_diff(logpdf, 0, x, value))},
            "entropy": {key: as_list(vec_diff(entropy, 0, value))},
        },
        "gradIcdf": {key: as_list(vec_diff(lambda uu, v: cb_icdf(uu, as_logit(v)), 1, u, value))},
    }


def cb_kl(ep, eq):
    return (ep - eq) * cb_mean(ep) - mp_softplus(ep) + mp_softplus(eq) + cb_log_c(ep) - cb_log_c(eq)


def cb_kl_case(name: str, p, q) -> dict:
    p, q = f32(p), f32(q)
    return {
        "name": name,
        "p": {"logits": as_list(p)},
        "q": {"logits": as_list(q)},
        "kl": as_list(vec(cb_kl, p, q)),
        "grad": {"p.logits": as_list(vec_diff(cb_kl, 0, p, q)), "q.logits": as_list(vec_diff(cb_kl, 1, p, q))},
    }


def continuous_bernoulli_fixtures(rng: np.random.Generator) -> dict:
    check_cb_by_quadrature([-30.0, -2.5, -0.3, 0.0, 1e-3, 0.7, 4.0, 25.0])
    n = 24
    near_half = np.array([0.0, 1e-7, -1e-7, 1e-4, -1e-4, 1e-3, 0.01, -0.3, 0.99, 1.0, 1.01, -1.99, 2.0, 2.01, -5.0])
    extreme = np.array([-80.0, -50.0, -13.8155, 13.8155, 50.0, 80.0])
    logits_near = np.repeat(near_half, 2)
    cases = [
        cb_case("logits random", rng.uniform(0, 1, n), rng.uniform(0, 1, n), logits=rng.uniform(-20, 20, n)),
        cb_case("logits near ½ and at every series threshold", rng.uniform(0, 1, len(logits_near)), rng.uniform(0, 1, len(logits_near)), logits=logits_near),
        cb_case("logits extreme, x at the ends", np.tile([0.0, 1.0, 0.5], len(extreme)), np.tile([1e-6, 0.5, 1 - 1e-6], len(extreme)), logits=np.repeat(extreme, 3)),
        cb_case("probs random and 1e-6 from 0 and 1", rng.uniform(0, 1, 12), rng.uniform(0, 1, 12),
                probs=np.concatenate([rng.uniform(0.01, 0.99, 8), [1e-6, 1 - 1e-6, 0.49999997, 0.50000006]])),
    ]
    kl = [
        cb_kl_case("random", rng.uniform(-15, 15, n), rng.uniform(-15, 15, n)),
        cb_kl_case("near ½", np.array([0.0, 1e-5, -0.3, 0.5, 1.5, 0.0, 3.0, -1e-3]), np.array([1e-5, 0.0, 0.3, -0.5, 1.4, 20.0, 0.0, 1e-3])),
    ]
    return {**header("ContinuousBernoulli"), "cases": cases, "kl": kl}


GENERATORS = {"bernoulli": bernoulli_fixtures, "continuous_bernoulli": continuous_bernoulli_fixtures}
