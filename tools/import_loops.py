"""Print the loops (strongly connected components) in ras's import graph.

    python tools/import_loops.py                       # imports that run (TYPE_CHECKING left out)
    python tools/import_loops.py --with-type-checking  # every import, type-only ones too
    python tools/import_loops.py --without-deliberate  # leave out the "upward, deliberately" ones

Edges from the package ``ras`` itself are left out: it re-exports every room, so counting them
would make one loop of everything. ``lint-imports`` keeps the rules; this shows the graph.
"""

from __future__ import annotations

import importlib.util
import sys

import grimp

DELIBERATE = "upward, deliberately"


def main(argv: list[str]) -> int:
    type_only = "--with-type-checking" in argv
    graph = grimp.build_graph("ras", exclude_type_checking_imports=not type_only)
    skip_deliberate = "--without-deliberate" in argv

    def counts(importer: str, imported: str) -> bool:
        if imported == "ras":
            return False
        if not skip_deliberate:
            return True
        spec = importlib.util.find_spec(importer)
        lines = open(spec.origin).read().split("\n") if spec and spec.origin else []  # noqa: SIM115
        details = graph.get_import_details(importer=importer, imported=imported)
        return any(DELIBERATE not in lines[d["line_number"] - 1] for d in details)

    edges = {m: {w for w in graph.find_modules_directly_imported_by(m) if counts(m, w)}
             for m in graph.modules if m != "ras"}
    loops = [c for c in _components(edges) if len(c) > 1]
    for loop in loops:
        print(f"{len(loop)} modules: {', '.join(sorted(loop))}")
    print(f"{len(loops)} loop(s)")
    return 0


def _components(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    found.append(component)
            elif child not in edges:
                continue
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
