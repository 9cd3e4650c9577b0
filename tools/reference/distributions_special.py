"""Reference values of the special functions in packages/distributions/src/special/ (float64 SciPy, and
mpmath at 40 digits for the continuous-Bernoulli log-normaliser). Run through distributions_fixtures.py."""
from __future__ import annotations

import mpmath
import numpy as np
from scipy import special

from distributions_common import as_list, f32, header

mpmath.mp.dps = 40


def log_uniform(rng: np.random.Generator, low: float, high: float, n: int) -> np.ndarray:
    return np.exp(rng.uniform(np.log(low), np.log(high), n))


FLOAT32_MAX = float(np.finfo(np.float32).max)


def entry(x, value, grad) -> dict:
    """Points whose value and derivative both fit in float32 (tests compare finite numbers only)."""
    x, value, grad = (np.asarray(a, dtype=np.float64) for a in (x, value, grad))
    keep = (np.abs(value) < FLOAT32_MAX / 2) & (np.abs(grad) < FLOAT32_MAX / 2)
    return {"x": as_list(x[keep]), "value": as_list(value[keep]), "grad": as_list(grad[keep])}


def cb_log_normalizer(eta: float) -> mpmath.mpf:
    """log C(η), C(η) = η / tanh(η/2) (= 2 at η = 0): the continuous Bernoulli's normaliser in logits."""
    eta = mpmath.mpf(eta)
    if eta == 0:
        return mpmath.log(2)
    return mpmath.log(eta / mpmath.tanh(eta / 2))


def special_fixtures(rng: np.random.Generator) -> dict:
    # Points where the float32 evaluation is hardest: the zeros of lnΓ (1, 2), the root of ψ (1.4616…),
    # the branch boundaries (0.5, 1.5, 2.5, 7.5), tiny and huge arguments.
    gamma_special = f32([1e-30, 1e-10, 1e-6, 0.5, 1 - 2**-20, 1, 1 + 2**-20, 1.4616321449683622, 1.5, 2 - 2**-20, 2,
                         2 + 2**-20, 2.5, 3.5, 7.4999995, 7.5, 8.0, 12.25, 1e6, 1e30])
    gamma_x = np.concatenate([f32(log_uniform(rng, 1e-6, 1e4, 40)), gamma_special])
    # Relative accuracy near the zeros of lnΓ, where no absolute floor would hide an error.
    near_zeros = f32([1 - 2**-12, 1 - 2**-18, 1 + 2**-16, 1 + 2**-10, 2 - 2**-14, 2 - 2**-22, 2 + 2**-19, 2 + 2**-8])
    # Gradient checks on a moderate range (a relative gradient floor would otherwise be set by x = 1e-30).
    grad_x = f32(log_uniform(rng, 1e-2, 1e3, 24))
    # trigamma's derivative is automatic differentiation of 1/x² terms, whose intermediate x⁴ underflows
    # float32 below x ≈ 1e-9: the documented range of d trigamma/dx starts at 1e-6.
    trigamma_x = gamma_x[gamma_x >= 1e-6]

    softplus_x = f32(np.concatenate([rng.uniform(-100, 100, 24), rng.uniform(-20, 20, 24),
                                     [-80, -30, -10, -1e-3, 0, 1e-8, 13.5, 14.5, 30, 88, 100, 1e4]]))
    positive_y = f32(np.concatenate([log_uniform(rng, 1e-6, 100, 32), [1e-30, 1e-10, 1e-3, 0.5, np.log(2), 0.7, 1, 20, 88, 100, 1e4]]))
    eta = f32(np.concatenate([rng.uniform(-30, 30, 24), rng.uniform(-1, 1, 12), rng.uniform(-1e-3, 1e-3, 6),
                              [0, 1e-7, -1e-7, 0.0999, 0.1, 0.1001, -0.1, 1, -1, 13.8155, -13.8155, 80, -80]]))
    cb_value = np.array([float(cb_log_normalizer(e)) for e in eta])
    cb_grad = np.array([float(mpmath.diff(cb_log_normalizer, mpmath.mpf(e))) for e in eta])

    lse_rows = f32(np.concatenate([rng.normal(0, 10, (6, 5)), rng.normal(0, 1, (3, 5)) + np.array([[1e3], [-1e3], [0]]),
                                   [[-1e30, 0, -1e30, -1e30, -1e30], [3, 3, 3, 3, 3]]]))
    lse_value = special.logsumexp(lse_rows, axis=1)
    lse_grad = special.softmax(lse_rows, axis=1)

    return {
        **header("special functions"),
        "lgamma": entry(gamma_x, special.gammaln(gamma_x), special.digamma(gamma_x)),
        "lgammaNearZeros": entry(near_zeros, special.gammaln(near_zeros), special.digamma(near_zeros)),
        "digamma": entry(gamma_x, special.digamma(gamma_x), special.polygamma(1, gamma_x)),
        "trigamma": entry(trigamma_x, special.polygamma(1, trigamma_x), special.polygamma(2, trigamma_x)),
        "gammaGradients": {
            "x": as_list(grad_x),
            "digamma": as_list(special.digamma(grad_x)),
            "trigamma": as_list(special.polygamma(1, grad_x)),
            "tetragamma": as_list(special.polygamma(2, grad_x)),
        },
        "softplus": entry(softplus_x, np.logaddexp(0, softplus_x), special.expit(softplus_x)),
        "softplusInverse": entry(positive_y, positive_y + np.log(-np.expm1(-positive_y)), 1 / -np.expm1(-positive_y)),
        "log1mexp": entry(positive_y, np.log(-np.expm1(-positive_y)), 1 / np.expm1(np.minimum(positive_y, 700))),
        "continuousBernoulliLogNormalizer": entry(eta, cb_value, cb_grad),
        "logSumExp": {"x": as_list(lse_rows), "value": as_list(lse_value), "grad": as_list(lse_grad)},
    }


GENERATORS = {"special": special_fixtures}
