"""No import cycle among the modules of ``src/klebepunkt``.

The graph is grimp's (the one import-linter checks its contracts on): every import,
also those inside functions and under ``TYPE_CHECKING``. A cycle is a group of modules
each of which reaches every other one through imports (a strongly connected component
of more than one module).
"""

from __future__ import annotations

import grimp

# Cycles that are known and being removed. Never add to it; the document kit (issue 14)
# removed the last ones (the report's PDF and its renderer, the progress report's writers).
KNOWN_CYCLES: set[frozenset[str]] = set()


def import_cycles(imports: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[frozenset[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, iter(sorted(imports[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(imports[target]))))
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == module:
                        break
                if len(component) > 1:
                    cycles.append(frozenset(component))
    return cycles


def klebepunkt_imports() -> dict[str, set[str]]:
    graph = grimp.build_graph("klebepunkt", cache_dir=None)
    return {
        module: set(graph.find_modules_directly_imported_by(module)) & graph.modules
        for module in graph.modules
    }


def test_the_cycle_finder_finds_a_cycle_and_only_the_cycle():
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}}
    assert import_cycles(imports) == [frozenset({"a", "b", "c"})]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_klebepunkt_is_part_of_an_import_cycle():
    imports = klebepunkt_imports()
    assert "klebepunkt.domain" in imports  # the graph is the package's, not an empty one
    new_cycles = [cycle for cycle in import_cycles(imports) if cycle not in KNOWN_CYCLES]
    assert new_cycles == [], "import cycles: " + "; ".join(
        " <-> ".join(sorted(cycle)) for cycle in new_cycles
    )
