"""The big process's page benchmark (bench/pages.py) measures every page it names, asked for as
a browser asks, and reports what each answer weighs as sent and unpacked."""

from __future__ import annotations

import pytest

from klebepunkt.bench import pages
from klebepunkt.processes import models

pytestmark = pytest.mark.django_db


def test_the_page_benchmark_measures_every_page(monkeypatch):
    monkeypatch.setattr(pages, "CARDS", 40)
    monkeypatch.setattr(pages, "GOALS", 8)
    monkeypatch.setattr(pages, "VOTERS", 6)
    ids = pages.build()
    assert models.Card.objects.filter(theme_field__process=ids["process"]).count() == 40
    results = pages.measure(ids, repeat=2)
    assert set(results) == {"cards", "board", "board_move", "result", "archive_search", "public"}
    for name, figures in results.items():
        assert "error" not in figures, name
        assert 0 < figures["p50_ms"] <= figures["p99_ms"], name
        assert 0 < figures["sent_kb"] < figures["html_kb"], name  # all of them come compressed
