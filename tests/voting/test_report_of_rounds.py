"""The report describes the voting rounds as they were held, not the process's settings.

A round held with a cap of 3 dots per card and hidden results, in a process whose
own setting has no cap, must not be reported as "several dots could go on the same
card": every format states the cap and the hidden results.
"""

from __future__ import annotations

import json

import pytest

from klebepunkt.i18n import translator
from klebepunkt.processes.models import Card
from klebepunkt.processes.reporting import process_report
from klebepunkt.reports import render
from klebepunkt.voting import services
from tests.reports.conftest import docx_text, pdf_text, squash

pytestmark = pytest.mark.django_db

CAP = "höchstens 3 davon auf einer Karte"
HIDDEN = "blieben verborgen, bis die Moderation sie freigab"
SETTINGS_SENTENCE = "Mehrere Punkte durften auf dieselbe Karte geklebt werden"


@pytest.fixture
def held_round(koblenz_blank):
    assert koblenz_blank.cap_per_card is None  # the process's own setting: no cap
    voting_round = services.open_round(
        voting_round=services.create_round(
            process=koblenz_blank,
            title="Punktabfrage im Ausschuss",
            dots_per_voter=5,
            cap_per_card=3,
            hide_results=True,
            secret=True,
        )
    )
    cards = list(Card.objects.filter(theme_field__process=koblenz_blank).order_by("id")[:3])
    voters = list(voting_round.voters.order_by("id"))
    for card in cards:
        services.place_dot(voter_id=voters[0].pk, card_id=card.pk)
    for _ in range(3):
        services.place_dot(voter_id=voters[1].pk, card_id=cards[0].pk)
    services.close_round(voting_round=voting_round)
    services.reveal_round(voting_round=voting_round)
    return koblenz_blank, len(voters)


def test_the_report_states_the_rounds_cap_and_hidden_results_in_every_format(held_round):
    process, voters = held_round
    report = process_report(process, translator("de"), language="de")
    texts = {
        "pdf": pdf_text(render(report, "pdf")),
        "docx": docx_text(render(report, "docx")),
        "md": render(report, "md").decode("utf-8"),
        "json": "\n".join(json.loads(render(report, "json"))["documentation"]["method"]),
    }
    for fmt, text in texts.items():
        assert squash(CAP) in squash(text), fmt
        assert squash(HIDDEN) in squash(text), fmt
        assert squash(SETTINGS_SENTENCE) not in squash(text), fmt
        assert squash(f"2 von {voters} Mitgliedern haben abgestimmt") in squash(text), fmt


def test_the_json_report_lists_each_round_with_its_settings_and_turnout(held_round):
    process, voters = held_round
    report = process_report(process, translator("de"), language="de")
    [held] = json.loads(render(report, "json"))["documentation"]["rounds"]
    assert held["title"] == "Punktabfrage im Ausschuss"
    assert (held["dots_per_voter"], held["cap_per_card"]) == (5, 3)
    assert (held["hide_results"], held["secret"], held["form"]) == (True, True, "digital")
    assert (held["voted"], held["voters"], held["dots"]) == (2, voters, 6)
    assert held["date"] is not None


def test_word_and_excel_carry_the_rounds_table(held_round):
    process, _voters = held_round
    report = process_report(process, translator("de"), language="de")
    assert "Höchstens je Karte" in docx_text(render(report, "docx"))
    from tests.reports.conftest import xlsx_workbook

    workbook = xlsx_workbook(render(report, "xlsx"))
    [sheet] = [name for name in workbook.sheetnames if "Abstimmungsrunden" in name]
    rows = list(workbook[sheet].iter_rows(values_only=True))
    assert rows[1][0] == "Punktabfrage im Ausschuss"
    assert rows[1][4] == "3"
