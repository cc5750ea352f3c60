"""Data protection (DSGVO): what klebepunkt holds about a member, erasure on request,
and deleting a whole process when its retention ends.

What is personal: a member's name and contact (``processes.Member``), which voter
entries of the voting rounds are theirs (``voting.Voter.member``), and their personal
codes of the meetings' card collections with the cards they wrote there
(``collection.Participant``, ``CollectedCard.author``). The votes themselves
are stored under a pseudonym per round (``Voter.pseudonym``) with the stakeholder
group; the hash-chained audit log, the seal, the tallies and the support by group use
only those. So an erasure can remove the person and keep every result:

* the member's name becomes a neutral label ("Gelöschtes Mitglied (M-XXXXXX)", a fresh
  random tag, not derived from the name and not one of their voting pseudonyms), the
  contact is cleared; stakeholder group and voting right stay, so the composition of
  the working group in the report stays true;
* the member's voter entries are unlinked from the member and keep pseudonym and
  stakeholder group: tallies, support by group, every audit chain and seal stay valid
  (an entry in a round that never opened is removed: it holds no dot);
* the cards they wrote in a card collection lose their author and keep their texts and
  stakeholder group (the wall and the cards taken from it stay as the group saw them);
  their meeting codes are revoked;
* the Django admin's change log loses the name it showed for the member;
* a ``PrivacyLog`` note says that (and when, and by whom) the data were erased, and
  holds none of them.

On SQLite the database runs with ``secure_delete`` (settings), so deleted rows are
overwritten in the file rather than left in its free space, and an erasure or a
deleted process ends with a checkpoint that empties the WAL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klebepunkt.collection.models import CardSupport, CollectedCard, Participant
from klebepunkt.decisions.models import PhoneVote
from klebepunkt.processes.models import (
    Member,
    PrivacyAction,
    PrivacyLog,
    Process,
    StakeholderGroup,
)
from klebepunkt.voting import codes
from klebepunkt.voting.models import DotEvent, RoundState, Voter, VotingRound

EXPORT_FORMAT = "klebepunkt/member-data"
EXPORT_VERSION = 1
CLI_ACTOR = "klebepunkt (Kommandozeile)"


def erased_label() -> str:
    """A neutral name for an erased member: a random tag, unlinkable to the person. In the
    language of the data (German), whatever language the facilitator's page is in."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Erased member (%(tag)s)") % {"tag": "M-" + codes.random_code(6)}


@transaction.atomic
def erase_member(*, member: Member, actor: User | None, actor_name: str = "") -> Member:
    """Erase the member's personal data on request; every tally and audit chain stays valid."""
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if locked.erased_at is not None:
        raise ValidationError(_("The personal data of this member have been erased already."))
    now = timezone.now()
    label = erased_label()
    Member.objects.filter(pk=locked.pk).update(name=label, contact="", erased_at=now)
    voters = Voter.objects.filter(member=locked)
    voters.filter(voting_round__state=RoundState.PREPARED).delete()  # never opened: no dots
    voters.update(member=None)  # pseudonym and stakeholder group stay with the votes
    participants = Participant.objects.filter(member=locked)
    CollectedCard.objects.filter(author__in=participants).update(author=None)
    participants.filter(revoked_at__isnull=True).update(revoked_at=now)
    _scrub_admin_log(locked.pk, label)
    PrivacyLog.objects.create(
        process_id=locked.process_id,
        member=locked,
        member_label=label,
        action=PrivacyAction.ERASURE,
        actor=actor,
        actor_name=_actor_name(actor, actor_name),
        created_at=now,
    )
    transaction.on_commit(_empty_sqlite_wal)
    locked.refresh_from_db()
    return locked


def _scrub_admin_log(member_id: int, label: str) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_id=str(member_id)
    ).update(object_repr=label)


def _empty_sqlite_wal() -> None:
    """SQLite: copy the WAL into the database and truncate it, so that no earlier page
    image with the erased text stays in the ``-wal`` file. Best effort: while a reader
    holds an old snapshot the WAL is emptied by a later checkpoint."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _actor_name(actor: User | None, actor_name: str) -> str:
    if actor_name:
        return actor_name
    if actor is not None:
        return str(actor.get_username())
    return CLI_ACTOR


@transaction.atomic
def record_export(*, member: Member, actor: User | None, actor_name: str = "") -> None:
    """Note that the member's data were given out (Art. 15 DSGVO), without the data."""
    PrivacyLog.objects.create(
        process_id=member.process_id,
        member=member,
        member_label=member.name if member.erased_at else f"#{member.pk}",
        action=PrivacyAction.EXPORT,
        actor=actor,
        actor_name=_actor_name(actor, actor_name),
        created_at=timezone.now(),
    )


def _when(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _code_status(entry: Voter | Participant, *, over: bool = False) -> str:
    """What became of a personal code (a round's or a meeting's); ``over``: its round is over,
    so the code opens nothing any more."""
    if entry.revoked_at is not None:
        return "revoked"
    if over:
        return "expired"
    if entry.joined_at is not None:
        return "in use"
    if entry.picked_up_at is not None:
        return "picked up"
    return "not used yet"


def export_member(member: Member) -> dict[str, Any]:
    """Every datum klebepunkt holds about the member, as one JSON-ready document.

    The voting code itself is left out: it is a key, not a datum about the person (its
    status is given). Rounds held in secret store no link to the member, so nothing of
    them can be attributed to anybody — the document says so."""
    group = member.stakeholder_group
    rounds = []
    voters = (
        Voter.objects.filter(member=member)
        .select_related("voting_round", "stakeholder_group")
        .order_by("voting_round__created_at", "voting_round_id")
    )
    for voter in voters:
        voting_round = voter.voting_round
        dots = [
            {
                "card": ballot.card_id,
                "theme_field": ballot.card.theme_field.name,
                "card_text": ballot.card.label,
                "dots": ballot.dots,
            }
            for ballot in voter.ballots.filter(dots__gt=0)
            .select_related("card__theme_field", "card__goal")
            .order_by("card__theme_field__position", "card__position", "card_id")
        ]
        events = [
            {
                "sequence": event.sequence,
                "card": event.card_id,
                "delta": event.delta,
                "source": event.source,
                "at": _when(event.created_at),
                "hash": event.hash,
            }
            for event in DotEvent.objects.filter(voter=voter).order_by("sequence")
        ]
        rounds.append(
            {
                "round": {
                    "id": voting_round.pk,
                    "title": voting_round.title,
                    "state": voting_round.state,
                    "opened_at": _when(voting_round.opened_at),
                    "closed_at": _when(voting_round.closed_at),
                },
                "pseudonym": voter.pseudonym,
                "stakeholder_group": voter.stakeholder_group.name
                if voter.stakeholder_group
                else None,
                "code": {
                    "status": _code_status(
                        voter,
                        over=voting_round.state in (RoundState.CLOSED, RoundState.REVEALED),
                    ),
                    "picked_up_at": _when(voter.picked_up_at),
                    "joined_at": _when(voter.joined_at),
                    "revoked_at": _when(voter.revoked_at),
                },
                "dots_per_voter": voter.budget,
                "dots_used": voter.used,
                "dots": dots,
                "events": events,
            }
        )
    secret_rounds = VotingRound.objects.filter(process=member.process_id, secret=True).count()
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "process": {"id": member.process_id, "title": member.process.title},
        "member": {
            "id": member.pk,
            "name": member.name,
            "contact": member.contact,
            "stakeholder_group": {"name": group.name, "description": group.description},
            "voting": member.voting,
            "position": member.position,
            "erased_at": _when(member.erased_at),
        },
        "voting_rounds": rounds,
        "secret_rounds_not_attributable": secret_rounds,
        "card_collections": _collection_data(member),
        # votes on a decision on the phones; a secret vote stores nothing of the member
        "decision_votes": [
            {
                "decision": vote.decision_id,
                "motion": vote.decision.title,
                "meeting": vote.decision.meeting.date.isoformat(),
                "choice": vote.choice,
            }
            for vote in PhoneVote.objects.filter(member=member)
            .select_related("decision__meeting")
            .order_by("decision__created_at", "decision_id")
        ],
        "privacy_log": [
            {"action": entry.action, "by": entry.actor_name, "at": _when(entry.created_at)}
            for entry in PrivacyLog.objects.filter(member=member).order_by("created_at", "id")
        ],
    }


def _collection_data(member: Member) -> list[dict[str, Any]]:
    """The member's codes of the meetings' card collections, the cards they wrote there
    (every text each card had) and the cards they supported."""
    meetings = []
    participants = (
        Participant.objects.filter(member=member)
        .select_related("meeting")
        .order_by("meeting__date", "meeting_id")
    )
    for participant in participants:
        cards = (
            CollectedCard.objects.filter(author=participant)
            .select_related("collection", "theme_field")
            .prefetch_related("revisions")
            .order_by("created_at", "id")
        )
        supported = CardSupport.objects.filter(participant=participant).select_related(
            "collected_card"
        )
        meetings.append(
            {
                "meeting": {
                    "id": participant.meeting_id,
                    "date": participant.meeting.date.isoformat(),
                    "focus": participant.meeting.focus,
                },
                "code": {
                    "status": _code_status(participant),
                    "picked_up_at": _when(participant.picked_up_at),
                    "joined_at": _when(participant.joined_at),
                    "revoked_at": _when(participant.revoked_at),
                },
                "cards_written": [
                    {
                        "question": card.collection.question,
                        "theme_field": card.theme_field.name,
                        "text": card.text,
                        "goal": card.goal_text,
                        "indicator": card.indicator,
                        "responsible": card.responsible,
                        "state": card.state,
                        "written_at": _when(card.created_at),
                        "earlier_texts": [
                            {"text": revision.text, "at": _when(revision.created_at)}
                            for revision in card.revisions.all()
                        ],
                    }
                    for card in cards
                ],
                "cards_supported": [
                    {"text": support.collected_card.text, "at": _when(support.created_at)}
                    for support in supported.order_by("created_at", "id")
                ],
            }
        )
    return meetings


@transaction.atomic
def delete_process(*, process: Process) -> None:
    """Delete a process with everything in it (its retention has ended): voting rounds and
    their audit log, members, groups, meetings, cards. The audit records protect their
    cards and voters from a casual delete; here they go first, on purpose."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    locked = Process.objects.select_for_update().get(pk=process.pk)
    rounds = VotingRound.objects.filter(process=locked)
    DotEvent.objects.filter(voting_round__in=rounds).delete()
    rounds.delete()  # voters, ballots, paper tallies with them
    members = Member.objects.filter(process=locked)
    LogEntry.objects.filter(  # the admin's change log names the members it showed
        content_type=ContentType.objects.get_for_model(Member),
        object_id__in=[str(pk) for pk in members.values_list("pk", flat=True)],
    ).delete()
    members.delete()
    StakeholderGroup.objects.filter(process=locked).delete()
    locked.delete()  # theme fields, goals, cards, meetings, roles, the privacy log
    transaction.on_commit(_empty_sqlite_wal)
