"""Reads of the report's own texts: which places a process has, and what is written there.

The places follow the process: the fixed chapters, one per theme field, one reason per
priority and minutes per meeting. The method section is pre-filled from the rules until
the facilitator writes their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from klebepunkt.decisions import models, selectors
from klebepunkt.decisions.reporting import RULES
from klebepunkt.domain import Evaluation
from klebepunkt.domain.decision import quorum
from klebepunkt.processes import models as process_models

CHAPTERS = ("foreword", "introduction", "method", "closing")


@dataclass(frozen=True)
class Place:
    key: str
    group: str  # "chapter", "field", "priority", "minutes"
    title: str
    text: str  # what is written, or the pre-filled method
    written: bool  # False: nothing saved (the method shows its pre-filled text)


def chapter_title(key: str) -> str:
    return {
        "foreword": _("Foreword"),
        "introduction": _("Introduction"),
        "method": _("Method"),
        "closing": _("Closing words"),
    }[key]


def method_text(process: process_models.Process) -> str:
    """The method as the rules of the process say it (the pre-filled method section)."""
    parts = [
        _(
            "Every voting member had %(dots)s dots and placed them on the recommendations "
            "they thought most important."
        )
        % {"dots": process.dots_per_voter}
    ]
    if process.cap_per_card:
        parts.append(
            _("At most %(cap)s dots of one member could go on one card.")
            % {"cap": process.cap_per_card}
        )
    parts.append(
        _(
            "The recommendations were grouped into goals; a goal with %(threshold)s or more "
            "points became a priority, the others went into the topic store."
        )
        % {"threshold": process.goal_threshold}
    )
    members = selectors.voting_members(process)
    parts.append(
        _(
            "The priorities were put to the vote under this rule: %(rule)s. Of the "
            "%(members)s voting members at least %(quorum)s had to be present."
        )
        % {
            "rule": _(RULES[selectors.rule_of(process).value]),
            "members": members,
            "quorum": quorum(members),
        }
    )
    return "\n\n".join(parts)


def places_of(process: process_models.Process, evaluation: Evaluation) -> list[Place]:
    saved = dict(models.ReportText.objects.filter(process=process).values_list("key", "text"))

    def place(key: str, group: str, title: str) -> Place:
        if key in saved:
            return Place(key, group, title, saved[key], True)
        default = method_text(process) if key == "method" else ""
        return Place(key, group, title, default, False)

    places = [place(key, "chapter", chapter_title(key)) for key in CHAPTERS]
    for field in process.theme_fields.order_by("position", "id"):
        places.append(place(f"field-{field.pk}", "field", field.name))
    for priority in evaluation.priorities:
        if priority.goal.id.isdigit():
            title = f"{priority.goal.nr} {priority.goal.text}".strip()
            places.append(place(f"priority-{priority.goal.id}", "priority", title))
    for meeting in process.meetings.order_by("date", "start", "id"):
        places.append(place(f"minutes-{meeting.pk}", "minutes", f"{meeting.date:%d.%m.%Y}"))
    return places


def place_of(process: process_models.Process, evaluation: Evaluation, key: str) -> Place | None:
    return next((p for p in places_of(process, evaluation) if p.key == key), None)
