"""Fixtures of Beta and Dirichlet (SciPy, float64). Run through distributions_fixtures.py."""
from __future__ import annotations

import numpy as np
from scipy import integrate, special, stats

from distributions_common import as_list, f32, fd_grad, header


def log_uniform(rng, low, high, shape):
    return np.exp(rng.uniform(np.log(low), np.log(high), shape))


# ------------------------------------------------------------------------------------------------- Beta
def beta_logpdf(a, b, x):
    return stats.beta.logpdf(x, a, b)


def beta_entropy(a, b):
    """The closed form in float64. SciPy 1.10 (Debian bookworm) falls back to numerical integration for small
    shapes and returns 0.31 instead of −93.06 at (0.5, 0.01); see check_beta_entropy."""
    return special.betaln(a, b) - (a - 1) * special.digamma(a) - (b - 1) * special.digamma(b) + (a + b - 2) * special.digamma(a + b)


def check_beta_entropy() -> None:
    for a, b in ((0.7, 1.3), (2.0, 5.0), (30.0, 4.0)):
        assert abs(beta_entropy(a, b) - stats.beta.entropy(a, b)) < 1e-9


def beta_kl(a1, b1, a2, b2):
    lb = lambda a, b: special.betaln(a, b)
    return (lb(a2, b2) - lb(a1, b1) + (a1 - a2) * special.digamma(a1) + (b1 - b2) * special.digamma(b1)
            + (a2 - a1 + b2 - b1) * special.digamma(a1 + b1))


def beta_case(name, a, b, u) -> dict:
    a, b = f32(a), f32(b)
    x = f32(np.clip(stats.beta.ppf(u, a, b), 1e-30, 1 - 2**-24))
    args = {"a": a, "b": b, "x": x}
    with np.errstate(invalid="ignore", divide="ignore"):
        mode = np.where((a > 1) & (b > 1), (a - 1) / (a + b - 2), np.nan)
    case = {
        "name": name,
        "params": {"concentration1": as_list(a), "concentration0": as_list(b)},
        "x": as_list(x),
        "logProb": as_list(beta_logpdf(**args)),
        "entropy": as_list(beta_entropy(a, b)),
        "mean": as_list(stats.beta.mean(a, b)),
        "variance": as_list(stats.beta.var(a, b)),
        "grad": {
            "logProb": {"concentration1": as_list(fd_grad(beta_logpdf, args, "a", 1e-4 * a)),
                        "concentration0": as_list(fd_grad(beta_logpdf, args, "b", 1e-4 * b))},
            "entropy": {"concentration1": as_list(fd_grad(beta_entropy, {"a": a, "b": b}, "a", 1e-4 * a)),
                        "concentration0": as_list(fd_grad(beta_entropy, {"a": a, "b": b}, "b", 1e-4 * b))},
        },
    }
    if not np.any(np.isnan(mode)):
        case["mode"] = as_list(mode)
    return case


def beta_kl_case(name, a1, b1, a2, b2) -> dict:
    a = {"a1": f32(a1), "b1": f32(b1), "a2": f32(a2), "b2": f32(b2)}
    for i in range(3):  # closed form against quadrature
        p, q = stats.beta(a["a1"][i], a["b1"][i]), stats.beta(a["a2"][i], a["b2"][i])
        value = integrate.quad(lambda t: p.pdf(t) * (p.logpdf(t) - q.logpdf(t)), 0, 1, limit=400)[0]
        assert abs(value - beta_kl(a["a1"][i], a["b1"][i], a["a2"][i], a["b2"][i])) < 1e-6, (value, i)
    return {
        "name": name,
        "p": {"concentration1": as_list(a["a1"]), "concentration0": as_list(a["b1"])},
        "q": {"concentration1": as_list(a["a2"]), "concentration0": as_list(a["b2"])},
        "kl": as_list(beta_kl(**a)),
        "grad": {f"{side}.{param}": as_list(fd_grad(beta_kl, a, key, 1e-4 * a[key]))
                 for side, param, key in (("p", "concentration1", "a1"), ("p", "concentration0", "b1"), ("q", "concentration1", "a2"), ("q", "concentration0", "b2"))},
    }


def beta_fixtures(rng) -> dict:
    check_beta_entropy()
    n = 24
    ext = np.array([(a, b) for a in (1e-2, 0.5, 1.0, 30.0, 300.0) for b in (1e-2, 0.5, 1.0, 30.0, 300.0)])
    cases = [
        beta_case("random", log_uniform(rng, 0.1, 50, n), log_uniform(rng, 0.1, 50, n), rng.uniform(0.05, 0.95, n)),
        beta_case("random with mode", log_uniform(rng, 1.1, 50, 8), log_uniform(rng, 1.1, 50, 8), rng.uniform(0.05, 0.95, 8)),
        beta_case("extreme concentrations 1e-2 … 300", ext[:, 0], ext[:, 1], np.full(len(ext), 0.5)),
    ]
    kl = [beta_kl_case("random", log_uniform(rng, 0.2, 30, n), log_uniform(rng, 0.2, 30, n), log_uniform(rng, 0.2, 30, n), log_uniform(rng, 0.2, 30, n))]
    return {**header("Beta"), "cases": cases, "kl": kl}


# -------------------------------------------------------------------------------------------- Dirichlet
def dir_logpdf(alpha, x):
    return np.array([stats.dirichlet.logpdf(xi, ai) for ai, xi in zip(alpha, x)])


def dir_entropy(alpha):
    return np.array([stats.dirichlet.entropy(ai) for ai in alpha])


def dir_kl(alpha, beta):
    a0 = alpha.sum(-1, keepdims=True)
    return (special.gammaln(a0[..., 0]) - special.gammaln(alpha).sum(-1) - special.gammaln(beta.sum(-1)) + special.gammaln(beta).sum(-1)
            + np.sum((alpha - beta) * (special.digamma(alpha) - special.digamma(a0)), -1))


def dirichlet_case(name, alpha, rng) -> dict:
    alpha = f32(alpha)
    g = rng.gamma(alpha)
    x = g / g.sum(-1, keepdims=True)
    x = np.clip(x, 1e-6, None)
    x = x / x.sum(-1, keepdims=True)
    x = f32(x)
    # SciPy requires the float32 point to sum to 1 within its tolerance; the library takes x as given.
    x[:, -1] = 1 - x[:, :-1].sum(-1)
    args = {"alpha": alpha, "x": x}
    total = alpha.sum(-1, keepdims=True)
    return {
        "name": name,
        "params": {"concentration": as_list(alpha)},
        "x": as_list(x),
        "logProb": as_list(dir_logpdf(**args)),
        "entropy": as_list(dir_entropy(alpha)),
        "mean": as_list(alpha / total),
        "variance": as_list(alpha * (total - alpha) / (total**2 * (total + 1))),
        "grad": {
            "logProb": {"concentration": as_list(fd_grad(dir_logpdf, args, "alpha", 1e-4 * alpha))},
            "entropy": {"concentration": as_list(fd_grad(dir_entropy, {"alpha": alpha}, "alpha", 1e-4 * alpha))},
        },
    }


def dirichlet_fixtures(rng) -> dict:
    cases = [
        dirichlet_case("random K = 4", log_uniform(rng, 0.2, 20, (8, 4)), rng),
        dirichlet_case("extreme concentrations", np.array([[1e-2, 1.0, 300.0], [0.5, 0.5, 0.5], [50.0, 60.0, 70.0]]), rng),
    ]
    a, b = f32(log_uniform(rng, 0.2, 20, (8, 3))), f32(log_uniform(rng, 0.2, 20, (8, 3)))
    kl = [{
        "name": "random K = 3",
        "p": {"concentration": as_list(a)},
        "q": {"concentration": as_list(b)},
        "kl": as_list(dir_kl(a, b)),
        "grad": {"p.concentration": as_list(fd_grad(dir_kl, {"alpha": a, "beta": b}, "alpha", 1e-4 * a)),
                 "q.concentration": as_list(fd_grad(dir_kl, {"alpha": a, "beta": b}, "beta", 1e-4 * b))},
    }]
    # The K = 2 Dirichlet is a Beta: both KL closed forms must agree.
    assert np.allclose(dir_kl(a[:, :2], b[:, :2]), beta_kl(a[:, 0], a[:, 1], b[:, 0], b[:, 1]), rtol=1e-12)
    return {**header("Dirichlet"), "cases": cases, "kl": kl}


GENERATORS = {"beta": beta_fixtures, "dirichlet": dirichlet_fixtures}
