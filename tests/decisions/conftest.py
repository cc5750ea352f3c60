from __future__ import annotations

import pytest

from klebepunkt.decisions import services
from klebepunkt.decisions.models import Presence
from klebepunkt.processes.services import import_process
from klebepunkt.samples import load_sample
from tests.factories import UserFactory


@pytest.fixture
def koblenz(db):
    """The Koblenz sample: 22 members, 19 of them voting (Politik 9, Freie Träger 5,
    Interessenvertreter 5), three meetings, seven priorities."""
    return import_process(record=load_sample("koblenz-2017"), user=UserFactory())


def final_meeting(process):
    return process.meetings.order_by("-date").first()


def attend(process, *, present_voting: int):
    """The first ``present_voting`` voting members present, the other voting ones excused,
    the advisory members present."""
    meeting = final_meeting(process)
    presence = {}
    voting = list(process.members.filter(voting=True).order_by("position", "id"))
    for index, member in enumerate(voting):
        presence[member.pk] = Presence.PRESENT if index < present_voting else Presence.EXCUSED
    for member in process.members.filter(voting=False):
        presence[member.pk] = Presence.PRESENT
    services.record_attendance(meeting=meeting, presence=presence)
    return meeting
