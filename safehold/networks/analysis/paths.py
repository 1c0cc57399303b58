"""The shortest-path search over a network's adjacency arrays (`Network.shortest_path`)."""

import itertools
import threading

import numpy as np


class PathSearch:
    """Breadth-first search from both ends at once, a level at a time, always growing the side
    with fewer links to follow; each level is a few array operations over the adjacency arrays.
    A level that reaches a vertex the other side has reached gives a shortest path: every vertex
    it reaches is `a` steps from its end, the other side's are at most `b` from theirs, and no
    path of fewer than a + b steps exists, or the two sides would have met a level earlier. So
    a large level is followed in chunks and the search stops at the first chunk that meets.
    The two arrays of parents are kept between searches and only what a search touched is
    cleared (allocating them is most of a search's time on a large network); a second thread
    searching at the same time uses arrays of its own."""

    CHUNK = 4096  # links followed per array operation in a large level

    def __init__(self, indptr: np.ndarray, indices: np.ndarray):
        self.indptr, self.indices = indptr, indices
        self.degree = np.diff(indptr)
        self._parents: tuple[np.ndarray, np.ndarray] | None = None
        self._lock = threading.Lock()

    def _fresh(self) -> tuple[np.ndarray, np.ndarray]:
        n = len(self.degree)
        return np.full(n, -1, np.int32), np.full(n, -1, np.int32)

    def __call__(self, s: int, t: int) -> list[int] | None:
        if s == t:
            return [s]
        if not self._lock.acquire(blocking=False):
            return self._search(s, t, self._fresh(), [])
        try:
            if self._parents is None:
                self._parents = self._fresh()
            touched: list[tuple[int, np.ndarray]] = []
            try:
                return self._search(s, t, self._parents, touched)
            finally:
                for side, vertices in touched:
                    self._parents[side][vertices] = -1
        finally:
            self._lock.release()

    def _search(self, s, t, parents, touched) -> list[int] | None:
        indptr, indices, degree = self.indptr, self.indices, self.degree
        parents[0][s], parents[1][t] = s, t
        touched += [(0, np.array([s])), (1, np.array([t]))]
        frontiers = [np.array([s], np.int64), np.array([t], np.int64)]
        counts = [degree[frontiers[0]], degree[frontiers[1]]]
        work = [int(degree[s]), int(degree[t])]
        while work[0] and work[1]:
            side = 0 if work[0] <= work[1] else 1
            frontier, count, mine, theirs = (
                frontiers[side],
                counts[side],
                parents[side],
                parents[1 - side],
            )
            starts, ends = indptr[frontier], np.cumsum(count)
            cuts = [0, len(frontier)]
            if work[side] > self.CHUNK:
                at = np.arange(self.CHUNK, work[side], self.CHUNK)
                cuts[1:1] = np.searchsorted(ends, at, side="right").tolist()
            parts = []
            for lo, hi in itertools.pairwise(cuts):
                if lo >= hi:
                    continue
                c, first = count[lo:hi], ends[lo:hi] - count[lo:hi]
                # The neighbours of these frontier vertices, one after another, and whose.
                step = np.repeat(starts[lo:hi] - (first - first[0]), c)
                reached = indices[step + np.arange(int(ends[hi - 1] - first[0]))]
                parent = np.repeat(frontier[lo:hi], c)
                new = mine[reached] < 0
                reached, parent = reached[new], parent[new]
                touched.append((side, reached))
                mine[reached] = parent
                reached = reached[mine[reached] == parent]  # once each: the parent that stayed
                met = reached[theirs[reached] >= 0]
                if len(met):
                    middle = int(met.min())
                    return _to_root(parents[0], middle)[::-1] + _to_root(parents[1], middle)[1:]
                parts.append(reached)
            frontiers[side] = reached = np.concatenate(parts) if len(parts) > 1 else parts[0]
            counts[side] = degree[reached]
            work[side] = int(counts[side].sum())
        return None


def _to_root(parents: np.ndarray, v: int) -> list[int]:
    chain = [v]
    while parents[v] != v:
        v = int(parents[v])
        chain.append(v)
    return chain
