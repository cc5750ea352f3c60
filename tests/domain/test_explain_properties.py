"""Invariants of the explanation over random tallies and ballots (hypothesis)."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from klebepunkt.domain import (
    Aggregation,
    Ballot,
    Card,
    Rules,
    Tally,
    analyse,
    evaluate,
)
from klebepunkt.domain.margins import dots_to_change
from klebepunkt.domain.stability import stability
from tests.domain.test_properties import tallies

VOTERS = ("v0", "v1", "v2", "v3", "v4", "v5")
GROUPS = {
    "v0": "Politik",
    "v1": "Politik",
    "v2": "Freie Träger",
    "v3": "Interessenvertreter",
    "v4": "Freie Träger",
    "v5": "Politik",
}
RULES = st.builds(
    Rules,
    dots_per_voter=st.just(1000),
    goal_threshold=st.integers(1, 8),
    aggregation=st.sampled_from(list(Aggregation)),
)


@st.composite
def tallies_with_ballots(draw) -> tuple[Tally, tuple[Ballot, ...]]:
    """Each dot of each card belongs to a voter or is a paper dot without a ballot."""
    tally = draw(tallies())
    ballots = []
    for card in tally.cards:
        owners: dict[str, int] = defaultdict(int)
        for _ in range(card.dots):
            owner = draw(st.sampled_from((*VOTERS, None)))
            if owner is not None:
                owners[owner] += 1
        ballots += [Ballot(v, GROUPS[v], card.id, dots) for v, dots in owners.items()]
    return tally, tuple(ballots)


def without_voter(tally: Tally, ballots: tuple[Ballot, ...], voter: str) -> Tally:
    taken: dict[str, int] = defaultdict(int)
    for ballot in ballots:
        if ballot.voter_id == voter:
            taken[ballot.card_id] += ballot.dots
    cards = tuple(
        Card(
            id=c.id,
            theme_field=c.theme_field,
            text=c.text,
            dots=c.dots - taken[c.id],
            goal_id=c.goal_id,
        )
        for c in tally.cards
    )
    return Tally(tally.goals, cards, tally.theme_fields)


@settings(max_examples=150, deadline=None)
@given(tallies_with_ballots(), RULES)
def test_leave_one_out_agrees_with_evaluating_again_without_each_voter(case, rules):
    tally, ballots = case
    result = stability(evaluate(tally, rules), ballots)
    before = {g.goal.id for g in evaluate(tally, rules).priorities}
    expected: dict[str, list[str]] = defaultdict(list)
    for voter in dict.fromkeys(b.voter_id for b in ballots):
        after = {
            g.goal.id for g in evaluate(without_voter(tally, ballots, voter), rules).priorities
        }
        assert after <= before  # staying home never lifts a goal
        for goal_id in before - after:
            expected[goal_id].append(voter)
    assert {
        s.goal.goal.id: list(s.pivotal_voters) for s in result.goals if s.pivotal_voters
    } == dict(expected)


@settings(max_examples=150, deadline=None)
@given(tallies_with_ballots(), RULES)
def test_margin_is_never_negative_for_the_side_the_goal_is_on(case, rules):
    tally, ballots = case
    for margin in analyse(tally, rules, ballots).margins:
        assert margin.dots_to_change >= 1
        if margin.is_priority:
            assert margin.dots_to_lose is not None and margin.dots_to_lose >= 1
            assert margin.dots_needed is None
        else:
            assert margin.dots_needed is not None and margin.dots_needed >= 1
            assert margin.dots_to_lose is None


@given(
    st.lists(st.integers(1, 9), min_size=1, max_size=5),
    st.integers(1, 12),
    st.sampled_from(list(Aggregation)),
)
def test_margin_is_the_fewest_dots_that_change_the_status(card_dots, threshold, aggregation):
    """Checked against the greedy move: add to the strongest card, or take from the strongest."""

    def points(dots: list[int]) -> int:
        return max(dots) if aggregation is Aggregation.BEST_CARD else sum(dots)

    margin = dots_to_change(card_dots, threshold, aggregation)
    priority = points(card_dots) >= threshold
    dots = list(card_dots)
    moves = 0
    while (points(dots) >= threshold) == priority:
        strongest = dots.index(max(dots))
        dots[strongest] += -1 if priority else 1
        moves += 1
    assert moves == margin


@settings(max_examples=100, deadline=None)
@given(tallies_with_ballots(), RULES, st.data())
def test_a_voter_who_supports_nothing_changes_nothing(case, rules, data):
    tally, ballots = case
    assume(ballots)  # without any per-voter data there is no voter to add or remove
    card = data.draw(st.sampled_from(tally.cards))
    idle = Ballot("idle", "Politik", card.id, 0)
    with_idle = analyse(tally, rules, (*ballots, idle))
    without = analyse(tally, rules, ballots)
    assert with_idle.margins == without.margins
    assert with_idle.clustering_effect == without.clustering_effect
    assert with_idle.support.goals == without.support.goals
    assert with_idle.stability.goals == without.stability.goals
    assert with_idle.support.voters == without.support.voters + 1


@settings(max_examples=100, deadline=None)
@given(tallies_with_ballots(), RULES)
def test_support_accounts_for_every_dot(case, rules):
    tally, ballots = case
    result = analyse(tally, rules, ballots)
    if not ballots:
        assert not result.support.available
        return
    for goal in result.support.goals:
        assert goal.attributed_dots + goal.unattributed_dots == goal.goal.card_dots
        assert sum(group.dots for group in goal.groups) == goal.attributed_dots
        assert sum(group.voters for group in goal.groups) == goal.supporters
        assert 0 <= goal.largest_supporter_share <= 1
