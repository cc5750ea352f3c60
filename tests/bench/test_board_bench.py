"""The board's benchmark measures what it says: a process of the size asked for, the board of
one theme field painted and cards moved between goals."""

from __future__ import annotations

import pytest

from klebepunkt.bench import board
from klebepunkt.processes import models

pytestmark = pytest.mark.django_db


def test_the_board_benchmark_paints_and_moves():
    result = board.run(cards=80, repeat=3)
    assert result["cards"] == 80
    assert result["cards_in_field"] == 20
    assert result["repeat"] == 3
    for key in ("paint_p50_ms", "paint_p99_ms", "move_p50_ms", "move_p99_ms"):
        assert result[key] > 0
    # asked for as a browser asks: the board comes back compressed, and its size is reported
    assert 0 < result["move_sent_kb"] < result["move_html_kb"] / 3
    field = models.ThemeField.objects.order_by("position").first()
    goals = list(models.Goal.objects.filter(theme_field=field).order_by("position")[:2])
    assert goals[1].cards.count() > 0  # the moves reached the second goal
    unclustered = models.Card.objects.filter(theme_field__process=field.process, goal=None)
    assert unclustered.count() == 4 * (20 - int(20 * 0.7))
