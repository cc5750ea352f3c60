"""The attendance page and the decision pages through the test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from klebepunkt.decisions.models import Attendance, Decision, Presence
from klebepunkt.processes.models import Role
from tests.decisions.conftest import attend, final_meeting
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(client, koblenz):
    client.force_login(koblenz.roles.get().user)
    return client


@pytest.fixture
def observer(koblenz):
    from django.test import Client

    user = UserFactory()
    RoleFactory(process=koblenz, user=user, role=Role.OBSERVER)
    c = Client()
    c.force_login(user)
    return c


def test_facilitator_records_attendance(facilitator, koblenz):
    meeting = final_meeting(koblenz)
    members = list(koblenz.members.order_by("position", "id"))
    data = {f"member-{m.pk}": "present" for m in members[:12]}
    data[f"member-{members[12].pk}"] = "excused"
    url = reverse("decisions:attendance", args=[koblenz.pk, meeting.pk])
    response = facilitator.post(url, data)
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, presence=Presence.PRESENT).count() == 12
    page = facilitator.get(url).content.decode()
    assert "12 von 19" in page or "12 of 19" in page


def test_observer_reads_attendance_without_a_form(observer, koblenz):
    meeting = attend(koblenz, present_voting=15)
    url = reverse("decisions:attendance", args=[koblenz.pk, meeting.pk])
    page = observer.get(url).content.decode()
    assert "<select" not in page
    assert koblenz.members.first().name in page
    assert observer.post(url, {}).status_code == 403


def test_a_vote_by_show_of_hands_hidden_until_closed(facilitator, observer, koblenz):
    meeting = attend(koblenz, present_voting=19)
    response = facilitator.post(
        reverse("decisions:decisions", args=[koblenz.pk]), {"meeting": meeting.pk, "goal": ""}
    )
    decision = Decision.objects.get()
    assert response["Location"] == reverse("decisions:decision", args=[koblenz.pk, decision.pk])
    groups = list(koblenz.stakeholder_groups.all())
    data = {}
    for group in groups:
        data |= {f"yes-{group.pk}": 0, f"no-{group.pk}": 0, f"abstain-{group.pk}": 0}
    data[f"yes-{groups[0].pk}"] = 8
    data[f"no-{groups[0].pk}"] = 1
    url = reverse("decisions:decision", args=[koblenz.pk, decision.pk])
    assert facilitator.post(url, data).status_code == 302
    hidden = observer.get(url).content.decode()
    assert 'id="result"' not in hidden
    close = reverse("decisions:decision_close", args=[koblenz.pk, decision.pk])
    assert observer.post(close).status_code == 403
    assert facilitator.post(close).status_code == 302
    shown = observer.get(url).content.decode()
    assert 'id="result"' in shown
    decision.refresh_from_db()
    assert (decision.yes, decision.no, decision.outcome) == (8, 1, "passed")


def test_too_many_hands_give_a_german_message(facilitator, koblenz):
    meeting = attend(koblenz, present_voting=10)  # Politik 9, Freie Träger 1
    facilitator.post(
        reverse("decisions:decisions", args=[koblenz.pk]), {"meeting": meeting.pk, "goal": ""}
    )
    decision = Decision.objects.get()
    data = {}
    for group in koblenz.stakeholder_groups.all():
        data |= {f"yes-{group.pk}": 0, f"no-{group.pk}": 0, f"abstain-{group.pk}": 0}
    group = koblenz.stakeholder_groups.get(name="Freie Träger")
    data[f"yes-{group.pk}"] = 3
    response = facilitator.post(
        reverse("decisions:decision", args=[koblenz.pk, decision.pk]),
        data,
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert "Freie Träger: 3 Stimmen" in response.content.decode()
