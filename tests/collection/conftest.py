from __future__ import annotations

import pytest

from klebepunkt.collection import services
from tests.factories import MeetingFactory


@pytest.fixture
def meeting(koblenz_blank):
    return MeetingFactory(process=koblenz_blank)


@pytest.fixture
def collection(meeting):
    fields = list(meeting.process.theme_fields.order_by("position", "id")[:2])
    return services.open_collection(
        meeting=meeting, question="Was wollen wir erreichen?", theme_fields=fields
    )


@pytest.fixture
def field(collection):
    return collection.theme_fields.order_by("position", "id").first()


def participant_of(meeting, *, voting: bool = True):
    return (
        meeting.participants.select_related("member")
        .filter(member__voting=voting)
        .order_by("id")
        .first()
    )


@pytest.fixture
def author(meeting, collection):
    return participant_of(meeting)
