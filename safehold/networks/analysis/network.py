"""`Network`: a graph's structure held once as integer arrays (and an igraph graph of the same
vertices, made when first needed), and the measures over it. Vertex i is the i-th entity id in
sorted order, so results do not depend on the order the entities came in, and "the smallest id"
is the smallest index."""

import contextlib
import itertools
import operator
import random
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import igraph
import numpy as np

from safehold.networks.analysis.paths import PathSearch
from safehold.networks.graph import Graph, Link

V = TypeVar("V", int, float)

# igraph draws its random numbers from one process-wide generator (Python's `random` module by
# default); Leiden is made repeatable by giving it a generator of its own, seeded, for the call.
_RANDOM = threading.Lock()


@contextlib.contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """igraph's random numbers drawn from a generator of their own, seeded, while in the block:
    what makes Leiden (or a layout) the same each time. One block at a time in the process, so
    any other randomised igraph call (a link chart's layout) should be made in one too."""
    with _RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            igraph.set_random_number_generator(random)


class UnknownEntity(KeyError):
    """An entity id that is not in the network analysed. For the user's visible network this is
    the same answer whether the entity does not exist or is hidden from the user."""

    def __str__(self) -> str:
        return f"{self.args[0]!r} is not in the network"


class Measure(Mapping[str, V], Generic[V]):
    """A value for every entity of a network: a read-only mapping entity id → value, held as one
    array in the network's order (`values`), so a measure of 100,000 entities is not 100,000
    dictionary entries until someone asks for them. Iterates in entity id order."""

    __slots__ = ("_ids", "_index", "values")

    def __init__(self, ids: Sequence[str], index: Mapping[str, int], values: np.ndarray):
        self._ids, self._index, self.values = ids, index, values

    def __getitem__(self, entity_id: str) -> V:
        try:
            return self.values[self._index[entity_id]].item()
        except KeyError:
            raise KeyError(entity_id) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._index

    def rows(self) -> Iterator[tuple[str, V]]:
        """(entity id, value) in entity id order: what a CSV of the measure is written from."""
        return zip(self._ids, self.values.tolist(), strict=True)

    def __repr__(self) -> str:
        return f"Measure({len(self)} entities)"


@dataclass(frozen=True)
class Path:
    """A shortest path: the entities from one end to the other, and every link between each
    entity and the next, in path order (none for a network made from arrays)."""

    entities: tuple[str, ...]
    links: tuple[Link, ...] = ()

    @property
    def length(self) -> int:
        """The number of steps (links counted once per pair of entities)."""
        return len(self.entities) - 1


class Network:
    """The undirected, simple structure of a network, ready for analysis. Make one with
    `from_graph` (a Graph from the read gate or a file) or `from_arrays` (integer arrays)."""

    def __init__(
        self,
        ids: Sequence[str],
        sources: np.ndarray,
        targets: np.ndarray,
        *,
        graph: Graph | None = None,
        entity_order: Sequence[int] | None = None,
    ):
        """`ids` sorted and unique; `sources` and `targets` vertex numbers (one pair per link of
        `graph`, in its order, when there is a graph). Use the class methods."""
        self.ids: list[str] = list(ids)
        self._index = {entity_id: i for i, entity_id in enumerate(self.ids)}
        n = self.n = len(self.ids)
        self._graph = graph
        self._entity_order = entity_order  # graph.entities index of each vertex
        self._link_a = np.asarray(sources, dtype=np.int64)
        self._link_b = np.asarray(targets, dtype=np.int64)
        self._link_keys = None  # made when a path's links are first looked up
        lo, hi = _simple_edges(self._link_a, self._link_b, n)
        self.edge_count = len(lo)
        # Both directions of every edge, sorted: row i of the adjacency is
        # indices[indptr[i]:indptr[i + 1]].
        both = np.concatenate((lo * n + hi, hi * n + lo))
        both.sort()
        self._indices = (both % n).astype(np.int32) if n else np.zeros(0, np.int32)
        self._indptr = np.zeros(n + 1, dtype=np.int64)
        if n:
            np.cumsum(np.bincount(both // n, minlength=n), out=self._indptr[1:])
        self._paths = PathSearch(self._indptr, self._indices)
        self._edges = (lo, hi)  # for igraph, made when first needed
        self._igraph_lock = threading.Lock()
        self._igraph_graph: igraph.Graph | None = None

    # Making one

    @classmethod
    def from_graph(cls, graph: Graph) -> "Network":
        """The network of a Graph. Every link's ends must be among its entities: a link to an
        entity that is not there is a mistake of the caller, not something to analyse."""
        order = sorted(range(len(graph.entities)), key=lambda i: graph.entities[i].id)
        ids = [graph.entities[i].id for i in order]
        if len(set(ids)) != len(ids):
            raise ValueError("the graph has two entities with the same id")
        index = {entity_id: i for i, entity_id in enumerate(ids)}
        try:
            sources = np.fromiter((index[link.source] for link in graph.links), np.int64)
            targets = np.fromiter((index[link.target] for link in graph.links), np.int64)
        except KeyError as missing:
            raise ValueError(f"a link names {missing.args[0]!r}, not in the graph") from None
        return cls(ids, sources, targets, graph=graph, entity_order=order)

    @classmethod
    def from_arrays(
        cls, sources: np.ndarray, targets: np.ndarray, *, ids: Sequence[str] | None = None
    ) -> "Network":
        """A network from integer arrays: link k joins vertex sources[k] and targets[k], vertex
        i is entity ids[i] (by default its number, zero-padded so the ids sort as the numbers
        do). For generated and imported networks too large to hold as Link values."""
        sources, targets = np.asarray(sources, np.int64), np.asarray(targets, np.int64)
        if ids is None:
            top = int(max(sources.max(initial=-1), targets.max(initial=-1))) + 1
            width = len(str(max(top - 1, 0)))
            ids = [str(i).zfill(width) for i in range(top)]
        n = len(ids)
        if len(sources) and (
            min(sources.min(), targets.min()) < 0 or max(sources.max(), targets.max()) >= n
        ):
            raise ValueError("a link names a vertex that is not in ids")
        ids = list(ids)
        if not all(map(operator.lt, ids, itertools.islice(ids, 1, None))):  # not yet in order
            order = sorted(range(n), key=ids.__getitem__)
            if any(ids[order[i]] == ids[order[i + 1]] for i in range(n - 1)):
                raise ValueError("the ids are not unique")
            position = np.empty(n, np.int64)
            position[np.asarray(order, np.int64)] = np.arange(n)
            sources, targets = position[sources], position[targets]
            ids = [ids[i] for i in order]
        return cls(ids, sources, targets)

    # What is in it

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._index

    def __len__(self) -> int:
        return self.n

    def _vertex(self, entity_id: str) -> int:
        try:
            return self._index[entity_id]
        except KeyError:
            raise UnknownEntity(entity_id) from None

    def _measure(self, values: np.ndarray) -> Measure:
        return Measure(self.ids, self._index, values)

    # Measures

    def components(self) -> Measure[int]:
        """Connected components: entities joined by any chain of links share a number. 0 is the
        largest component, then by size; equal sizes in order of their smallest entity id."""
        # Imported here: the first search of a process pays for numba, not every import.
        from safehold.networks.analysis.compiled import component_labels

        labels = np.empty(self.n, np.int64)
        count = component_labels(self._indptr, self._indices, labels, np.empty(self.n, np.int32))
        # Numbered in order of their smallest vertex already: a stable sort by size keeps that
        # order among equal sizes.
        number = np.empty(count, np.int64)
        number[np.argsort(-np.bincount(labels, minlength=count), kind="stable")] = np.arange(count)
        return self._measure(number[labels])

    def _components_by_igraph(self) -> Measure[int]:
        membership = np.asarray(self.igraph.connected_components().membership, np.int64)
        return self._measure(_numbered_by_size(membership))

    def degree(self) -> Measure[int]:
        """The number of other entities each entity is linked to (however many links)."""
        return self._measure(np.diff(self._indptr))

    def betweenness(self, *, cutoff: int | None = None) -> Measure[float]:
        """Betweenness centrality: for each entity, the share of shortest paths between two other
        entities that pass through it (paths split equally where there are several), normalised
        as networkx's default for undirected graphs, 2 / ((n - 1)(n - 2)), so 1 is the centre of
        a star. Exact, and O(entities * links): with `cutoff`, only paths of at most that many
        steps count (an approximation for large networks, no longer normalised comparably)."""
        raw = np.asarray(self.igraph.betweenness(directed=False, cutoff=cutoff), np.float64)
        if self.n > 2:
            raw *= 2.0 / ((self.n - 1) * (self.n - 2))
        return self._measure(raw)

    def communities(
        self, *, seed: int = 0, resolution: float = 1.0, iterations: int = 2
    ) -> Measure[int]:
        """Communities found by Leiden (Traag, Waltman & van Eck 2019) maximising modularity:
        groups more densely linked inside than chance would give. The same network and seed give
        the same communities. Numbered by size, 0 the largest; equal sizes in order of their
        smallest entity id. `iterations` -1 iterates until nothing improves."""
        graph = self.igraph
        with seeded_igraph(seed):
            clustering = graph.community_leiden(
                objective_function="modularity", resolution=resolution, n_iterations=iterations
            )
        return self._measure(_numbered_by_size(np.asarray(clustering.membership, np.int64)))

    def modularity(self, communities: Mapping[str, int]) -> float:
        """Newman's modularity of a division of this network's entities into communities."""
        if isinstance(communities, Measure) and communities._ids is self.ids:
            membership = communities.values.tolist()
        else:
            membership = [communities[entity_id] for entity_id in self.ids]
        return float(self.igraph.modularity(membership, directed=False))

    # Paths and neighbourhoods

    def shortest_path(self, a: str, b: str) -> Path | None:
        """A shortest chain of links from `a` to `b` (the fewest steps; one of them where there
        are several, always the same one), or None if nothing joins them."""
        vertices = self._paths(self._vertex(a), self._vertex(b))
        if vertices is None:
            return None
        return Path(
            tuple(self.ids[v] for v in vertices),
            tuple(
                link for u, v in itertools.pairwise(vertices) for link in self._links_between(u, v)
            ),
        )

    def distance(self, a: str, b: str) -> int | None:
        """The number of steps on a shortest path from `a` to `b`, or None."""
        path = self._paths(self._vertex(a), self._vertex(b))
        return None if path is None else len(path) - 1

    def neighbourhood_ids(self, entity_id: str, steps: int) -> list[str]:
        """The ids of the entities at most `steps` links away (the entity itself included)."""
        return [self.ids[v] for v in self._within(entity_id, steps)]

    def neighbourhood(self, entity_id: str, steps: int) -> Graph:
        """The sub-Graph within `steps` links of an entity: those entities (in id order) and
        every link between two of them (in the graph's order)."""
        if self._graph is None:
            raise ValueError("a network made from arrays has no entities to return")
        vertices = self._within(entity_id, steps)
        inside = np.zeros(self.n, dtype=bool)
        inside[vertices] = True
        entities = [self._graph.entities[self._entity_order[v]] for v in vertices]
        links = np.flatnonzero(inside[self._link_a] & inside[self._link_b])
        return Graph(tuple(entities), tuple(self._graph.links[i] for i in links.tolist()))

    def _within(self, entity_id: str, steps: int) -> list[int]:
        if steps < 0:
            raise ValueError("steps must be 0 or more")
        return sorted(self.igraph.neighborhood(self._vertex(entity_id), order=steps))

    def _links_between(self, u: int, v: int) -> list[Link]:
        if self._graph is None:
            return []
        if self._link_keys is None:
            lo = np.minimum(self._link_a, self._link_b)
            hi = np.maximum(self._link_a, self._link_b)
            keys = lo * self.n + hi
            order = np.argsort(keys, kind="stable")
            self._link_keys = (keys[order], order)
        keys, order = self._link_keys
        key = min(u, v) * self.n + max(u, v)
        start, end = np.searchsorted(keys, [key, key + 1])
        return [self._graph.links[i] for i in order[start:end].tolist()]

    # The engine, for what this module does not offer (e.g. a layout)

    @property
    def igraph(self) -> igraph.Graph:
        """The igraph graph (vertex i is `ids[i]`, its `name` attribute), made when first asked
        for: components, degree and paths do not need it. Read it, do not change it."""
        with self._igraph_lock:
            if self._igraph_graph is None:
                lo, hi = self._edges
                # igraph takes its edge list fastest as a list of pairs of Python ints.
                graph = igraph.Graph(
                    n=self.n, edges=list(zip(lo.tolist(), hi.tolist(), strict=True))
                )
                graph.vs["name"] = self.ids
                self._igraph_graph = graph
            return self._igraph_graph


def load_compiled() -> None:
    """Import numba and load the compiled searches (compiling them, the first time on a machine,
    into numba's cache), which the first shortest path or components of a process does
    otherwise: for whoever would rather pay it at a moment of their choosing (the benchmark
    times it apart). Not called by the app: a process that never searches never pays it."""
    tiny = Network.from_arrays(np.array([0, 1]), np.array([1, 2]))
    tiny.components()
    tiny.distance(tiny.ids[0], tiny.ids[2])


def _simple_edges(a: np.ndarray, b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs of different vertices joined by a link, as (lower, higher) arrays."""
    keep = a != b
    lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    keys = lo * n + hi
    keys.sort()  # sort-and-compare: faster than np.unique (which hashes) on a million pairs
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys // max(n, 1), keys % max(n, 1)


def _numbered_by_size(membership: np.ndarray) -> np.ndarray:
    """Group numbers made stable: 0 the largest group, then by size, ties by the smallest vertex
    (= the smallest entity id, as vertices are in id order)."""
    if not len(membership):
        return membership
    sizes = np.bincount(membership)
    first = np.full(len(sizes), len(membership), dtype=np.int64)
    np.minimum.at(first, membership, np.arange(len(membership)))
    order = np.lexsort((first, -sizes))
    number = np.empty(len(sizes), dtype=np.int64)
    number[order] = np.arange(len(sizes))
    return number[membership]
