"""The decision rule: majority, quorum, abstentions, ties; the Koblenz working group."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klebepunkt.domain import DomainError
from klebepunkt.domain.decision import DecisionRule, Outcome, Votes, outcome, quorum

KOBLENZ_VOTING_MEMBERS = 19


def test_koblenz_majority_of_the_votes_cast():
    # 15 of 19 voting members present: quorum (10); 9 yes, 4 no, 2 abstentions
    result = outcome(Votes(9, 4, 2), present_voting=15, voting_members=19, rule=DecisionRule.SIMPLE)
    assert result is Outcome.PASSED


def test_koblenz_failed_quorum():
    # 9 of 19 present: fewer than half; even unanimous yes decides nothing
    result = outcome(Votes(9, 0, 0), present_voting=9, voting_members=19, rule=DecisionRule.SIMPLE)
    assert result is Outcome.NO_QUORUM
    assert quorum(19) == 10
    assert (
        outcome(Votes(10, 0, 0), present_voting=10, voting_members=19, rule=DecisionRule.SIMPLE)
        is Outcome.PASSED
    )


def test_abstentions_are_not_votes_cast():
    # 3 yes, 2 no, 10 abstentions: carried by the votes cast
    assert (
        outcome(Votes(3, 2, 10), present_voting=15, voting_members=19, rule=DecisionRule.SIMPLE)
        is Outcome.PASSED
    )
    # under the absolute majority 3 of 19 is far too few
    assert (
        outcome(Votes(3, 2, 10), present_voting=15, voting_members=19, rule=DecisionRule.ABSOLUTE)
        is Outcome.FAILED
    )


def test_a_tie_is_a_rejection():
    assert (
        outcome(Votes(6, 6, 3), present_voting=15, voting_members=19, rule=DecisionRule.SIMPLE)
        is Outcome.FAILED
    )
    assert (
        outcome(Votes(0, 0, 15), present_voting=15, voting_members=19, rule=DecisionRule.SIMPLE)
        is Outcome.FAILED
    )


def test_absolute_majority_needs_more_than_half_of_all_voting_members():
    def absolute(yes: int) -> Outcome:
        return outcome(
            Votes(yes, 0, 0), present_voting=19, voting_members=19, rule=DecisionRule.ABSOLUTE
        )

    assert absolute(9) is Outcome.FAILED
    assert absolute(10) is Outcome.PASSED


@pytest.mark.parametrize(
    ("votes", "present", "members"),
    [
        (Votes(10, 5, 1), 15, 19),  # 16 votes, 15 present
        (Votes(1, 0, 0), 20, 19),  # more present than members
        (Votes(-1, 0, 0), 10, 19),
    ],
)
def test_impossible_counts_are_refused(votes, present, members):
    with pytest.raises(DomainError):
        outcome(votes, present_voting=present, voting_members=members, rule=DecisionRule.SIMPLE)


@st.composite
def counts(draw):
    members = draw(st.integers(0, 60))
    present = draw(st.integers(0, members))
    yes = draw(st.integers(0, present))
    no = draw(st.integers(0, present - yes))
    abstain = draw(st.integers(0, present - yes - no))
    return Votes(yes, no, abstain), present, members


@given(counts(), st.sampled_from(list(DecisionRule)))
def test_without_quorum_nothing_is_decided(case, rule):
    votes, present, members = case
    result = outcome(votes, present_voting=present, voting_members=members, rule=rule)
    assert (result is Outcome.NO_QUORUM) == (members == 0 or 2 * present < members)


@given(counts())
def test_absolute_majority_implies_simple_majority(case):
    votes, present, members = case
    absolute = outcome(
        votes, present_voting=present, voting_members=members, rule=DecisionRule.ABSOLUTE
    )
    simple = outcome(
        votes, present_voting=present, voting_members=members, rule=DecisionRule.SIMPLE
    )
    if absolute is Outcome.PASSED:
        assert simple is Outcome.PASSED


@given(counts(), st.sampled_from(list(DecisionRule)))
def test_one_more_yes_never_turns_a_pass_into_a_failure(case, rule):
    votes, present, members = case
    before = outcome(votes, present_voting=present, voting_members=members, rule=rule)
    if votes.total < present:
        after = outcome(
            Votes(votes.yes + 1, votes.no, votes.abstain),
            present_voting=present,
            voting_members=members,
            rule=rule,
        )
        assert not (before is Outcome.PASSED and after is not Outcome.PASSED)


@given(counts())
def test_switching_yes_and_no_never_carries_both(case):
    votes, present, members = case
    forward = outcome(
        votes, present_voting=present, voting_members=members, rule=DecisionRule.SIMPLE
    )
    backward = outcome(
        Votes(votes.no, votes.yes, votes.abstain),
        present_voting=present,
        voting_members=members,
        rule=DecisionRule.SIMPLE,
    )
    assert not (forward is Outcome.PASSED and backward is Outcome.PASSED)


@pytest.mark.parametrize(
    ("members", "present", "quorate"),
    [
        (19, 9, False),  # the Koblenz working group: 9 of 19 is less than half
        (19, 10, True),
        (20, 9, False),
        (20, 10, True),  # an even count: exactly half is quorate
        (2, 1, True),
        (1, 0, False),
        (1, 1, True),
    ],
)
def test_the_quorum_is_at_least_half_of_the_voting_members(members, present, quorate):
    result = outcome(
        Votes(present, 0, 0),
        present_voting=present,
        voting_members=members,
        rule=DecisionRule.SIMPLE,
    )
    assert (result is not Outcome.NO_QUORUM) is quorate
    assert (present >= quorum(members)) is quorate
    assert (2 * present >= members) is quorate  # "at least half", as the texts say
