"""Ballots must agree with the tally and the rules."""

from __future__ import annotations

import pytest

from klebepunkt.domain import BallotField, DomainError, Rules, Tally, ballot_problems, check_ballots
from tests.domain.explain_helpers import ballot, card, four_goals, goal

TALLY = Tally(goals=(goal("g"),), cards=(card("a", 3, "g"), card("b", 2, "g")))


def fields(ballots, rules=None):
    return [(p.field, p.ballot.voter_id) for p in ballot_problems(TALLY, ballots, rules or Rules())]


def test_consistent_ballots_pass():
    tally, ballots = four_goals()
    check_ballots(tally, ballots, Rules())


def test_ballots_cannot_give_a_card_more_dots_than_it_carries():
    assert fields([ballot("A", "a", 2), ballot("B", "a", 2)]) == [(BallotField.DOTS, "B")]
    with pytest.raises(DomainError, match="carries only 3"):
        check_ballots(TALLY, [ballot("A", "a", 2), ballot("B", "a", 2)], Rules())


def test_a_voter_cannot_spend_more_than_their_dots():
    rules = Rules(dots_per_voter=4)
    assert fields([ballot("A", "a", 3), ballot("A", "b", 2)], rules) == [(BallotField.DOTS, "A")]


def test_a_voter_cannot_put_more_than_the_cap_on_one_card():
    rules = Rules(cap_per_card=1)
    assert fields([ballot("A", "a", 1), ballot("A", "a", 1)], rules) == [(BallotField.DOTS, "A")]


def test_unknown_card_negative_dots_missing_voter_and_two_groups():
    problems = fields(
        [
            ballot("A", "zz", 1),
            ballot("A", "a", -1),
            ballot(" ", "a", 1),
            ballot("B", "a", 1, "Politik"),
            ballot("B", "b", 1, "Freie Träger"),
        ]
    )
    assert problems == [
        (BallotField.CARD, "A"),
        (BallotField.DOTS, "A"),
        (BallotField.VOTER, " "),
        (BallotField.STAKEHOLDER_GROUP, "B"),
    ]
