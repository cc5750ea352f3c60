"""Every write of attendance and decisions: one function each, keyword-only, one transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klebepunkt.decisions import models, selectors
from klebepunkt.decisions.models import Choice, DecisionState, Presence
from klebepunkt.domain import DomainError
from klebepunkt.domain.decision import DecisionRule, Votes, outcome, priority_text, vote_marker
from klebepunkt.domain.messages import CodedRefusal
from klebepunkt.processes import models as process_models
from klebepunkt.processes.selectors import evaluate_process
from klebepunkt.richtext import MAX_LENGTH, too_long


@transaction.atomic
def record_attendance(
    *, meeting: process_models.Meeting, presence: Mapping[int, Presence | None]
) -> None:
    """Member id → present, excused or absent at the meeting (None: not recorded)."""
    members = set(meeting.process.members.values_list("pk", flat=True))
    strangers = sorted(set(presence) - members)
    if strangers:
        raise ValidationError(
            _("Member %(id)s is not a member of this process.") % {"id": strangers[0]}
        )
    for member_id, value in presence.items():
        if value is None:
            models.Attendance.objects.filter(meeting=meeting, member_id=member_id).delete()
        else:
            models.Attendance.objects.update_or_create(
                meeting=meeting, member_id=member_id, defaults={"presence": Presence(value)}
            )


@transaction.atomic
def set_decision_rule(*, process: process_models.Process, rule: DecisionRule) -> None:
    models.DecisionSettings.objects.update_or_create(
        process=process, defaults={"rule": DecisionRule(rule).value}
    )


@transaction.atomic
def open_decision(
    *,
    process: process_models.Process,
    meeting: process_models.Meeting,
    goal: process_models.Goal | None = None,
    phone: bool = False,
    secret: bool = False,
    now: dt.datetime | None = None,
) -> models.Decision:
    """Put the priority list (``goal`` None) or one priority to the vote, with its wording now.

    ``phone``: the members present vote on their phones (else by show of hands);
    ``secret``: on the phones, and no member is stored with a vote."""
    if secret and not phone:
        raise ValidationError(_("A secret vote is held on the phones."))
    if meeting.process_id != process.pk:
        raise ValidationError(_("The meeting belongs to another process."))
    if not models.Attendance.objects.filter(meeting=meeting).exists():
        raise ValidationError(
            {"meeting": _("Record who is present at this meeting before the vote.")}
        )
    priorities = evaluate_process(process).priorities
    if goal is not None:
        chosen = [p for p in priorities if p.goal.id == str(goal.pk)]
        if not chosen:
            raise ValidationError({"goal": _("This goal is not a priority.")})
        title = _("Priority: %(goal)s") % {"goal": goal.text[:250]}
    else:
        chosen = list(priorities)
        if not chosen:
            raise ValidationError(_("There are no priorities to decide on yet."))
        title = _("The priority list (%(n)s priorities)") % {"n": len(chosen)}
    decision = models.Decision.objects.create(
        process=process,
        meeting=meeting,
        title=title,
        rule=selectors.rule_of(process).value,
        phone=phone,
        secret=secret,
        marker_salt=secrets.token_hex(32) if secret else "",
        created_at=now or timezone.now(),
    )
    models.DecisionItem.objects.bulk_create(
        models.DecisionItem(
            decision=decision,
            goal_id=int(priority.goal.id) if priority.goal.id.isdigit() else None,
            rank=rank,
            text=priority_text(priority),
        )
        for rank, priority in enumerate(chosen, start=1)
    )
    return decision


def _locked_open(decision: models.Decision) -> models.Decision:
    locked = models.Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.state != DecisionState.OPEN:
        raise ValidationError(_("This vote is closed; its counts cannot be changed."))
    return locked


@transaction.atomic
def record_counts(*, decision: models.Decision, counts: Mapping[int, Votes]) -> None:
    """The show of hands per stakeholder group (group id → yes, no, abstentions).

    Refused, with nothing saved, if a group has more votes than voting members present.
    """
    decision = _locked_open(decision)
    if decision.phone:
        raise ValidationError(_("This vote is held on the phones; there are no counts to enter."))
    present = selectors.present_voting_by_group(decision.meeting)
    groups = {g.pk: g for g in decision.process.stakeholder_groups.all()}
    for group_id, votes in counts.items():
        if group_id not in groups:
            raise ValidationError(
                _("Stakeholder group %(id)s is not part of this process.") % {"id": group_id}
            )
        if votes.total > present.get(group_id, 0):
            raise ValidationError(
                _(
                    "%(group)s: %(votes)s votes (yes, no and abstentions), but only %(present)s "
                    "voting members of the group are present."
                )
                % {
                    "group": groups[group_id].name,
                    "votes": votes.total,
                    "present": present.get(group_id, 0),
                }
            )
    for group_id, votes in counts.items():
        models.GroupCount.objects.update_or_create(
            decision=decision,
            stakeholder_group_id=group_id,
            defaults={"yes": votes.yes, "no": votes.no, "abstain": votes.abstain},
        )


@transaction.atomic
def close_decision(*, decision: models.Decision, now: dt.datetime | None = None) -> models.Decision:
    """Count, apply the rule and record the result with its date. Final."""
    decision = _locked_open(decision)
    votes = selectors.votes_of(decision)
    present = sum(selectors.present_voting_by_group(decision.meeting).values())
    members = selectors.voting_members(decision.process)
    try:
        result = outcome(
            votes,
            present_voting=present,
            voting_members=members,
            rule=DecisionRule(decision.rule),
        )
    except DomainError as error:
        raise ValidationError(error.render(_)) from error
    decision.yes, decision.no, decision.abstain = votes.yes, votes.no, votes.abstain
    decision.present_voting, decision.voting_members = present, members
    decision.outcome = result.value
    decision.state = DecisionState.CLOSED
    decision.decided_at = now or timezone.now()
    if decision.secret:  # the key to the markers goes, and with it the markers
        decision.marker_salt = ""
        decision.markers.all().delete()
    decision.save()
    return decision


class PhoneVoteError(CodedRefusal):
    """A vote on the phone that is refused, with the message for the member."""

    MESSAGES = {
        "no_vote": gettext_lazy("No vote is open on the phones at the moment."),
        "closed": gettext_lazy("The vote is closed: nothing can be changed now."),
        "no_member": gettext_lazy(
            "Your code belongs to a secret dot vote and does not name you, so it cannot be "
            "used to vote. Please ask the facilitator."
        ),
        "no_voting_right": gettext_lazy(
            "You have no voting right in this process, so you cannot vote."
        ),
        "not_present": gettext_lazy(
            "You are not recorded as present at this meeting, so you cannot vote. If you are "
            "here, please tell the facilitator."
        ),
        "already_voted": gettext_lazy("You have voted already. A secret vote cannot be changed."),
        "bad_choice": gettext_lazy("Choose yes, no or abstention."),
    }


@transaction.atomic
def cast_phone_vote(
    *, decision_id: int, member: process_models.Member | None, choice: str
) -> models.Decision:
    """The member's yes, no or abstention on their phone: one per voting member present.

    The decision's row is locked, so votes of one decision are taken one after the other
    and a close waits for them. An open vote keeps one ``PhoneVote`` per member (a second
    one changes it); a secret vote adds one marker per member and counts the choice in
    the anonymous tally, both guarded by unique constraints against a double click.
    """
    locked = (
        models.Decision.objects.select_for_update()
        .select_related("meeting")
        .filter(pk=decision_id, phone=True)
        .first()
    )
    if locked is None:
        raise PhoneVoteError("no_vote")
    if locked.state != DecisionState.OPEN:
        raise PhoneVoteError("closed")
    refusal = selectors.why_not_voting(locked, member)
    if refusal is not None:
        raise PhoneVoteError(refusal)
    assert member is not None
    if choice not in Choice.values:
        raise PhoneVoteError("bad_choice")
    if not locked.secret:
        models.PhoneVote.objects.update_or_create(
            decision=locked, member=member, defaults={"choice": choice}
        )
        return locked
    try:
        with transaction.atomic():
            models.VoteMarker.objects.create(
                decision=locked, marker=vote_marker(locked.marker_salt, member.pk)
            )
    except IntegrityError:
        raise PhoneVoteError("already_voted") from None
    field = {Choice.YES: "yes", Choice.NO: "no", Choice.ABSTAIN: "abstain"}[Choice(choice)]
    models.Decision.objects.filter(pk=locked.pk).update(**{field: F(field) + 1})
    return locked


@transaction.atomic
def save_text(
    *, process: process_models.Process, key: str, text: str, now: dt.datetime | None = None
) -> None:
    """Save the text at its place (an empty text removes it: the place is empty again,
    the method pre-filled again). Too long or with a null character: refused."""
    if "\x00" in text:
        raise ValidationError({"text": _("The text contains a null character.")})
    if too_long(text):
        raise ValidationError(
            {
                "text": _(
                    "The text has %(length)s characters; at most %(max)s are allowed. "
                    "Shorten it or split it over several places."
                )
                % {
                    "length": f"{len(text):,}".replace(",", "."),
                    "max": f"{MAX_LENGTH:,}".replace(",", "."),
                }
            }
        )
    if not text.strip():
        models.ReportText.objects.filter(process=process, key=key).delete()
        return
    models.ReportText.objects.update_or_create(
        process=process, key=key, defaults={"text": text, "updated_at": now or timezone.now()}
    )
