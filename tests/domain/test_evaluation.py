"""The seed's rule, case by case."""

from __future__ import annotations

import pytest

from klebepunkt.domain import (
    Aggregation,
    Card,
    DomainError,
    FindingCode,
    Goal,
    NearSide,
    PlacementKind,
    Rules,
    Tally,
    TopicStoreReason,
    evaluate,
)


def goal(gid: str, field: str = "Pflege", nr: str = "", stated: int | None = None) -> Goal:
    return Goal(id=gid, theme_field=field, text=f"Ziel {gid}", nr=nr, stated_points=stated)


def card(
    cid: str, dots: int, goal_id: str | None = None, field: str = "Pflege", text: str | None = None
) -> Card:
    return Card(
        id=cid,
        theme_field=field,
        text=f"Karte {cid}" if text is None else text,
        dots=dots,
        goal_id=goal_id,
    )


def test_zero_dot_card_goes_to_topic_store():
    result = evaluate(Tally(goals=(goal("g"),), cards=(card("a", 0, "g"), card("b", 3, "g"))))
    [entry] = result.topic_store
    assert entry.card.id == "a"
    assert entry.reason is TopicStoreReason.NO_DOTS
    assert [c.id for c in result.priorities[0].cards] == ["b"]


def test_goal_points_are_the_sum_of_its_cards():
    result = evaluate(Tally(goals=(goal("g"),), cards=(card("a", 1, "g"), card("b", 2, "g"))))
    assert result.goals[0].points == 3
    assert result.goals[0].is_priority


def test_goal_below_threshold_puts_all_its_cards_in_topic_store():
    result = evaluate(Tally(goals=(goal("g"),), cards=(card("a", 1, "g"), card("b", 1, "g"))))
    assert not result.priorities
    assert [(e.card.id, e.reason, e.goal_points) for e in result.topic_store] == [
        ("a", TopicStoreReason.GOAL_BELOW_THRESHOLD, 2),
        ("b", TopicStoreReason.GOAL_BELOW_THRESHOLD, 2),
    ]


def test_threshold_is_inclusive():
    tally = Tally(goals=(goal("g"),), cards=(card("a", 3, "g"),))
    assert evaluate(tally, Rules(goal_threshold=3)).priorities
    assert not evaluate(tally, Rules(goal_threshold=4)).priorities


def test_best_card_aggregation_takes_the_strongest_card():
    tally = Tally(goals=(goal("g"),), cards=(card("a", 2, "g"), card("b", 2, "g")))
    assert evaluate(tally, Rules(aggregation=Aggregation.BEST_CARD)).goals[0].points == 2
    assert evaluate(tally).goals[0].points == 4


def test_unclustered_card_with_dots_counts_as_own_goal_with_warning():
    result = evaluate(Tally(cards=(card("a", 4), card("b", 1))))
    assert [(g.goal.text, g.points, g.is_priority, g.clustered) for g in result.goals] == [
        ("Karte a", 4, True, False),
        ("Karte b", 1, False, False),
    ]
    assert [w.code for w in result.warnings] == [FindingCode.UNCLUSTERED_CARD] * 2
    assert "Karte a" in result.warnings[0].message.render()


def test_card_without_text_is_a_dot_on_the_goal_itself():
    result = evaluate(Tally(goals=(goal("g"),), cards=(card("a", 1, "g", text=""),)))
    [entry] = result.topic_store
    assert entry.text == "Ziel g"
    assert result.total_dots == 1


def test_stated_goal_points_that_differ_are_reported():
    tally = Tally(
        goals=(goal("g", stated=5), goal("h", stated=2)),
        cards=(card("a", 4, "g"), card("b", 2, "h")),
    )
    [finding] = evaluate(tally).warnings
    assert finding.code is FindingCode.STATED_POINTS_DIFFER
    assert finding.goal_id == "g"
    assert "5" in finding.message.render() and "4" in finding.message.render()


@pytest.mark.parametrize(
    ("points", "side"), [(2, NearSide.BELOW), (3, NearSide.AT), (1, None), (4, None)]
)
def test_near_threshold_either_side(points, side):
    result = evaluate(Tally(goals=(goal("g"),), cards=(card("a", points, "g"),)))
    assert [n.side for n in result.near_threshold] == ([side] if side else [])


def test_same_goal_text_in_two_theme_fields_is_two_goals():
    tally = Tally(
        goals=(Goal("p", "Pflege", "Mehr Personal"), Goal("w", "Wohnen", "Mehr Personal")),
        cards=(card("a", 2, "p", "Pflege"), card("b", 2, "w", "Wohnen")),
    )
    result = evaluate(tally)
    assert [(g.theme_field, g.points) for g in result.goals] == [("Pflege", 2), ("Wohnen", 2)]


def test_card_pointing_at_unknown_goal_is_an_error():
    with pytest.raises(DomainError, match="does not exist"):
        evaluate(Tally(cards=(card("a", 1, "nope"),)))


def test_card_and_goal_in_different_theme_fields_is_an_error():
    with pytest.raises(DomainError, match="theme field"):
        evaluate(Tally(goals=(goal("g", "Wohnen"),), cards=(card("a", 1, "g", "Pflege"),)))


@pytest.mark.parametrize(
    "changes",
    [{"dots_per_voter": 0}, {"goal_threshold": 0}, {"cap_per_card": 0}],
)
def test_rules_reject_impossible_numbers(changes):
    with pytest.raises(DomainError):
        Rules(**changes)


def test_placements_say_where_each_card_went():
    tally = Tally(
        goals=(goal("g"), goal("h")),
        cards=(card("a", 3, "g"), card("b", 1, "h"), card("c", 0, "h")),
    )
    placements = evaluate(tally).placements()
    assert placements["a"].kind is PlacementKind.PRIORITY
    assert placements["b"].entry.reason is TopicStoreReason.GOAL_BELOW_THRESHOLD
    assert placements["c"].entry.reason is TopicStoreReason.NO_DOTS


def test_theme_field_order_follows_declaration_then_appearance():
    tally = Tally(cards=(card("a", 0, field="B"), card("b", 0, field="A")), theme_fields=("Z",))
    assert [f.name for f in evaluate(tally).theme_fields] == ["Z", "B", "A"]


def test_topic_store_entry_explains_itself_with_the_goals_points():
    result = evaluate(Tally(goals=(goal("g"),), cards=(card("a", 1, "g"), card("b", 1, "g"))))
    by_card = {e.card.id: e.explanation(result.threshold) for e in result.topic_store}
    assert by_card["a"].render() == "goal below the threshold (2 of 3)"
    lone = evaluate(Tally(goals=(goal("g"),), cards=(card("a", 0, "g"), card("b", 3, "g"))))
    [entry] = lone.topic_store
    assert entry.explanation(lone.threshold).render() == "no dot"
