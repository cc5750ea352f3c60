"""Stability: the goals whose status hangs on a single voter (leave-one-voter-out)."""

from __future__ import annotations

from klebepunkt.domain import Aggregation, Rules, Tally, evaluate
from klebepunkt.domain.stability import stability
from tests.domain.explain_helpers import ballot, card, four_goals, goal


def pivotal(result):
    return {s.goal.goal.id: s.pivotal_voters for s in result.goals}


def test_leave_one_out_by_hand_under_the_sum_rule():
    tally, ballots = four_goals()
    result = stability(evaluate(tally, Rules()), ballots)
    assert result.available
    assert pivotal(result) == {
        "g1": ("A", "B"),  # 4 points: without A 2, without B 2
        "g2": ("C",),  # 3 points, all from C
        "g3": (),  # 5 points, 3 of them paper dots: without D still 3
        "g4": (),  # below the threshold: taking dots away cannot lift it
    }
    assert [s.goal.goal.id for s in result.unstable] == ["g1", "g2"]
    assert result.goals[0].changes_without == 2


def test_leave_one_out_under_the_best_card_rule():
    tally = Tally(
        goals=(goal("g1"), goal("g2")),
        cards=(card("a", 3, "g1"), card("b", 3, "g1"), card("c", 4, "g2")),
    )
    ballots = (
        ballot("A", "a", 2),
        ballot("B", "a", 1),
        ballot("C", "b", 3),
        ballot("A", "c", 2),
        ballot("B", "c", 2),
    )
    result = stability(evaluate(tally, Rules(aggregation=Aggregation.BEST_CARD)), ballots)
    # g1: without A card a has 1, but card b still has 3; without C card a still has 3.
    # g2: its one card has 4; without A or B it has 2.
    assert pivotal(result) == {"g1": (), "g2": ("A", "B")}


def test_stability_without_ballots_is_not_available():
    tally, _ = four_goals()
    result = stability(evaluate(tally), None)
    assert not result.available
    assert result.reason is not None
    assert result.unstable == ()
