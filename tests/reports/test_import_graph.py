"""The documents' modules import each other in one direction only: no cycle."""

from __future__ import annotations

import grimp


def test_no_import_cycle_among_the_documents_and_the_monitoring():
    graph = grimp.build_graph("klebepunkt")
    packages = ("klebepunkt.reports", "klebepunkt.monitoring", "klebepunkt.domain")
    modules = {module for module in graph.modules if module.startswith(packages)}
    cycles = sorted(
        (importer, imported)
        for importer in modules
        for imported in graph.find_modules_directly_imported_by(importer) & modules
        if graph.chain_exists(importer=imported, imported=importer)
    )
    assert cycles == []
