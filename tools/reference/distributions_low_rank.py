"""Fixtures of LowRankMultivariateNormal from SciPy's full-covariance multivariate normal (float64): the library's
Woodbury / determinant-lemma evaluation is checked against dense linear algebra. Run through distributions_fixtures.py."""
from __future__ import annotations

import numpy as np
from scipy import stats

from distributions_common import as_list, f32, fd_grad, header


def covariance(w, dg):
    return w @ np.swapaxes(w, -1, -2) + np.eye(dg.shape[-1]) * dg[..., None, :]


def lr_logpdf(loc, w, dg, x):
    return np.array([stats.multivariate_normal(l, covariance(wi, di)).logpdf(xi) for l, wi, di, xi in zip(loc, w, dg, x)])


def lr_entropy(loc, w, dg):
    return np.array([stats.multivariate_normal(l, covariance(wi, di)).entropy() for l, wi, di in zip(loc, w, dg)])


def gauss_kl(mp, sp, mq, sq):
    d = mq - mp
    inv = np.linalg.inv(sq)
    return 0.5 * (np.trace(inv @ sp) + d @ inv @ d - len(mp) + np.linalg.slogdet(sq)[1] - np.linalg.slogdet(sp)[1])


def low_rank_fixtures(rng) -> dict:
    b, d, r = 5, 4, 2
    loc = f32(rng.uniform(-3, 3, (b, d)))
    w = f32(rng.normal(0, 1, (b, d, r)))
    dg = f32(np.exp(rng.uniform(np.log(0.05), np.log(3), (b, d))))
    x = f32(np.array([rng.multivariate_normal(l, covariance(wi, di)) for l, wi, di in zip(loc, w, dg)]))
    args = {"loc": loc, "w": w, "dg": dg, "x": x}
    case = {
        "name": "random d = 4, r = 2",
        "params": {"loc": as_list(loc), "covFactor": as_list(w), "covDiag": as_list(dg)},
        "x": as_list(x),
        "logProb": as_list(lr_logpdf(**args)),
        "entropy": as_list(lr_entropy(loc, w, dg)),
        "mean": as_list(loc),
        "variance": as_list(np.einsum("bij,bij->bi", w, w) + dg),
        "grad": {
            "logProb": {"loc": as_list(fd_grad(lr_logpdf, args, "loc", 1e-4)), "covFactor": as_list(fd_grad(lr_logpdf, args, "w", 1e-4)),
                        "covDiag": as_list(fd_grad(lr_logpdf, args, "dg", 1e-4 * dg)), "x": as_list(fd_grad(lr_logpdf, args, "x", 1e-4))},
            "entropy": {"covFactor": as_list(fd_grad(lr_entropy, {"loc": loc, "w": w, "dg": dg}, "w", 1e-4)),
                        "covDiag": as_list(fd_grad(lr_entropy, {"loc": loc, "w": w, "dg": dg}, "dg", 1e-4 * dg))},
        },
    }
    lq = f32(rng.uniform(-3, 3, (b, d)))
    wq = f32(rng.normal(0, 1, (b, d, r)))
    dq = f32(np.exp(rng.uniform(np.log(0.05), np.log(3), (b, d))))
    kl_fn = lambda lp, wp, dp, lq, wq, dq: np.array([gauss_kl(lp[i], covariance(wp[i], dp[i]), lq[i], covariance(wq[i], dq[i])) for i in range(len(lp))])
    ka = {"lp": loc, "wp": w, "dp": dg, "lq": lq, "wq": wq, "dq": dq}
    kl = {
        "name": "random d = 4, r = 2",
        "p": {"loc": as_list(loc), "covFactor": as_list(w), "covDiag": as_list(dg)},
        "q": {"loc": as_list(lq), "covFactor": as_list(wq), "covDiag": as_list(dq)},
        "kl": as_list(kl_fn(**ka)),
        "grad": {"p.loc": as_list(fd_grad(kl_fn, ka, "lp", 1e-4)), "p.covFactor": as_list(fd_grad(kl_fn, ka, "wp", 1e-4)),
                 "p.covDiag": as_list(fd_grad(kl_fn, ka, "dp", 1e-4 * dg)), "q.covFactor": as_list(fd_grad(kl_fn, ka, "wq", 1e-4)),
                 "q.covDiag": as_list(fd_grad(kl_fn, ka, "dq", 1e-4 * dq))},
    }
    ill_case, ill_kl, same_kl = ill_conditioned_cases(rng)
    return {**header("LowRankMultivariateNormal"), "cases": [case, ill_case], "kl": [kl, ill_kl, same_kl]}


def ill_conditioned_cases(rng):
    """Issue 14: condition numbers 1e2 … 1e7 (a factor column of norm up to 1e3 over a unit diagonal), where the
    textbook Woodbury form δᵀD⁻¹δ − ‖L⁻¹WᵀD⁻¹δ‖² cancelled (logProb 9e-3 off at 1.3e5) and KL(p ‖ p) reached −6e-3."""
    scales = np.array([3.0, 30.0, 100.0, 370.0, 1000.0, 3000.0])
    b, d, r = len(scales), 4, 2
    loc = f32(rng.normal(0, 1, (b, d)))
    w = f32(rng.normal(0, 1, (b, d, r)) * scales[:, None, None])
    dg = f32(rng.uniform(0.5, 1.5, (b, d)))
    x = f32(np.array([rng.multivariate_normal(l, covariance(wi, di)) for l, wi, di in zip(loc, w, dg)]))
    conditions = [float(np.linalg.cond(covariance(wi, di))) for wi, di in zip(w, dg)]
    assert conditions[0] < 1e3 and conditions[-1] > 1e6, conditions
    case = {
        "name": "ill-conditioned: condition number up to 1e7",
        "params": {"loc": as_list(loc), "covFactor": as_list(w), "covDiag": as_list(dg)},
        "x": as_list(x),
        "logProb": as_list(lr_logpdf(loc, w, dg, x)),
        "entropy": as_list(lr_entropy(loc, w, dg)),
        "mean": as_list(loc),
        "variance": as_list(np.einsum("bij,bij->bi", w, w) + dg),
    }
    # q: the same shape of covariance, perturbed by a few per cent, and shifted.
    lq = f32(loc + rng.normal(0, 0.3, (b, d)))
    wq = f32(w * rng.uniform(0.97, 1.03, (b, d, r)))
    dq = f32(dg * rng.uniform(0.9, 1.1, (b, d)))
    kl_value = lambda lp, wp, dp, lq, wq, dq: np.array([gauss_kl(lp[i], covariance(wp[i], dp[i]), lq[i], covariance(wq[i], dq[i])) for i in range(len(lp))])
    params = lambda l, wi, di: {"loc": as_list(l), "covFactor": as_list(wi), "covDiag": as_list(di)}
    ill_kl = {"name": "ill-conditioned p and q", "p": params(loc, w, dg), "q": params(lq, wq, dq), "kl": as_list(kl_value(loc, w, dg, lq, wq, dq))}
    same_kl = {"name": "KL(p ‖ p) = 0 exactly, ill-conditioned", "p": params(loc, w, dg), "q": params(loc, w, dg), "kl": as_list(np.zeros(b))}
    return case, ill_kl, same_kl


GENERATORS = {"low_rank_multivariate_normal": low_rank_fixtures}
