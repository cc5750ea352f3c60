"""The guide on a process's page: the steps from members to the result, which are done, and
what to do next (members → meeting → cards → round → board → result)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klebepunkt.domain import Evaluation
from klebepunkt.processes import models
from klebepunkt.processes.extensions import round_counts


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    title: str
    url: str
    done: bool
    state: str  # what there is so far, e.g. "19 members, 16 with a voting right"
    todo: str  # what to do in this step
    action: str  # the label of the link that does it
    action_url: str


@dataclass(frozen=True, slots=True)
class Guide:
    steps: tuple[Step, ...]

    @property
    def next_step(self) -> Step | None:
        """The first step not yet done: the one the page points to."""
        return next((step for step in self.steps if not step.done), None)

    @property
    def all_done(self) -> bool:
        return all(step.done for step in self.steps)


def guide_of(process: models.Process, evaluation: Evaluation) -> Guide:
    members = process.members.aggregate(
        total=Count("id"), voting=Count("id", filter=Q(voting=True))
    )
    meetings = process.meetings.count()
    fields = process.theme_fields.count()
    cards = models.Card.objects.filter(theme_field__process=process)
    card_count = cards.count()
    goals = models.Goal.objects.filter(theme_field__process=process).count()
    unclustered = sum(1 for entry in evaluation.goals if not entry.clustered)
    rounds = round_counts(process)
    dots = evaluation.total_dots
    pk = process.pk

    def url(name: str, namespace: str = "processes") -> str:
        return reverse(f"{namespace}:{name}", args=[pk])

    if rounds.open:
        round_state = ngettext("%(n)s round is open.", "%(n)s rounds are open.", rounds.open) % {
            "n": rounds.open
        }
        round_todo = _("Members place their dots now; close the round when everybody has voted.")
        round_action = _("Go to the open round")
    elif rounds.prepared:
        round_state = _("A round is prepared.")
        round_todo = _(
            "Hand out the codes (code sheet or round code on the projector), then open the round."
        )
        round_action = _("Go to the prepared round")
    else:
        round_state = ngettext("%(n)s round held.", "%(n)s rounds held.", rounds.over) % {
            "n": rounds.over
        }
        round_todo = _(
            "Prepare a voting round: every member with a voting right gets a personal code. "
            "Dots stuck on paper can be entered in the round or on the cards."
        )
        round_action = _("Prepare a voting round")
    steps = (
        Step(
            "members",
            _("Members"),
            url("members"),
            done=members["voting"] > 0,
            state=_("%(members)s members, %(voters)s with a voting right")
            % {"members": members["total"], "voters": members["voting"]},
            todo=_(
                "Enter the members of the working group with their stakeholder group; "
                "each takes the voting right of the group."
            ),
            action=_("Add a member"),
            action_url=url("member_add"),
        ),
        Step(
            "meeting",
            _("Meeting"),
            url("meetings"),
            done=meetings > 0,
            state=ngettext("%(n)s meeting", "%(n)s meetings", meetings) % {"n": meetings},
            todo=_("Enter the meeting in which the cards are written and the dots placed."),
            action=_("Add a meeting"),
            action_url=url("meeting_add"),
        ),
        Step(
            "cards",
            _("Cards"),
            url("cards"),
            done=card_count > 0,
            state=_("%(cards)s cards in %(fields)s theme fields")
            % {"cards": card_count, "fields": fields},
            todo=_("Add a theme field, then the recommendation cards, or import a tally sheet.")
            if fields == 0
            else _("Enter the recommendation cards, or import a tally sheet."),
            action=_("Add a card") if fields else _("Add a theme field"),
            action_url=url("card_add") if fields else url("cards"),
        ),
        Step(
            "round",
            _("Dot vote"),
            url("rounds", "voting"),
            done=dots > 0 and not rounds.open and not rounds.prepared,
            state=round_state
            + " "
            + ngettext("%(n)s dot counted.", "%(n)s dots counted.", dots) % {"n": dots},
            todo=round_todo,
            action=round_action,
            action_url=url("rounds", "voting"),
        ),
        Step(
            "board",
            _("Clustering"),
            url("board"),
            done=dots > 0 and goals > 0 and unclustered == 0,
            state=_("%(goals)s goals; %(unclustered)s cards with dots not yet clustered")
            % {"goals": goals, "unclustered": unclustered},
            todo=_(
                "Put every card with dots under a goal: drag it on the wall or choose the goal."
            ),
            action=_("Open the clustering wall"),
            action_url=url("board"),
        ),
        Step(
            "result",
            _("Result"),
            url("result"),
            done=bool(evaluation.priorities),
            state=_("%(priorities)s priorities, %(store)s entries in the topic store")
            % {
                "priorities": len(evaluation.priorities),
                "store": len(evaluation.topic_store),
            },
            todo=_("Check the priorities and the topic store, then download the report."),
            action=_("See the result"),
            action_url=url("result"),
        ),
    )
    return Guide(steps)
