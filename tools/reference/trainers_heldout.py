#!/usr/bin/env python3
"""Reference fixture for the held-out estimators of @trientropy/trainers (monteCarloElbo, iwaeBound), float64.

Run from anywhere (Debian: `apt-get install -y python3-scipy python3-numpy`):

    python3 tools/reference/trainers_heldout.py

It writes packages/trainers/src/heldout/fixtures/linear-heldout.json: a linear VAE (spec §1.5) with random
parameters (D = 4, H = 2, so its encoder is *not* the exact posterior), 8 data points, and per point
- `logLikelihood`: log p(x_n) = log N(x_n; b, W Wᵀ + σ² I) from scipy.stats.multivariate_normal;
- `elbo`: the exact ELBO, E_q log N(x_n; W z + b, σ² I) − KL(N(ν_n, diag τ²) ‖ N(0, I)), in closed form
  (spec §1.5), cross-checked here against a 400 000-sample Monte-Carlo average.
Inputs are rounded to float32 before the reference is computed, so they are exact for the float32 tests.
"""
from __future__ import annotations

import json
import pathlib

import numpy as np
from scipy import stats

SEED = 20261125
ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "packages" / "trainers" / "src" / "heldout" / "fixtures" / "linear-heldout.json"


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def main() -> None:
    rng = np.random.default_rng(SEED)
    d, h, n = 4, 2, 8
    w = f32(rng.normal(size=(d, h)))
    b = f32(rng.normal(size=d))
    sigma2 = float(np.float32(0.3))
    v = f32(0.5 * rng.normal(size=(h, d)))
    c = f32(0.1 * rng.normal(size=h))
    log_tau2 = f32(rng.normal(-1.0, 0.3, size=h))
    x = f32(rng.normal(size=(n, d)) @ np.diag([2.0, 1.5, 1.0, 0.5]) + b)

    cov = w @ w.T + sigma2 * np.eye(d)
    log_likelihood = stats.multivariate_normal(mean=b, cov=cov).logpdf(x)

    nu = x @ v.T + c
    tau2 = np.exp(log_tau2)
    residual = x - nu @ w.T - b
    expected_ll = -0.5 * d * np.log(2 * np.pi * sigma2) - (np.sum(residual**2, 1) + np.sum(tau2 * np.sum(w**2, 0))) / (2 * sigma2)
    kl = 0.5 * np.sum(nu**2 + tau2 - 1 - log_tau2, 1)
    elbo = expected_ll - kl

    # Independent check of the closed form by Monte Carlo.
    z = nu[None] + np.sqrt(tau2) * rng.normal(size=(400_000, n, h))
    mc = stats.multivariate_normal(mean=np.zeros(d), cov=sigma2 * np.eye(d)).logpdf(x[None] - z @ w.T - b).mean(0) - kl
    assert np.max(np.abs(mc - elbo)) < 0.02, (mc, elbo)
    assert np.all(elbo < log_likelihood)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "generator": "tools/reference/trainers_heldout.py",
        "seed": SEED,
        "parameters": {
            "weight": w.tolist(), "mean": b.tolist(), "noiseVariance": sigma2,
            "encoderWeight": v.tolist(), "encoderBias": c.tolist(), "encoderLogVariance": log_tau2.tolist(),
        },
        "data": x.tolist(),
        "logLikelihood": log_likelihood.tolist(),
        "elbo": elbo.tolist(),
    }, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}: mean log p(x) {log_likelihood.mean():.6f}, mean ELBO {elbo.mean():.6f}")


if __name__ == "__main__":
    main()
