"""Shared objects across addresses: the phone seized at one cuckooed flat and reported by a
neighbour at another, or used by people living at both."""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from safehold.networks.analysis.network import Network
from safehold.networks.graph import LOCATION, OBJECT_TYPES, PERSON, Graph


@dataclass(frozen=True)
class PlaceLink:
    """How an object is linked to a place: by a link of its own (`direct`), and through which
    people (each linked to both)."""

    location: str
    direct: bool
    through: tuple[str, ...] = ()


@dataclass(frozen=True)
class SharedObject:
    """An object linked to two or more places, and how to each (places in id order)."""

    object: str
    places: tuple[PlaceLink, ...]

    @property
    def locations(self) -> tuple[str, ...]:
        return tuple(place.location for place in self.places)


def shared_objects(
    graph: Graph,
    object_types: Iterable[str] = OBJECT_TYPES,
    place_type: str = LOCATION,
    *,
    through_type: str = PERSON,
    network: Network | None = None,
) -> list[SharedObject]:
    """Objects (phones, vehicles… of `object_types`) linked to two or more entities of
    `place_type`, directly or through one entity of `through_type` (a person who uses the phone
    and lives at or visited the place). Most places first, then by object id. Over the graph
    given only: pass the user's visible graph (and its `network`, if already made)."""
    network = network or Network.from_graph(graph)
    if network._graph is not graph:
        raise ValueError("the network is not this graph's")
    n = network.n
    types = np.array([graph.entities[i].type for i in network._entity_order] or [""])[:n]
    objects = np.flatnonzero(np.isin(types, list(object_types)))
    places = np.flatnonzero(types == place_type)
    people = np.flatnonzero(types == through_type)
    if not len(objects) or len(places) < 2:
        return []
    indptr, indices = network._indptr, network._indices
    adjacency = sparse.csr_matrix((np.ones(len(indices), np.int32), indices, indptr), shape=(n, n))
    of_objects = adjacency[objects]
    reach = of_objects[:, places] + of_objects[:, people] @ adjacency[people][:, places]
    shared = objects[np.diff((reach > 0).tocsr().indptr) >= 2]

    is_place, is_person = types == place_type, types == through_type
    found = []
    for o in shared.tolist():
        neighbours = indices[indptr[o] : indptr[o + 1]]
        direct = set(neighbours[is_place[neighbours]].tolist())
        through: dict[int, list[int]] = {}
        for p in neighbours[is_person[neighbours]].tolist():
            theirs = indices[indptr[p] : indptr[p + 1]]
            for place in theirs[is_place[theirs]].tolist():
                through.setdefault(place, []).append(p)
        found.append(
            SharedObject(
                network.ids[o],
                tuple(
                    PlaceLink(
                        network.ids[place],
                        place in direct,
                        tuple(network.ids[p] for p in sorted(through.get(place, ()))),
                    )
                    for place in sorted(direct | through.keys())
                ),
            )
        )
    return sorted(found, key=lambda s: (-len(s.places), s.object))
