"""The card collection's rules, enforced by the services: once per key, versions, states."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from klebepunkt.collection import services
from klebepunkt.collection.models import CardRevision, CardState, CollectedCard, Participant
from klebepunkt.collection.services import CardChanged, CardFields, CollectionError
from klebepunkt.domain import collection as rules
from klebepunkt.processes.models import Card, Member, Origin
from klebepunkt.voting import selectors as voting_selectors
from klebepunkt.voting import services as voting_services
from klebepunkt.voting.models import Voter
from tests.collection.conftest import participant_of
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db


def write(collection, author, field, text="Mehr Kita-Plätze in der Innenstadt", key="k1"):
    return services.submit_card(
        collection=collection,
        author=author,
        theme_field_id=field.pk,
        fields=CardFields(text=text, indicator="Zahl der Plätze", responsible="Jugendamt"),
        idempotency_key=key,
    )


def test_every_member_voting_or_not_gets_one_code_for_the_meeting(meeting, collection):
    members = Member.objects.filter(process=meeting.process)
    assert meeting.participants.count() == members.count()
    assert meeting.participants.filter(member__voting=False).exists()
    codes = list(meeting.participants.values_list("code", flat=True))
    assert len(set(codes)) == len(codes)
    assert not Voter.objects.filter(code__in=codes).exists()
    # a second collection in the same meeting keeps the codes
    services.open_collection(
        meeting=meeting, question="Noch eine", theme_fields=[collection.theme_fields.first()]
    )
    assert sorted(meeting.participants.values_list("code", flat=True)) == sorted(codes)


def test_a_card_carries_author_group_and_time(collection, author, field):
    card, created = write(collection, author, field)
    assert created
    assert card.stakeholder_group_id == author.member.stakeholder_group_id
    assert card.state == CardState.SUBMITTED and card.version == 1
    assert card.created_at is not None


def test_a_card_sent_twice_is_stored_once(collection, author, field):
    first, created = write(collection, author, field, key="same")
    again, created_again = write(collection, author, field, key="same")
    assert created and not created_again
    assert again.pk == first.pk
    assert CollectedCard.objects.filter(collection=collection).count() == 1


def test_another_members_key_gives_nothing(meeting, collection, author, field):
    write(collection, author, field, key="mine")
    other = meeting.participants.exclude(pk=author.pk).first()
    with pytest.raises(CollectionError) as error:
        write(collection, other, field, key="mine")
    assert error.value.code == "bad_key"


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("text", rules.MAX_TEXT),
        ("goal_text", rules.MAX_GOAL),
        ("indicator", rules.MAX_INDICATOR),
        ("responsible", rules.MAX_RESPONSIBLE),
    ],
)
def test_fields_longer_than_their_maximum_are_refused_with_a_message(
    collection, author, field, name, limit
):
    values = {"text": "Kurz", name: "x" * (limit + 1)}
    with pytest.raises(ValidationError) as error:
        services.submit_card(
            collection=collection,
            author=author,
            theme_field_id=field.pk,
            fields=CardFields(**values),
            idempotency_key="long",
        )
    assert name in error.value.message_dict
    assert str(limit) in error.value.message_dict[name][0]
    assert not CollectedCard.objects.exists()


def test_a_card_needs_a_recommendation(collection, author, field):
    with pytest.raises(ValidationError) as error:
        write(collection, author, field, text="   ")
    assert "text" in error.value.message_dict


def test_a_closed_collection_refuses_new_cards(collection, author, field):
    services.close_collection(collection=collection)
    with pytest.raises(CollectionError) as error:
        write(collection, author, field)
    assert error.value.code == "closed"
    assert not CollectedCard.objects.exists()


def test_a_revoked_code_gets_nothing(collection, author, field):
    services.revoke_code(participant=author)
    with pytest.raises(CollectionError) as error:
        write(collection, author, field)
    assert error.value.code == "code_revoked"
    assert services.participant_for_code(author.code) is None


def test_a_member_of_another_meeting_gets_nothing(collection, field, koblenz_blank):
    elsewhere = MeetingFactory(process=koblenz_blank)
    services.open_collection(meeting=elsewhere, question="Andere Sitzung", theme_fields=[field])
    stranger = Participant.objects.filter(meeting=elsewhere).first()
    with pytest.raises(CollectionError) as error:
        write(collection, stranger, field)
    assert error.value.code == "unknown_participant"


def test_a_theme_field_outside_the_collection_is_refused(collection, author, koblenz_blank):
    outside = koblenz_blank.theme_fields.exclude(pk__in=collection.theme_fields.all()).first()
    with pytest.raises(CollectionError) as error:
        write(collection, author, outside)
    assert error.value.code == "theme_field"


def test_the_author_edits_and_withdraws_only_while_open(collection, author, field):
    card, _ = write(collection, author, field)
    edited = services.edit_card(
        card=card,
        fields=CardFields(text="Mehr Kita-Plätze, auch am Rand"),
        version=1,
        author=author,
    )
    assert edited.version == 2 and edited.text == "Mehr Kita-Plätze, auch am Rand"
    services.close_collection(collection=collection)
    with pytest.raises(CollectionError) as error:
        services.withdraw_card(card=card, author=author)
    assert error.value.code == "closed"
    with pytest.raises(CollectionError):
        services.edit_card(card=card, fields=CardFields(text="Später"), version=2, author=author)


def test_only_the_author_changes_their_card(meeting, collection, author, field):
    card, _ = write(collection, author, field)
    other = meeting.participants.exclude(pk=author.pk).first()
    with pytest.raises(CollectionError) as error:
        services.withdraw_card(card=card, author=other)
    assert error.value.code == "not_yours"
    with pytest.raises(CollectionError):
        services.edit_card(card=card, fields=CardFields(text="Fremd"), version=1, author=other)
    assert CollectedCard.objects.get(pk=card.pk).state == CardState.SUBMITTED


def test_a_withdrawn_card_is_kept(collection, author, field):
    card, _ = write(collection, author, field)
    services.withdraw_card(card=card, author=author)
    assert CollectedCard.objects.get(pk=card.pk).state == CardState.WITHDRAWN


def test_the_second_of_two_saves_is_told_and_both_texts_are_kept(collection, author, field):
    card, _ = write(collection, author, field)
    services.edit_card(card=card, fields=CardFields(text="Fassung A"), version=1, author=None)
    with pytest.raises(CardChanged) as changed:
        services.edit_card(card=card, fields=CardFields(text="Fassung B"), version=1, author=author)
    assert changed.value.current.text == "Fassung A"
    assert changed.value.yours.text == "Fassung B"
    texts = list(CardRevision.objects.filter(collected_card=card).values_list("text", "conflict"))
    assert ("Fassung A", False) in texts and ("Fassung B", True) in texts
    assert CollectedCard.objects.get(pk=card.pk).text == "Fassung A"


def test_accepting_makes_an_ordinary_card_of_the_process(collection, author, field):
    facilitator = UserFactory()
    card, _ = write(collection, author, field)
    accepted = services.accept_card(card=card, actor=facilitator)
    assert accepted.state == CardState.ACCEPTED
    process_card = Card.objects.get(pk=accepted.card_id)
    assert process_card.theme_field_id == field.pk
    assert process_card.text == card.text and process_card.indicator == "Zahl der Plätze"
    assert process_card.origin == Origin.MEETING
    assert process_card.collected_as.collection.meeting_id == collection.meeting_id
    assert process_card.collected_as.stakeholder_group_id == author.member.stakeholder_group_id
    with pytest.raises(CollectionError):
        services.accept_card(card=card, actor=facilitator)  # decided already
    with pytest.raises(CollectionError):
        services.edit_card(card=card, fields=CardFields(text="x"), version=2, author=author)


def test_sending_back_keeps_the_card_with_its_reason(collection, author, field):
    facilitator = UserFactory()
    card, _ = write(collection, author, field)
    with pytest.raises(ValidationError):
        services.send_back(card=card, reason=" ", actor=facilitator)
    services.send_back(card=card, reason="Bitte konkreter", actor=facilitator)
    kept = CollectedCard.objects.get(pk=card.pk)
    assert kept.state == CardState.SENT_BACK and kept.reason == "Bitte konkreter"
    # the author reworks it: it is submitted again
    services.edit_card(
        card=kept, fields=CardFields(text="Konkreter"), version=kept.version, author=author
    )
    assert CollectedCard.objects.get(pk=card.pk).state == CardState.SUBMITTED


def test_merging_keeps_the_merged_card_under_the_other(collection, author, field):
    facilitator = UserFactory()
    first, _ = write(collection, author, field, key="a")
    second, _ = write(collection, author, field, text="Kita-Plätze ausbauen", key="b")
    services.merge_cards(source=second, target=first, actor=facilitator)
    merged = CollectedCard.objects.get(pk=second.pk)
    assert merged.state == CardState.MERGED and merged.merged_into_id == first.pk
    with pytest.raises(CollectionError):
        services.merge_cards(source=first, target=first, actor=facilitator)


def test_paper_cards_go_into_the_same_list(collection, field):
    card, created = services.submit_card(
        collection=collection,
        author=None,
        theme_field_id=field.pk,
        fields=CardFields(text="Von der Pinnwand"),
        idempotency_key="paper-1",
    )
    assert created and card.from_paper and card.author is None


def test_the_round_after_the_collection_has_exactly_the_accepted_cards(
    meeting, collection, author, field
):
    facilitator = UserFactory()
    accepted, _ = write(collection, author, field, key="a")
    refused, _ = write(collection, author, field, text="Zurück damit", key="b")
    services.accept_card(card=accepted, actor=facilitator)
    services.send_back(card=refused, reason="unklar", actor=facilitator)
    with pytest.raises(ValidationError):
        services.start_round(collection=collection, title="Punkte")  # still open
    services.close_collection(collection=collection)
    voting_round = services.start_round(collection=collection, title="Punkte")
    accepted.refresh_from_db()
    assert [c.pk for c in voting_selectors.round_cards(voting_round)] == [accepted.card_id]
    # the member keeps the code of the meeting; a member without voting right has no dots
    voter = services.voter_in_round(participant=author, voting_round=voting_round)
    assert voter is not None and voter.code == author.code
    non_voting = participant_of(meeting, voting=False)
    assert services.voter_in_round(participant=non_voting, voting_round=voting_round) is None
    # a dot on a card outside the round is refused
    opened = voting_services.open_round(voting_round=voting_round)
    other_card = (
        Card.objects.filter(theme_field__process=meeting.process)
        .exclude(pk=accepted.card_id)
        .first()
    )
    with pytest.raises(voting_services.VotingError) as error:
        voting_services.place_dot(voter_id=voter.pk, card_id=other_card.pk)
    assert error.value.code == "card_not_in_round"
    result = voting_services.place_dot(voter_id=voter.pk, card_id=accepted.card_id)
    assert result.card_dots == 1 and opened.pk == voting_round.pk


def test_a_member_supports_another_card_once_instead_of_writing_a_look_alike(
    meeting, collection, author, field
):
    card, _ = write(collection, author, field)
    other = meeting.participants.exclude(pk=author.pk).first()
    assert services.support_card(card=card, participant=other) is True
    assert services.support_card(card=card, participant=other) is False  # a double tap
    assert card.supports.count() == 1
    with pytest.raises(CollectionError) as error:
        services.support_card(card=card, participant=author)  # not one's own card
    assert error.value.code == "support"
    services.close_collection(collection=collection)
    third = meeting.participants.exclude(pk__in=[author.pk, other.pk]).first()
    with pytest.raises(CollectionError) as closed:
        services.support_card(card=card, participant=third)
    assert closed.value.code == "closed"
