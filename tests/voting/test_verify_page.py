"""The audit check's page words each discrepancy as the CLI does: one shared wording."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from klebepunkt.i18n import translator
from klebepunkt.processes.selectors import card_labels
from klebepunkt.reports.wording import discrepancy_text
from klebepunkt.voting import selectors, services
from tests.voting.test_services import cards, open_round  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_verify_page_words_a_forged_ballot_in_german(open_round, facilitator_client):  # noqa: F811
    voter = open_round.voters.first()
    card = cards(open_round.process, 1)[0]
    services.place_dot(voter_id=voter.pk, card_id=card.pk)
    with connection.cursor() as cursor:  # an administrator edits the database directly
        cursor.execute("UPDATE voting_ballot SET dots = 2 WHERE voter_id = %s", [voter.pk])
    problems = selectors.verify_round(open_round)
    page = facilitator_client.get(
        reverse("voting:verify", args=[open_round.process.pk, open_round.pk])
    ).content.decode("utf-8")
    labels = card_labels({card.pk})
    [ballot] = [p for p in problems if p.what == "ballot"]
    expected = discrepancy_text(ballot, translator("de"), labels)
    assert expected.startswith(f"Punkte von {voter.pseudonym} auf Karte {card.pk} (")
    assert expected.endswith(": 2 gespeichert, 1 laut Prüfprotokoll")
    assert f"<li>{escape(expected)}</li>" in page
    assert ballot.detail not in page  # the English technical line is not shown
