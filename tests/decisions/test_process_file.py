"""The process file carries attendance, the decision rule, decisions, the report's texts and the
issued versions (with their files) losslessly; an older file without them imports; a broken
section is refused with a German message naming its path, and nothing is stored."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from klebepunkt.decisions import models as decision_models
from klebepunkt.decisions import selectors, services, versions
from klebepunkt.domain.decision import DecisionRule, Votes
from klebepunkt.i18n import translator
from klebepunkt.process_document import DocumentError, dumps, loads
from klebepunkt.processes import models
from klebepunkt.processes import services as process_services
from klebepunkt.processes.selectors import document_record, evaluate_process
from klebepunkt.samples import load_sample, sample_bytes
from tests.decisions.conftest import attend, final_meeting

pytestmark = pytest.mark.django_db
GERMAN = translator("de")


def fake_render(report, fmt):  # what a renderer makes of the version, cheaply
    return f"{fmt}|{report.own.version_note}|{report.own.closing}".encode() + bytes(range(256))


@pytest.fixture
def recorded(koblenz, monkeypatch):
    """Koblenz with attendance at two meetings, the rule set, two decisions (the list carried;
    one priority open with its hands counted), texts at every kind of place, two versions
    and a priority changed after the decision."""
    monkeypatch.setattr(versions, "render_report", fake_render)
    services.set_decision_rule(process=koblenz, rule=DecisionRule.SIMPLE)
    first = koblenz.meetings.order_by("date").first()
    members = list(koblenz.members.order_by("position", "id"))
    services.record_attendance(
        meeting=first, presence={members[0].pk: "present", members[1].pk: "excused"}
    )
    attend(koblenz, present_voting=17)
    groups = {g.name: g.pk for g in koblenz.stakeholder_groups.all()}
    meeting = final_meeting(koblenz)
    decision = services.open_decision(process=koblenz, meeting=meeting)
    services.record_counts(
        decision=decision,
        counts={groups["Politik"]: Votes(7, 1, 1), groups["Freie Träger"]: Votes(4, 0, 1)},
    )
    services.close_decision(decision=decision)
    priority = evaluate_process(koblenz).priorities[0]
    goal = models.Goal.objects.get(pk=int(priority.goal.id))
    single = services.open_decision(process=koblenz, meeting=meeting, goal=goal)
    services.record_counts(decision=single, counts={groups["Politik"]: Votes(5, 2, 0)})
    field = koblenz.theme_fields.order_by("position").first()
    for key, text in {
        "introduction": "Die **Arbeitsgruppe** legt vor.",
        "method": "Eigene Methode.",
        f"field-{field.pk}": "Zum Themenfeld.",
        f"priority-{goal.pk}": "Weil es *dringend* ist.",
        f"minutes-{meeting.pk}": "- Begrüßung\n- Abstimmung",
    }.items():
        services.save_text(process=koblenz, key=key, text=text)
    with translation.override("de"):
        versions.issue_version(process=koblenz, label="Entwurf", translate=_)
        process_services.update_goal(goal=goal, text=goal.text + " (überarbeitet)", nr=goal.nr)
        services.save_text(process=koblenz, key="closing", text="Dank an alle.")
        versions.issue_version(
            process=koblenz, label="Fassung für den Sozialausschuss", translate=_
        )
    return koblenz


def export(client, process) -> bytes:
    return client.get(reverse("processes:export_process", args=[process.pk])).content


def upload(client, content: bytes, name: str = "verfahren.json"):
    return client.post(reverse("processes:import"), {"document": SimpleUploadedFile(name, content)})


def state(process) -> dict:
    """What the decisions app holds for a process, without database ids."""
    evaluation = evaluate_process(process)
    return {
        "attendance": sorted(
            (a.meeting.date, a.member.name, a.presence)
            for a in decision_models.Attendance.objects.filter(meeting__process=process)
        ),
        "rule": selectors.rule_of(process),
        "decisions": [
            (
                d.title,
                d.meeting.date,
                d.rule,
                d.state,
                d.outcome,
                (d.yes, d.no, d.abstain, d.present_voting, d.voting_members),
                d.created_at,
                d.decided_at,
                [(i.rank, i.text, i.goal.text if i.goal else None) for i in d.items.all()],
                sorted((c.stakeholder_group.name, c.yes, c.no, c.abstain) for c in d.counts.all()),
            )
            for d in selectors.decisions_of(process).order_by("created_at", "id")
        ],
        "changed": sorted(
            (status.decision.title, evaluation.priorities[0].goal.id == goal_id, status.changed)
            for goal_id, status in selectors.priority_decisions(process, evaluation).items()
        ),
        "versions": [
            (
                v.label,
                v.issued_at,
                v.sha256,
                v.snapshot,
                {f.fmt: bytes(f.content) for f in v.files.all()},
            )
            for v in versions.versions_of(process)
        ],
    }


def test_round_trip_with_every_section_is_byte_identical_and_lossless(client, recorded):
    client.force_login(recorded.roles.get().user)
    first = export(client, recorded)
    document = json.loads(first)
    assert len(document["attendance"]) == 22 + 2
    assert document["decision_rule"] == "simple"
    assert [d["state"] for d in document["decisions"]] == ["closed", "open"]
    assert {t["place"] for t in document["report_texts"]} == {
        "introduction",
        "method",
        "closing",
        "field",
        "priority",
        "minutes",
    }
    assert [v["label"] for v in document["report_versions"]] == [
        "Entwurf",
        "Fassung für den Sozialausschuss",
    ]

    response = upload(client, first)
    copy = models.Process.objects.exclude(pk=recorded.pk).get()
    assert response["Location"] == reverse("processes:detail", args=[copy.pk])
    assert export(client, copy) == first
    assert state(copy) == state(recorded)
    assert any(changed for _title, _first, changed in state(copy)["changed"])
    texts = dict(decision_models.ReportText.objects.filter(process=copy).values_list("key", "text"))
    goal = models.Goal.objects.get(theme_field__process=copy, text__endswith="(überarbeitet)")
    assert texts[f"priority-{goal.pk}"] == "Weil es *dringend* ist."
    meeting = final_meeting(copy)
    assert texts[f"minutes-{meeting.pk}"] == "- Begrüßung\n- Abstimmung"

    # a downloaded version of the copy gives the stored bytes, byte for byte
    version = versions.versions_of(copy)[1]
    url = reverse("decisions:version_download", args=[copy.pk, version.pk, "pdf"])
    stored = versions.version_file(versions.versions_of(recorded)[1], "pdf")
    assert client.get(url).content == client.get(url).content == stored


def test_the_record_survives_dumps_and_loads(recorded):
    record = document_record(recorded)
    again = loads(dumps(record))
    assert dumps(again) == dumps(record)
    assert again.proceedings.decisions[0].created_at == record.proceedings.decisions[0].created_at
    assert again.proceedings.versions[1].files == record.proceedings.versions[1].files


def test_an_older_file_without_the_sections_still_imports(client, koblenz):
    """The shipped sample is written as the current main writes a process file."""
    old = sample_bytes("koblenz-2017")
    assert b'"attendance"' not in old and b'"report_versions"' not in old
    client.force_login(koblenz.roles.get().user)
    assert upload(client, old).status_code == 302
    copy = models.Process.objects.exclude(pk=koblenz.pk).get()
    assert not decision_models.Attendance.objects.filter(meeting__process=copy).exists()
    assert not decision_models.Decision.objects.filter(process=copy).exists()
    assert export(client, copy) == old


def broken(document: dict, path: str, value) -> dict:
    """``document`` with the field at ``path`` ("decisions[0].items[0].goal") set to ``value``."""
    document = json.loads(json.dumps(document))
    *parents, last = path.replace("]", "").replace("[", ".").split(".")
    target = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return document


HOSTILE = [
    ("attendance[0].meeting", 99, "attendance[0].meeting"),
    ("attendance[0].presence", "vielleicht", "attendance[0].presence"),
    ("attendance[1]", "DUPLICATE", "attendance[1]"),
    ("decision_rule", "einstimmig", "decision_rule"),
    ("decisions[0].outcome", "", "decisions[0].outcome"),
    ("decisions[1].outcome", "passed", "decisions[1].outcome"),
    ("decisions[0].yes", -1, "decisions[0].yes"),
    ("decisions[0].yes", 999, "decisions[0]"),
    ("decisions[0].title", "", "decisions[0].title"),
    ("decisions[0].title", "x" * 301, "decisions[0].title"),
    ("decisions[0].meeting", 3, "decisions[0].meeting"),
    ("decisions[0].created_at", "2017-05-04T18:00", "decisions[0].created_at"),
    ("decisions[0].decided_at", "gestern", "decisions[0].decided_at"),
    ("decisions[0].decided_at", "0001-01-01T00:00:00+01:00", "decisions[0].decided_at"),
    (
        "decisions[0].items[0].goal",
        {"theme_field": "Gibt es nicht", "index": 0},
        "decisions[0].items[0].goal",
    ),
    ("decisions[0].items[0].text", ["<script>"], "decisions[0].items[0].text"),
    (
        "decisions[0].group_counts[0].stakeholder_group",
        "Unbekannt",
        "decisions[0].group_counts[0].stakeholder_group",
    ),
    ("report_texts[0].place", "anhang", "report_texts[0].place"),
    ("report_texts[0].text", "x" * 20_001, "report_texts[0].text"),
    ("report_texts[0].text", "a\x00b", "report_texts[0].text"),
    ("report_texts[1].place", "introduction", "report_texts[1]"),
    ("report_versions[0].sha256", "0" * 64, "report_versions[0].sha256"),
    ("report_versions[0].snapshot", "[]", "report_versions[0].snapshot"),
    ("report_versions[0].files[0].base64", "kein base64!", "report_versions[0].files[0].base64"),
    ("report_versions[0].files[0].format", "exe", "report_versions[0].files[0].format"),
    ("report_versions[0].label", "   ", "report_versions[0].label"),
    ("report_versions", {"x": 1}, "report_versions"),
]


@pytest.mark.parametrize(("path", "value", "named"), HOSTILE)
def test_a_broken_section_is_refused_in_german_naming_the_path(
    client, recorded, path, value, named
):
    client.force_login(recorded.roles.get().user)
    document = json.loads(export(client, recorded))
    if value == "DUPLICATE":
        value = document["attendance"][0]
    content = json.dumps(broken(document, path, value)).encode()
    with pytest.raises(DocumentError) as raised:
        loads(content, "kaputt.json")
    error = raised.value
    assert error.location.file == "kaputt.json"
    assert error.location.column == named
    assert GERMAN(error.message.msgid) != error.message.msgid, error.message.msgid
    processes = models.Process.objects.count()
    response = upload(client, content, "kaputt.json")
    assert response.status_code == 400
    assert named in response.content.decode()
    assert models.Process.objects.count() == processes


def test_an_import_failing_while_storing_the_sections_stores_nothing(client, recorded, monkeypatch):
    client.force_login(recorded.roles.get().user)
    content = export(client, recorded)
    counts = (
        models.Process.objects.count(),
        models.Member.objects.count(),
        decision_models.Decision.objects.count(),
        decision_models.ReportText.objects.count(),
    )

    def fail(*args, **kwargs):
        raise IntegrityError("the disk is full")

    monkeypatch.setattr(decision_models.ReportVersionFile.objects, "bulk_create", fail)
    with pytest.raises(IntegrityError):
        process_services.import_process(record=loads(content), user=None)
    assert counts == (
        models.Process.objects.count(),
        models.Member.objects.count(),
        decision_models.Decision.objects.count(),
        decision_models.ReportText.objects.count(),
    )


def test_the_sample_without_sections_loads_with_empty_proceedings():
    record = loads(sample_bytes("koblenz-2017"))
    assert record == load_sample("koblenz-2017")
    assert not record.proceedings.attendance and record.proceedings.decision_rule is None
