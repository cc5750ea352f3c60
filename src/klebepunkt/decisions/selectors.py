"""Every read of attendance and decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.urls import reverse

from klebepunkt.decisions import models
from klebepunkt.decisions.models import Choice, DecisionState, Presence
from klebepunkt.domain import Evaluation
from klebepunkt.domain.decision import (
    NO_VOTES,
    DecisionRule,
    Outcome,
    Votes,
    priority_text,
    vote_marker,
)
from klebepunkt.processes import models as process_models


def rule_of(process: process_models.Process) -> DecisionRule:
    value = (
        models.DecisionSettings.objects.filter(process=process)
        .values_list("rule", flat=True)
        .first()
    )
    return DecisionRule(value) if value else DecisionRule.SIMPLE


def voting_members(process: process_models.Process) -> int:
    return process.members.filter(voting=True).count()


def attendance_of(meeting: process_models.Meeting) -> dict[int, str]:
    """Member id → presence, for the members whose attendance is recorded."""
    return dict(
        models.Attendance.objects.filter(meeting=meeting).values_list("member_id", "presence")
    )


def present_on(process_id: int, day: dt.date) -> frozenset[int] | None:
    """The members present at the process's meeting on ``day`` (registered with the voting
    rounds), or None if there is no such meeting or no attendance is recorded there."""
    rows = list(
        models.Attendance.objects.filter(
            meeting__process_id=process_id, meeting__date=day
        ).values_list("member_id", "presence")
    )
    if not rows:
        return None
    return frozenset(member for member, presence in rows if presence == Presence.PRESENT)


def present_voting_by_group(meeting: process_models.Meeting) -> dict[int, int]:
    """Stakeholder group id → voting members present at the meeting."""
    result: dict[int, int] = {}
    for group_id in models.Attendance.objects.filter(
        meeting=meeting, presence=Presence.PRESENT, member__voting=True
    ).values_list("member__stakeholder_group_id", flat=True):
        result[group_id] = result.get(group_id, 0) + 1
    return result


def decisions_of(process: process_models.Process) -> QuerySet[models.Decision]:
    return models.Decision.objects.filter(process=process).select_related("meeting")


def votes_of(decision: models.Decision) -> Votes:
    """The counts: once closed, the recorded ones; while open, the show of hands entered,
    the secret vote's anonymous running tally, or the open vote's ballots counted."""
    if decision.state == DecisionState.CLOSED or decision.secret:
        return Votes(decision.yes, decision.no, decision.abstain)
    if decision.phone:
        by_choice = dict(
            decision.phone_votes.values_list("choice").annotate(n=Count("id")).order_by()
        )
        return Votes(
            by_choice.get(Choice.YES, 0),
            by_choice.get(Choice.NO, 0),
            by_choice.get(Choice.ABSTAIN, 0),
        )
    total = NO_VOTES
    for count in decision.counts.all():
        total = total + Votes(count.yes, count.no, count.abstain)
    return total


def group_counts(decision: models.Decision) -> dict[int, Votes]:
    return {
        count.stakeholder_group_id: Votes(count.yes, count.no, count.abstain)
        for count in decision.counts.all()
    }


@dataclass(frozen=True)
class PriorityDecision:
    """What the last decision carried for a priority, and whether it changed since."""

    decision: models.Decision
    changed: bool


def priority_decisions(
    process: process_models.Process, evaluation: Evaluation
) -> dict[str, PriorityDecision]:
    """Domain goal id → its last carried decision; ``changed`` when the priority is
    worded differently now than it was when it was decided."""
    latest: dict[str, models.DecisionItem] = {}
    items = (
        models.DecisionItem.objects.filter(
            decision__process=process,
            decision__state=DecisionState.CLOSED,
            decision__outcome=Outcome.PASSED.value,
            goal__isnull=False,
        )
        .select_related("decision", "decision__meeting")
        .order_by("decision__decided_at", "decision_id")
    )
    for item in items:
        latest[str(item.goal_id)] = item
    current = {priority.goal.id: priority_text(priority) for priority in evaluation.priorities}
    return {
        goal_id: PriorityDecision(item.decision, current.get(goal_id) != item.text)
        for goal_id, item in latest.items()
    }


# --- the vote on the phones -----------------------------------------------------------------


def open_phone_decision(process_id: int) -> models.Decision | None:
    """The vote of the process the members' phones show: the latest one open on the phones."""
    return (
        models.Decision.objects.filter(process_id=process_id, phone=True, state=DecisionState.OPEN)
        .select_related("meeting")
        .order_by("-created_at", "-id")
        .first()
    )


def phone_vote_url(process_id: int) -> str | None:
    """Registered with the members' entry page: where a phone goes while a vote is open."""
    return reverse("decisions:phone") if open_phone_decision(process_id) else None


def why_not_voting(decision: models.Decision, member: process_models.Member | None) -> str | None:
    """The code of the reason this member cannot vote (see ``services.PhoneVoteError``), or None."""
    if member is None:
        return "no_member"
    if not member.voting or member.erased_at is not None:
        return "no_voting_right"
    present = models.Attendance.objects.filter(
        meeting_id=decision.meeting_id, member=member, presence=Presence.PRESENT
    ).exists()
    return None if present else "not_present"


def own_vote(decision: models.Decision, member: process_models.Member) -> str | None:
    """The member's choice in an open vote; ``"secret"`` if they voted in a secret one
    (nobody, not even they, can read a secret choice back); None before they voted."""
    if decision.secret:
        if not decision.marker_salt:
            return None
        marker = vote_marker(decision.marker_salt, member.pk)
        return "secret" if decision.markers.filter(marker=marker).exists() else None
    return decision.phone_votes.filter(member=member).values_list("choice", flat=True).first()


@dataclass(frozen=True)
class Progress:
    voted: int
    present_voting: int


def phone_progress(decision: models.Decision) -> Progress:
    """How many have voted of the voting members present: the only figure shown while open."""
    voted = decision.markers.count() if decision.secret else decision.phone_votes.count()
    return Progress(voted, sum(present_voting_by_group(decision.meeting).values()))


def named_phone_votes(decision: models.Decision) -> QuerySet[models.PhoneVote]:
    """Who voted what in an open vote on the phones (none in a secret one), for the minutes."""
    return decision.phone_votes.select_related("member", "member__stakeholder_group").order_by(
        "member__stakeholder_group__position", "member__position", "member_id"
    )
