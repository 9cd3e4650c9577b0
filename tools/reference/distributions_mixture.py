"""Fixtures of MixtureSameFamily with Normal components (SciPy, float64). Run through distributions_fixtures.py."""
from __future__ import annotations

import numpy as np
from scipy import special, stats

from distributions_common import as_list, f32, fd_grad, header


def log_weights(logits):
    return logits - special.logsumexp(logits, axis=-1, keepdims=True)


def mixture_logpdf(logits, loc, scale, x):
    return special.logsumexp(log_weights(logits) + stats.norm.logpdf(x[:, None], loc, scale), axis=-1)


def mixture_case(name, logits, loc, scale, x) -> dict:
    logits, loc, scale, x = f32(logits), f32(loc), f32(scale), f32(x)
    w = np.exp(log_weights(logits))
    mean = np.sum(w * loc, -1)
    args = {"logits": logits, "loc": loc, "scale": scale, "x": x}
    return {
        "name": name,
        "params": {"logits": as_list(logits), "loc": as_list(loc), "scale": as_list(scale)},
        "x": as_list(x),
        "logProb": as_list(mixture_logpdf(**args)),
        "mean": as_list(mean),
        "variance": as_list(np.sum(w * (scale**2 + loc**2), -1) - mean**2),
        "cdf": as_list(np.sum(w * stats.norm.cdf(x[:, None], loc, scale), -1)),
        "grad": {"logProb": {k: as_list(fd_grad(mixture_logpdf, args, k, 1e-4 * (scale if k != "logits" else 1) if k != "x" else 1e-4 * scale.min(-1))) for k in ("logits", "loc", "scale", "x")}},
    }


def mixture_fixtures(rng) -> dict:
    b, k = 8, 3
    cases = [
        mixture_case("random", rng.normal(0, 1, (b, k)), rng.uniform(-5, 5, (b, k)), np.exp(rng.uniform(-2, 1, (b, k))), rng.uniform(-6, 6, b)),
        mixture_case("far tails and a dominant component", np.array([[0.0, -30.0, 30.0], [5.0, 0.0, 0.0]]), np.array([[0.0, 3.0, -3.0], [0.0, 1e3, -1e3]]),
                     np.array([[1e-2, 1.0, 1e2], [1.0, 1.0, 1.0]]), np.array([40.0, -1e3])),
    ]
    return {**header("MixtureSameFamily(Normal)"), "cases": cases, "kl": []}


GENERATORS = {"mixture_same_family": mixture_fixtures}
