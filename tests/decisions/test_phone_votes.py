"""The decision on the members' phones, through the services: the Koblenz sample's 19
voting members vote yes, no or abstention; open votes can be changed, secret ones store
no member; only members present with a voting right vote; one ballot per member."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from klebepunkt.decisions import selectors, services
from klebepunkt.decisions.models import Decision, PhoneVote, VoteMarker
from klebepunkt.domain.decision import Outcome, Votes
from klebepunkt.processes.models import Member
from tests.decisions.conftest import attend, final_meeting

pytestmark = pytest.mark.django_db


def voting(process) -> list[Member]:
    return list(process.members.filter(voting=True).order_by("position", "id"))


def phone_vote(process, *, secret: bool = False, goal=None) -> Decision:
    return services.open_decision(
        process=process, meeting=final_meeting(process), goal=goal, phone=True, secret=secret
    )


def cast(decision: Decision, members: list[Member], choices: str) -> None:
    """One member after the other: y(es), n(o), a(bstention)."""
    names = {"y": "yes", "n": "no", "a": "abstain"}
    for member, letter in zip(members, choices, strict=True):
        services.cast_phone_vote(decision_id=decision.pk, member=member, choice=names[letter])


def test_the_koblenz_members_decide_on_their_phones(koblenz):
    attend(koblenz, present_voting=17)
    decision = phone_vote(koblenz)
    cast(decision, voting(koblenz)[:17], "y" * 10 + "n" * 4 + "a" * 3)
    progress = selectors.phone_progress(decision)
    assert (progress.voted, progress.present_voting) == (17, 17)
    closed = services.close_decision(decision=decision)
    assert (closed.yes, closed.no, closed.abstain) == (10, 4, 3)
    assert closed.outcome == Outcome.PASSED
    assert (closed.present_voting, closed.voting_members) == (17, 19)
    assert {v.member_id: v.choice for v in selectors.named_phone_votes(closed)}[
        voting(koblenz)[0].pk
    ] == "yes"


def test_an_open_vote_can_be_changed_until_the_close(koblenz):
    attend(koblenz, present_voting=19)
    decision = phone_vote(koblenz)
    member = voting(koblenz)[0]
    cast(decision, [member], "y")
    cast(decision, [member], "n")
    assert selectors.own_vote(decision, member) == "no"
    assert PhoneVote.objects.filter(decision=decision).count() == 1
    closed = services.close_decision(decision=decision)
    assert (closed.yes, closed.no, closed.abstain) == (0, 1, 0)
    assert closed.outcome == Outcome.FAILED
    with pytest.raises(services.PhoneVoteError) as refusal:
        cast(decision, [member], "y")
    assert refusal.value.code == "closed"


def test_a_tie_on_the_phones_is_a_rejection(koblenz):
    attend(koblenz, present_voting=19)
    decision = phone_vote(koblenz)
    cast(decision, voting(koblenz)[:9], "yyyynnnna")
    assert services.close_decision(decision=decision).outcome == Outcome.FAILED


def test_the_quorum_counts_the_voting_members_present(koblenz):
    attend(koblenz, present_voting=9)  # quorum of 19: 10
    decision = phone_vote(koblenz)
    cast(decision, voting(koblenz)[:9], "y" * 9)
    closed = services.close_decision(decision=decision)
    assert closed.outcome == Outcome.NO_QUORUM
    assert closed.present_voting == 9


def test_only_voting_members_present_vote(koblenz):
    attend(koblenz, present_voting=17)  # the last two voting members are excused
    decision = phone_vote(koblenz)
    excused = voting(koblenz)[-1]
    advisory = koblenz.members.filter(voting=False).first()
    refusals = {}
    for key, member in (("excused", excused), ("advisory", advisory), ("none", None)):
        with pytest.raises(services.PhoneVoteError) as refusal:
            services.cast_phone_vote(decision_id=decision.pk, member=member, choice="yes")
        refusals[key] = refusal.value.code
    assert refusals == {
        "excused": "not_present",
        "advisory": "no_voting_right",
        "none": "no_member",
    }
    with pytest.raises(services.PhoneVoteError) as refusal:
        services.cast_phone_vote(decision_id=decision.pk, member=voting(koblenz)[0], choice="ja")
    assert refusal.value.code == "bad_choice"
    assert not PhoneVote.objects.exists()


def test_a_show_of_hands_takes_no_phone_votes_and_a_phone_vote_no_counts(koblenz):
    attend(koblenz, present_voting=19)
    hands = services.open_decision(process=koblenz, meeting=final_meeting(koblenz))
    with pytest.raises(services.PhoneVoteError):
        cast(hands, voting(koblenz)[:1], "y")
    phones = phone_vote(koblenz)
    group = koblenz.stakeholder_groups.first()
    with pytest.raises(ValidationError):
        services.record_counts(decision=phones, counts={group.pk: Votes(1, 0, 0)})
    with pytest.raises(ValidationError):
        services.open_decision(process=koblenz, meeting=final_meeting(koblenz), secret=True)


def test_the_phones_show_the_latest_vote_open_on_the_phones(koblenz):
    attend(koblenz, present_voting=19)
    assert selectors.open_phone_decision(koblenz.pk) is None
    services.open_decision(process=koblenz, meeting=final_meeting(koblenz))  # by hands
    assert selectors.open_phone_decision(koblenz.pk) is None
    decision = phone_vote(koblenz)
    assert selectors.open_phone_decision(koblenz.pk) == decision
    services.close_decision(decision=decision)
    assert selectors.open_phone_decision(koblenz.pk) is None


def test_a_secret_vote_counts_once_and_cannot_be_changed(koblenz):
    attend(koblenz, present_voting=19)
    decision = phone_vote(koblenz, secret=True)
    member = voting(koblenz)[0]
    cast(decision, [member], "y")
    assert selectors.own_vote(decision, member) == "secret"
    with pytest.raises(services.PhoneVoteError) as refusal:
        cast(decision, [member], "n")
    assert refusal.value.code == "already_voted"
    cast(decision, voting(koblenz)[1:12], "y" * 5 + "n" * 4 + "aa")
    assert selectors.phone_progress(decision).voted == 12
    closed = services.close_decision(decision=decision)
    assert (closed.yes, closed.no, closed.abstain) == (6, 4, 2)
    assert closed.outcome == Outcome.PASSED


def _member_columns(model) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Member
    ]


def rows_tying_a_member_to_a_choice(members: list[Member]) -> list[tuple[str, dict]]:
    """Every row of every table that names one of ``members`` and holds a choice."""
    ids = {m.pk for m in members}
    choices = {"yes", "no", "abstain"}
    found = []
    for model in apps.get_models():
        member_columns = _member_columns(model)
        for row in model.objects.all().values():
            names_a_member = any(row[column] in ids for column in member_columns)
            if names_a_member and any(value in choices for value in row.values()):
                found.append((model.__name__, row))
    return found


def test_an_open_vote_keeps_who_voted_what(koblenz):
    """The control of the scan below: it finds the ballots of an open vote."""
    attend(koblenz, present_voting=19)
    decision = phone_vote(koblenz)
    cast(decision, voting(koblenz)[:2], "yn")
    services.close_decision(decision=decision)
    assert len(rows_tying_a_member_to_a_choice(voting(koblenz))) == 2


def test_a_secret_vote_stores_no_member_with_a_choice(koblenz):
    """Every row of every table, after a secret vote: nothing ties a member to a choice."""
    attend(koblenz, present_voting=19)
    decision = phone_vote(koblenz, secret=True)
    members = voting(koblenz)
    cast(decision, members[:5], "yynna")
    while_open = Decision.objects.get(pk=decision.pk)
    assert len(while_open.marker_salt) == 64
    # while open: only markers, none of them the member's id in any plain or unsalted form
    plain = {str(m.pk) for m in members}
    assert not plain & set(VoteMarker.objects.values_list("marker", flat=True))
    assert rows_tying_a_member_to_a_choice(members) == []
    services.close_decision(decision=decision)
    assert rows_tying_a_member_to_a_choice(members) == []
    closed = Decision.objects.get(pk=decision.pk)
    assert closed.marker_salt == ""
    assert not VoteMarker.objects.exists()
    assert not PhoneVote.objects.exists()
    assert (closed.yes, closed.no, closed.abstain) == (2, 2, 1)


def test_the_database_holds_one_ballot_per_member(koblenz):
    attend(koblenz, present_voting=19)
    decision = phone_vote(koblenz)
    member = voting(koblenz)[0]
    PhoneVote.objects.create(decision=decision, member=member, choice="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        PhoneVote.objects.create(decision=decision, member=member, choice="no")
    secret = phone_vote(koblenz, secret=True)
    VoteMarker.objects.create(decision=secret, marker="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        VoteMarker.objects.create(decision=secret, marker="a" * 64)


def test_the_members_data_export_holds_their_open_votes_only(koblenz):
    from klebepunkt import privacy

    attend(koblenz, present_voting=19)
    member = voting(koblenz)[0]
    open_vote = phone_vote(koblenz)
    cast(open_vote, [member], "n")
    secret = phone_vote(koblenz, secret=True)
    cast(secret, [member], "y")
    document = privacy.export_member(member)
    assert document["decision_votes"] == [
        {
            "decision": open_vote.pk,
            "motion": open_vote.title,
            "meeting": final_meeting(koblenz).date.isoformat(),
            "choice": "no",
        }
    ]
