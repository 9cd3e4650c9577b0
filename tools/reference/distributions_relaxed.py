"""Fixtures of RelaxedBernoulli and RelaxedOneHotCategorical (Concrete densities written in float64 NumPy/SciPy; SciPy
has neither, so the generator checks that each density integrates to 1 and that the binary cdf is its integral).
Run through distributions_fixtures.py."""
from __future__ import annotations

import numpy as np
from scipy import integrate, special

from distributions_common import as_list, f32, fd_grad, header


def rb_logpdf(temperature, logits, x):
    t, e = temperature, logits
    ly, l1y = np.log(x), np.log1p(-x)
    return np.log(t) + e - (t + 1) * (ly + l1y) - 2 * np.logaddexp(e - t * ly, -t * l1y)


def rb_cdf(temperature, logits, x):
    return special.expit(temperature * (np.log(x) - np.log1p(-x)) - logits)


def check_relaxed_bernoulli() -> None:
    for t, e in ((0.5, 0.3), (1.0, -2.0), (2.5, 1.5)):
        pdf = lambda y: np.exp(rb_logpdf(t, e, y))
        assert abs(integrate.quad(pdf, 0, 1, limit=400)[0] - 1) < 1e-7
        assert abs(integrate.quad(pdf, 0, 0.3, limit=400)[0] - rb_cdf(t, e, 0.3)) < 1e-7


def relaxed_bernoulli_fixtures(rng) -> dict:
    check_relaxed_bernoulli()
    n = 24
    t, e, x = f32(np.exp(rng.uniform(np.log(0.1), np.log(5), n))), f32(rng.uniform(-5, 5, n)), f32(rng.uniform(0.01, 0.99, n))
    args = {"temperature": t, "logits": e, "x": x}
    case = {
        "name": "random",
        "params": {"temperature": as_list(t), "logits": as_list(e)},
        "x": as_list(x),
        "logProb": as_list(rb_logpdf(**args)),
        "cdf": as_list(rb_cdf(**args)),
        "grad": {"logProb": {"temperature": as_list(fd_grad(rb_logpdf, args, "temperature", 1e-4 * t)),
                             "logits": as_list(fd_grad(rb_logpdf, args, "logits", 1e-4)),
                             "x": as_list(fd_grad(rb_logpdf, args, "x", 1e-5))}},
    }
    return {**header("RelaxedBernoulli"), "cases": [case], "kl": []}


def roc_logpdf(temperature, logits, x):
    k = logits.shape[-1]
    lp = logits - special.logsumexp(logits, axis=-1, keepdims=True)
    t = temperature[..., None]
    return (special.gammaln(k) + (k - 1) * np.log(temperature) + np.sum(lp - (t + 1) * np.log(x), -1)
            - k * special.logsumexp(lp - t * np.log(x), axis=-1))


def check_relaxed_one_hot() -> None:
    t, logits = np.array([0.7]), np.array([[0.2, -0.5, 1.0]])
    pdf = lambda y2, y1: np.exp(roc_logpdf(t, logits, np.array([[y1, y2, 1 - y1 - y2]])))[0]
    total = integrate.dblquad(pdf, 0, 1, 0, lambda y1: 1 - y1, epsabs=1e-10)[0]
    assert abs(total - 1) < 1e-6, total


def relaxed_one_hot_fixtures(rng) -> dict:
    check_relaxed_one_hot()
    n, k = 8, 3
    t, logits = f32(np.exp(rng.uniform(np.log(0.2), np.log(3), n))), f32(rng.normal(0, 1.5, (n, k)))
    g = rng.dirichlet(np.ones(k), n)
    x = f32(g)
    x[:, -1] = 1 - x[:, :-1].sum(-1)
    args = {"temperature": t, "logits": logits, "x": x}
    case = {
        "name": "random K = 3",
        "params": {"temperature": as_list(t), "logits": as_list(logits)},
        "x": as_list(x),
        "logProb": as_list(roc_logpdf(**args)),
        "grad": {"logProb": {"temperature": as_list(fd_grad(roc_logpdf, args, "temperature", 1e-4 * t)),
                             "logits": as_list(fd_grad(roc_logpdf, args, "logits", 1e-4))}},
    }
    return {**header("RelaxedOneHotCategorical"), "cases": [case], "kl": []}


GENERATORS = {"relaxed_bernoulli": relaxed_bernoulli_fixtures, "relaxed_one_hot_categorical": relaxed_one_hot_fixtures}
