"""Attendance used by the dot vote: a round opened on the day of a meeting with recorded
attendance lets only the members present in; the facilitator's page marks the others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from klebepunkt.decisions import services
from klebepunkt.decisions.models import Presence
from klebepunkt.processes.models import Meeting
from klebepunkt.voting import attendance, codes
from klebepunkt.voting import services as voting_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(koblenz):
    return Meeting.objects.create(process=koblenz, date=timezone.localdate(), place="Rathaus")


@pytest.fixture
def open_round(koblenz):
    voting_round = voting_services.create_round(process=koblenz, title="Punktabfrage")
    return voting_services.open_round(voting_round=voting_round)


def voting(process):
    return list(process.members.filter(voting=True).order_by("position", "id"))


def join(voting_round, member) -> tuple[Client, object]:
    client = Client()
    code = codes.format_code(voting_round.voters.get(member=member).code)
    return client, client.post(reverse("voting:join"), {"code": code})


def test_only_the_members_present_join_the_round(koblenz, today, open_round):
    present, excused, unrecorded = voting(koblenz)[:3]
    services.record_attendance(
        meeting=today, presence={present.pk: Presence.PRESENT, excused.pk: Presence.EXCUSED}
    )
    _client, response = join(open_round, present)
    assert response.status_code == 302
    for member in (excused, unrecorded):
        _client, response = join(open_round, member)
        assert response.status_code == 403
        assert 'id="not-present"' in response.content.decode()
        assert "nicht als anwesend" in response.content.decode()
    assert not open_round.voters.filter(member=excused).exclude(joined_at=None).exists()


def test_without_recorded_attendance_everybody_joins_as_before(koblenz, today, open_round):
    assert attendance.of_round(open_round) is None
    _client, response = join(open_round, voting(koblenz)[0])
    assert response.status_code == 302


def test_attendance_of_another_day_does_not_count(koblenz, open_round):
    other_day = koblenz.meetings.order_by("date").first()
    services.record_attendance(meeting=other_day, presence={voting(koblenz)[0].pk: "excused"})
    _client, response = join(open_round, voting(koblenz)[0])
    assert response.status_code == 302


def test_a_member_recorded_absent_after_joining_sees_no_ballot(koblenz, today, open_round):
    member = voting(koblenz)[0]
    client, _response = join(open_round, member)
    assert client.get(reverse("voting:ballot")).status_code == 200
    services.record_attendance(meeting=today, presence={member.pk: Presence.EXCUSED})
    assert client.get(reverse("voting:ballot")).status_code == 403


def test_picking_up_a_code_offers_only_the_members_present(koblenz, today, open_round):
    present, excused = voting(koblenz)[:2]
    services.record_attendance(
        meeting=today, presence={present.pk: Presence.PRESENT, excused.pk: Presence.EXCUSED}
    )
    url = reverse("voting:pick", args=[open_round.short_code])
    page = Client().get(url).content.decode()
    assert present.name in page
    assert excused.name not in page
    excused_voter = open_round.voters.get(member=excused)
    response = Client().post(url, {"voter": excused_voter.pk})
    assert response.status_code == 403
    excused_voter.refresh_from_db()
    assert excused_voter.picked_up_at is None


def test_the_round_page_marks_who_is_not_present(client, koblenz, today, open_round):
    present, excused = voting(koblenz)[:2]
    services.record_attendance(
        meeting=today, presence={present.pk: Presence.PRESENT, excused.pk: Presence.EXCUSED}
    )
    client.force_login(koblenz.roles.get().user)
    page = client.get(reverse("voting:round", args=[koblenz.pk, open_round.pk])).content.decode()
    assert 'id="round-attendance"' in page
    assert page.count("badge badge-warn") == len(voting(koblenz)) - 1
