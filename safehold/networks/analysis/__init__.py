"""Network analysis over the plain-value network (issue 16, item 4; ADR 0051).

Everything here works on the graph it is given and nothing else: the caller passes the network
the user may see (from the read gate), so a count, a community, a centrality or a path can only
be made of what the user may see. There is no Django here and no database.

    network = Network.from_graph(graph)
    network.components()          # {entity_id: component number}, 0 = the largest
    network.degree()              # {entity_id: number of other entities linked to it}
    network.betweenness()         # {entity_id: share of shortest paths through it}
    network.communities(seed=1)   # {entity_id: community number} (Leiden, modularity)
    network.shortest_path(a, b)   # Path(entities, links) or None
    network.neighbourhood(a, 2)   # the sub-Graph within two steps of a
    shared_objects(graph)         # phones (…) linked to two or more locations

The structure is undirected and simple: a link's direction is ignored, parallel links between
the same two entities count once, and a link from an entity to itself is not structure.
"""

from safehold.networks.analysis.measures import normalised_mutual_information
from safehold.networks.analysis.network import (
    Measure,
    Network,
    Path,
    UnknownEntity,
    load_compiled,
    seeded_igraph,
)
from safehold.networks.analysis.shared import PlaceLink, SharedObject, shared_objects

__all__ = [
    "Measure",
    "Network",
    "Path",
    "PlaceLink",
    "SharedObject",
    "UnknownEntity",
    "load_compiled",
    "normalised_mutual_information",
    "seeded_igraph",
    "shared_objects",
]
