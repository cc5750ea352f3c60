"""Working out the priorities after the vote: the page, the mark "changed after the
decision", the report's annex in every format, and hostile texts in each."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from klebepunkt.decisions import selectors, services, versions
from klebepunkt.domain.decision import Votes
from klebepunkt.processes import models
from klebepunkt.processes.reporting import process_report
from klebepunkt.processes.selectors import evaluate_process, rewording_records
from klebepunkt.processes.services import reword_priority
from klebepunkt.reports.render import render_report
from tests.decisions.conftest import attend, final_meeting
from tests.reports.conftest import docx_text, pdf_text, squash, xlsx_workbook

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def decided(koblenz):
    """The Koblenz priorities carried by 13 yes, 2 no, 2 abstentions."""
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
    return koblenz


def first_goal(process) -> models.Goal:
    return models.Goal.objects.get(pk=int(evaluate_process(process).priorities[0].goal.id))


def changed_goals(process) -> set[str]:
    status = selectors.priority_decisions(process, evaluate_process(process))
    return {goal for goal, s in status.items() if s.changed}


def test_a_rewording_of_a_decided_priority_marks_it_changed_after_the_decision(decided):
    goal = first_goal(decided)
    assert changed_goals(decided) == set()
    card = goal.cards.exclude(text="").first()
    reword_priority(
        goal=goal, goal_text=goal.text, cards={card.pk: {"responsible": "Jugendamt"}}, by=None
    )
    assert changed_goals(decided) == {str(goal.pk)}
    # deciding it again clears the mark
    attend(decided, present_voting=17)
    politik = decided.stakeholder_groups.get(name="Politik")
    decision = services.open_decision(process=decided, meeting=final_meeting(decided), goal=goal)
    services.record_counts(decision=decision, counts={politik.pk: Votes(9, 0, 0)})
    services.close_decision(decision=decision)
    assert changed_goals(decided) == set()


def test_the_page_rewords_and_shows_the_difference_word_by_word(decided, client):
    client.force_login(decided.roles.get().user)
    goal = first_goal(decided)
    url = reverse("decisions:rewording", args=[decided.pk, goal.pk])
    page = client.get(url).content.decode()
    assert "Noch nicht umformuliert." in page
    cards = list(goal.cards.order_by("position", "id"))
    data = {"goal": goal.text.replace(goal.text.split()[0], "Mehr", 1) + " " + SCRIPT}
    for card in cards:
        for field in ("text", "indicator", "responsible"):
            data[f"card_{card.pk}_{field}"] = getattr(card, field)
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Wortlaut gespeichert" in page
    assert "nach dem Beschluss geändert" in page
    assert '<del><span class="visually-hidden">gestrichen: </span>' in page
    assert '<ins><span class="visually-hidden">eingefügt: </span>Mehr</ins>' in page
    assert SCRIPT not in page and "&lt;script&gt;" in page
    # too long: a German message naming the part, nothing saved
    data[f"card_{cards[0].pk}_indicator"] = "x" * 100_000
    response = client.post(url, data)
    assert response.status_code == 200
    assert "100.000 Zeichen; hier sind höchstens 2.000 erlaubt" in response.content.decode()
    assert rewording_records(decided).count() == 1


def test_a_goal_that_is_no_priority_has_no_working_out_page(decided, client):
    client.force_login(decided.roles.get().user)
    priorities = {p.goal.id for p in evaluate_process(decided).priorities}
    other = models.Goal.objects.filter(theme_field__process=decided).exclude(
        pk__in=[int(g) for g in priorities]
    )[0]
    assert (
        client.get(reverse("decisions:rewording", args=[decided.pk, other.pk])).status_code == 404
    )


@pytest.fixture
def reworded(decided):
    goal = first_goal(decided)
    card = goal.cards.exclude(text="").first()
    reword_priority(
        goal=goal,
        goal_text=f"{goal.text} {SCRIPT}",
        cards={card.pk: {"indicator": FORMULA, "text": "Neu " + "lang " * 900}},
        by=decided.roles.get().user,
    )
    return decided, goal


def files(process, *, annex: bool) -> dict[str, bytes]:
    with translation.override("de"):
        report = process_report(process, _, language="de", rewording_annex=annex)
        return {fmt: render_report(report, fmt) for fmt in ("md", "json", "xlsx", "docx", "pdf")}


def test_the_report_shows_the_final_wording_and_the_annex_only_when_asked(reworded):
    process, goal = reworded
    plain = files(process, annex=False)
    assert "Anhang: Ausarbeitung" not in plain["md"].decode()
    assert "rewordings" not in json.loads(plain["json"])
    assert "Ausarbeitung" not in xlsx_workbook(plain["xlsx"]).sheetnames

    out = files(process, annex=True)
    md = out["md"].decode()
    assert "## Anhang: Ausarbeitung der Prioritäten" in md
    assert "~~\\[−" in md and "**\\[+Neu" in md  # marked in words, not by style alone
    assert "&lt;script>" in md and SCRIPT not in md
    data = json.loads(out["json"])
    assert [line["part"] for line in data["rewordings"]] == [
        "Ziel",
        "Indikator – Empfehlung 1",
        "Handlungsempfehlung – Empfehlung 1",
    ]
    assert data["rewordings"][0]["after"].endswith(SCRIPT)  # JSON carries the text as data
    assert {"op": "inserted", "text": "<script>alert(1)</script>"} in data["rewordings"][0][
        "difference"
    ]
    sheet = xlsx_workbook(out["xlsx"])["Ausarbeitung"]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]][:2] == ["Priorität", "Bestandteil"]
    formula = next(c for row in rows for c in row if "HYPERLINK" in str(c.value))
    assert formula.data_type == "s"  # text, never a formula
    word = docx_text(out["docx"])
    assert "Anhang: Ausarbeitung der Prioritäten" in word and SCRIPT in word
    pdf = squash(pdf_text(out["pdf"]))
    assert squash("Anhang: Ausarbeitung der Prioritäten") in pdf
    assert squash(f"[+{SCRIPT}]") in pdf
    # every format shows the final wording of the priority
    assert goal.__class__.objects.get(pk=goal.pk).text.endswith(SCRIPT)
    assert f"{SCRIPT}" in json.loads(out["json"])["priorities"][0]["goal"]


def test_an_issued_version_can_carry_the_annex(reworded):
    process, _goal = reworded
    with translation.override("de"):
        version = versions.issue_version(
            process=process, label="Entwurf", translate=_, rewording_annex=True
        )
    assert "rewordings" in json.loads(version.snapshot)
    assert b"Anhang: Ausarbeitung" in versions.version_file(version, "md")


def test_the_download_asks_for_the_annex(reworded, client, settings):
    process, _goal = reworded
    client.force_login(process.roles.get().user)
    url = reverse("processes:export_report", args=[process.pk, "md"])
    result = client.get(reverse("processes:result", args=[process.pk])).content.decode()
    assert f"{url}?rewordings=1" in result
    with_annex = client.get(url + "?rewordings=1")
    without = client.get(url)
    assert b"Anhang: Ausarbeitung" in b"".join(with_annex)
    assert b"Anhang: Ausarbeitung" not in b"".join(without)
