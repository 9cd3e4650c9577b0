#!/usr/bin/env python3
"""Reference moments of the paper's synthetic generators (spec §4.1-4.2) for @trientropy/data's
Monte-Carlo tests.

For every generator and output column this computes, by quadrature over the generator's parameters
(scipy.integrate.quad for uniform parameters, Gauss-Hermite for normal ones, float64), the mean, the
variance and the fourth central moment of the *noisy* output, with the defaults of the paper
(noise 0.05 for the toy sets, no noise for manifold(k, D)). The tests then check that the sample mean
and variance of a seeded draw lie within 5 standard errors of these values.

Run:  python3 tools/reference/data_generator_moments.py
Writes packages/data/src/synthetic/fixtures/generator-moments.json (committed with this script).
Needs Debian's python3-numpy and python3-scipy.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import integrate, stats

NOISE = 0.05
HERMITE_NODES, HERMITE_WEIGHTS = np.polynomial.hermite_e.hermegauss(80)
HERMITE_WEIGHTS = HERMITE_WEIGHTS / HERMITE_WEIGHTS.sum()  # expectation over N(0, 1)


def uniform_moments(f, lo, hi):
    """Mean, variance and 4th central moment of f(t), t ~ U[lo, hi)."""
    width = hi - lo
    mean = integrate.quad(lambda t: f(t), lo, hi, limit=400, epsabs=1e-11, epsrel=1e-11)[0] / width
    var = integrate.quad(lambda t: (f(t) - mean) ** 2, lo, hi, limit=400, epsabs=1e-11, epsrel=1e-11)[0] / width
    m4 = integrate.quad(lambda t: (f(t) - mean) ** 4, lo, hi, limit=400, epsabs=1e-11, epsrel=1e-11)[0] / width
    return mean, var, m4


def add_noise(moments, std):
    """Moments of f + e with e ~ N(0, std^2) independent of f."""
    mean, var, m4 = moments
    s2 = std * std
    return {"mean": mean, "variance": var + s2, "fourthCentral": m4 + 6 * var * s2 + 3 * s2 * s2}


def normal_expectation(g, mean, std):
    return float(np.sum(HERMITE_WEIGHTS * g(mean + std * HERMITE_NODES)))


def columns_of_uniform_curve(components, lo, hi, noise):
    return [add_noise(uniform_moments(c, lo, hi), noise) for c in components]


def circle():
    # angle a ~ U[0, 2pi), radius r ~ N(1, noise^2); x = r cos a, y = r sin a (noise only in r).
    out = []
    for trig in (math.cos, math.sin):
        er = [normal_expectation(lambda r, k=k: r ** k, 1.0, NOISE) for k in range(5)]
        ec = [integrate.quad(lambda a, k=k: trig(a) ** k, 0, 2 * math.pi, limit=400)[0] / (2 * math.pi) for k in range(5)]
        raw = [er[k] * ec[k] for k in range(5)]  # E[x^k], r and a independent
        mean = raw[1]
        var = raw[2] - mean ** 2
        m4 = raw[4] - 4 * mean * raw[3] + 6 * mean ** 2 * raw[2] - 3 * mean ** 4
        out.append({"mean": mean, "variance": var, "fourthCentral": m4})
    return out


def eight_gaussians():
    r = 0.4
    rs = math.sqrt(r * r / 2)
    centres = np.array([[0, r], [0, -r], [r, 0], [-r, 0], [rs, rs], [-rs, -rs], [-rs, rs], [rs, -rs]]) + 1.0
    out = []
    for c in range(2):
        v = centres[:, c]
        mean = v.mean()
        var = ((v - mean) ** 2).mean()
        m4 = ((v - mean) ** 4).mean()
        out.append(add_noise((mean, var, m4), NOISE))
    return out


def manifold():
    scale = 0.35
    base_mean, base_std = -scale / 2, scale
    base = {"mean": base_mean, "variance": base_std ** 2, "fourthCentral": 3 * base_std ** 4}

    def moments_2d(g):
        a = base_mean + base_std * HERMITE_NODES
        grid = g(a[:, None], a[None, :])
        w = HERMITE_WEIGHTS[:, None] * HERMITE_WEIGHTS[None, :]
        mean = float(np.sum(w * grid))
        var = float(np.sum(w * (grid - mean) ** 2))
        m4 = float(np.sum(w * (grid - mean) ** 4))
        return {"mean": mean, "variance": var, "fourthCentral": m4}

    def moments_1d(g):
        mean = normal_expectation(g, base_mean, base_std)
        var = normal_expectation(lambda a: (g(a) - mean) ** 2, base_mean, base_std)
        m4 = normal_expectation(lambda a: (g(a) - mean) ** 4, base_mean, base_std)
        return {"mean": mean, "variance": var, "fourthCentral": m4}

    return {
        "base": base,
        "extraDistinctPair": moments_2d(lambda a, b: scale * np.cos(a * a + b * b)),
        "extraSamePair": moments_1d(lambda a: scale * np.cos(2 * a * a)),
    }


def main():
    pi = math.pi
    chi2 = stats.chi(2)
    fixture = {
        "generatedBy": "tools/reference/data_generator_moments.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "noiseStd": NOISE,
        "columns": {
            "circle": circle(),
            "8gauss": eight_gaussians(),
            "cosine": columns_of_uniform_curve([lambda t: t, lambda t: math.cos(t) + 1], 0, 3 * pi, NOISE),
            "eight": columns_of_uniform_curve([lambda t: math.cos(t) / 2, lambda t: math.sin(t) * math.cos(t) / 2], -pi / 2, 2 * pi, NOISE),
            "line": columns_of_uniform_curve([lambda t: t, lambda t: 1.5 * t + 2], 0, 3, NOISE),
            "1dgauss": [add_noise((3.0, 0.0, 0.0), NOISE)],
            # swiss roll: t = 1.5 pi (1 + 2u), u ~ U[0,1) i.e. t ~ U[1.5pi, 4.5pi); height 21 v, v ~ U[0,1).
            "swiss-roll": [
                add_noise(uniform_moments(lambda t: t * math.cos(t), 1.5 * pi, 4.5 * pi), NOISE),
                add_noise(uniform_moments(lambda v: 21 * v, 0, 1), NOISE),
                add_noise(uniform_moments(lambda t: t * math.sin(t), 1.5 * pi, 4.5 * pi), NOISE),
            ],
            "spiral-3d": columns_of_uniform_curve(
                [
                    lambda t: 2.5 * math.sin(2 * pi * t) - 3 * t + 1.5,
                    lambda t: 2.5 * math.cos(2 * pi * t) + 1.5,
                    lambda t: 3 * t + 2.5 * math.sin(2 * pi * t) + 1.5,
                ],
                0,
                1,
                NOISE,
            ),
        },
        "manifold": manifold(),
        # PCA-ring: z = g/10 + g/|g|, g ~ N(0, I_2), so |z| = 1 + |g|/10 with |g| ~ chi(2).
        "pcaRingLatentNorm": {"mean": 1 + chi2.mean() / 10, "variance": chi2.var() / 100},
    }
    path = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "data", "src", "synthetic", "fixtures", "generator-moments.json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=2)
        f.write("\n")
    print(f"wrote {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
