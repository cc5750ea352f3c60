"""The vote on the phones through the test client: the dot vote's code lets the member in,
the phone shows the motion and three buttons, the facilitator sees only the progress."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from klebepunkt.decisions import services
from klebepunkt.decisions.models import Decision, PhoneVote
from klebepunkt.voting import codes
from klebepunkt.voting import services as voting_services
from tests.decisions.conftest import attend, final_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(koblenz):
    voting_round = voting_services.create_round(process=koblenz, title="Punktabfrage")
    voting_services.open_round(voting_round=voting_round)
    return voting_services.close_round(voting_round=voting_round)


def phone_decision(process, *, secret: bool = False) -> Decision:
    return services.open_decision(
        process=process, meeting=final_meeting(process), phone=True, secret=secret
    )


def code_of(voting_round, member) -> str:
    return codes.format_code(voting_round.voters.get(member=member).code)


def phone_of(voting_round, member) -> Client:
    client = Client()
    response = client.post(reverse("voting:join"), {"code": code_of(voting_round, member)})
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:phone")
    return client


def test_the_code_of_the_closed_dot_round_leads_to_the_open_vote(koblenz, closed_round):
    attend(koblenz, present_voting=19)
    decision = phone_decision(koblenz)
    member = koblenz.members.filter(voting=True).first()
    phone = phone_of(closed_round, member)
    page = phone.get(reverse("decisions:phone")).content.decode()
    assert decision.title in page
    assert page.count('name="choice"') == 3
    response = phone.post(reverse("decisions:phone"), {"decision": decision.pk, "choice": "yes"})
    assert response.status_code == 302
    assert PhoneVote.objects.get(decision=decision, member=member).choice == "yes"
    assert 'id="own-vote"' in phone.get(reverse("decisions:phone")).content.decode()
    phone.post(reverse("decisions:phone"), {"decision": decision.pk, "choice": "abstain"})
    assert PhoneVote.objects.get(decision=decision, member=member).choice == "abstain"


def test_without_an_open_vote_the_closed_round_says_so(koblenz, closed_round):
    member = koblenz.members.filter(voting=True).first()
    response = Client().post(reverse("voting:join"), {"code": code_of(closed_round, member)})
    assert response.status_code == 410


def test_the_qr_link_asks_before_it_joins_the_vote(koblenz, closed_round):
    attend(koblenz, present_voting=19)
    phone_decision(koblenz)
    member = koblenz.members.filter(voting=True).first()
    url = reverse("voting:code", args=[closed_round.voters.get(member=member).code])
    client = Client()
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response["Location"] == reverse("decisions:phone")


def test_a_member_not_present_is_told_and_cannot_vote(koblenz, closed_round):
    attend(koblenz, present_voting=17)
    decision = phone_decision(koblenz)
    excused = koblenz.members.filter(voting=True).order_by("position", "id").last()
    phone = phone_of(closed_round, excused)
    page = phone.get(reverse("decisions:phone")).content.decode()
    assert 'id="refusal"' in page
    assert "anwesend" in page
    assert 'name="choice"' not in page
    phone.post(reverse("decisions:phone"), {"decision": decision.pk, "choice": "yes"})
    assert not PhoneVote.objects.exists()


def test_a_vote_meant_for_a_closed_motion_is_refused(koblenz, closed_round):
    attend(koblenz, present_voting=19)
    first = phone_decision(koblenz)
    member = koblenz.members.filter(voting=True).first()
    phone = phone_of(closed_round, member)
    services.close_decision(decision=first)
    second = phone_decision(koblenz)
    phone.post(reverse("decisions:phone"), {"decision": first.pk, "choice": "yes"})
    assert not PhoneVote.objects.filter(decision=second).exists()


def test_the_facilitator_sees_the_progress_and_no_counts_until_the_close(
    client, koblenz, closed_round
):
    attend(koblenz, present_voting=19)
    decision = phone_decision(koblenz)
    member = koblenz.members.filter(voting=True).first()
    phone_of(closed_round, member).post(
        reverse("decisions:phone"), {"decision": decision.pk, "choice": "no"}
    )
    client.force_login(koblenz.roles.get().user)
    page_url = reverse("decisions:decision", args=[koblenz.pk, decision.pk])
    page = client.get(page_url).content.decode()
    assert 'id="phone-progress"' in page
    assert "1 von 19" in page
    assert 'id="result"' not in page
    assert 'name="yes-' not in page  # no show of hands to enter
    progress = client.get(reverse("decisions:progress", args=[koblenz.pk, decision.pk]))
    assert "1 von 19" in progress.content.decode()
    client.post(reverse("decisions:decision_close", args=[koblenz.pk, decision.pk]))
    page = client.get(page_url).content.decode()
    assert 'id="result"' in page
    assert member.name in page  # an open vote: who voted what, for the minutes


def test_the_ballot_of_a_running_round_points_to_the_open_vote(koblenz):
    voting_round = voting_services.open_round(
        voting_round=voting_services.create_round(process=koblenz, title="Noch offen")
    )
    member = koblenz.members.filter(voting=True).first()
    phone = Client()
    phone.post(reverse("voting:join"), {"code": code_of(voting_round, member)})
    assert reverse("decisions:phone") not in phone.get(reverse("voting:ballot")).content.decode()
    attend(koblenz, present_voting=19)
    phone_decision(koblenz)
    assert reverse("decisions:phone") in phone.get(reverse("voting:ballot")).content.decode()


def test_the_vote_page_without_a_code_sends_to_the_entry(client):
    response = client.get(reverse("decisions:phone"))
    assert response["Location"] == reverse("voting:join")
