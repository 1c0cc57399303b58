"""Benchmark: Safehold's network analysis (safehold/networks/analysis, igraph and numpy) against
networkx doing the same on the same generated network (issue 16's quality budget).

    .venv/bin/python bench/networks.py [--entities 100000] [--links 1000000] [--repeat 3]
        [--pairs 20] [--betweenness-entities 1000] [--work /tmp/…]

The network is generated once (seeded) into --work as two integer arrays: `--entities` entities
in groups of `--group-size`, and `--links` links, each from a random entity to one of its own
group with probability `--inside`, else to any entity (links from an entity to itself are drawn
again; a pair may be linked more than once, as two intelligence reports can link the same two
people, and counts once for the structure, in networkx's Graph as in Safehold). So Leiden has
communities to find. Entity ids are zero-padded numbers ("000042"), the same strings on both
sides.

Each measurement is a fresh process, Safehold and networkx alternating, `--repeat` times; each
analysis is timed inside the process (wall time and the process's CPU time), after the network
is built (the build is timed too, and reported). Medians are printed, and the ratios (target:
each analysis well under 10 s, and networkx at least 20x slower).

What each side does:
- components: Safehold `components()`, every entity's component numbered by size (an array
  behind a read-only mapping); networkx `list(connected_components(G))`, its bare sets, and
  again with those sets numbered by the same rule (the same answer: "components, numbered").
- degree: Safehold `degree()`; networkx `dict(G.degree())` (its view computes nothing until
  read, so reading it is the work).
- communities: Safehold `communities(seed=…)`, Leiden (igraph's `community_leiden`, modularity,
  2 iterations; the igraph graph is made when first needed, so here, and its making is in this
  figure, not in the build's); networkx has no Leiden: `louvain_communities(G, seed=…)` stands in, Louvain
  being the method Leiden refines (same objective, modularity; resolution 1).
- shortest path: `--pairs` seeded random pairs of entities, a path for each: Safehold
  `shortest_path(a, b)` (a bidirectional breadth-first search over arrays, compiled by numba),
  networkx `shortest_path(G, a, b)` (a bidirectional breadth-first search in Python); then the
  same paths again, both sides, with the network's memory in the processor's caches (the first
  round follows components and communities, which have pushed it out).
- Safehold's components and paths are compiled by numba, which the first of them in a process
  imports and whose machine code it loads from numba's cache (or compiles, the first time on a
  machine): that is timed apart, before them (`load_compiled()`, "load the compiled searches"),
  as the imports of igraph and networkx are not timed.
- Safehold's measures as Python dicts (`dict(measure)`) are timed too, for who needs one.
- betweenness: exact betweenness is O(entities x links) for both (about 10^11 steps here:
  extrapolating from the smaller network, some 15 minutes of CPU for igraph, 8 hours for
  networkx), so it is not run on the big network. It is timed on a
  smaller network of the same kind (`--betweenness-entities`, ten links each), exactly, both
  sides, and the values compared. Safehold's `betweenness(cutoff=2)` (shortest paths of at most
  two steps only) is also timed on the big network, for scale; networkx has no cutoff.

After the timed runs, an untimed check compares the answers of the last runs: the components
(numbered by the same rule from networkx's sets) must be identical, the degrees identical, each
path's length identical (and each path a chain of links); the benchmark stops if they are not.
The communities are compared by count, modularity and normalised mutual information (with each
other and with the planted groups): two heuristics need not agree exactly.
"""

import argparse
import itertools
import json
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the check: this checkout's code

from crime_common import measure  # a fresh process per measurement

COMMON = """
import json, time
import numpy as np
work = {work!r}
sources, targets = np.load(work + "/sources.npy"), np.load(work + "/targets.npy")
pairs = json.load(open(work + "/pairs.json"))
n = {entities}
ids = [str(i).zfill(len(str(n - 1))) for i in range(n)]
times = {{}}
def timed(label, f):
    started, cpu = time.perf_counter(), time.process_time()
    result = f()
    times[label] = (time.perf_counter() - started, time.process_time() - cpu)
    return result
"""

SAFEHOLD = (
    COMMON
    + """
from safehold.networks.analysis import Network, load_compiled
network = timed("build", lambda: Network.from_arrays(sources, targets, ids=ids))
timed("load the compiled searches", load_compiled)
components = timed("components", network.components)
degree = timed("degree", network.degree)
communities = timed("communities", lambda: network.communities(seed={seed}))
paths = timed("shortest path", lambda: [network.shortest_path(a, b) for a, b in pairs])
timed("shortest path, again", lambda: [network.shortest_path(a, b) for a, b in pairs])
timed("components as a dict", lambda: dict(components))
timed("degree as a dict", lambda: dict(degree))
if {cutoff}:
    timed("betweenness, cutoff {cutoff}", lambda: network.betweenness(cutoff={cutoff}))
np.save(work + "/safehold-components.npy", components.values)
np.save(work + "/safehold-degree.npy", degree.values)
np.save(work + "/safehold-communities.npy", communities.values)
json.dump([None if p is None else list(p.entities) for p in paths], open(work + "/safehold-paths.json", "w"))
print(json.dumps({{"seconds": sum(t[0] for t in times.values()), "times": times,
                  "edges": network.edge_count}}))
"""
)

NETWORKX = (
    COMMON
    + """
import networkx as nx
def build():
    G = nx.Graph()
    G.add_nodes_from(ids)
    G.add_edges_from(zip([ids[i] for i in sources.tolist()], [ids[i] for i in targets.tolist()]))
    return G
G = timed("build", build)
components = timed("components", lambda: list(nx.connected_components(G)))
degree = timed("degree", lambda: dict(G.degree()))
communities = timed("communities", lambda: nx.community.louvain_communities(G, seed={seed}))
paths = timed("shortest path", lambda: [nx.shortest_path(G, a, b) for a, b in pairs])
timed("shortest path, again", lambda: [nx.shortest_path(G, a, b) for a, b in pairs])
index = {{v: i for i, v in enumerate(ids)}}
def numbered(groups):
    groups = sorted(groups, key=lambda g: (-len(g), min(g)))
    out = np.empty(n, np.int64)
    for number, group in enumerate(groups):
        out[[index[v] for v in group]] = number
    return out
np.save(work + "/networkx-components.npy", timed("components numbered", lambda: numbered(components)))
np.save(work + "/networkx-degree.npy", np.array([degree[v] for v in ids]))
np.save(work + "/networkx-communities.npy", numbered(communities))
json.dump(paths, open(work + "/networkx-paths.json", "w"))
print(json.dumps({{"seconds": sum(t[0] for t in times.values()), "times": times,
                  "edges": G.number_of_edges()}}))
"""
)

BETWEENNESS = """
import json, time
import numpy as np
work = {work!r}
sources, targets = np.load(work + "/small-sources.npy"), np.load(work + "/small-targets.npy")
n = {entities}
ids = [str(i).zfill(len(str(n - 1))) for i in range(n)]
started, cpu = time.perf_counter(), time.process_time()
if {safehold}:
    from safehold.networks.analysis import Network
    network = Network.from_arrays(sources, targets, ids=ids)
    built, cpu = time.perf_counter(), time.process_time()
    values = network.betweenness().values
else:
    import networkx as nx
    G = nx.Graph()
    G.add_nodes_from(ids)
    G.add_edges_from(zip([ids[i] for i in sources.tolist()], [ids[i] for i in targets.tolist()]))
    built, cpu = time.perf_counter(), time.process_time()
    result = nx.betweenness_centrality(G)
    values = np.array([result[v] for v in ids])
done = time.perf_counter()
np.save(work + ("/safehold" if {safehold} else "/networkx") + "-betweenness.npy", values)
print(json.dumps({{"seconds": done - built, "build": built - started,
                  "cpu": time.process_time() - cpu}}))
"""


def generate(
    entities: int, links: int, group_size: int, inside: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Links with community structure: from a random entity to one of its group (probability
    `inside`) or to anyone; none from an entity to itself."""
    rng = np.random.default_rng(seed)
    sources, targets = np.zeros(0, np.int64), np.zeros(0, np.int64)
    while len(sources) < links:
        k = links - len(sources)
        a = rng.integers(0, entities, k)
        same = rng.random(k) < inside
        group_start = (a // group_size) * group_size
        b = np.where(
            same,
            np.minimum(group_start + rng.integers(0, group_size, k), entities - 1),
            rng.integers(0, entities, k),
        )
        keep = a != b
        sources, targets = np.concatenate((sources, a[keep])), np.concatenate((targets, b[keep]))
    return sources, targets


def timing(runs: list[dict], *labels: str) -> tuple[float, float]:
    """Medians over the runs of the wall and CPU times of these steps together."""
    wall = statistics.median(sum(r["times"][label][0] for label in labels) for r in runs)
    cpu = statistics.median(sum(r["times"][label][1] for label in labels) for r in runs)
    return wall, cpu


def check(work: Path, entities: int, group_size: int) -> list[str]:
    """The untimed comparison of the last runs' answers; returns the differences found."""
    from safehold.networks.analysis import Network, normalised_mutual_information

    differences = []
    for name in ("components", "degree"):
        ours, theirs = (np.load(work / f"{side}-{name}.npy") for side in ("safehold", "networkx"))
        wrong = int(np.sum(ours != theirs))
        print(f"  {name}: {wrong:,} of {len(ours):,} entities differ")
        if wrong:
            differences.append(name)
    ours, theirs = (
        json.loads((work / f"{s}-paths.json").read_text()) for s in ("safehold", "networkx")
    )
    lengths = [(None if p is None else len(p) - 1) for p in ours]
    their_lengths = [(None if p is None else len(p) - 1) for p in theirs]
    sources, targets = np.load(work / "sources.npy"), np.load(work / "targets.npy")
    network = Network.from_arrays(sources, targets)
    linked = all(
        all(network.distance(u, v) == 1 for u, v in itertools.pairwise(p)) for p in ours if p
    )
    print(f"  path lengths: Safehold {lengths}, networkx {their_lengths}; each a chain: {linked}")
    if lengths != their_lengths or not linked:
        differences.append("paths")
    leiden, louvain = (np.load(work / f"{s}-communities.npy") for s in ("safehold", "networkx"))
    planted = np.arange(entities) // group_size
    ids = network.ids
    q = {
        label: network.modularity(dict(zip(ids, labels.tolist(), strict=True)))
        for label, labels in (("Leiden", leiden), ("Louvain", louvain), ("planted", planted))
    }
    print(
        f"  communities: Leiden {leiden.max() + 1:,} (modularity {q['Leiden']:.4f}), "
        f"networkx Louvain {louvain.max() + 1:,} ({q['Louvain']:.4f}), planted groups "
        f"{planted.max() + 1:,} ({q['planted']:.4f}); NMI Leiden/Louvain "
        f"{normalised_mutual_information(leiden, louvain):.3f}, Leiden/planted "
        f"{normalised_mutual_information(leiden, planted):.3f}, Louvain/planted "
        f"{normalised_mutual_information(louvain, planted):.3f}"
    )
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--group-size", type=int, default=200)
    parser.add_argument("--inside", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--betweenness-entities", type=int, default=1_000)
    parser.add_argument("--cutoff", type=int, default=2, help="0: no cutoff betweenness run")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "safehold-bench-networks"
    )
    args = parser.parse_args()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    n = args.entities
    sources, targets = generate(n, args.links, args.group_size, args.inside, args.seed)
    np.save(work / "sources.npy", sources)
    np.save(work / "targets.npy", targets)
    rng = np.random.default_rng(args.seed + 1)
    width = len(str(n - 1))
    pairs = [[str(int(x)).zfill(width) for x in rng.integers(0, n, 2)] for _ in range(args.pairs)]
    (work / "pairs.json").write_text(json.dumps(pairs))
    small = args.betweenness_entities
    small_sources, small_targets = generate(small, 10 * small, 20, args.inside, args.seed)
    np.save(work / "small-sources.npy", small_sources)
    np.save(work / "small-targets.npy", small_targets)

    fmt = {"work": str(work), "entities": n, "seed": args.seed, "cutoff": args.cutoff}
    routes = {"Safehold": SAFEHOLD.format(**fmt), "networkx": NETWORKX.format(**fmt)}
    print(
        f"{n:,} entities, {args.links:,} links (groups of {args.group_size}, "
        f"{args.inside:.0%} inside), {args.pairs} paths; {args.repeat} runs each",
        flush=True,
    )
    runs: dict[str, list[dict]] = {label: [] for label in routes}
    for i in range(args.repeat):
        for label, code in routes.items():
            run = measure(code)
            runs[label].append({**run.output, "peak_mb": run.peak_mb})
        print(
            f"  run {i + 1}: "
            + " | ".join(f"{k} {v[-1]['seconds']:.2f}s" for k, v in runs.items()),
            flush=True,
        )
    ours, theirs = runs["Safehold"], runs["networkx"]
    print(
        f"  distinct linked pairs: Safehold {ours[-1]['edges']:,}, networkx {theirs[-1]['edges']:,}"
    )
    print(f"\n  {'analysis':28s} {'Safehold':>18s} {'networkx':>18s}   ratio (wall, CPU)")
    rows = {
        "build": ("build",),
        "components": ("components",),
        "components, numbered": ("components", "components numbered"),
        "degree": ("degree",),
        "communities": ("communities",),
        f"shortest path ({args.pairs} paths)": ("shortest path",),
        "the same paths again": ("shortest path, again",),
    }
    for label, steps in rows.items():
        (w1, c1), (w2, c2) = timing(ours, steps[0]), timing(theirs, *steps)
        print(
            f"  {label:28s} {w1:8.4f}s (CPU {c1:7.4f}) {w2:8.4f}s (CPU {c2:7.4f})"
            f"   {w2 / w1:7.1f}x {c2 / max(c1, 1e-9):7.1f}x"
        )
    for label in ours[-1]["times"]:
        if label.endswith("as a dict") or label.startswith(("betweenness", "load")):
            w1, c1 = timing(ours, label)
            print(f"  {label:28s} {w1:8.3f}s (CPU {c1:6.3f})   (Safehold only)")
    peaks = [statistics.median(r["peak_mb"] for r in runs[k]) for k in routes]
    print(f"  peak memory: Safehold {peaks[0]:,.0f} MB, networkx {peaks[1]:,.0f} MB")

    print(f"\nexact betweenness, {small:,} entities and {10 * small:,} links", flush=True)
    bet = {
        label: measure(BETWEENNESS.format(work=str(work), entities=small, safehold=flag)).output
        for label, flag in (("Safehold", True), ("networkx", False))
    }
    a, b = np.load(work / "safehold-betweenness.npy"), np.load(work / "networkx-betweenness.npy")
    same = bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))
    print(
        f"  Safehold {bet['Safehold']['seconds']:.3f}s (CPU {bet['Safehold']['cpu']:.3f}), "
        f"networkx {bet['networkx']['seconds']:.3f}s (CPU {bet['networkx']['cpu']:.3f}); ratio "
        f"{bet['networkx']['seconds'] / bet['Safehold']['seconds']:.1f}x; values equal: {same} "
        f"(largest difference {np.abs(a - b).max():.1e})"
    )

    print("\nchecking the answers are the same (untimed) …", flush=True)
    differences = check(work, n, args.group_size)
    if not same:
        differences.append("betweenness")
    if differences:
        sys.exit(f"the answers differ: {', '.join(differences)}")


if __name__ == "__main__":
    main()
