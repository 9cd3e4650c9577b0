"""Helpers shared by the fixture generators of @trientropy/distributions (see distributions_fixtures.py)."""
from __future__ import annotations

import pathlib
import sys

import numpy as np
import scipy

SEED = 20261125
ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "packages" / "distributions" / "src" / "fixtures"


def f32(a) -> np.ndarray:
    """Rounds to float32 and back to float64: values the float32 tests can represent exactly."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def fd_grad(f, args: dict, name: str, step) -> np.ndarray:
    """d sum(f(**args)) / d args[name], element by element, by Richardson-extrapolated central differences.

    `step` (array broadcastable to args[name]) is the base step per element; it should be about 1e-3 of
    the scale on which f varies in that argument.
    """
    base = np.asarray(args[name], dtype=np.float64)
    steps = np.broadcast_to(np.asarray(step, dtype=np.float64), base.shape)
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        def central(h: float) -> float:
            up, down = base.copy(), base.copy()
            up[idx] += h
            down[idx] -= h
            # Sum of differences, not difference of sums: other batch members (unchanged by this
            # element) may be 1e15 times larger, and would swamp the difference in rounding error.
            return np.sum(f(**{**args, name: up}) - f(**{**args, name: down})) / (2 * h)
        h = float(steps[idx])
        grad[idx] = (4 * central(h / 2) - central(h)) / 3
    return grad


def as_list(a) -> list:
    return np.asarray(a, dtype=np.float64).tolist()


def header(distribution: str) -> dict:
    return {
        "generator": "tools/reference/distributions_fixtures.py",
        "seed": SEED,
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "distribution": distribution,
    }
