"""Working out a priority after the vote: rewording its goal and, of each of its cards, the
recommendation, the indicator and the responsible body. Every changed part is kept in the
process's history (``ChangeRecord``, kind ``REWORDED``) with who, when, before and after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from klebepunkt.domain.rewording import CARD_FIELDS, GOAL, Rewording, wording_problem
from klebepunkt.processes import models
from klebepunkt.processes.history import record_change
from klebepunkt.processes.models import ChangeKind


def field_key(card_id: int | None, field: str) -> str:
    """The name of a part in a form and in an error: ``goal`` or ``card_<id>_<field>``."""
    return GOAL if card_id is None else f"card_{card_id}_{field}"


def record_rewording(
    *,
    goal: models.Goal,
    card: models.Card | None,
    field: str,
    before: str,
    after: str,
    by: User | None,
    at: dt.datetime | None = None,
) -> None:
    """Keep one changed part of a goal or of one of its cards, inside the change's transaction."""
    record_change(
        process=goal.theme_field.process,
        kind=ChangeKind.REWORDED,
        by=by,
        subject=card.label if card else goal.text,
        goal=goal,
        card=card,
        before={field: before},
        after={field: after},
        at=at,
    )


@transaction.atomic
def reword_priority(
    *,
    goal: models.Goal,
    goal_text: str,
    cards: Mapping[int, Mapping[str, str]],
    by: User | None,
    now: dt.datetime | None = None,
) -> int:
    """Save the new wording of a goal and of its cards (card id → field → text; a field not
    given stays). Every part that changed is recorded; all or nothing. Returns how many
    parts changed. Refused, naming the part, if a text is too long, empty where it may
    not be, or a card is not one of the goal's."""
    goal = models.Goal.objects.select_for_update().select_related("theme_field").get(pk=goal.pk)
    own = {card.pk: card for card in models.Card.objects.select_for_update().filter(goal=goal)}
    errors: dict[str, list[str]] = {}
    new_goal = goal_text.strip()
    if problem := wording_problem(GOAL, new_goal):
        errors[GOAL] = [problem.render(_)]
    for card_id, fields in cards.items():
        if card_id not in own:
            raise ValidationError(_("This card does not belong to the priority."))
        for field, text in fields.items():
            if field not in CARD_FIELDS:
                raise ValidationError(
                    _("Unknown part of a priority: %(field)s.") % {"field": field}
                )
            problem = wording_problem(field, text.strip())
            # a dot on the goal itself has no recommendation of its own
            if problem and not (field == "text" and not text.strip() and not own[card_id].text):
                errors[field_key(card_id, field)] = [problem.render(_)]
    if errors:
        raise ValidationError(errors)
    changes = 0

    def keep(card: models.Card | None, field: str, before: str, after: str) -> None:
        record_rewording(
            goal=goal, card=card, field=field, before=before, after=after, by=by, at=now
        )

    if new_goal != goal.text:
        keep(None, GOAL, goal.text, new_goal)
        goal.text = new_goal
        goal.save(update_fields=["text"])
        changes += 1
    for card_id, fields in cards.items():
        card = own[card_id]
        changed: list[str] = []
        for field, text in fields.items():
            before, after = str(getattr(card, field)), text.strip()
            if before == after:
                continue
            keep(card, field, before, after)
            setattr(card, field, after)
            changed.append(field)
        if changed:
            card.save(update_fields=[*changed, "updated_at"])
            changes += len(changed)
    return changes


@transaction.atomic
def import_rewordings(
    *,
    process: models.Process,
    rewordings: Sequence[Rewording],
    goals: Mapping[str, models.Goal],
    cards: Mapping[str, models.Card],
) -> None:
    """Keep the history of a process file as it was: who, when, before and after."""
    for rewording in rewordings:
        goal = goals.get(rewording.goal_id or "")
        card = cards.get(rewording.card_id or "")
        record_change(
            process=process,
            kind=ChangeKind.REWORDED,
            by=None,
            by_name=rewording.by,
            subject=(card.label if card else goal.text if goal else "")[:300],
            goal=goal,
            card=card,
            before={rewording.field: rewording.before},
            after={rewording.field: rewording.after},
            at=rewording.at,
        )
