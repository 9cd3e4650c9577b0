#!/usr/bin/env python3
"""Reference fixtures for @trientropy/models: probabilistic PCA and the linear VAE, in float64.

Run from anywhere (Debian: `apt-get install -y python3-scipy python3-numpy`):

    python3 tools/reference/models_ppca.py

It writes packages/models/src/fixtures/ppca.json. Everything is seeded; inputs are rounded to float32 before
the reference is computed, so the references are exact for what the float32 tests feed to tfjs.

Contents
- `spec`: the 6-point D = 3 data set of spec §6.1.1 with the pPCA maximum-likelihood solution for H = 1, 2
  (eigenvalues, σ²_ML, ℓ_ML from the closed form and, independently, from scipy's multivariate normal).
  W is only defined up to a rotation, so W Wᵀ is stored.
- `random`: N = 40, D = 5 Gaussian data with a random covariance; its ML solution for H = 2; the
  log-likelihood of random pPCA parameters (scipy.stats.multivariate_normal); and the exact linear-VAE ELBO
  (spec §1.5) with its parts and the entropy sum at random linear-VAE parameters.
"""
from __future__ import annotations

import json
import pathlib

import numpy as np
import scipy
from scipy import stats

SEED = 20261125
ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "packages" / "models" / "src" / "fixtures"
LOG_2PI_E = np.log(2 * np.pi) + 1


def f32(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def ppca_ml(x: np.ndarray, h: int) -> dict:
    n, d = x.shape
    mean = x.mean(0)
    s = (x - mean).T @ (x - mean) / n
    lam, u = np.linalg.eigh(s)
    order = np.argsort(lam)[::-1]
    lam, u = lam[order], u[:, order]
    sigma2 = lam[h:].sum() / (d - h)
    w = u[:, :h] * np.sqrt(lam[:h] - sigma2)
    ll_closed = -0.5 * (d * LOG_2PI_E + np.log(lam[:h]).sum() + (d - h) * np.log(sigma2))
    ll_scipy = stats.multivariate_normal(mean, w @ w.T + sigma2 * np.eye(d)).logpdf(x).mean()
    assert abs(ll_closed - ll_scipy) < 1e-10, (ll_closed, ll_scipy)
    return {
        "latentDim": h,
        "eigenvalues": lam.tolist(),
        "mean": mean.tolist(),
        "noiseVariance": float(sigma2),
        "weightGram": (w @ w.T).tolist(),
        "logLikelihood": float(ll_closed),
        "logLikelihoodScipy": float(ll_scipy),
    }


def linear_vae_elbo(x, v, c, log_tau2, w, b, log_sigma2) -> dict:
    """Exact ELBO of spec §1.5 and the entropy sum S_lin, per data point."""
    d = x.shape[1]
    sigma2 = np.exp(log_sigma2)
    tau2 = np.exp(log_tau2)
    nu = x @ v.T + c
    r = (((x - nu @ w.T - b) ** 2).sum(1)).mean() + (tau2 * (w**2).sum(0)).sum()
    ell = -0.5 * d * np.log(2 * np.pi * sigma2) - r / (2 * sigma2)
    kl = (0.5 * (nu**2 + tau2 - 1 - log_tau2)).sum(1).mean()
    m = (nu**2).mean(0) + tau2
    entropy_sum = 0.5 * log_tau2.sum() - 0.5 * d * np.log(2 * np.e * np.pi * sigma2)
    return {
        "elbo": float(ell - kl),
        "expectedLogLikelihood": float(ell),
        "kl": float(kl),
        "squaredError": float(r),
        "secondMoments": m.tolist(),
        "entropySum": float(entropy_sum),
        # Spec §6.2: F − S = (D/2)(1 − R/(Dσ²)) − ½ Σ (m_h − 1), exact for the linear VAE.
        "gap": float(0.5 * d * (1 - r / (d * sigma2)) - 0.5 * (m - 1).sum()),
    }


def main() -> None:
    rng = np.random.default_rng(SEED)
    spec_rows = f32(np.array([[1, 0, 0], [-1, 0, 0], [0, 2, 1], [0, -2, -1], [0.5, 0.5, -0.5], [-0.5, -0.5, 0.5]]) + [1, 2, 3])
    spec = {"data": spec_rows.tolist(), "solutions": [ppca_ml(spec_rows, h) for h in (1, 2)]}

    d, n, h = 5, 40, 2
    a = rng.normal(size=(d, d))
    x = f32(rng.normal(size=(n, d)) @ a.T * 0.7 + rng.normal(size=d))
    params = {"weight": f32(rng.normal(size=(d, h))), "mean": f32(rng.normal(size=d)), "noiseVariance": float(f32(0.37))}
    c_matrix = params["weight"] @ params["weight"].T + params["noiseVariance"] * np.eye(d)
    ll = stats.multivariate_normal(params["mean"], c_matrix).logpdf(x).mean()
    vae = {
        "encoderWeight": f32(rng.normal(size=(h, d)) * 0.5),
        "encoderBias": f32(rng.normal(size=h) * 0.3),
        "encoderLogVariance": f32(rng.normal(size=h) * 0.5 - 0.4),
        "weight": f32(rng.normal(size=(d, h))),
        "mean": f32(rng.normal(size=d)),
        "logNoiseVariance": float(f32(0.3)),
    }
    exact = linear_vae_elbo(x, vae["encoderWeight"], vae["encoderBias"], vae["encoderLogVariance"], vae["weight"], vae["mean"], vae["logNoiseVariance"])
    random = {
        "data": x.tolist(),
        "solution": ppca_ml(x, h),
        "parameters": {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in params.items()},
        "logLikelihood": float(ll),
        "linearVae": {"parameters": {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in vae.items()}, **exact},
    }
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {"generator": "tools/reference/models_ppca.py", "numpy": np.__version__, "scipy": scipy.__version__, "seed": SEED, "spec": spec, "random": random}
    (OUT / "ppca.json").write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT / 'ppca.json'}")


if __name__ == "__main__":
    main()
