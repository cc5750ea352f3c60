"""The decision and the group's own texts in the report, in every format; hostile texts stay
harmless in each."""

from __future__ import annotations

import io
import json

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from klebepunkt.decisions import services
from klebepunkt.domain.decision import Votes
from klebepunkt.processes import models
from klebepunkt.processes.reporting import process_report
from klebepunkt.processes.selectors import evaluate_process
from klebepunkt.reports.render import render_report
from tests.decisions.conftest import attend, final_meeting
from tests.reports.conftest import docx_text, pdf_text, squash, xlsx_workbook

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Vor <script>alert(1)</script> **Wort** [böse](javascript:alert(2)) "
    '[daten](data:text/html,x) [gut](https://koblenz.de)\n\n=HYPERLINK("http://x","y")'
)


@pytest.fixture
def decided(koblenz):
    attend(koblenz, present_voting=17)
    groups = {g.name: g.pk for g in koblenz.stakeholder_groups.all()}
    decision = services.open_decision(process=koblenz, meeting=final_meeting(koblenz))
    services.record_counts(
        decision=decision,
        counts={
            groups["Politik"]: Votes(7, 1, 1),
            groups["Freie Träger"]: Votes(4, 0, 1),
            groups["Interessenvertreter"]: Votes(2, 1, 0),
        },
    )
    services.close_decision(decision=decision)
    priorities = evaluate_process(koblenz).priorities
    field = koblenz.theme_fields.order_by("position", "id").first()
    for key, text in (
        ("foreword", "Das *Vorwort* der Oberbürgermeisterin."),
        ("introduction", HOSTILE),
        ("closing", "- Dank an alle\n- Ausblick 2018"),
        (f"field-{field.pk}", "Zum Themenfeld: **wichtig**."),
        (f"priority-{priorities[0].goal.id}", "Weil es an Fachkräften fehlt."),
        (f"minutes-{final_meeting(koblenz).pk}", "Beschluss der Prioritätenliste."),
    ):
        services.save_text(process=koblenz, key=key, text=text)
    # a change after the decision: the second priority's goal is reworded
    goal = models.Goal.objects.get(pk=int(priorities[1].goal.id))
    goal.text += " (neu gefasst)"
    goal.save()
    return koblenz


def files(process) -> dict[str, bytes]:
    with translation.override("de"):
        report = process_report(process, _, language="de")
        return {fmt: render_report(report, fmt) for fmt in ("md", "json", "xlsx", "docx", "pdf")}


def test_the_report_names_the_decision_and_the_texts_in_every_format(decided):
    out = files(decided)
    md = out["md"].decode()
    part_1 = md.split("## Teil I")[1].split("\n## ")[0]
    assert "angenommen" in part_1
    assert "13 Ja, 2 Nein, 2 Enthaltungen; 17 von 19 Stimmberechtigten anwesend" in part_1
    assert md.index("## Vorwort") < md.index("## Teil I")
    assert "Das *Vorwort* der Oberbürgermeisterin." in md
    assert "**Begründung:**\n\nWeil es an Fachkräften fehlt." in md
    assert "*nach dem Beschluss geändert*" in md
    assert "- Dank an alle\n- Ausblick 2018" in md
    assert "### Protokoll 21.09.2017\n\nBeschluss der Prioritätenliste." in md

    data = json.loads(out["json"])
    assert data["decisions"][0]["yes"] == 13 and data["decisions"][0]["result"] == "angenommen"
    assert data["texts"]["introduction"] == HOSTILE  # JSON carries the source, as data
    assert data["texts"]["reasons"][0]["text"] == "Weil es an Fachkräften fehlt."
    assert len(data["changed_after_decision"]) == 1

    sheet = xlsx_workbook(out["xlsx"])["Texte"]
    values = list(sheet.iter_rows(values_only=True))
    assert ("Vorwort", "Das Vorwort der Oberbürgermeisterin.") in values

    word = docx_text(out["docx"])
    assert "Weil es an Fachkräften fehlt." in word and "13 Ja, 2 Nein" in word

    pdf = squash(pdf_text(out["pdf"]))
    assert squash("13 Ja, 2 Nein, 2 Enthaltungen") in pdf
    assert squash("Weil es an Fachkräften fehlt.") in pdf
    assert squash("nach dem Beschluss geändert") in pdf


def _links(document) -> list[tuple[str, str]]:
    """Every (text, target) of a link in the PDF's data."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            if "href" in value:
                found.append((value["text"], value["href"]))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return found


def test_hostile_texts_are_harmless_in_every_format(decided):
    from pypdf import PdfReader

    from klebepunkt.reports.pdf import report_document

    out = files(decided)
    md = out["md"].decode()
    assert "<script" not in md and "[böse](javascript" not in md and "[daten](data" not in md
    with translation.override("de"):
        document = report_document(process_report(decided, _, language="de"))
    assert _links(document) == [("gut", "https://koblenz.de")]  # the unsafe ones lost theirs
    pdf = squash(pdf_text(out["pdf"]))
    # shown as the text it is; an unsafe link stays the text it was typed as
    assert squash("Vor <script>alert(1)</script> Wort [böse](javascript:alert(2))") in pdf
    targets = [
        str(annotation.get_object()["/A"].get("/URI"))
        for page in PdfReader(io.BytesIO(out["pdf"])).pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    assert "https://koblenz.de" in targets
    assert not [t for t in targets if t.startswith(("javascript", "data"))]
    sheet = xlsx_workbook(out["xlsx"])["Texte"]
    cell = next(c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"  # text, never a formula
    word = docx_text(out["docx"])
    assert "<script>alert(1)</script>" in word  # shown as the text it is, nothing runs in Word
    assert "gut\n (https://koblenz.de)" in word  # a run per piece: the link keeps its target


def test_a_report_without_texts_or_decisions_is_as_before(koblenz):
    out = files(koblenz)
    md = out["md"].decode()
    assert "## Vorwort" not in md and "Beschlüsse" not in md
    assert "Texte" not in xlsx_workbook(out["xlsx"]).sheetnames
    data = json.loads(out["json"])
    assert data["decisions"] == [] and data["texts"]["introduction"] == ""


def test_a_new_text_or_decision_makes_a_new_report_not_a_cached_one(koblenz):
    from klebepunkt.processes.report_jobs import state_digest
    from klebepunkt.processes.reporting import result_report_state

    before = state_digest(result_report_state(koblenz))
    services.save_text(process=koblenz, key="foreword", text="Neu.")
    assert state_digest(result_report_state(koblenz)) != before


def test_the_report_says_how_each_decision_was_taken_in_every_format(decided):
    from tests.decisions.test_phone_votes import cast, phone_vote, voting

    for secret, choices in ((False, "yyyyyyyyyynn"), (True, "yyyyyyyyyyya")):
        decision = phone_vote(decided, secret=secret)
        cast(decision, voting(decided)[: len(choices)], choices)
        services.close_decision(decision=decision)
    ways = ["per Handzeichen", "auf dem Handy, offen", "auf dem Handy, geheim"]
    out = files(decided)

    part_1 = out["md"].decode().split("## Teil I")[1].split("\n## ")[0]
    assert "**angenommen** (per Handzeichen; 13 Ja, 2 Nein, 2 Enthaltungen;" in part_1
    assert "(auf dem Handy, offen; 10 Ja, 2 Nein, 0 Enthaltungen;" in part_1
    assert "(auf dem Handy, geheim; 11 Ja, 0 Nein, 1 Enthaltungen;" in part_1
    assert [d["voting"] for d in json.loads(out["json"])["decisions"]] == ways
    word = docx_text(out["docx"])
    assert "(auf dem Handy, geheim; 11 Ja, 0 Nein" in word
    assert all(f"({way}; " in word for way in ways)
    pdf = squash(pdf_text(out["pdf"]))
    assert all(squash(f"({way}; ") in pdf for way in ways)
