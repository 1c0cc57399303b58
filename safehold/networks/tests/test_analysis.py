"""The network analysis (safehold/networks/analysis): the same answers as networkx on small random
graphs, Leiden finding planted communities, shared objects across places, and nothing of an
entity removed from the graph (as the read gate removes what a user may not see) in any result.
Plain values, no database."""

import concurrent.futures
import math
import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehold.networks.analysis import (
    Network,
    PlaceLink,
    SharedObject,
    UnknownEntity,
    normalised_mutual_information,
    shared_objects,
)
from safehold.networks.graph import Entity, Graph, Link

TYPES = ("person", "location", "phone", "vehicle", "incident")


@st.composite
def graphs(
    draw,
    *,
    min_entities: int = 0,
    max_entities: int = 12,
    types=TYPES,
    links: int = 3,
    min_links: int = 0,
) -> Graph:
    """A small random graph, with parallel links and links from an entity to itself among them,
    its entities in any order."""
    ids = draw(
        st.lists(
            st.text(alphabet="abcxyz019:-", min_size=1, max_size=5),
            min_size=min_entities,
            max_size=max_entities,
            unique=True,
        )
    )
    kinds = draw(st.lists(st.sampled_from(types), min_size=len(ids), max_size=len(ids)))
    ends = st.sampled_from(ids) if ids else st.nothing()
    pairs = draw(
        st.lists(st.tuples(ends, ends), min_size=min_links * len(ids), max_size=links * len(ids))
    )
    return Graph.of(
        [Entity(entity_id, kind, entity_id) for entity_id, kind in zip(ids, kinds, strict=True)],
        [Link(f"k{i}", a, b, "linked_to") for i, (a, b) in enumerate(pairs)],
    )


def as_networkx(graph: Graph) -> nx.Graph:
    """The reference: networkx's simple undirected graph, without links from an entity to itself
    (which Safehold does not count as structure; networkx would count them twice in a degree)."""
    reference = nx.Graph()
    reference.add_nodes_from(e.id for e in graph.entities)
    reference.add_edges_from((k.source, k.target) for k in graph.links if k.source != k.target)
    return reference


def without(graph: Graph, entity_id: str) -> Graph:
    """The graph as a read gate gives it to a user who may not see `entity_id`."""
    return Graph.of(
        [e for e in graph.entities if e.id != entity_id],
        [k for k in graph.links if entity_id not in (k.source, k.target)],
    )


def chart(*entities: tuple[str, str], links: list[tuple[str, str, str]]) -> Graph:
    return Graph.of(
        [Entity(i, kind, i) for i, kind in entities],
        [Link(f"k{n}", a, b, kind) for n, (a, b, kind) in enumerate(links)],
    )


# The same answers as networkx


@settings(deadline=None, max_examples=150)
@given(graphs())
def test_degree_is_networkx_degree(graph):
    assert dict(Network.from_graph(graph).degree()) == dict(as_networkx(graph).degree())


@settings(deadline=None, max_examples=150)
@given(graphs())
def test_betweenness_is_networkx_normalised_betweenness(graph):
    ours = Network.from_graph(graph).betweenness()
    theirs = nx.betweenness_centrality(as_networkx(graph))
    assert set(ours) == set(theirs)
    for entity_id, value in theirs.items():
        assert ours[entity_id] == pytest.approx(value, abs=1e-12)


@settings(deadline=None, max_examples=150)
@given(graphs())
def test_components_are_networkx_components_numbered_by_size_then_smallest_id(graph):
    ours = Network.from_graph(graph).components()
    groups: dict[int, set[str]] = {}
    for entity_id, number in ours.items():
        groups.setdefault(number, set()).add(entity_id)
    assert sorted(groups) == list(range(len(groups)))
    theirs = {frozenset(c) for c in nx.connected_components(as_networkx(graph))}
    assert {frozenset(g) for g in groups.values()} == theirs
    order = [(-len(groups[k]), min(groups[k])) for k in range(len(groups))]
    assert order == sorted(order)
    # scipy's search, and igraph's (the fallback), give the same.
    assert Network.from_graph(graph)._components_by_igraph() == ours


@pytest.mark.parametrize("chunk", [None, 1])
@settings(deadline=None, max_examples=100)
@given(graphs())
def test_shortest_paths_are_as_short_as_networkx_and_follow_links(chunk, graph):
    network, reference = Network.from_graph(graph), as_networkx(graph)
    if chunk:  # large levels are followed in chunks: here every level, a link at a time
        network._paths.CHUNK = chunk
    lengths = dict(nx.all_pairs_shortest_path_length(reference))
    for a in reference:
        for b in reference:
            path = network.shortest_path(a, b)
            if b not in lengths[a]:
                assert path is None
                assert network.distance(a, b) is None
                continue
            assert path.length == lengths[a][b] == network.distance(a, b)
            assert (path.entities[0], path.entities[-1]) == (a, b)
            steps = list(zip(path.entities, path.entities[1:], strict=False))
            assert all(reference.has_edge(u, v) for u, v in steps)
            # The links given are exactly those recorded between each entity and the next.
            expected = [k for u, v in steps for k in graph.links if {k.source, k.target} == {u, v}]
            assert sorted(k.id for k in path.links) == sorted(k.id for k in expected)


@settings(deadline=None, max_examples=100)
@given(graphs(min_entities=1), st.integers(0, 3), st.data())
def test_neighbourhood_is_networkx_ego_graph(graph, steps, data):
    centre = data.draw(st.sampled_from([e.id for e in graph.entities]))
    sub = Network.from_graph(graph).neighbourhood(centre, steps)
    near = set(nx.ego_graph(as_networkx(graph), centre, radius=steps))
    assert [e.id for e in sub.entities] == sorted(near)
    assert list(sub.links) == [k for k in graph.links if k.source in near and k.target in near]


@settings(deadline=None, max_examples=50)
@given(graphs(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_entities_and_links(graph, rnd):
    shuffled = Graph.of(rnd.sample(graph.entities, len(graph.entities)), reversed(graph.links))
    first, second = Network.from_graph(graph), Network.from_graph(shuffled)
    assert first.components() == second.components()
    assert first.degree() == second.degree()
    assert first.communities(seed=3) == second.communities(seed=3)


def test_parallel_links_and_links_to_itself_do_not_change_the_structure():
    once = chart(("a", "person"), ("b", "person"), links=[("a", "b", "associate_of")])
    again = chart(
        ("a", "person"),
        ("b", "person"),
        links=[("a", "b", "associate_of"), ("b", "a", "visited"), ("a", "a", "linked_to")],
    )
    assert (
        Network.from_graph(again).degree()
        == Network.from_graph(once).degree()
        == {
            "a": 1,
            "b": 1,
        }
    )
    assert len(Network.from_graph(again).shortest_path("a", "b").links) == 2


def test_paths_searched_one_after_another_and_at_once_are_the_same():
    graph, _ = planted(groups=4, size=40, p_in=0.1, p_out=0.01, seed=3)
    network = Network.from_graph(graph)
    ids = network.ids
    pairs = [(ids[i], ids[(i * 37) % len(ids)]) for i in range(0, len(ids), 7)]
    alone = [network.shortest_path(a, b) for a, b in pairs]
    # The kept arrays were cleared after each search: the same answers again, and from a
    # search that has to use arrays of its own while another holds the kept ones.
    assert [network.shortest_path(a, b) for a, b in pairs] == alone
    with network._paths._lock:
        assert [network.shortest_path(a, b) for a, b in pairs] == alone
    assert (network._paths._state[:, :2] == -1).all()


def test_paths_searched_by_several_threads_at_once_are_the_paths_searched_alone():
    # The compiled search runs without the GIL: threads really search at the same time, one on
    # the kept arrays and the others on arrays of their own.
    graph, _ = planted(groups=4, size=40, p_in=0.1, p_out=0.01, seed=4)
    network = Network.from_graph(graph)
    ids = network.ids
    pairs = [(ids[i], ids[(i * 53 + 11) % len(ids)]) for i in range(len(ids))] * 20
    alone = [network.shortest_path(a, b) for a, b in pairs]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        at_once = list(pool.map(lambda pair: network.shortest_path(*pair), pairs))
    assert at_once == alone
    assert (network._paths._state[:, :2] == -1).all()


def test_a_network_from_arrays_is_the_network_of_the_same_graph():
    ids = ["d", "b", "a", "c", "e"]
    sources, targets = np.array([0, 1, 2, 2]), np.array([1, 2, 3, 0])
    from_arrays = Network.from_arrays(sources, targets, ids=ids)
    from_graph = Network.from_graph(
        chart(
            *((i, "person") for i in ids),
            links=[(ids[a], ids[b], "linked_to") for a, b in zip(sources, targets, strict=True)],
        )
    )
    assert from_arrays.ids == from_graph.ids == sorted(ids)
    assert from_arrays.degree() == from_graph.degree()
    assert from_arrays.components() == from_graph.components()
    assert from_arrays.shortest_path("d", "c").entities == ("d", "a", "c")
    assert Network.from_arrays(np.array([0, 9]), np.array([1, 10])).ids[10] == "10"


def test_a_graph_with_a_link_to_an_entity_not_in_it_is_refused():
    graph = Graph.of([Entity("a", "person", "A")], [Link("k", "a", "hidden", "associate_of")])
    with pytest.raises(ValueError, match="'hidden', not in the graph"):
        Network.from_graph(graph)


# Communities


def planted(groups: int, size: int, p_in: float, p_out: float, seed: int) -> tuple[Graph, list]:
    """A planted-partition graph: each pair of entities is linked with p_in if in the same group,
    p_out if not."""
    rng = np.random.default_rng(seed)
    n = groups * size
    a, b = np.triu_indices(n, 1)
    same = a // size == b // size
    keep = rng.random(len(a)) < np.where(same, p_in, p_out)
    ids = [f"person:{i:04d}" for i in range(n)]
    graph = Graph.of(
        [Entity(i, "person", i) for i in ids],
        [
            Link(f"k{k}", ids[x], ids[y], "associate_of")
            for k, (x, y) in enumerate(zip(a[keep].tolist(), b[keep].tolist(), strict=True))
        ],
    )
    return graph, [i // size for i in range(n)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_leiden_finds_planted_communities(seed):
    graph, truth = planted(groups=10, size=50, p_in=0.3, p_out=0.01, seed=seed)
    network = Network.from_graph(graph)
    found = network.communities(seed=seed)
    nmi = normalised_mutual_information(truth, [found[e.id] for e in graph.entities])
    assert nmi >= 0.9
    # Numbered by size, and as good a division as the planted one by modularity.
    sizes = np.bincount(found.values)
    assert list(sizes) == sorted(sizes, reverse=True)
    planted_division = {e.id: g for e, g in zip(graph.entities, truth, strict=True)}
    assert network.modularity(found) >= network.modularity(planted_division) - 1e-9


def test_the_same_seed_gives_the_same_communities_and_leaves_python_random_alone():
    graph, _ = planted(groups=6, size=30, p_in=0.2, p_out=0.03, seed=7)
    network = Network.from_graph(graph)
    random.seed(42)
    expected_next = random.random()
    random.seed(42)
    first = network.communities(seed=5)
    assert random.random() == expected_next
    assert network.communities(seed=5) == first


def test_normalised_mutual_information_by_hand():
    # a: {1,2}{3,4}; b: {1,2,3}{4}. p(a) = (1/2, 1/2), p(b) = (3/4, 1/4);
    # joint: (0,0) 1/2, (1,0) 1/4, (1,1) 1/4.
    h_a = math.log(2)
    h_b = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    mutual = 0.5 * math.log(0.5 / (0.5 * 0.75)) + 0.25 * math.log(0.25 / (0.5 * 0.75))
    mutual += 0.25 * math.log(0.25 / (0.5 * 0.25))
    expected = mutual / ((h_a + h_b) / 2)
    assert expected == pytest.approx(0.3437, abs=1e-4)  # scikit-learn gives 0.34371
    assert normalised_mutual_information([0, 0, 1, 1], ["x", "x", "x", "y"]) == pytest.approx(
        expected
    )


def test_normalised_mutual_information_of_the_same_and_of_independent_groups():
    assert normalised_mutual_information([0, 0, 1, 1, 2], [5, 5, 3, 3, 9]) == pytest.approx(1)
    assert normalised_mutual_information([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(0)
    assert normalised_mutual_information([7, 7, 7], [1, 1, 1]) == 1
    with pytest.raises(ValueError):
        normalised_mutual_information([0, 1], [0])


# Shared objects across addresses


def test_one_phone_at_two_cuckooed_addresses_is_shared_directly_and_through_a_person():
    graph = chart(
        ("phone:1", "phone"),
        ("phone:2", "phone"),
        ("loc:flat4", "location"),
        ("loc:flat9", "location"),
        ("loc:shop", "location"),
        ("person:dan", "person"),
        ("person:eve", "person"),
        ("vehicle:1", "vehicle"),
        links=[
            ("phone:1", "loc:flat4", "seized_at"),
            ("loc:flat9", "phone:1", "seen_at"),
            ("phone:1", "person:dan", "uses_phone"),
            ("person:dan", "loc:shop", "visited"),
            ("person:dan", "loc:flat9", "lives_at"),
            # phone 2 reaches one place directly and the same place through eve: one place.
            ("phone:2", "loc:flat4", "seen_at"),
            ("phone:2", "person:eve", "uses_phone"),
            ("person:eve", "loc:flat4", "visited"),
            # the vehicle is at two places, but only object types asked for count.
            ("vehicle:1", "loc:flat4", "seen_at"),
            ("vehicle:1", "loc:shop", "seen_at"),
        ],
    )
    assert shared_objects(graph, object_types=("phone",)) == [
        SharedObject(
            "phone:1",
            (
                PlaceLink("loc:flat4", direct=True),
                PlaceLink("loc:flat9", direct=True, through=("person:dan",)),
                PlaceLink("loc:shop", direct=False, through=("person:dan",)),
            ),
        )
    ]
    assert [s.object for s in shared_objects(graph)] == ["phone:1", "vehicle:1"]
    assert shared_objects(graph)[1].locations == ("loc:flat4", "loc:shop")


def test_a_phone_two_people_away_from_a_place_is_not_at_it():
    graph = chart(
        ("phone:1", "phone"),
        ("loc:a", "location"),
        ("loc:b", "location"),
        ("person:1", "person"),
        ("person:2", "person"),
        links=[
            ("phone:1", "loc:a", "seized_at"),
            ("phone:1", "person:1", "uses_phone"),
            ("person:1", "person:2", "associate_of"),
            ("person:2", "loc:b", "lives_at"),
        ],
    )
    assert shared_objects(graph) == []
    # Control: the second person's address counts once the phone is theirs too.
    linked = Graph.of(
        graph.entities, (*graph.links, Link("k9", "person:2", "phone:1", "uses_phone"))
    )
    assert [s.locations for s in shared_objects(linked)] == [("loc:a", "loc:b")]


# Nothing hidden leaks through the analysis


def test_a_hidden_entity_is_not_a_way_through():
    graph = chart(
        ("loc:flat4", "location"),
        ("person:hidden", "person"),
        ("ocg:1", "ocg"),
        ("loc:flat9", "location"),
        ("phone:1", "phone"),
        links=[
            ("loc:flat4", "person:hidden", "lives_at"),
            ("person:hidden", "ocg:1", "member_of"),
            ("phone:1", "person:hidden", "uses_phone"),
            ("phone:1", "loc:flat9", "seized_at"),
        ],
    )
    whole = Network.from_graph(graph)
    # Positive control: whoever may see the person is shown the path through them.
    assert whole.shortest_path("loc:flat4", "ocg:1").entities == (
        "loc:flat4",
        "person:hidden",
        "ocg:1",
    )
    assert whole.degree()["loc:flat4"] == 1
    assert [s.locations for s in shared_objects(graph)] == [("loc:flat4", "loc:flat9")]
    visible = Network.from_graph(without(graph, "person:hidden"))
    assert visible.shortest_path("loc:flat4", "ocg:1") is None
    assert visible.degree()["loc:flat4"] == 0
    assert visible.components()["loc:flat4"] != visible.components()["ocg:1"]
    assert shared_objects(without(graph, "person:hidden")) == []
    with pytest.raises(UnknownEntity) as hidden:
        visible.shortest_path("person:hidden", "ocg:1")
    with pytest.raises(UnknownEntity) as missing:
        visible.shortest_path("person:nobody", "ocg:1")
    assert str(hidden.value).replace("hidden", "nobody") == str(missing.value)


@settings(deadline=None, max_examples=150)
@given(graphs(min_entities=3, min_links=1), st.data())
def test_an_entity_removed_before_analysis_is_in_no_result_and_no_path(graph, data):
    hidden = data.draw(st.sampled_from([e.id for e in graph.entities]))
    visible = without(graph, hidden)
    network, reference = Network.from_graph(visible), as_networkx(visible)
    ids = {e.id for e in visible.entities}
    for measure in (
        network.components(),
        network.degree(),
        network.betweenness(),
        network.communities(),
    ):
        assert hidden not in measure
        assert set(measure) == ids
    # Counts are of what is visible: the degree is the visible graph's.
    assert dict(network.degree()) == dict(reference.degree())
    lengths = dict(nx.all_pairs_shortest_path_length(reference))
    for a in ids:
        with pytest.raises(UnknownEntity):
            network.shortest_path(hidden, a)
        with pytest.raises(UnknownEntity):
            network.shortest_path(a, hidden)
        for b in ids:
            path = network.shortest_path(a, b)
            if path is None:
                assert b not in lengths[a]
                continue
            assert hidden not in path.entities
            assert all(hidden not in (k.source, k.target) for k in path.links)
            assert path.length == lengths[a][b]  # not shortened by a way through the hidden
        sub = network.neighbourhood(a, 2)
        assert hidden not in {e.id for e in sub.entities}
        assert all(hidden not in (k.source, k.target) for k in sub.links)
    for found in shared_objects(visible):
        assert hidden != found.object
        assert all(
            hidden != place.location and hidden not in place.through for place in found.places
        )


# The results' shape, and what is refused


def test_a_measure_is_a_mapping_over_the_entities_in_id_order():
    network = Network.from_graph(
        chart(("b", "person"), ("a", "phone"), ("c", "location"), links=[("a", "b", "uses_phone")])
    )
    degree = network.degree()
    assert list(degree) == ["a", "b", "c"] and len(degree) == 3
    assert degree == {"a": 1, "b": 1, "c": 0}
    assert list(degree.rows()) == [("a", 1), ("b", 1), ("c", 0)]
    assert isinstance(degree["a"], int) and isinstance(network.betweenness()["a"], float)
    assert "z" not in degree
    with pytest.raises(KeyError):
        degree["z"]


def test_betweenness_with_a_cutoff_counts_only_short_paths():
    line = chart(
        *((i, "person") for i in "abcde"),
        links=[(x, y, "associate_of") for x, y in ("ab", "bc", "cd", "de")],
    )
    network = Network.from_graph(line)
    exact = network.betweenness()
    assert network.betweenness(cutoff=4) == exact
    # With paths of at most two steps, c is only between b and d (the other pairs it joins,
    # a and d, b and e, a and e, are three or four steps apart).
    assert network.betweenness(cutoff=2)["c"] < exact["c"]


def test_what_the_network_refuses():
    network = Network.from_arrays(np.array([0]), np.array([1]), ids=["x", "y"])
    with pytest.raises(ValueError, match="no entities"):
        network.neighbourhood("x", 1)
    assert network.neighbourhood_ids("x", 1) == ["x", "y"]
    with pytest.raises(ValueError, match="0 or more"):
        network.neighbourhood_ids("x", -1)
    with pytest.raises(UnknownEntity):
        network.neighbourhood_ids("w", 1)
    with pytest.raises(ValueError, match="not in ids"):
        Network.from_arrays(np.array([0]), np.array([2]), ids=["x", "y"])
    with pytest.raises(ValueError, match="not unique"):
        Network.from_arrays(np.array([0]), np.array([1]), ids=["x", "x"])
    with pytest.raises(ValueError, match="same id"):
        Network.from_graph(Graph.of([Entity("a", "person", "A"), Entity("a", "phone", "B")], []))


@settings(deadline=None, max_examples=200)
@given(
    graphs(
        min_entities=5,
        max_entities=16,
        types=("person", "location", "phone", "vehicle", "ocg"),
        min_links=1,
    )
)
def test_shared_objects_are_those_a_walk_over_the_links_finds(graph):
    reference = as_networkx(graph)
    kind = {e.id: e.type for e in graph.entities}
    expected = {}
    for thing in reference:
        if kind[thing] not in ("phone", "vehicle"):
            continue
        places: dict[str, tuple[bool, set]] = {}
        for near in reference[thing]:
            if kind[near] == "location":
                places[near] = (True, places.get(near, (False, set()))[1])
            if kind[near] == "person":
                for far in reference[near]:
                    if kind[far] == "location":
                        direct, people = places.get(far, (False, set()))
                        places[far] = (direct, people | {near})
        if len(places) >= 2:
            expected[thing] = {
                place: (direct, tuple(sorted(people))) for place, (direct, people) in places.items()
            }
    found = shared_objects(graph)
    assert {
        s.object: {p.location: (p.direct, p.through) for p in s.places} for s in found
    } == expected
    assert [len(s.places) for s in found] == sorted((len(s.places) for s in found), reverse=True)


@settings(deadline=None, max_examples=100)
@given(graphs(), st.randoms(use_true_random=False))
def test_a_network_from_arrays_answers_as_one_from_the_graph(graph, rnd):
    ids = rnd.sample([e.id for e in graph.entities], len(graph.entities))
    at = {entity_id: i for i, entity_id in enumerate(ids)}
    from_arrays = Network.from_arrays(
        np.array([at[k.source] for k in graph.links], np.int64),
        np.array([at[k.target] for k in graph.links], np.int64),
        ids=ids,
    )
    from_graph = Network.from_graph(graph)
    assert from_arrays.ids == from_graph.ids
    assert from_arrays.components() == from_graph.components()
    assert from_arrays.degree() == from_graph.degree()
    assert from_arrays.communities(seed=2) == from_graph.communities(seed=2)
    for a in ids[:4]:
        for b in ids[-4:]:
            assert from_arrays.distance(a, b) == from_graph.distance(a, b)
