"""The clustering effect: goal points against cards, and what other scorings would say."""

from __future__ import annotations

from klebepunkt.domain import Rules, Tally, WhatIf, evaluate
from klebepunkt.domain.clustering import clustering_effect
from tests.domain.explain_helpers import ballot, card, four_goals, goal


def test_goal_that_won_by_collecting_cards_is_marked():
    tally = Tally(
        goals=(goal("many"), goal("one")),
        cards=(
            card("a", 1, "many"),
            card("b", 1, "many"),
            card("c", 1, "many"),
            card("d", 3, "one"),
        ),
    )
    many, one = clustering_effect(evaluate(tally, Rules()))
    assert many.cards == 3
    assert many.outcome(WhatIf.SUM).points == 3
    assert many.outcome(WhatIf.BEST_CARD).points == 1
    assert many.needs_several_cards
    assert many.differs
    assert not one.needs_several_cards
    assert not one.differs
    assert many.outcome(WhatIf.SUPPORTERS) is None  # no ballots


def test_supporters_what_if_with_ballots():
    tally, ballots = four_goals()
    effects = {e.goal.goal.id: e for e in clustering_effect(evaluate(tally), ballots)}
    assert effects["g1"].outcome(WhatIf.SUPPORTERS).points == 2
    assert not effects["g1"].outcome(WhatIf.SUPPORTERS).is_priority
    assert effects["g2"].outcome(WhatIf.SUPPORTERS).points == 1


def test_zero_dot_ballot_is_no_supporter():
    tally = Tally(goals=(goal("g"),), cards=(card("a", 3, "g"),))
    [effect] = clustering_effect(evaluate(tally), (ballot("A", "a", 3), ballot("Z", "a", 0)))
    assert effect.outcome(WhatIf.SUPPORTERS).points == 1
