"""Every read of attendance and decisions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from klebepunkt.decisions import models
from klebepunkt.decisions.models import DecisionState, Presence
from klebepunkt.domain import Evaluation
from klebepunkt.domain.decision import NO_VOTES, DecisionRule, Outcome, Votes, priority_text
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
    if decision.state == DecisionState.CLOSED:
        return Votes(decision.yes, decision.no, decision.abstain)
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
