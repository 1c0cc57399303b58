"""Print the app-level import graph of Safehold (tests and migrations left out, imports inside
functions counted) and any cycle between apps: `python tools/app_cycles.py`. Exits 1 on a cycle.
The same rule is an import-linter contract (.importlinter, `make lint`); this shows the graph."""

import collections
import sys

import grimp


def app_graph() -> dict[str, set[str]]:
    graph = grimp.build_graph("safehold")
    edges: dict[str, set[str]] = collections.defaultdict(set)
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2 or ".tests" in module or ".migrations" in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = imported.split(".")
            if len(target) > 1 and target[1] != parts[1] and ".tests" not in imported:
                edges[parts[1]].add(target[1])
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if v not in index:
            visit(v)
    return found


if __name__ == "__main__":
    edges = app_graph()
    for app in sorted(edges):
        print(f"{app:12} -> {', '.join(sorted(edges[app]))}")
    found = cycles(edges)
    print("cycles between apps:", found or "none")
    sys.exit(1 if found else 0)
