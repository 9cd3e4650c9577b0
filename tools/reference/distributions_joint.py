"""Fixtures of MultivariateNormalDiag (= Independent(Normal, 1)), Categorical and OneHotCategorical, from SciPy
(float64). Run through distributions_fixtures.py."""
from __future__ import annotations

import mpmath
import numpy as np
from scipy import special, stats

from distributions_common import as_list, f32, fd_grad, header


# --------------------------------------------------------------------------- MultivariateNormalDiag
def mvn_logpdf(loc, scale_diag, x):
    return np.sum(stats.norm.logpdf(x, loc, scale_diag), axis=-1)


def mvn_entropy(loc, scale_diag):
    return np.sum(stats.norm.entropy(loc, scale_diag), axis=-1)


def check_against_full_covariance(loc, scale_diag, x) -> None:
    """SciPy's multivariate normal (full covariance; it refuses condition numbers like 1e16, hence only here)."""
    for l, s, xi, lp, h in zip(loc, scale_diag, x, mvn_logpdf(loc, scale_diag, x), mvn_entropy(loc, scale_diag)):
        mvn = stats.multivariate_normal(l, np.diag(s**2))
        assert abs(mvn.logpdf(xi) - lp) < 1e-10 * max(1, abs(lp)) and abs(mvn.entropy() - h) < 1e-10 * max(1, abs(h))


def mvn_kl(loc_p, scale_p, loc_q, scale_q):
    """The general Gaussian KL with full matrices (independent of the per-coordinate sum the library uses)."""
    out = []
    for mp, sp, mq, sq in zip(loc_p, scale_p, loc_q, scale_q):
        cov_p, cov_q = np.diag(sp**2), np.diag(sq**2)
        inv_q = np.linalg.inv(cov_q)
        d = mq - mp
        _, logdet_p = np.linalg.slogdet(cov_p)
        _, logdet_q = np.linalg.slogdet(cov_q)
        out.append(0.5 * (np.trace(inv_q @ cov_p) + d @ inv_q @ d - len(mp) + logdet_q - logdet_p))
    return np.array(out)


def mvn_case(name, loc, scale, z) -> dict:
    loc, scale = f32(loc), f32(scale)
    x = f32(loc + scale * z)
    a = {"loc": loc, "scale_diag": scale, "x": x}
    return {
        "name": name,
        "params": {"loc": as_list(loc), "scaleDiag": as_list(scale)},
        "x": as_list(x),
        "logProb": as_list(mvn_logpdf(loc, scale, x)),
        "entropy": as_list(mvn_entropy(loc, scale)),
        "mean": as_list(loc),
        "variance": as_list(scale**2),
        "mode": as_list(loc),
        "grad": {
            "logProb": {
                "loc": as_list(fd_grad(mvn_logpdf, a, "loc", 1e-3 * scale)),
                "scaleDiag": as_list(fd_grad(mvn_logpdf, a, "scale_diag", 1e-3 * scale)),
                "x": as_list(fd_grad(mvn_logpdf, a, "x", 1e-3 * scale)),
            },
            "entropy": {"scaleDiag": as_list(fd_grad(mvn_entropy, {"loc": loc, "scale_diag": scale}, "scale_diag", 1e-3 * scale))},
        },
    }


def mvn_kl_case(name, lp, sp, lq, sq) -> dict:
    a = {"loc_p": f32(lp), "scale_p": f32(sp), "loc_q": f32(lq), "scale_q": f32(sq)}
    step = 1e-3 * np.maximum(a["scale_p"], a["scale_q"])
    return {
        "name": name,
        "p": {"loc": as_list(a["loc_p"]), "scaleDiag": as_list(a["scale_p"])},
        "q": {"loc": as_list(a["loc_q"]), "scaleDiag": as_list(a["scale_q"])},
        "kl": as_list(mvn_kl(**a)),
        "grad": {
            "p.loc": as_list(fd_grad(mvn_kl, a, "loc_p", step)),
            "p.scaleDiag": as_list(fd_grad(mvn_kl, a, "scale_p", 1e-3 * a["scale_p"])),
            "q.loc": as_list(fd_grad(mvn_kl, a, "loc_q", step)),
            "q.scaleDiag": as_list(fd_grad(mvn_kl, a, "scale_q", 1e-3 * a["scale_q"])),
        },
    }


def mvn_diag_fixtures(rng: np.random.Generator) -> dict:
    b, d = 6, 4
    scales = lambda shape: np.exp(rng.uniform(np.log(1e-2), np.log(1e2), shape))
    extreme_scale = np.array([[1e-4, 1.0, 1e4, 1e-4], [1e4, 1e4, 1e-4, 3.0]])
    check_against_full_covariance(f32(rng.uniform(-5, 5, (b, d))), f32(scales((b, d))), f32(rng.uniform(-5, 5, (b, d))))
    cases = [
        mvn_case("random", rng.uniform(-5, 5, (b, d)), scales((b, d)), rng.uniform(-3, 3, (b, d))),
        mvn_case("extreme scales 1e-4 and 1e4", np.array([[0.0, 3.5, -1e3, 1.0], [2.0, -2.0, 0.5, 1e3]]), extreme_scale, rng.uniform(-3, 3, (2, d))),
    ]
    kl = [
        mvn_kl_case("random", rng.uniform(-5, 5, (b, d)), scales((b, d)), rng.uniform(-5, 5, (b, d)), scales((b, d))),
        mvn_kl_case("extreme scales", np.full((2, d), 0.5), extreme_scale, np.full((2, d), 0.75), extreme_scale[::-1]),
    ]
    return {**header("MultivariateNormalDiag"), "cases": cases, "kl": kl}


# ------------------------------------------------------------------------ Categorical / OneHotCategorical
def cat_log_probs(logits=None, probs=None):
    if logits is not None:
        return logits - special.logsumexp(logits, axis=-1, keepdims=True)
    with np.errstate(divide="ignore"):
        return np.log(probs)


def cat_logpmf(index, **param):
    lp = cat_log_probs(**param)
    return np.take_along_axis(lp, index[:, None].astype(int), axis=-1)[:, 0]


def cat_entropy(**param):
    lp = cat_log_probs(**param)
    p = np.exp(lp)
    return -np.sum(np.where(p == 0, 0.0, p * np.where(p == 0, 0.0, lp)), axis=-1)


def cat_kl(p: dict, q: dict):
    lp, lq = cat_log_probs(**p), cat_log_probs(**q)
    pp = np.exp(lp)
    return np.sum(np.where(pp == 0, 0.0, pp * np.where(pp == 0, 0.0, lp - lq)), axis=-1)


def one_hot_variance_mp(logits=None, probs=None):
    """p ⊙ (1 − p) per row at 50 digits, from the float32 logits (softmax) or the float32 probs as given."""
    rows = np.reshape(logits if logits is not None else probs, (-1, np.shape(logits if logits is not None else probs)[-1]))
    out = []
    with mpmath.workdps(50):
        for row in rows:
            if logits is not None:
                weights = [mpmath.exp(mpmath.mpf(float(v))) if np.isfinite(v) else mpmath.mpf(0) for v in row]
                total = mpmath.fsum(weights)
                p = [w / total for w in weights]
            else:
                p = [mpmath.mpf(float(v)) for v in row]
            out.append([float(pk * (1 - pk)) for pk in p])
    return np.reshape(np.array(out), np.shape(logits if logits is not None else probs))


def categorical_case(name, index, one_hot: bool, **param) -> dict:
    (key, value), = param.items()
    value = f32(value)
    lp = cat_log_probs(**{key: value})
    p = np.exp(lp)
    for row, i in zip(p if key == "logits" else [], index):  # agrees with SciPy's one-trial multinomial
        if np.min(row) < 1e-300:
            continue  # SciPy cannot represent it; the log-space reference above still can
        assert abs(stats.multinomial(1, row).logpmf(np.eye(len(row))[int(i)]) - np.log(row[int(i)])) < 1e-12
    step = 1e-3 if key == "logits" else 1e-3 * np.minimum(value, 1 - value)
    x = np.eye(value.shape[-1])[index.astype(int)] if one_hot else index.astype(float)
    case = {
        "name": name,
        "params": {key: as_list(value)},
        "x": as_list(x),
        "logProb": as_list(cat_logpmf(index, **{key: value})),
        "entropy": as_list(cat_entropy(**{key: value})),
        "mode": as_list(np.eye(value.shape[-1])[np.argmax(lp, axis=-1)] if one_hot else np.argmax(lp, axis=-1)),
        "grad": {
            "logProb": {key: as_list(fd_grad(lambda v: cat_logpmf(index, **{key: v}), {"v": value}, "v", step))},
            "entropy": {key: as_list(fd_grad(lambda v: cat_entropy(**{key: v}), {"v": value}, "v", step))},
        },
    }
    if one_hot:
        case["mean"] = as_list(p)
        # In mpmath (50 digits): in float64 too, 1 − p is 0 for p > 1 − 1e-16 (logits [−80, 0, 80]).
        case["variance"] = as_list(one_hot_variance_mp(**{key: value}))
    # With probs, perturbing one probability leaves the simplex; the library takes probs as given (no
    # renormalisation), and so does this reference: the derivative of log pₖ, exactly what tf.grad computes.
    return case


def categorical_kl_case(name, key, p, q) -> dict:
    p, q = f32(p), f32(q)
    f = lambda a, b: cat_kl({key: a}, {key: b})
    return {
        "name": name,
        "p": {key: as_list(p)},
        "q": {key: as_list(q)},
        "kl": as_list(f(p, q)),
        "grad": {f"p.{key}": as_list(fd_grad(f, {"a": p, "b": q}, "a", 1e-3)), f"q.{key}": as_list(fd_grad(f, {"a": p, "b": q}, "b", 1e-3))},
    }


def categorical_cases(rng: np.random.Generator, one_hot: bool) -> tuple[list, list]:
    b, k = 8, 5
    probs_extreme = np.array([[1e-6, 1 - 2e-6, 1e-6], [1 / 3, 1 / 3, 1 / 3], [0.5 - 1e-6, 1e-6, 0.5]])
    logits_extreme = np.array([[-80.0, 0.0, 80.0], [0.0, 0.0, 0.0], [1e4, 1e4 - 1, -1e4]])
    cases = [
        categorical_case("logits random", rng.integers(0, k, b), one_hot, logits=rng.normal(0, 3, (b, k))),
        categorical_case("logits extreme", np.array([0, 1, 2]), one_hot, logits=logits_extreme),
        categorical_case("probs 1e-6 from 0 and 1", np.array([0, 1, 1]), one_hot, probs=probs_extreme),
    ]
    kl = [
        categorical_kl_case("logits random", "logits", rng.normal(0, 3, (b, k)), rng.normal(0, 3, (b, k))),
        categorical_kl_case("logits extreme", "logits", logits_extreme, logits_extreme[::-1] / 2),
    ]
    if one_hot:
        # Issue 14: p(1 − p) with 1 − p in float32 was 0 instead of 2.8e-13 for logits [0, −28.9].
        near_one = np.array([[0.0, -28.9, -40.0], [10.0, -18.9, -25.0], [30.0, 0.0, 1.0], [-80.0, 0.0, 80.0], [0.0, -17.0, -17.0]])
        near_one_case = categorical_case("logits: one probability within 1e-7 of 1", np.array([0, 0, 0, 2, 0]), one_hot, logits=near_one)
        del near_one_case["grad"]  # ∂ log pₖ/∂ logits = eₖ − p: 1 − p is below float32 resolution there (not this case's subject)
        cases.append(near_one_case)
    return cases, kl


def categorical_fixtures(rng: np.random.Generator) -> dict:
    cases, kl = categorical_cases(rng, one_hot=False)
    return {**header("Categorical"), "cases": cases, "kl": kl}


def one_hot_categorical_fixtures(rng: np.random.Generator) -> dict:
    cases, kl = categorical_cases(rng, one_hot=True)
    return {**header("OneHotCategorical"), "cases": cases, "kl": kl}


GENERATORS = {
    "multivariate_normal_diag": mvn_diag_fixtures,
    "categorical": categorical_fixtures,
    "one_hot_categorical": one_hot_categorical_fixtures,
}
