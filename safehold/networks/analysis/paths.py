"""The shortest-path search over a network's adjacency arrays (`Network.shortest_path`)."""

import functools
import threading

import numpy as np


class PathSearch:
    """Breadth-first search from both ends at once, a level at a time, always growing the side
    with fewer links to follow. A level that reaches a vertex the other side has reached gives a
    shortest path: every vertex it reaches is `a` steps from its end, the other side's are at
    most `b` from theirs, and no path of fewer than a + b steps exists, or the two sides would
    have met a level earlier. So a large level is followed in chunks and the search stops at the
    first chunk that meets. The search is compiled (numba: `compiled.shortest_path`, ADR 0051),
    as networkx's own bidirectional search touches only a few thousand links and a search in
    array operations spent most of its time on their fixed costs. The arrays of parents are
    kept between searches and only what a search touched is cleared (allocating them would be
    most of a search's time on a large network); a second thread searching at the same time
    uses arrays of its own (the compiled search releases the GIL). Each vertex's two parents,
    first link and number of links are one row of 16 bytes (`state`), so that reaching a vertex
    reads one cache line, not four: the search waits on memory more than it computes."""

    # Links followed before the search looks for a meeting, in a large level. The numpy search
    # this replaced took 4096 to spread the fixed cost of its array operations; compiled, a
    # smaller chunk stops sooner after the meeting (the path returned is the same for the same
    # chunk, and may be another of the same length for another chunk).
    CHUNK = 256

    def __init__(self, indptr: np.ndarray, indices: np.ndarray):
        self.indptr, self.indices = indptr, indices
        # Made with the network (a few milliseconds for 100,000 entities), not by its first
        # search: n x 4, each side's parent of each vertex, its first link and its number of
        # links; 2 x n, each side's reached vertices in order.
        self._state, self._queues = self._fresh()
        self._lock = threading.Lock()

    def _fresh(self) -> tuple[np.ndarray, np.ndarray]:
        n = len(self.indptr) - 1
        # Link positions fit 32 bits up to 2^31 links (a billion links each way): beyond that,
        # 64-bit rows.
        wide = len(self.indices) >= 2**31
        state = np.empty((n, 4), np.int64 if wide else np.int32)
        state[:, :2] = -1
        state[:, 2] = self.indptr[:-1]
        state[:, 3] = np.diff(self.indptr)
        # Written once, so that a search's first use of a page does not fault it in.
        queues = np.empty((2, n), np.int64 if wide else np.int32)
        queues.fill(0)
        return state, queues

    def __call__(self, s: int, t: int) -> list[int] | None:
        if s == t:
            return [s]
        search = _compiled()
        if self._lock.acquire(blocking=False):
            try:
                path = search(self._state, self.indices, s, t, self._queues, self.CHUNK)
            finally:
                self._lock.release()
        else:
            state, queues = self._fresh()
            path = search(state, self.indices, s, t, queues, self.CHUNK)
        return path.tolist() if len(path) else None


@functools.cache
def _compiled():
    """The compiled search, imported by the first search of a process (numba takes about half a
    second to import; not every process that imports the analysis searches)."""
    from safehold.networks.analysis.compiled import shortest_path

    return shortest_path
