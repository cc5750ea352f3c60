"""A card moved to another goal on the board and paper dots entered or corrected in a round
change the result: each leaves a ChangeRecord (who, when, before, after) shown on "Verlauf"."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klebepunkt.processes import models, services
from klebepunkt.processes.models import ChangeKind
from klebepunkt.voting import services as voting_services

pytestmark = pytest.mark.django_db


def a_card_and_two_goals(process: models.Process) -> tuple[models.Card, models.Goal, models.Goal]:
    card = (
        models.Card.objects.filter(theme_field__process=process, goal=None).exclude(text="").first()
    )
    assert card is not None
    first = services.create_goal(theme_field=card.theme_field, text="Radwege sicher")
    second = services.create_goal(theme_field=card.theme_field, text="Busse öfter")
    return card, first, second


def test_a_card_moved_on_the_board_is_recorded_with_the_goals_before_and_after(
    koblenz, facilitator, facilitator_client
):
    card, first, second = a_card_and_two_goals(koblenz)
    services.assign_card(card=card, goal=first, by=facilitator)
    url = reverse("processes:board_assign", args=[koblenz.pk])
    assert facilitator_client.post(url, {"card": card.pk, "goal": second.pk}).status_code < 400
    facilitator_client.post(url, {"card": card.pk, "goal": ""})
    records = list(models.ChangeRecord.objects.filter(process=koblenz).order_by("id"))
    assert [(r.kind, r.subject, r.actor_name) for r in records] == [
        (ChangeKind.CARD_MOVED, card.text, "moderation")
    ] * 3
    assert [(r.before, r.after) for r in records] == [
        ({"goal": None}, {"goal": "Radwege sicher"}),
        ({"goal": "Radwege sicher"}, {"goal": "Busse öfter"}),
        ({"goal": "Busse öfter"}, {"goal": None}),
    ]
    page = unescape(
        facilitator_client.get(reverse("processes:history", args=[koblenz.pk])).content.decode()
    )
    assert "Karte einem anderen Ziel zugeordnet" in page
    assert "Busse öfter" in page


def test_a_card_put_on_the_goal_it_has_leaves_no_record(koblenz, facilitator):
    card, first, _second = a_card_and_two_goals(koblenz)
    services.assign_card(card=card, goal=first, by=facilitator)
    services.assign_card(card=card, goal=first, by=facilitator)
    assert models.ChangeRecord.objects.filter(kind=ChangeKind.CARD_MOVED).count() == 1


def test_a_refused_move_leaves_no_record(koblenz, facilitator):
    card, _first, _second = a_card_and_two_goals(koblenz)
    elsewhere = models.ThemeField.objects.filter(process=koblenz).exclude(pk=card.theme_field_id)
    foreign = services.create_goal(theme_field=elsewhere.first(), text="Anderswo")
    with pytest.raises(ValidationError):
        services.assign_card(card=card, goal=foreign, by=facilitator)
    assert not models.ChangeRecord.objects.exists()


def test_paper_totals_entered_and_corrected_are_recorded(koblenz_blank, facilitator):
    voting_round = voting_services.open_round(
        voting_round=voting_services.create_round(process=koblenz_blank, title="Punktabfrage")
    )
    card = models.Card.objects.filter(theme_field__process=koblenz_blank).order_by("id").first()
    assert card is not None
    for dots in (4, 3, 3):  # the second corrects the first, the third changes nothing
        voting_services.set_paper_total(
            voting_round=voting_round, card=card, dots=dots, actor=facilitator
        )
    records = list(models.ChangeRecord.objects.order_by("id"))
    assert [(r.kind, r.subject, r.actor) for r in records] == [
        (ChangeKind.PAPER_DOTS, f"Punktabfrage · {card.label}", facilitator)
    ] * 2
    assert [(r.before, r.after) for r in records] == [
        ({"dots": 0}, {"dots": 4}),
        ({"dots": 4}, {"dots": 3}),
    ]


def test_a_paper_ballot_is_recorded_by_pseudonym_and_a_refused_one_not(koblenz_blank, facilitator):
    voting_round = voting_services.open_round(
        voting_round=voting_services.create_round(
            process=koblenz_blank, title="Punktabfrage", cap_per_card=2
        )
    )
    voter = voting_round.voters.select_related("member").first()
    card = models.Card.objects.filter(theme_field__process=koblenz_blank).order_by("id").first()
    voting_services.set_paper_ballot(voter=voter, card=card, dots=2, actor=facilitator)
    with pytest.raises(ValidationError):  # over the cap of 2: nothing changes
        voting_services.set_paper_ballot(voter=voter, card=card, dots=3, actor=facilitator)
    [record] = models.ChangeRecord.objects.all()
    assert record.kind == ChangeKind.PAPER_DOTS
    assert record.subject == f"Punktabfrage · {voter.pseudonym} · {card.label}"
    assert (record.before, record.after) == ({"dots": 0}, {"dots": 2})
    assert voter.member.name not in record.subject


def test_paper_dots_stay_out_of_the_history_until_the_round_is_revealed(
    koblenz_blank, facilitator, facilitator_client
):
    voting_round = voting_services.open_round(
        voting_round=voting_services.create_round(process=koblenz_blank, title="Punktabfrage")
    )
    card = models.Card.objects.filter(theme_field__process=koblenz_blank).order_by("id").first()
    voting_services.set_paper_total(voting_round=voting_round, card=card, dots=4, actor=facilitator)
    url = reverse("processes:history", args=[koblenz_blank.pk])
    assert "Papierpunkte" not in facilitator_client.get(url).content.decode()  # counts secret
    voting_services.close_round(voting_round=voting_round)
    assert "Papierpunkte" not in facilitator_client.get(url).content.decode()
    voting_services.reveal_round(voting_round=voting_round)
    assert "Papierpunkte eingetragen" in facilitator_client.get(url).content.decode()
    assert models.ChangeRecord.objects.get().hidden_round is None
