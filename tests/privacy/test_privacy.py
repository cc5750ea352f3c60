"""DSGVO: a member's data exported on request, erased on request, processes deleted for good.

The erased member took part in four rounds: a revealed one (their dots count), an open
one (they joined and voted), a prepared one and a secret one. After the erasure the
evaluation, the support by stakeholder group, every audit chain and every seal are as
before; the name and the contact appear on no page, in no export or report and in no
row of the database (on SQLite: nowhere in the database file).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from klebepunkt import cli, privacy
from klebepunkt.process_document import dumps
from klebepunkt.processes import selectors as process_selectors
from klebepunkt.processes import services as process_services
from klebepunkt.processes.models import Card, Member, PrivacyAction, PrivacyLog, Process, Role
from klebepunkt.processes.reporting import process_report
from klebepunkt.processes.services import grant_role
from klebepunkt.reports import render_report
from klebepunkt.reports.result import analysis_dict, evaluation_dict
from klebepunkt.voting import selectors, services
from klebepunkt.voting.models import DotEvent, Voter, VotingRound
from tests.factories import UserFactory

NAME = "Erika Zweifel-Mustermann"
CONTACT = "erika.zweifel@example.org"
EARLIER_NAME = "Erika Zweifel"  # what the facilitator first typed, then corrected
EARLIER_CONTACT = "0261 129-ZWEIFEL"
NEEDLES = (NAME, CONTACT, EARLIER_NAME, EARLIER_CONTACT, "Zweifel", "ZWEIFEL", "zweifel")


def same(text: str) -> str:
    return text


@pytest.fixture
def member_who_voted(koblenz_blank, facilitator):
    """A voting member of Koblenz with a distinctive name and contact who took part in a
    revealed, an open, a prepared and a secret round."""
    process = koblenz_blank
    member = Member.objects.filter(process=process, voting=True).order_by("position")[2]
    for name, contact in ((EARLIER_NAME, EARLIER_CONTACT), (NAME, CONTACT)):  # edited once
        member = process_services.update_member(
            member=member,
            name=name,
            stakeholder_group=member.stakeholder_group,
            voting=member.voting,
            contact=contact,
        )
    cards = list(Card.objects.filter(theme_field__process=process).order_by("id")[:5])
    LogEntry.objects.create(  # an edit in the Django admin remembers the name it showed
        user=facilitator,
        content_type=ContentType.objects.get_for_model(Member),
        object_id=str(member.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message="[]",
    )

    def vote(voting_round, clicks):
        for voter in voting_round.voters.order_by("id"):
            for card in clicks:
                services.place_dot(voter_id=voter.pk, card_id=card.pk)

    revealed = services.open_round(
        voting_round=services.create_round(process=process, title="Erste Runde")
    )
    vote(revealed, [cards[0], cards[1], cards[0]])
    mine = revealed.voters.get(member=member)
    services.place_dot(voter_id=mine.pk, card_id=cards[4].pk)  # their own choice
    services.take_back_dot(voter_id=mine.pk, card_id=cards[1].pk)
    services.set_paper_total(voting_round=revealed, card=cards[2], dots=3, actor=facilitator)
    services.close_round(voting_round=revealed)
    services.reveal_round(voting_round=revealed)

    open_round = services.open_round(
        voting_round=services.create_round(process=process, title="Offene Runde")
    )
    voter = open_round.voters.get(member=member)
    services.pick_up_code(voting_round=open_round, voter_id=voter.pk)
    services.mark_joined(voter=voter)
    services.place_dot(voter_id=voter.pk, card_id=cards[3].pk)

    services.create_round(process=process, title="Vorbereitete Runde")
    secret = services.open_round(
        voting_round=services.create_round(process=process, title="Geheime Runde", secret=True)
    )
    vote(secret, [cards[2]])
    return member


def result_of(process: Process) -> dict:
    analysis = process_selectors.analysis_of(process)
    return evaluation_dict(analysis.evaluation, same) | analysis_dict(analysis, same)


def rounds_state(process: Process) -> dict:
    state = {}
    for voting_round in VotingRound.objects.filter(process=process).order_by("id"):
        state[voting_round.title] = {
            "seal": voting_round.seal,
            "voters": sorted(
                voting_round.voters.values_list("pseudonym", "stakeholder_group__name", "used")
            ),
            "events": list(
                DotEvent.objects.filter(voting_round=voting_round)
                .order_by("id")
                .values_list("hash", flat=True)
            ),
        }
    return state


# --- erasure ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_erasure_keeps_every_tally_support_and_audit_chain(member_who_voted, facilitator):
    member = member_who_voted
    process = member.process
    before = result_of(process)
    chains_before = rounds_state(process)
    assert before["support"]["available"] is True  # support by group comes from the rounds
    voters = {
        v.pk: (v.pseudonym, v.stakeholder_group_id) for v in Voter.objects.filter(member=member)
    }

    erased = privacy.erase_member(member=member, actor=facilitator)

    assert erased.name.startswith("Erased member (M-") or erased.name.startswith(
        "Gelöschtes Mitglied (M-"
    )
    assert erased.contact == ""
    assert erased.erased_at is not None
    assert erased.stakeholder_group_id == member.stakeholder_group_id and erased.voting
    assert result_of(process) == before
    after = rounds_state(process)
    del chains_before["Vorbereitete Runde"]["voters"]  # the prepared round lost their entry …
    prepared = after["Vorbereitete Runde"].pop("voters")
    assert len(prepared) == Member.objects.filter(process=process, voting=True).count() - 1
    assert after == chains_before  # … every other round is unchanged, seals included
    for voting_round in VotingRound.objects.filter(process=process):
        assert selectors.verify_round(voting_round) == [], voting_round.title
    kept = {
        v.pk: (v.pseudonym, v.stakeholder_group_id)
        for v in Voter.objects.filter(pk__in=voters, member=None)
    }
    assert len(kept) == 2 and all(voters[pk] == value for pk, value in kept.items())
    note = PrivacyLog.objects.get(member=erased, action=PrivacyAction.ERASURE)
    assert note.actor == facilitator and note.actor_name == facilitator.username
    assert note.member_label == erased.name


@pytest.mark.django_db
def test_an_erased_member_gets_no_code_in_later_rounds(member_who_voted):
    member = privacy.erase_member(member=member_who_voted, actor=None)
    later = services.create_round(process=member.process, title="Später")
    assert Voter.objects.filter(voting_round=later).count() == (
        Member.objects.filter(process=member.process, voting=True).count() - 1
    )
    assert services.sync_voters(voting_round=later) == 0
    with pytest.raises(ValidationError):
        privacy.erase_member(member=member, actor=None)


def text_columns() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                found.append((model, field.name))
    return found


@pytest.mark.django_db(transaction=True)
def test_after_erasure_the_name_and_contact_appear_nowhere(member_who_voted, facilitator, tmp_path):
    member = member_who_voted
    process = member.process
    client = Client()
    client.force_login(facilitator)
    rounds = list(VotingRound.objects.filter(process=process))
    pages = [
        reverse("processes:members", args=[process.pk]),
        reverse("processes:member_edit", args=[process.pk, member.pk]),
        reverse("processes:result", args=[process.pk]),
        reverse("processes:export_process", args=[process.pk]),
        reverse("voting:rounds", args=[process.pk]),
        *[reverse("voting:round", args=[process.pk, r.pk]) for r in rounds],
        reverse(
            "voting:pick", args=[next(r for r in rounds if r.title == "Offene Runde").short_code]
        ),
        *[
            reverse("processes:export_report", args=[process.pk, fmt])
            for fmt in ("md", "json", "csv")
        ],
    ]
    before = {page: client.get(page).content.decode() for page in pages}
    shown = [page for page, content in before.items() if NAME in content]
    assert pages[0] in shown and pages[3] in shown and len(shown) >= 6, shown

    privacy.erase_member(member=member, actor=facilitator)

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        content = response.content.decode()
        assert NAME not in content and CONTACT not in content, page
    record = process_selectors.process_record(process, tally=process_selectors.tally_of(process))
    assert NAME.encode() not in dumps(record)  # `klebepunkt export`
    report = process_report(process, same)
    assert NAME.encode() not in render_report(report, "md")
    exported = json.dumps(
        privacy.export_member(Member.objects.get(pk=member.pk)), ensure_ascii=False
    )
    assert NAME not in exported and CONTACT not in exported
    for model, field in text_columns():  # no row of any table holds it
        for needle in NEEDLES:
            assert not model.objects.filter(**{f"{field}__contains": needle}).exists(), (
                model.__name__,
                field,
            )
    assert_nowhere_in_the_database_file()  # nor the database file (SQLite)


# --- export ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_holds_everything_stored_about_the_member(member_who_voted):
    member = member_who_voted
    document = json.loads(json.dumps(privacy.export_member(member)))
    assert document["format"] == "klebepunkt/member-data"
    assert document["member"]["name"] == NAME
    assert document["member"]["contact"] == CONTACT
    assert document["member"]["stakeholder_group"]["name"] == member.stakeholder_group.name
    rounds = {entry["round"]["title"]: entry for entry in document["voting_rounds"]}
    assert set(rounds) == {"Erste Runde", "Offene Runde", "Vorbereitete Runde"}
    assert document["secret_rounds_not_attributable"] == 1  # no link is stored: none given out
    first = rounds["Erste Runde"]
    voter = Voter.objects.get(member=member, voting_round__title="Erste Runde")
    assert first["pseudonym"] == voter.pseudonym
    assert first["code"]["status"] == "expired"
    assert first["dots_used"] == 3
    assert sorted((d["card"], d["dots"]) for d in first["dots"]) == sorted(
        voter.ballots.filter(dots__gt=0).values_list("card_id", "dots")
    )
    assert [(e["sequence"], e["delta"]) for e in first["events"]] == [
        (1, 1),
        (2, 1),
        (3, 1),
        (4, 1),
        (5, -1),
    ]
    assert all(e["at"] for e in first["events"])
    assert rounds["Offene Runde"]["code"]["status"] == "in use"
    assert rounds["Offene Runde"]["code"]["joined_at"]
    assert rounds["Vorbereitete Runde"]["code"]["status"] == "not used yet"
    assert all(
        voter.code not in json.dumps(document) for voter in Voter.objects.filter(member=member)
    )


# --- the web: facilitators only, a download, a confirmation ------------------------------------


@pytest.mark.django_db
def test_facilitator_downloads_the_export_and_erases_after_confirming(
    member_who_voted, facilitator
):
    member = member_who_voted
    process = member.process
    client = Client()
    client.force_login(facilitator)
    edit = client.get(
        reverse("processes:member_edit", args=[process.pk, member.pk])
    ).content.decode()
    export_url = reverse("privacy:member_export", args=[process.pk, member.pk])
    erase_url = reverse("privacy:member_erase", args=[process.pk, member.pk])
    assert export_url in edit and erase_url in edit

    download = client.post(export_url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="mitglied-{member.pk}.json"'
    assert json.loads(download.content)["member"]["name"] == NAME
    assert PrivacyLog.objects.filter(member=member, action=PrivacyAction.EXPORT).count() == 1

    confirm_page = client.get(erase_url)
    assert confirm_page.status_code == 200
    assert 'name="confirm"' in confirm_page.content.decode()
    unconfirmed = client.post(erase_url, {})
    assert unconfirmed.status_code == 400
    member.refresh_from_db()
    assert member.name == NAME  # nothing erased without the confirmation

    done = client.post(erase_url, {"confirm": "erase"})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.erased_at is not None and NAME not in member.name
    edit = client.get(
        reverse("processes:member_edit", args=[process.pk, member.pk])
    ).content.decode()
    assert erase_url not in edit  # nothing left to erase; the record of requests is shown
    assert "erasure" in edit or "gelöscht" in edit.lower() or "erased" in edit.lower()


@pytest.mark.django_db
def test_only_a_facilitator_may_export_or_erase(member_who_voted):
    member = member_who_voted
    process = member.process
    observer = UserFactory(username="beobachtung")
    grant_role(process=process, user=observer, role=Role.OBSERVER, by=None)
    stranger = UserFactory(username="fremd")
    export_url = reverse("privacy:member_export", args=[process.pk, member.pk])
    erase_url = reverse("privacy:member_erase", args=[process.pk, member.pk])
    for user, status in ((observer, 403), (stranger, 404)):
        client = Client()
        client.force_login(user)
        assert client.post(export_url).status_code == status
        assert client.post(erase_url, {"confirm": "erase"}).status_code == status
    anonymous = Client().post(export_url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    member.refresh_from_db()
    assert member.name == NAME
    assert not PrivacyLog.objects.exists()


# --- the command line --------------------------------------------------------------------------


@pytest.mark.django_db
def test_cli_member_export_and_member_erase(member_who_voted, tmp_path):
    member = member_who_voted
    process = member.process
    runner = CliRunner()
    output = tmp_path / "mitglied.json"
    exported = runner.invoke(
        cli.app, ["member-export", str(process.pk), str(member.pk), "-o", str(output)]
    )
    assert exported.exit_code == 0, exported.output
    assert json.loads(output.read_text(encoding="utf-8"))["member"]["contact"] == CONTACT

    unconfirmed = runner.invoke(cli.app, ["member-erase", str(process.pk), str(member.pk)])
    assert unconfirmed.exit_code == 2
    assert "--yes" in unconfirmed.stderr
    member.refresh_from_db()
    assert member.name == NAME

    unknown = runner.invoke(cli.app, ["member-erase", str(process.pk), "999999", "--yes"])
    assert unknown.exit_code == 2

    erased = runner.invoke(cli.app, ["member-erase", str(process.pk), str(member.pk), "--yes"])
    assert erased.exit_code == 0, erased.output
    member.refresh_from_db()
    assert member.erased_at is not None and member.name in " ".join(erased.stdout.split())
    note = PrivacyLog.objects.get(member=member, action=PrivacyAction.ERASURE)
    assert note.actor is None and note.actor_name == privacy.CLI_ACTOR


# --- retention: a process deleted with everything in it ----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_facilitator_deletes_a_process_with_rounds_and_members(member_who_voted, facilitator):
    """Retention: when its time is up, a process goes with everything in it — also from the
    database file on SQLite (secure_delete; without it the names stay in free pages)."""
    process = member_who_voted.process
    client = Client()
    client.force_login(facilitator)
    response = client.post(
        reverse("privacy:process_delete", args=[process.pk]), {"confirm_title": process.title}
    )
    assert response.status_code == 302
    assert not Process.objects.filter(pk=process.pk).exists()
    for model in (Member, Card, VotingRound, Voter, DotEvent, PrivacyLog, LogEntry):
        assert not model.objects.exists(), model.__name__
    assert_nowhere_in_the_database_file()


def assert_nowhere_in_the_database_file() -> None:
    """The bytes of the SQLite file and its WAL hold none of the member's data.

    Read in a child process: closing a file descriptor of the database in this process
    would drop the POSIX locks of this process's own SQLite connection, and SQLite's
    protocol with the server processes would break (a classic way to corrupt a database).
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert cursor.fetchone()[0] == 0  # not busy: the WAL is empty now
    database = connection.settings_dict["NAME"]
    script = (
        "import json, sys\n"
        "found = []\n"
        "for path in sys.argv[2:]:\n"
        "    try:\n"
        "        content = open(path, 'rb').read()\n"
        "    except FileNotFoundError:\n"
        "        continue\n"
        "    found += [[path, n] for n in json.loads(sys.argv[1]) if n.encode() in content]\n"
        "print(json.dumps(found))\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", script, json.dumps(NEEDLES), str(database), f"{database}-wal"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(child.stdout) == []
