#!/usr/bin/env python3
"""Reference fixtures of the von Mises–Fisher distribution and the log-Bessel functions it needs (mpmath, 40 digits).

Run with Debian's interpreter (python3-scipy 1.10, python3-numpy, python3-mpmath):

    /usr/bin/python3 tools/reference/distributions_vmf.py

It writes packages/distributions/src/fixtures/von_mises_fisher.json. SciPy 1.10 has no `stats.vonmises_fisher`
(added in 1.11), so logpdf, entropy and mean come from the closed forms, evaluated in mpmath:

    log C_p(κ) = (p/2 − 1) log κ − (p/2) log 2π − log I_{p/2−1}(κ)
    log p(x)   = κ μᵀx + log C_p(κ), written −½κ‖x − μ‖² + κ + log C_p(κ) (equal for unit x, μ; see below)
    H          = −log C_p(κ) − κ A_p(κ),   A_p(κ) = I_{p/2}(κ)/I_{p/2−1}(κ),   E[x] = A_p(κ) μ
    Var[x_i]   = (A/κ)(1 − μ_i²) + A'(κ) μ_i²,   A' = 1 − A² − (p − 1)A/κ

Inputs are float32-exact, and float32 vectors are never exactly unit; the library (and this reference) use
κμᵀx − κ = −½κ‖x − μ‖², which is what the formula means on the sphere and is accurate for x near μ. The
closed forms are checked inside this script against numerical integration over w = μᵀx (p = 3 and 10) and
log I against scipy.special.ive where it does not under/overflow. Gradients (w.r.t. κ) by mpmath.diff.
"""
from __future__ import annotations

import json

import mpmath as mp
import numpy as np
from scipy import special

from distributions_common import OUT, SEED, as_list, f32, header

mp.mp.dps = 40


def log_ive(nu, x):
    nu, x = mp.mpf(nu), mp.mpf(x)
    return mp.log(mp.besseli(nu, x)) - x


def ratio(nu, x):
    nu, x = mp.mpf(nu), mp.mpf(x)
    return mp.besseli(nu + 1, x) / mp.besseli(nu, x)


def log_c(p, k):
    k = mp.mpf(k)
    nu = mp.mpf(p) / 2 - 1
    return nu * mp.log(k) - mp.mpf(p) / 2 * mp.log(2 * mp.pi) - (log_ive(nu, k) + k)


def log_prob(p, k, mu, x):
    k = mp.mpf(k)
    sq = mp.fsum((mp.mpf(a) - mp.mpf(b)) ** 2 for a, b in zip(x, mu))
    return -k * sq / 2 + k + log_c(p, k)


def entropy(p, k):
    k = mp.mpf(k)
    return -log_c(p, k) - k * ratio(mp.mpf(p) / 2 - 1, k)


def ratio_derivative(p, k):
    k = mp.mpf(k)
    a = ratio(mp.mpf(p) / 2 - 1, k)
    return 1 - a * a - (p - 1) * a / k


def check_by_quadrature(p, k):
    """Entropy and mean resultant length from the density of w = μᵀx, by numerical integration."""
    k = mp.mpf(k)
    log_area = mp.log(2) + mp.mpf(p - 1) / 2 * mp.log(mp.pi) - mp.loggamma(mp.mpf(p - 1) / 2)  # |S^{p−2}|
    lc = log_c(p, k)
    dens = lambda w: mp.exp(lc + log_area + k * w + mp.mpf(p - 3) / 2 * mp.log(1 - w * w))
    total = mp.quad(dens, [-1, 0, 1 - 10 / k if k > 20 else 0.5, 1])
    h = -mp.quad(lambda w: dens(w) * (lc + k * w), [-1, 0, 1 - 10 / k if k > 20 else 0.5, 1])
    m = mp.quad(lambda w: dens(w) * w, [-1, 0, 1 - 10 / k if k > 20 else 0.5, 1])
    assert abs(total - 1) < 1e-20, (p, k, total)
    assert abs(h - entropy(p, k)) < 1e-20 * max(1, abs(h)), (p, k, h, entropy(p, k))
    assert abs(m - ratio(mp.mpf(p) / 2 - 1, k)) < 1e-20, (p, k)


ORDERS = [0, 0.3, 0.5, 1, 2.5, 7.7, 14.5, 15, 15.5, 31, 49, 124, 499]
ARGS = [1e-3, 0.1, 0.5, 1, 3, 9.9, 10.1, 30, 100, 500, 2000, 1e4]


def bessel_cases() -> list:
    cases = []
    for nu in ORDERS:
        x = f32(ARGS)
        lv = [log_ive(nu, v) for v in x]
        for v, l in zip(x, lv):  # SciPy's ive agrees wherever it is representable
            s = special.ive(nu, v)
            if 1e-300 < s < 1e300:
                assert abs(np.log(s) - float(l)) < 1e-12 * max(1, abs(float(l))), (nu, v)
        cases.append({
            "order": nu,
            "x": as_list(x),
            "logIve": [float(v) for v in lv],
            "ratio": [float(ratio(nu, v)) for v in x],
            "oneMinusRatio": [float(1 - ratio(nu, v)) for v in x],
            "dLogIve": [float(mp.diff(lambda t: log_ive(nu, t), mp.mpf(v))) for v in x],
            "dRatio": [float(mp.diff(lambda t: ratio(nu, t), mp.mpf(v))) for v in x],
        })
    return cases


KAPPAS = [1e-3, 0.5, 3, 10, 80, 500, 1e4]


def vmf_case(rng, p: int) -> dict:
    n = len(KAPPAS)
    k = f32(KAPPAS)
    mu = rng.standard_normal((n, p))
    mu = f32(mu / np.linalg.norm(mu, axis=1, keepdims=True))
    x = mu + rng.standard_normal((n, p)) / np.sqrt(k[:, None] + 1)
    x = f32(x / np.linalg.norm(x, axis=1, keepdims=True))
    lp = [log_prob(p, k[i], mu[i], x[i]) for i in range(n)]
    a = [ratio(mp.mpf(p) / 2 - 1, k[i]) for i in range(n)]
    da = [ratio_derivative(p, k[i]) for i in range(n)]
    return {
        "name": f"p = {p}",
        "params": {"loc": as_list(mu), "concentration": as_list(k)},
        "x": as_list(x),
        "logProb": [float(v) for v in lp],
        "entropy": [float(entropy(p, k[i])) for i in range(n)],
        "mean": [[float(a[i] * mp.mpf(m)) for m in mu[i]] for i in range(n)],
        "variance": [[float(a[i] / k[i] * (1 - mp.mpf(m) ** 2) + da[i] * mp.mpf(m) ** 2) for m in mu[i]] for i in range(n)],
        "mode": as_list(mu),
        "grad": {
            "logProb": {"concentration": [float(mp.diff(lambda t: log_prob(p, t, mu[i], x[i]), mp.mpf(k[i]))) for i in range(n)]},
            "entropy": {"concentration": [float(mp.diff(lambda t: entropy(p, t), mp.mpf(k[i]))) for i in range(n)]},
        },
    }


def log_sphere_area(p):
    """log |S^{p−1}| = log 2 + (p/2) log π − lnΓ(p/2)."""
    return mp.log(2) + mp.mpf(p) / 2 * mp.log(mp.pi) - mp.loggamma(mp.mpf(p) / 2)


def kl_uniform(p, k):
    """KL(vMF ‖ uniform on S^{p−1}) = log C_p(κ) + κA_p(κ) + log |S^{p−1}| (= log|S| − H)."""
    k = mp.mpf(k)
    return log_c(p, k) + k * ratio(mp.mpf(p) / 2 - 1, k) + log_sphere_area(p)


KL_KAPPAS = [1e-3, 0.1, 0.9, 1.1, 10, 500, 1e4]


def kl_cases() -> list:
    cases = []
    for p in [2, 3, 10, 64, 1000]:
        k = f32(KL_KAPPAS)
        cases.append({"p": p, "concentration": as_list(k), "kl": [float(kl_uniform(p, v)) for v in k],
                      "grad": [float(mp.diff(lambda t: kl_uniform(p, t), mp.mpf(v))) for v in k]})
    # Small-κ check of the closed form: KL ≈ κ²/(2p) (leading term of κA − log S).
    assert abs(kl_uniform(3, 1e-3) / (mp.mpf(1e-3) ** 2 / 6) - 1) < 1e-5
    return cases


def main() -> None:
    rng = np.random.default_rng(SEED + 7)
    for p, k in [(3, 0.5), (3, 50), (10, 2), (10, 400)]:
        check_by_quadrature(p, k)
    fixture = {**header("VonMisesFisher"), "generator": "tools/reference/distributions_vmf.py", "mpmathDps": mp.mp.dps,
               "bessel": bessel_cases(), "cases": [vmf_case(rng, p) for p in [2, 3, 5, 10, 64, 1000]],
               "logSphereArea": {str(p): float(log_sphere_area(p)) for p in [2, 3, 10, 1000]}, "klUniform": kl_cases()}
    path = OUT / "von_mises_fisher.json"
    path.write_text(json.dumps(fixture) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
