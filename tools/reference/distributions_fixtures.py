#!/usr/bin/env python3
"""Reference fixtures for @trientropy/distributions, computed with SciPy/NumPy in float64.

Run from anywhere with Debian's interpreter and packages
(`apt-get install -y python3-scipy python3-numpy python3-mpmath`):

    /usr/bin/python3 tools/reference/distributions_fixtures.py

(`/usr/bin/python3` explicitly: a pyenv `python3` earlier on PATH has other SciPy versions.) Each family has its own
module, distributions_<family>.py, with a GENERATORS table; helpers are in distributions_common.py. SciPy has no
continuous Bernoulli, Kumaraswamy or Concrete distributions: those references are closed forms in mpmath (40
digits) or float64 NumPy, each checked against numerical integration inside the generator.

It writes one JSON file per distribution to packages/distributions/src/fixtures/. The TypeScript tests
(float32, tfjs cpu backend) compare against them. Everything is seeded, so a rerun reproduces the files
byte for byte with the same SciPy/NumPy versions (recorded in each file).

Conventions
- Every parameter and input value is rounded to float32 *before* the reference is computed, so the
  reference is the exact float64 answer for the float32 inputs the tests feed to tfjs: the tolerance
  then measures only the library's own error, not input rounding.
- Gradients are central finite differences in float64 of the SciPy reference (Richardson-extrapolated,
  error O(h^4)), of `sum(f)` with respect to each parameter element, i.e. exactly what `tf.grad` of the
  summed tfjs function returns. They are independent of any hand-derived derivative.
- Arrays are nested lists; a "batch" case holds many parameter sets evaluated element-wise.
"""
from __future__ import annotations

import json
import zlib

import numpy as np
from scipy import stats

from distributions_common import OUT, ROOT, SEED, as_list, f32, fd_grad, header

# ---------------------------------------------------------------------------------------------- Normal
def normal_logpdf(loc, scale, x):
    return stats.norm.logpdf(x, loc, scale)


def normal_entropy(loc, scale):
    return stats.norm.entropy(loc, scale) + 0 * loc


def kl_normal(loc_p, scale_p, loc_q, scale_q):
    # Closed form in float64; cross-checked below against numerical integration for a few pairs.
    return np.log(scale_q / scale_p) + (scale_p**2 + (loc_p - loc_q) ** 2) / (2 * scale_q**2) - 0.5


def normal_case(name: str, loc, scale, z) -> dict:
    loc, scale = f32(loc), f32(scale)
    x = f32(loc + scale * z)
    a = {"loc": loc, "scale": scale, "x": x}
    return {
        "name": name,
        "params": {"loc": as_list(loc), "scale": as_list(scale)},
        "x": as_list(x),
        "logProb": as_list(normal_logpdf(loc, scale, x)),
        "entropy": as_list(normal_entropy(loc, scale)),
        "mean": as_list(stats.norm.mean(loc, scale)),
        "variance": as_list(stats.norm.var(loc, scale)),
        "cdf": as_list(stats.norm.cdf(x, loc, scale)),
        "logCdf": as_list(stats.norm.logcdf(x, loc, scale)),
        "grad": {
            "logProb": {k: as_list(fd_grad(normal_logpdf, a, k, 1e-3 * scale)) for k in ("loc", "scale", "x")},
            "entropy": {"scale": as_list(fd_grad(normal_entropy, {"loc": loc, "scale": scale}, "scale", 1e-3 * scale))},
        },
    }


def normal_kl_case(name: str, loc_p, scale_p, loc_q, scale_q) -> dict:
    a = {"loc_p": f32(loc_p), "scale_p": f32(scale_p), "loc_q": f32(loc_q), "scale_q": f32(scale_q)}
    # KL is quadratic in the locations (so the Richardson difference is exact for any step), but may be
    # 1e15 in size: a location step on the scale of the widest of σ_p, σ_q keeps rounding negligible.
    loc_step = 1e-3 * np.maximum(a["scale_p"], a["scale_q"])
    steps = {"loc_p": loc_step, "scale_p": 1e-3 * a["scale_p"], "loc_q": loc_step, "scale_q": 1e-3 * a["scale_q"]}
    return {
        "name": name,
        "p": {"loc": as_list(a["loc_p"]), "scale": as_list(a["scale_p"])},
        "q": {"loc": as_list(a["loc_q"]), "scale": as_list(a["scale_q"])},
        "kl": as_list(kl_normal(**a)),
        "grad": {
            "p.loc": as_list(fd_grad(kl_normal, a, "loc_p", steps["loc_p"])),
            "p.scale": as_list(fd_grad(kl_normal, a, "scale_p", steps["scale_p"])),
            "q.loc": as_list(fd_grad(kl_normal, a, "loc_q", steps["loc_q"])),
            "q.scale": as_list(fd_grad(kl_normal, a, "scale_q", steps["scale_q"])),
        },
    }


def check_kl_normal_by_quadrature(rng: np.random.Generator) -> None:
    """The KL closed form must agree with direct numerical integration of p·log(p/q)."""
    from scipy import integrate

    for _ in range(5):
        lp, lq = rng.uniform(-2, 2, 2)
        sp, sq = np.exp(rng.uniform(-1, 1, 2))
        integrand = lambda t: stats.norm.pdf(t, lp, sp) * (stats.norm.logpdf(t, lp, sp) - stats.norm.logpdf(t, lq, sq))
        value, _ = integrate.quad(integrand, lp - 40 * sp, lp + 40 * sp, limit=200)
        closed = kl_normal(lp, sp, lq, sq)
        assert abs(value - closed) < 1e-9 * max(1.0, abs(closed)), (value, closed)


def normal_fixtures(rng: np.random.Generator) -> dict:
    check_kl_normal_by_quadrature(rng)
    n = 48
    random_case = normal_case(
        "random",
        rng.uniform(-10, 10, n),
        np.exp(rng.uniform(np.log(1e-2), np.log(1e2), n)),
        rng.uniform(-5, 5, n),
    )
    # Extreme-but-valid scales, each with locations far from 0 and points in both tails.
    grid = np.array([(s, l, z) for s in (1e-4, 1e4) for l in (0.0, 3.5, -1e3) for z in (-4.0, -0.25, 0.0, 3.0)])
    extreme_case = normal_case("extreme scales 1e-4 and 1e4", grid[:, 1], grid[:, 0], grid[:, 2])
    # Far lower tail: cdf is tiny (down to 1e-300 in float64, 0 in float32) but logCdf stays accurate.
    tail_z = -np.exp(rng.uniform(np.log(5), np.log(37), 16))
    tail_case = normal_case("lower tail (logCdf only)", rng.uniform(-1, 1, 16), np.exp(rng.uniform(-1, 1, 16)), tail_z)
    tail_case["cdf"] = None  # below float32's smallest normal number for most entries; see logCdf

    kl_random = normal_kl_case(
        "random",
        rng.uniform(-5, 5, n),
        np.exp(rng.uniform(np.log(1e-2), np.log(1e2), n)),
        rng.uniform(-5, 5, n),
        np.exp(rng.uniform(np.log(1e-2), np.log(1e2), n)),
    )
    pairs = np.array([(sp, sq, dl) for sp in (1e-4, 1.0, 1e4) for sq in (1e-4, 1.0, 1e4) for dl in (0.0, 1e-3, 2.5)])
    kl_extreme = normal_kl_case("extreme scales", np.full(len(pairs), 0.5), pairs[:, 0], 0.5 + pairs[:, 2], pairs[:, 1])
    return {**header("Normal"), "cases": [random_case, extreme_case, tail_case], "kl": [kl_random, kl_extreme]}


GENERATORS = {
    "normal": normal_fixtures,
}
# Every other family lives in its own module (distributions_<family>.py) with its own GENERATORS table.
for module_name in ("distributions_special", "distributions_bernoulli", "distributions_joint", "distributions_univariate", "distributions_gamma", "distributions_simplex", "distributions_mixture", "distributions_relaxed", "distributions_low_rank", "distributions_support"):
    GENERATORS.update(__import__(module_name).GENERATORS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, generate in GENERATORS.items():
        # One independent stream per distribution (keyed by its name), so adding or reordering
        # distributions never changes another's file.
        rng = np.random.default_rng([SEED, zlib.crc32(name.encode())])
        data = generate(rng)
        path = OUT / f"{name}.json"
        # allow_nan=False: JSON.parse cannot read NaN/Infinity, and no fixture may contain them.
        path.write_text(json.dumps(data, indent=None, separators=(",", ":"), allow_nan=False) + "\n")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
