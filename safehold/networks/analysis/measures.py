"""Comparing two divisions of the same entities into groups."""

from collections.abc import Sequence

import numpy as np


def normalised_mutual_information(a: Sequence, b: Sequence) -> float:
    """How far two labellings of the same items agree, from 0 (independent) to 1 (the same
    groups, whatever they are called): the mutual information of the two labellings divided by
    the mean of their entropies (natural logarithms; scikit-learn's default, "arithmetic").
    Two labellings that each put everything in one group agree completely (1)."""
    if len(a) != len(b):
        raise ValueError("the two labellings are of different numbers of items")
    if not len(a):
        return 1.0
    _, x = np.unique(np.asarray(a), return_inverse=True)
    _, y = np.unique(np.asarray(b), return_inverse=True)
    x, y = x.ravel(), y.ravel()
    ky = int(y.max()) + 1
    # Only the pairs of labels that occur (a dense table could be 100,000 by 100,000).
    pairs, counts = np.unique(x.astype(np.int64) * ky + y, return_counts=True)
    p = counts / len(x)
    px, py = np.bincount(x) / len(x), np.bincount(y) / len(y)
    hx, hy = _entropy(px), _entropy(py)
    if hx == 0 and hy == 0:
        return 1.0
    i, j = pairs // ky, pairs % ky
    mutual = float(np.sum(p * np.log(p / (px[i] * py[j]))))
    return max(0.0, min(1.0, mutual / ((hx + hy) / 2)))


def _entropy(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))
