"""The searches compiled by numba (ADR 0051): the bidirectional breadth-first search of
`PathSearch` and the union-find of `Network.components`. A module of its own so that
numba (about half a second to import) is imported by the first search of a process, not by
everything that imports the analysis. `cache=True` keeps the machine code beside this file
(or in numba's cache folder where that cannot be written): a process that finds it loads it in
milliseconds instead of compiling it (a few seconds)."""

import numpy as np
from numba import njit


def _compiled(function):
    """Compiled on first call, without the GIL, its machine code kept in numba's cache; where
    no cache folder can be written (numba refuses to cache then), compiled in each process."""
    try:
        return njit(cache=True, nogil=True)(function)
    except RuntimeError:  # pragma: no cover - a read-only install without NUMBA_CACHE_DIR
        return njit(nogil=True)(function)


@_compiled
def shortest_path(state, indices, s, t, queues, chunk):  # pragma: no cover - compiled
    """A shortest path from vertex s to vertex t (s != t) as an array of vertices, empty if none.

    `state` (n x 4) holds, for each vertex v, in one 16-byte row (one cache line, so reaching a
    vertex costs one read from memory, not four): each side's parent of v (columns 0 and 1, -1
    where that side has not reached it; -1 on entry and on return), the first of v's links in
    `indices` and v's number of links. `queues` (2 x n, any values) are each side's reached
    vertices in order, level after level, which is also the list of what to clear at the end.
    The order is numpy's of the search this replaced (a level followed in chunks of about
    `chunk` links, whole frontier vertices; in a chunk, a vertex reached several times keeps the
    last link's parent; the meeting vertex the smallest of the first chunk that meets), so the
    path is the same one."""
    state[s, 0], state[t, 1] = s, t
    queues[0, 0], queues[1, 0] = s, t
    start = np.zeros(2, np.int64)  # each side's current level: queues[side, start:end]
    end = np.ones(2, np.int64)
    work = np.empty(2, np.int64)  # links to follow from each side's current level
    work[0], work[1] = state[s, 3], state[t, 3]
    middle = -1
    while work[0] > 0 and work[1] > 0 and middle < 0:
        side = 0 if work[0] <= work[1] else 1
        other, queue = 1 - side, queues[side]
        first, last = start[side], end[side]
        tail = last  # where the next level is written
        i = first
        done = 0  # links of this level before the chunk
        ahead = 0  # links of the next level
        while i < last and middle < 0:
            # The chunk: frontier vertices i..j-1, cut before the vertex at which the count of
            # links followed passes a multiple of `chunk` (where numpy's searchsorted cut it).
            links = done + state[queue[i], 3]
            j = i + 1
            while j < last:
                d = state[queue[j], 3]
                if max((links + chunk - 1) // chunk, 1) * chunk < links + d:
                    break
                links += d
                j += 1
            # Followed backwards, the first link to reach a new vertex is the last one forwards:
            # its parent is the one numpy's assignment kept.
            new = tail
            for k in range(j - 1, i - 1, -1):
                u = queue[k]
                begin = state[u, 2]
                for e in range(begin + state[u, 3] - 1, begin - 1, -1):
                    v = indices[e]
                    if state[v, side] < 0:
                        state[v, side] = u
                        queue[tail] = v
                        tail += 1
                        if state[v, other] >= 0 and (middle < 0 or v < middle):
                            middle = v
                        ahead += state[v, 3]
            if middle < 0:  # the next level is in forward order, as numpy's was
                a, b = new, tail - 1
                while a < b:
                    queue[a], queue[b] = queue[b], queue[a]
                    a += 1
                    b -= 1
            done = links
            i = j
        start[side], end[side], work[side] = last, tail, ahead
    if middle < 0:
        path = np.empty(0, np.int64)
    else:
        steps0, v = 0, middle
        while state[v, 0] != v:
            v = state[v, 0]
            steps0 += 1
        steps1, v = 0, middle
        while state[v, 1] != v:
            v = state[v, 1]
            steps1 += 1
        path = np.empty(steps0 + steps1 + 1, np.int64)
        v = middle
        for k in range(steps0, -1, -1):  # from the middle back to s, written backwards
            path[k] = v
            v = state[v, 0]
        v = middle
        for k in range(steps0 + 1, steps0 + steps1 + 1):  # from the middle on to t
            v = state[v, 1]
            path[k] = v
    for side in range(2):  # clear only what this search touched
        for k in range(end[side]):
            state[queues[side, k], side] = -1
    return path


@_compiled
def component_labels(indptr, indices, labels, parent):  # pragma: no cover - compiled
    """Label every vertex with its component, numbered in order of their smallest vertex;
    returns the number of components. A union-find over the links in the order they are held
    (each once, from its lower end), the lower root always the new root, so each set's root is
    its smallest vertex. Reading the links in order, not vertex by vertex as a search does,
    keeps the reads of a million links sequential: twice as fast as a breadth-first search
    (scipy's or this module's) on the benchmark's network (ADR 0051)."""
    n = len(labels)
    for v in range(n):
        parent[v] = v
    joined = 0
    for u in range(n):
        if joined == n - 1:  # one component already: nothing more can join
            break
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            if v <= u:
                continue
            a = u
            while parent[a] != a:  # path halving
                parent[a] = parent[parent[a]]
                a = parent[a]
            b = v
            while parent[b] != b:
                parent[b] = parent[parent[b]]
                b = parent[b]
            if a != b:
                if a < b:
                    parent[b] = a
                else:
                    parent[a] = b
                joined += 1
    count = 0
    for v in range(n):  # a root is the smallest of its set: a new component, in order
        a = v
        while parent[a] != a:
            a = parent[a]
        parent[v] = a
        if a == v:
            labels[v] = count
            count += 1
        else:
            labels[v] = labels[a]  # a < v: labelled already
    return count
