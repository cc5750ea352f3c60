"""Invariants of the evaluation over random tallies (hypothesis)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from klebepunkt.domain import Aggregation, Card, Goal, Rules, Tally, evaluate

FIELDS = ("Pflege", "Wohnen", "Bildung")


@st.composite
def tallies(draw) -> Tally:
    goals = []
    for index in range(draw(st.integers(0, 8))):
        goals.append(
            Goal(id=f"g{index}", theme_field=draw(st.sampled_from(FIELDS)), text=f"Ziel {index}")
        )
    cards = []
    for index in range(draw(st.integers(0, 25))):
        field = draw(st.sampled_from(FIELDS))
        in_field = [g.id for g in goals if g.theme_field == field]
        goal_id = draw(st.sampled_from([None, *in_field])) if in_field else None
        cards.append(
            Card(
                id=f"c{index}",
                theme_field=field,
                text=f"Karte {index}",
                dots=draw(st.integers(0, 9)),
                goal_id=goal_id,
            )
        )
    return Tally(goals=tuple(goals), cards=tuple(cards))


rules_strategy = st.builds(
    Rules,
    goal_threshold=st.integers(1, 12),
    aggregation=st.sampled_from(list(Aggregation)),
)


@given(tallies(), rules_strategy)
def test_every_card_ends_up_in_exactly_one_place(tally, rules):
    result = evaluate(tally, rules)
    in_priorities = [c.id for g in result.priorities for c in g.cards]
    in_store = [e.card.id for e in result.topic_store]
    assert sorted(in_priorities + in_store) == sorted(c.id for c in tally.cards)
    assert len(result.placements()) == len(tally.cards)


@given(tallies(), st.integers(1, 12))
def test_sum_of_goal_points_equals_total_dots(tally, threshold):
    result = evaluate(tally, Rules(goal_threshold=threshold))
    assert sum(g.points for g in result.goals) == result.total_dots == tally.total_dots


@given(tallies(), rules_strategy, st.data())
def test_adding_a_dot_never_removes_a_priority(tally, rules, data):
    if not tally.cards:
        return
    index = data.draw(st.integers(0, len(tally.cards) - 1))
    cards = list(tally.cards)
    old = cards[index]
    cards[index] = Card(
        id=old.id,
        theme_field=old.theme_field,
        text=old.text,
        dots=old.dots + 1,
        goal_id=old.goal_id,
    )
    before = {g.goal.id for g in evaluate(tally, rules).priorities}
    after = {g.goal.id for g in evaluate(Tally(tally.goals, tuple(cards)), rules).priorities}
    assert before <= after


@given(tallies(), st.integers(1, 11), st.sampled_from(list(Aggregation)))
def test_raising_the_threshold_never_adds_a_priority(tally, threshold, aggregation):
    low = {
        g.goal.id
        for g in evaluate(
            tally, Rules(goal_threshold=threshold, aggregation=aggregation)
        ).priorities
    }
    high = {
        g.goal.id
        for g in evaluate(
            tally, Rules(goal_threshold=threshold + 1, aggregation=aggregation)
        ).priorities
    }
    assert high <= low


@settings(max_examples=200)
@given(tallies(), rules_strategy, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_row_order(tally, rules, rnd: random.Random):
    cards = list(tally.cards)
    goals = list(tally.goals)
    rnd.shuffle(cards)
    rnd.shuffle(goals)
    shuffled = Tally(tuple(goals), tuple(cards), theme_fields=tally.ordered_theme_fields())
    a, b = evaluate(tally, rules), evaluate(shuffled, rules)

    def summary(result):
        return (
            result.total_dots,
            sorted(
                (g.goal.id, g.points, g.is_priority, tuple(sorted(c.id for c in g.cards)))
                for g in result.goals
            ),
            sorted((e.card.id, e.reason) for e in result.topic_store),
            sorted((n.goal.goal.id, n.side) for n in result.near_threshold),
            sorted((w.code, w.card_id or "", w.goal_id or "") for w in result.warnings),
        )

    assert summary(a) == summary(b)
