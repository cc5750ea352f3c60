"""Margins: the dots a goal lacks, or could lose before it drops below the threshold."""

from __future__ import annotations

import pytest

from klebepunkt.domain import Aggregation, Rules, Tally, evaluate
from klebepunkt.domain.margins import dots_to_change, margins
from tests.domain.explain_helpers import card, goal


@pytest.mark.parametrize(
    ("card_dots", "expected"),
    [
        ((1, 1), 1),  # 2 points: one dot short of 3
        ((1,), 2),
        ((3,), 1),  # exactly at the threshold: one dot fewer and it drops
        ((4, 2), 4),  # 6 points: it can lose 3 and stay, the 4th drops it
    ],
)
def test_sum_margin_is_threshold_minus_points_or_points_minus_threshold_plus_one(
    card_dots, expected
):
    assert dots_to_change(card_dots, 3, Aggregation.SUM) == expected


@pytest.mark.parametrize(
    ("card_dots", "expected"),
    [
        ((2, 2), 1),  # best card 2: one more dot on it reaches 3
        ((1, 1, 1), 2),  # many cards do not help: the best card needs 2 more
        ((3,), 1),
        ((5, 3, 1), 4),  # 5 → 2 loses 3, 3 → 2 loses 1: both cards must fall below
    ],
)
def test_best_card_margin_counts_the_strongest_card_or_every_card_at_the_threshold(
    card_dots, expected
):
    assert dots_to_change(card_dots, 3, Aggregation.BEST_CARD) == expected


def test_margins_follow_the_evaluation_and_name_their_side():
    tally = Tally(
        goals=(goal("g1"), goal("g2")),
        cards=(card("a", 4, "g1"), card("b", 2, "g1"), card("c", 2, "g2")),
    )
    first, second = margins(evaluate(tally, Rules()))
    assert (first.goal.goal.id, first.dots_to_lose, first.dots_needed) == ("g1", 4, None)
    assert (second.goal.goal.id, second.dots_needed, second.dots_to_lose) == ("g2", 1, None)


def test_unclustered_card_has_a_margin_of_its_own():
    tally = Tally(cards=(card("a", 2),))
    [margin] = margins(evaluate(tally))
    assert not margin.goal.clustered
    assert margin.dots_needed == 1
