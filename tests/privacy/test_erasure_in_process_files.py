"""Erasure survives a process file: exported with ``"erased": true``, imported still erased.

Before issue 18 the process file had no such flag, so importing an export brought
back a member whose personal data had been erased as an ordinary member, named by
the neutral label and ready to get a code like anybody else. A file from before the
flag (no ``erased`` key) still imports, every member as not erased.
"""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from klebepunkt import privacy
from klebepunkt.process_document import DocumentError, dumps, loads
from klebepunkt.processes import selectors as process_selectors
from klebepunkt.processes.models import Member, Process
from klebepunkt.samples import load_sample
from klebepunkt.voting import services as voting_services
from klebepunkt.voting.models import Voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def erased(koblenz_blank):
    member = Member.objects.filter(process=koblenz_blank, voting=True).order_by("position")[1]
    member.contact = "erika@example.org"
    member.save(update_fields=["contact"])
    return privacy.erase_member(member=member, actor=None)


def test_an_export_marks_the_erased_member_and_only_that_one(erased, facilitator_client):
    response = facilitator_client.get(reverse("processes:export_process", args=[erased.process_id]))
    members = json.loads(response.content)["members"]
    flagged = [m for m in members if m.get("erased")]
    assert flagged == [
        {
            "name": erased.name,
            "stakeholder_group": erased.stakeholder_group.name,
            "voting": True,
            "contact": "",
            "erased": True,
        }
    ]
    assert all("erased" not in m for m in members if m is not flagged[0])


def test_reimporting_an_export_keeps_the_member_erased(erased, facilitator_client):
    exported = facilitator_client.get(
        reverse("processes:export_process", args=[erased.process_id])
    ).content
    upload = io.BytesIO(exported)
    upload.name = "prozess.json"
    response = facilitator_client.post(reverse("processes:import"), {"document": upload})
    assert response.status_code == 302
    copy = Process.objects.exclude(pk=erased.process_id).latest("pk")
    again = copy.members.get(name=erased.name)
    assert again.erased_at is not None
    assert again.contact == ""
    later = voting_services.create_round(process=copy, title="Nach dem Import")
    assert not Voter.objects.filter(voting_round=later, member=again).exists()  # no code
    assert dumps(process_selectors.process_record(copy)) == exported  # and out the same way


def test_a_file_without_the_flag_imports_every_member_as_not_erased():
    raw = dumps(load_sample("koblenz-2017"))
    assert b'"erased"' not in raw  # the sample was written before the flag
    record = loads(raw)
    assert record.members and not any(member.erased for member in record.members)


def test_a_file_claiming_an_erased_member_with_a_contact_is_refused():
    document = json.loads(dumps(load_sample("koblenz-2017")))
    document["members"][3].update({"erased": True, "contact": "0261 1234"})
    with pytest.raises(DocumentError) as refused:
        loads(json.dumps(document).encode(), filename="prozess.json")
    assert refused.value.location.column == "members[3].contact"


def test_the_flag_must_be_true_or_false():
    document = json.loads(dumps(load_sample("koblenz-2017")))
    document["members"][0]["erased"] = "ja"
    with pytest.raises(DocumentError) as refused:
        loads(json.dumps(document).encode(), filename="prozess.json")
    assert refused.value.location.column.startswith("members[0]")
