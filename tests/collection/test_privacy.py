"""DSGVO and the card collection: a member's meeting codes and the cards they wrote are in
their export, and an erasure unlinks the cards (texts and group stay) and revokes the codes."""

from __future__ import annotations

import json

import pytest

from klebepunkt import privacy
from klebepunkt.collection import services
from klebepunkt.collection.models import CardState, CollectedCard, Participant
from klebepunkt.collection.services import CardFields
from tests.collection.conftest import participant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrote_cards(meeting, collection, field, facilitator):
    author = participant_of(meeting)
    other = meeting.participants.exclude(pk=author.pk).filter(member__voting=True).first()
    services.pick_up_code(collection=collection, participant_id=author.pk)
    services.mark_joined(participant=author)
    mine, _new = services.submit_card(
        collection=collection,
        author=author,
        theme_field_id=field.pk,
        fields=CardFields(text="Mehr Sprachkurse am Abend", indicator="Zahl der Kurse"),
        idempotency_key="k-mine-1",
    )
    services.edit_card(
        card=mine,
        fields=CardFields(text="Mehr Sprachkurse am Abend und am Wochenende"),
        version=mine.version,
        author=author,
    )
    services.accept_card(card=mine, actor=facilitator)
    theirs, _new = services.submit_card(
        collection=collection,
        author=other,
        theme_field_id=field.pk,
        fields=CardFields(text="Ein Familienzentrum im Stadtteil"),
        idempotency_key="k-theirs-1",
    )
    services.support_card(card=theirs, participant=author)
    return author, mine, theirs


def test_the_export_holds_the_codes_and_cards_of_the_collection(wrote_cards):
    author, _mine, theirs = wrote_cards
    data = json.loads(json.dumps(privacy.export_member(author.member)))
    (taken_part,) = data["card_collections"]
    assert taken_part["code"]["status"] == "in use"
    assert taken_part["meeting"]["id"] == author.meeting_id
    (card,) = taken_part["cards_written"]
    assert card["text"] == "Mehr Sprachkurse am Abend und am Wochenende"
    assert card["state"] == CardState.ACCEPTED
    assert "Mehr Sprachkurse am Abend" in [t["text"] for t in card["earlier_texts"]]
    assert [s["text"] for s in taken_part["cards_supported"]] == [
        "Ein Familienzentrum im Stadtteil"
    ]
    assert "code" not in taken_part["code"]  # the code is a key, not a datum about the person
    # the other member's export shows their card, not this member's
    other = privacy.export_member(theirs.author.member)["card_collections"][0]
    assert [c["text"] for c in other["cards_written"]] == ["Ein Familienzentrum im Stadtteil"]


def test_erasure_unlinks_the_cards_and_revokes_the_codes(wrote_cards, facilitator):
    author, mine, theirs = wrote_cards
    group = mine.stakeholder_group_id
    privacy.erase_member(member=author.member, actor=facilitator)
    mine.refresh_from_db()
    assert mine.author_id is None
    assert mine.text == "Mehr Sprachkurse am Abend und am Wochenende"  # the group's work stays
    assert mine.stakeholder_group_id == group
    assert mine.state == CardState.ACCEPTED
    assert Participant.objects.get(pk=author.pk).revoked_at is not None
    assert services.participant_for_code(author.code) is None  # the code opens nothing
    assert CollectedCard.objects.get(pk=theirs.pk).author_id == theirs.author_id  # others stay
    assert privacy.export_member(author.member)["card_collections"][0]["cards_written"] == []
