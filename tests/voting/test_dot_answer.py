"""The click's answer and its database work: the hot path stays as small as it is.

The HTMX answer is put together from fragments rendered once per content and language
(``processes.fragments``); it must stay exactly what the templates render, in the
member's language, and a click must send no SQL beyond its one transaction.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation

from klebepunkt.processes.models import Card
from klebepunkt.voting import codes, services
from klebepunkt.voting.models import Voter

pytestmark = pytest.mark.django_db

# the answer as one template rendered it before the fragments were kept (dot_response.html)
ONE_TEMPLATE = (
    '{% load i18n %}{% if entry %}{% include "voting/own_dots.html" with oob=True %}\n'
    '{% include "voting/dots_left.html" with oob=True %}\n'
    '{% endif %}{% include "voting/dot_status.html" %}'
)


@pytest.fixture
def voting_round(koblenz_blank):
    return services.open_round(
        voting_round=services.create_round(process=koblenz_blank, title="Punktabfrage")
    )


def joined(voter: Voter, language: str = "de") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.post(reverse("voting:join"), {"code": codes.format_code(voter.code)})
    return client


def click(client: Client, card: Card, action: str = "add") -> str:
    response = client.post(
        reverse("voting:dot"), {"card": card.pk, "action": action}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return response.content.decode()


def one_template(language: str, status: str, error: bool, voter: Voter, card: Card) -> str:
    voter.refresh_from_db()
    dots = voter.ballots.filter(card=card).values_list("dots", flat=True).first() or 0
    left = voter.budget - voter.used
    context: dict[str, object] = {"status": status, "error": error}
    if not error:
        context |= {
            "entry": {"card": {"pk": card.pk}, "dots": dots, "range": range(dots)},
            "left": left,
            "budget": voter.budget,
            "marks": [True] * left + [False] * (voter.budget - left),
        }
    with translation.override(language):
        return engines["django"].from_string(ONE_TEMPLATE).render(context)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_answer_is_exactly_what_the_templates_render(voting_round, language):
    voter = voting_round.voters.first()
    client = joined(voter, language)
    card = Card.objects.filter(theme_field__process=voting_round.process).first()
    placed = {"de": "Punkt geklebt", "en": "Dot placed"}[language]
    for _round in range(2):  # the second time every fragment comes from the store
        answer = click(client, card)
        with translation.override(language):
            status = translation.gettext("Dot placed. %(left)s of %(budget)s dots left.") % {
                "left": 7,
                "budget": 8,
            }
        assert answer == one_template(language, status, False, voter, card)
        assert placed in answer
        assert click(client, card, "remove") != answer
    refused = click(client, card, "remove")
    with translation.override(language):
        message = str(services.VotingError.MESSAGES["nothing_to_take_back"])
    assert refused == one_template(language, message, True, voter, card)


def test_the_kept_answer_follows_the_members_language(voting_round):
    first, second = voting_round.voters.all()[:2]
    card = Card.objects.filter(theme_field__process=voting_round.process).first()
    german = click(joined(first, "de"), card)
    english = click(joined(second, "en"), card)
    assert "Ihre Punkte hier: 1" in german
    assert "Your dots here: 1" in english
    assert "Dot placed. 7 of 8 dots left." in english


def test_a_click_sends_only_its_transaction(voting_round):
    """Lock and read the voter, change the ballot, the budget and the audit chain: four
    statements (and the BEGIN), no session, no cache, no ORM read around them."""
    client = joined(voting_round.voters.first())
    card = Card.objects.filter(theme_field__process=voting_round.process).first()
    sent: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        words = sql.split()  # "SELECT v.used, …", "UPDATE table …", "INSERT INTO table …"
        sent.append(f"{words[0].upper()} {words[2] if words[0] == 'INSERT' else words[1]}")
        return execute(sql, params, many, context)

    for action in ("add", "remove"):
        sent.clear()
        with connection.execute_wrapper(record):
            click(client, card, action)
        statements = [
            sql for sql in sent if sql.split()[0] not in {"BEGIN", "SAVEPOINT", "RELEASE"}
        ]
        ballot = "INSERT voting_ballot" if action == "add" else "UPDATE voting_ballot"
        assert statements == [
            "SELECT v.used,",
            ballot,
            "UPDATE voting_voter",
            "INSERT voting_dotevent",
        ], sent
