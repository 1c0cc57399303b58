"""Clusters of records that are one person: the accepted pairs joined strongest first, except
where a join would put two records the model holds to be two people (a parent and child of one
name and address) in one cluster. Plain connected components would join them through a third
record that matches both (the parent's record without a date of birth, say)."""

from collections.abc import Callable, Iterable

import pyarrow as pa
import pyarrow.compute as pc


def constrained_clusters(
    people: pa.Table,
    pairs: pa.Table,
    *,
    threshold: float,
    apart: Callable[[tuple, tuple], bool],
    same: Iterable[tuple[str, str]] = (),
    different: Iterable[tuple[str, str]] = (),
) -> pa.Table:
    """Cluster `people` (unique_id, source, record_id, dob_text, identifier) by the `pairs`
    (unique_id_l, unique_id_r, match_probability) at or above `threshold`. Pairs are taken
    strongest first; a pair joins its two clusters unless some dated record of one and some of
    the other are `apart` (given each one's (dob_text, identifier)). Each record's match_probability is that of the strongest
    accepted pair it is in (blank for a record alone). A cluster's id is its smallest
    unique_id, so the ids do not depend on the order of the input.

    People's decisions (pairs of unique_ids) override the model: `same` pairs are joined first
    (probability 1), even where the model holds the two a generation apart; `different` pairs
    are never put in one cluster, whatever links them."""
    same = sorted(same)
    accepted = pairs.filter(pc.greater_equal(pairs.column("match_probability"), threshold))
    # Only the records in an accepted pair go through Python (the union-find is O(accepted
    # pairs)); every other record is a cluster of its own, set in Arrow.
    linked = pc.unique(
        pa.chunked_array(
            [
                chunk.cast(pa.string())
                for column in ("unique_id_l", "unique_id_r")
                for chunk in accepted.column(column).chunks
            ]
            + [pa.array([uid for pair in same for uid in pair], pa.string())],
            pa.string(),
        )
    )
    at = people.schema.get_field_index("unique_id")
    people = people.set_column(at, "unique_id", people.column("unique_id").cast(pa.string()))
    involved = people.filter(pc.is_in(people.column("unique_id"), value_set=linked))
    ids = involved.column("unique_id").to_pylist()
    index = {uid: i for i, uid in enumerate(ids)}
    dobs = involved.column("dob_text").to_pylist()
    identifiers = involved.column("identifier").to_pylist()
    order = pc.sort_indices(
        accepted,
        sort_keys=[
            ("match_probability", "descending"),
            ("unique_id_l", "ascending"),
            ("unique_id_r", "ascending"),
        ],
    )
    accepted = accepted.take(order)
    forced = [
        (index[left], index[right], 1.0, True)
        for left, right in same
        if left in index and right in index
    ]
    edges = forced + [
        (index[left], index[right], probability, False)
        for left, right, probability in zip(
            accepted.column("unique_id_l").to_pylist(),
            accepted.column("unique_id_r").to_pylist(),
            accepted.column("match_probability").to_pylist(),
            strict=True,
        )
    ]
    keys = list(zip(dobs, identifiers, strict=True))
    kept_apart: dict[int, set[int]] = {}
    for left, right in different:
        if left in index and right in index:
            kept_apart.setdefault(index[left], set()).add(index[right])
            kept_apart.setdefault(index[right], set()).add(index[left])
    parent, best, refused = _join(len(ids), edges, keys, apart, kept_apart)
    # A record without a date of birth whose join was refused matches records of two people
    # held apart (the parent's and the child's): which one it is, only a person can say, so it
    # is joined to neither and stays alone (its pairs are for review).
    ambiguous = {i for a, b in refused for i in (a, b) if not dobs[i]}
    if ambiguous:
        edges = [e for e in edges if e[0] not in ambiguous and e[1] not in ambiguous]
        parent, best, _ = _join(len(ids), edges, keys, apart, kept_apart)

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    cluster_of: dict[int, str] = {}
    for i, uid in enumerate(ids):
        r = root(i)
        if r not in cluster_of or uid < cluster_of[r]:
            cluster_of[r] = uid
    # Each record's cluster and probability: from the union-find for a linked record, its own
    # id and a blank for the others.
    position = pc.index_in(people.column("unique_id"), value_set=involved.column("unique_id"))
    found = pa.array([cluster_of[root(i)] for i in range(len(ids))], pa.string())
    return pa.table(
        {
            "source": people.column("source"),
            "record_id": people.column("record_id"),
            "cluster_id": pc.coalesce(pc.take(found, position), people.column("unique_id")),
            "match_probability": pc.take(pa.array(best, pa.float64()), position),
        }
    )


def _join(
    count: int,
    edges: list,
    keys: list,
    apart: Callable[[tuple, tuple], bool],
    kept_apart: dict[int, set[int]],
):
    """Union-find over `edges` (strongest first; a decided edge first of all), refusing a join
    that would put two records `apart` (by their keys; not for a decided edge), or two that
    people kept apart, in one cluster. Returns the parents, each record's strongest accepted
    probability and the edges refused for being a generation apart."""
    parent = list(range(count))
    members: dict[int, list[int]] = {}
    best: list[float | None] = [None] * count
    refused = []

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, probability, decided in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            group_a, group_b = members.get(ra, [ra]), members.get(rb, [rb])
            dated_a = {keys[i] for i in group_a if keys[i][0]}
            dated_b = {keys[i] for i in group_b if keys[i][0]}
            if not decided and any(apart(x, y) for x in dated_a for y in dated_b):
                refused.append((a, b))
                continue
            if kept_apart and _decided_apart(group_a, group_b, kept_apart):
                continue
            if len(group_a) < len(group_b):
                ra, rb, group_a, group_b = rb, ra, group_b, group_a
            parent[rb] = ra
            members[ra] = group_a + group_b
            members.pop(rb, None)
        for i in (a, b):
            if best[i] is None or probability > best[i]:
                best[i] = probability
    return parent, best, refused


def _decided_apart(group_a: list[int], group_b: list[int], kept_apart: dict[int, set[int]]) -> bool:
    other = set(group_b)
    return any(not kept_apart.get(i, set()).isdisjoint(other) for i in group_a)
