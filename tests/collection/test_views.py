"""The card collection through the web: join with the meeting's code, write, the wall, the vote."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from klebepunkt.collection import services
from klebepunkt.collection.models import CardState, CollectedCard
from klebepunkt.voting import codes
from tests.collection.conftest import participant_of

pytestmark = pytest.mark.django_db


def joined(participant) -> Client:
    client = Client()
    response = client.post(reverse("voting:join"), {"code": codes.format_code(participant.code)})
    assert response.status_code == 302 and response["Location"] == reverse("collection:phone")
    return client


def send(client, field, text="Mehr Kita-Plätze in der Innenstadt", key="key-1", **more):
    data = {"theme_field": field.pk, "text": text, "key": key, **more}
    return client.post(reverse("collection:submit"), data)


def test_a_member_without_voting_right_joins_with_the_same_entry_and_writes(
    meeting, collection, field
):
    participant = participant_of(meeting, voting=False)
    client = joined(participant)
    page = client.get(reverse("collection:phone") + f"?field={field.pk}")
    assert page.status_code == 200
    assert collection.question in page.content.decode()
    response = send(client, field)
    assert response["X-Klebepunkt-Card"] == "stored"
    again = send(client, field)  # the offline queue's retry, a double tap
    assert again["X-Klebepunkt-Card"] == "repeated"
    assert CollectedCard.objects.filter(author=participant).count() == 1


def test_the_meeting_code_leads_to_picking_ones_name(meeting, collection):
    client = Client()
    response = client.post(reverse("voting:join"), {"round_code": collection.short_code})
    assert response["Location"] == reverse("collection:pick", args=[collection.short_code])
    participant = participant_of(meeting)
    picked = client.post(response["Location"], {"participant": participant.pk})
    assert codes.format_code(participant.code) in picked.content.decode()
    assert client.get(reverse("collection:phone")).status_code == 200


def test_a_too_long_card_gets_a_german_message(meeting, collection, field):
    client = joined(participant_of(meeting))
    response = send(client, field, text="x" * 700, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "höchstens 600 Zeichen" in response.content.decode()
    assert not CollectedCard.objects.exists()


def test_a_closed_collection_refuses_with_a_message(meeting, collection, field):
    client = joined(participant_of(meeting))
    services.close_collection(collection=collection)
    response = send(client, field)
    assert response["X-Klebepunkt-Card"] == "refused:closed"
    page = client.get(response["Location"])
    assert "geschlossen" in page.content.decode()


def test_a_revoked_code_gets_nothing(meeting, collection, field):
    participant = participant_of(meeting)
    client = joined(participant)
    services.revoke_code(participant=participant)
    response = send(client, field)
    assert response.status_code == 302 and response["Location"] == reverse("voting:join")
    assert not CollectedCard.objects.exists()
    again = Client().post(reverse("voting:join"), {"code": participant.code})
    assert again.status_code == 200  # the entry page with its error


def test_the_second_edit_sees_both_texts(meeting, collection, field):
    participant = participant_of(meeting)
    client = joined(participant)
    send(client, field)
    card = CollectedCard.objects.get()
    services.edit_card(
        card=card, fields=services.CardFields(text="Fassung der Moderation"), version=1, author=None
    )
    response = client.post(
        reverse("collection:edit", args=[card.pk]), {"text": "Meine Fassung", "version": 1}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Fassung der Moderation" in body and "Meine Fassung" in body


def test_the_wall_polls_with_etags(facilitator_client, koblenz_blank, meeting, collection, field):
    url = reverse("collection:wall_live", args=[koblenz_blank.pk, collection.pk])
    first = facilitator_client.get(url)
    assert first.status_code == 200
    unchanged = facilitator_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    send(joined(participant_of(meeting)), field, text="Neue Karte für die Wand")
    changed = facilitator_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Neue Karte für die Wand" in changed.content.decode()


def test_the_wall_shows_the_group_never_the_name(
    facilitator_client, koblenz_blank, meeting, collection, field
):
    participant = participant_of(meeting)
    send(joined(participant), field)
    projector = Client().get(reverse("collection:projector", args=[collection.wall_token]))
    body = projector.content.decode()
    assert "Mehr Kita-Plätze" in body
    assert participant.member.stakeholder_group.name in body
    assert participant.member.name not in body
    collection.hide_groups = True
    collection.save()
    hidden = Client().get(reverse("collection:projector_live", args=[collection.wall_token]))
    assert participant.member.stakeholder_group.name not in hidden.content.decode()


def test_from_the_wall_into_the_vote_with_the_same_join(
    facilitator_client, koblenz_blank, meeting, collection, field
):
    participant = participant_of(meeting)
    phone = joined(participant)
    send(phone, field)
    card = CollectedCard.objects.get()
    base = f"/p/{koblenz_blank.pk}/collections/{collection.pk}"
    facilitator_client.post(f"{base}/cards/{card.pk}/accept/")
    assert CollectedCard.objects.get().state == CardState.ACCEPTED
    facilitator_client.post(f"{base}/close/")
    response = facilitator_client.post(f"{base}/round/", {"title": "Punkte", "dots_per_voter": 3})
    assert response.status_code == 302
    collection.refresh_from_db()
    from klebepunkt.voting import services as voting_services

    voting_services.open_round(voting_round=collection.voting_round)
    page = phone.get(reverse("collection:phone"))
    assert reverse("collection:vote") in page.content.decode()
    to_vote = phone.post(reverse("collection:vote"))
    assert to_vote["Location"] == reverse("voting:ballot")
    ballot = phone.get(reverse("voting:ballot"))
    assert ballot.status_code == 200 and "Mehr Kita-Plätze" in ballot.content.decode()


def test_the_facilitator_hands_out_the_codes_of_the_meeting(
    facilitator_client, koblenz_blank, meeting, collection
):
    response = facilitator_client.get(
        reverse("collection:participants", args=[koblenz_blank.pk, collection.pk])
    )
    body = response.content.decode()
    participant = participant_of(meeting, voting=False)
    assert codes.format_code(participant.code) in body
    assert "<svg" in body and reverse("collection:code", args=[participant.code]) not in body
    confirm = Client().get(reverse("collection:code", args=[participant.code]))
    assert codes.format_code(participant.code) in confirm.content.decode()


def test_a_member_added_after_the_collection_opened_gets_a_code_on_the_codes_page(
    facilitator_client, koblenz_blank, meeting, collection
):
    from klebepunkt.processes.services import create_member

    group = koblenz_blank.stakeholder_groups.order_by("position").first()
    late = create_member(process=koblenz_blank, name="Nachgerückt, Nora", stakeholder_group=group)
    assert not meeting.participants.filter(member=late).exists()
    body = facilitator_client.get(
        reverse("collection:participants", args=[koblenz_blank.pk, collection.pk])
    ).content.decode()
    code = meeting.participants.get(member=late).code
    assert "Nachgerückt, Nora" in body and codes.format_code(code) in body
    phone = Client()
    phone.get(reverse("collection:code", args=[code]))
    assert services.participant_for_code(code) is not None


def test_the_look_alike_help_offers_to_support_the_card_on_the_wall(
    facilitator_client, koblenz_blank, meeting, collection, field
):
    writer = participant_of(meeting)
    send(joined(writer), field, text="Mehr Plätze in der Tagespflege schaffen")
    card = CollectedCard.objects.get()
    other = meeting.participants.exclude(pk=writer.pk).first()
    phone = joined(other)
    help_ = phone.get(
        reverse("collection:similar"),
        {"theme_field": field.pk, "text": "Mehr Plätze in der Tagespflege"},
    )
    assert reverse("collection:support", args=[card.pk]) in help_.content.decode()
    url = reverse("collection:wall_live", args=[koblenz_blank.pk, collection.pk])
    before = facilitator_client.get(url)["ETag"]
    phone.post(reverse("collection:support", args=[card.pk]))
    assert card.supports.count() == 1
    after = facilitator_client.get(url, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and "1 Person hat es unterstützt" in after.content.decode()
