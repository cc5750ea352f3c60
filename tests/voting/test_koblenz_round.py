"""The Koblenz process voted again digitally: the seed's 47 dots reproduce the seed's result."""

from __future__ import annotations

import pytest

from klebepunkt.processes import selectors as process_selectors
from klebepunkt.processes.models import Card
from klebepunkt.samples import load_sample
from klebepunkt.voting import selectors, services

pytestmark = pytest.mark.django_db


def seed_dots_by_card(process) -> list[tuple[int, int]]:
    """(card id, dots) as the seed has them, matched by theme field and text or goal."""
    record = load_sample("koblenz-2017")
    goals = {goal.id: goal.text for goal in record.tally.goals}
    wanted = {
        (c.theme_field, c.text, goals.get(c.goal_id or "", "")): c.dots for c in record.tally.cards
    }
    result = []
    for card in Card.objects.filter(theme_field__process=process).select_related(
        "theme_field", "goal"
    ):
        dots = wanted[(card.theme_field.name, card.text, card.goal.text if card.goal else "")]
        if dots:
            result.append((card.pk, dots))
    return result


def test_a_scripted_digital_round_reproduces_the_seed(koblenz_blank, koblenz_expected):
    voting_round = services.open_round(
        voting_round=services.create_round(process=koblenz_blank, title="Punktabfrage")
    )
    voters = list(voting_round.voters.order_by("id"))
    next_voter = 0
    for card_id, dots in seed_dots_by_card(koblenz_blank):
        for _ in range(dots):
            while voters[next_voter % len(voters)].used >= 8:
                next_voter += 1
            voter = voters[next_voter % len(voters)]
            services.place_dot(voter_id=voter.pk, card_id=card_id)
            voter.used += 1
            next_voter += 1
    summary = selectors.round_summary(voting_round)
    assert summary.dots_cast == 47
    assert summary.results is None  # hidden while open
    services.close_round(voting_round=voting_round)
    services.reveal_round(voting_round=voting_round)
    voting_round.refresh_from_db()
    assert selectors.verify_round(voting_round) == []

    result = process_selectors.evaluate_process(koblenz_blank)
    assert result.total_dots == 47
    assert [[g.theme_field, g.goal.text, g.points] for g in result.priorities] == koblenz_expected[
        "teil_ii"
    ]
    assert len(result.topic_store) == 51
