"""Support: distinct supporters, stakeholder groups, the largest supporter, one-voter priorities."""

from __future__ import annotations

from klebepunkt.domain import Rules, Tally, evaluate
from klebepunkt.domain.support import GroupSupport, support
from tests.domain.explain_helpers import ballot, card, four_goals, goal


def by_goal(result):
    return {s.goal.goal.id: s for s in result.goals}


def test_support_counts_distinct_supporters_and_groups():
    tally, ballots = four_goals()
    result = support(evaluate(tally, Rules()), ballots)
    assert result.available
    assert result.voters == 4
    g1 = by_goal(result)["g1"]
    assert g1.supporters == 2
    assert g1.groups == (GroupSupport("Freie Träger", 1, 2), GroupSupport("Politik", 1, 2))
    assert (g1.largest_supporter, g1.largest_supporter_dots) == ("A", 2)  # a tie: first by id
    assert g1.largest_supporter_share == 0.5
    assert g1.unattributed_dots == 0


def test_priority_with_all_dots_from_one_voter_is_flagged():
    tally, ballots = four_goals()
    result = support(evaluate(tally, Rules()), ballots)
    assert [s.goal.goal.id for s in result.single_supporter_priorities] == ["g2"]
    assert by_goal(result)["g2"].largest_supporter_share == 1.0


def test_paper_dots_are_unattributed_and_never_one_voter():
    tally, ballots = four_goals()
    g3 = by_goal(support(evaluate(tally, Rules()), ballots))["g3"]
    assert (g3.supporters, g3.attributed_dots, g3.unattributed_dots) == (1, 2, 3)
    assert g3.largest_supporter_share == 2 / 5
    assert not g3.single_supporter


def test_a_goal_below_the_threshold_is_never_flagged():
    tally, ballots = four_goals()
    g4 = by_goal(support(evaluate(tally, Rules()), ballots))["g4"]
    assert g4.supporters == 1
    assert not g4.single_supporter


def test_support_without_ballots_is_not_available_and_says_why():
    tally, _ = four_goals()
    for ballots in (None, ()):
        result = support(evaluate(tally), ballots)
        assert not result.available
        assert result.goals == ()
        assert "per-voter" in str(result.reason)


def test_zero_dot_ballot_counts_the_voter_but_supports_nothing():
    tally = Tally(goals=(goal("g"),), cards=(card("a", 3, "g"),))
    result = support(evaluate(tally), (ballot("A", "a", 3), ballot("Z", "a", 0)))
    assert result.voters == 2
    assert result.goals[0].supporters == 1
