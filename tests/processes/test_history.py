"""The history of a process: a write that changes the result leaves a ChangeRecord (who,
when, what, before, after) in its own transaction, and the "Verlauf" page shows it."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from klebepunkt.processes import models, services
from klebepunkt.processes.history import record_change
from klebepunkt.processes.models import ChangeKind, Role
from klebepunkt.voting import services as voting_services
from tests.factories import ProcessFactory, UserFactory

pytestmark = pytest.mark.django_db


def settings_form(process: models.Process, **changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "title": process.title,
        "body": process.body,
        "year": process.year,
        "description": process.description,
        "dots_per_voter": process.dots_per_voter,
        "goal_threshold": process.goal_threshold,
        "aggregation": process.aggregation,
    }
    return {**form, **changes}


def test_a_new_threshold_is_recorded_with_who_before_and_after(
    koblenz, facilitator, facilitator_client
):
    url = reverse("processes:settings", args=[koblenz.pk])
    assert facilitator_client.post(url, settings_form(koblenz, goal_threshold=4)).status_code == 302
    [record] = models.ChangeRecord.objects.filter(process=koblenz)
    assert record.kind == ChangeKind.RULES
    assert (record.actor, record.actor_name) == (facilitator, "moderation")
    assert (record.before, record.after) == ({"goal_threshold": 3}, {"goal_threshold": 4})
    assert record.created_at is not None


def test_a_new_title_changes_no_result_and_leaves_no_record(koblenz, facilitator_client):
    url = reverse("processes:settings", args=[koblenz.pk])
    facilitator_client.post(url, settings_form(koblenz, title="Ein neuer Titel"))
    assert models.Process.objects.get(pk=koblenz.pk).title == "Ein neuer Titel"
    assert not models.ChangeRecord.objects.exists()


def test_refused_settings_change_nothing_and_leave_no_record(koblenz, facilitator):
    from dataclasses import replace

    settings = replace(services.ProcessSettings.of(koblenz), goal_threshold=0)
    with pytest.raises(ValidationError):
        services.update_process(process=koblenz, settings=settings, by=facilitator)
    assert models.Process.objects.get(pk=koblenz.pk).goal_threshold == 3
    assert not models.ChangeRecord.objects.exists()


def test_dots_of_a_card_changed_on_its_page_are_recorded(koblenz, facilitator_client):
    card = models.Card.objects.filter(theme_field__process=koblenz, dots=2).first()
    assert card is not None
    response = facilitator_client.post(
        reverse("processes:card_edit", args=[koblenz.pk, card.pk]),
        {
            "theme_field": card.theme_field_id,
            "text": card.text,
            "indicator": card.indicator,
            "responsible": card.responsible,
            "dots": 5,
            "origin": card.origin,
        },
    )
    assert response.status_code == 302
    [record] = models.ChangeRecord.objects.all()
    assert (record.kind, record.subject) == (ChangeKind.CARD_DOTS, card.text)
    assert (record.before, record.after) == ({"dots": 2}, {"dots": 5})


def test_a_deleted_card_with_dots_is_recorded_and_one_without_is_not(koblenz, facilitator):
    cards = models.Card.objects.filter(theme_field__process=koblenz)
    with_dots = cards.filter(dots__gt=0).first()
    without = cards.filter(dots=0).first()
    services.delete_card(card=without, by=facilitator)
    services.delete_card(card=with_dots, by=facilitator)
    [record] = models.ChangeRecord.objects.all()
    assert (record.before, record.after) == ({"dots": with_dots.dots}, {"dots": None})


def test_granting_and_revoking_access_are_recorded(koblenz, facilitator):
    reader = UserFactory(username="beobachtung")
    services.grant_role(process=koblenz, user=reader, role=Role.OBSERVER, by=facilitator)
    services.grant_role(process=koblenz, user=reader, role=Role.OBSERVER, by=facilitator)  # same
    services.revoke_role(process=koblenz, user=reader, by=facilitator)
    records = list(models.ChangeRecord.objects.order_by("id"))
    assert [(r.kind, r.subject, r.before, r.after) for r in records] == [
        (ChangeKind.ROLE_GRANTED, "beobachtung", {"role": None}, {"role": "observer"}),
        (ChangeKind.ROLE_REVOKED, "beobachtung", {"role": "observer"}, {"role": None}),
    ]


def test_a_refused_revocation_leaves_no_record(koblenz, facilitator):
    with pytest.raises(ValidationError):
        services.revoke_role(process=koblenz, user=facilitator, by=facilitator)
    assert not models.ChangeRecord.objects.exists()


def test_revoking_and_reissuing_a_voter_code_are_recorded(koblenz_blank, facilitator_client):
    voting_round = voting_services.open_round(
        voting_round=voting_services.create_round(process=koblenz_blank, title="Punktabfrage")
    )
    voter = voting_round.voters.first()
    url = reverse("voting:voter_code", args=[koblenz_blank.pk, voting_round.pk, voter.pk])
    facilitator_client.post(url, {"action": "revoke"})
    facilitator_client.post(url, {"action": "reissue"})
    records = list(models.ChangeRecord.objects.order_by("id"))
    assert [(r.kind, r.subject, r.actor_name) for r in records] == [
        (ChangeKind.CODE_REVOKED, f"Punktabfrage · {voter.pseudonym}", "moderation"),
        (ChangeKind.CODE_REISSUED, f"Punktabfrage · {voter.pseudonym}", "moderation"),
    ]
    assert records[1].after == {"revoked": False, "new_code": True}
    assert voter.code not in str([(r.subject, r.before, r.after) for r in records])


@pytest.mark.django_db(transaction=True)
def test_a_record_is_only_written_inside_the_transaction_of_its_change():
    process = ProcessFactory()
    with pytest.raises(RuntimeError):
        record_change(process=process, kind=ChangeKind.RULES, by=None, before={}, after={})
    with transaction.atomic():
        record_change(process=process, kind=ChangeKind.RULES, by=None, before={}, after={})
    assert models.ChangeRecord.objects.count() == 1


def test_the_history_page_shows_who_what_before_and_after(
    koblenz, facilitator, facilitator_client, client
):
    from dataclasses import replace

    settings = replace(services.ProcessSettings.of(koblenz), goal_threshold=4, cap_per_card=2)
    services.update_process(process=koblenz, settings=settings, by=facilitator)
    url = reverse("processes:history", args=[koblenz.pk])
    page = unescape(facilitator_client.get(url).content.decode())
    assert "Regeln geändert" in page
    assert "moderation" in page
    assert "Obergrenze je Karte: –" in page and "Obergrenze je Karte: <strong>2</strong>" in page
    assert "Schwelle für Ziele: 3" in page and "Schwelle für Ziele: <strong>4</strong>" in page
    observer = UserFactory(username="lesend")
    services.grant_role(process=koblenz, user=observer, role=Role.OBSERVER, by=facilitator)
    client.force_login(observer)
    seen = unescape(client.get(url).content.decode())
    assert "Zugang erteilt: <q>lesend</q>" in seen
    assert "Rolle: <strong>Beobachtung</strong>" in seen


def test_the_history_page_comes_a_page_at_a_time(koblenz, facilitator, facilitator_client):
    with transaction.atomic():
        for n in range(55):
            record_change(
                process=koblenz,
                kind=ChangeKind.CARD_DOTS,
                by=facilitator,
                subject=f"Karte {n}",
                before={"dots": n},
                after={"dots": n + 1},
            )
    url = reverse("processes:history", args=[koblenz.pk])
    first = facilitator_client.get(url).content.decode()
    assert "Karte 54" in first and "Karte 4<" not in first and "Seite 1 von 2" in first
    second = facilitator_client.get(url, {"page": "2"}).content.decode()
    assert "Karte 4<" in second
    assert facilitator_client.get(url, {"page": "²"}).status_code == 200  # not a number: page 1
