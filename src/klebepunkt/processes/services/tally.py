"""Writes of theme fields, goals and cards; a change of a card's dots is kept in the history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from klebepunkt.domain import gettext_noop, normalise_text
from klebepunkt.domain.rewording import CARD_FIELDS, GOAL
from klebepunkt.processes import models
from klebepunkt.processes.history import record_change
from klebepunkt.processes.models import ChangeKind
from klebepunkt.processes.services.common import next_position, no_null_characters, save_unique_name
from klebepunkt.processes.services.rewording import record_rewording

THEME_FIELD_EXISTS = gettext_noop("This theme field exists already.")


# --- theme fields, goals and cards -----------------------------------------------


@transaction.atomic
def create_theme_field(*, process: models.Process, name: str) -> models.ThemeField:
    """A new theme field; a name the process has already is refused by the database's
    unique constraint (also when two requests add it at the same moment)."""
    field = models.ThemeField(
        process=process,
        name=normalise_text(name),
        position=next_position(process.theme_fields.all()),
    )
    save_unique_name(field, message=THEME_FIELD_EXISTS)
    return field


@transaction.atomic
def rename_theme_field(*, theme_field: models.ThemeField, name: str) -> models.ThemeField:
    theme_field.name = normalise_text(name)
    save_unique_name(theme_field, message=THEME_FIELD_EXISTS)
    return theme_field


@transaction.atomic
def delete_theme_field(*, theme_field: models.ThemeField) -> None:
    if theme_field.cards.exists():
        raise ValidationError(
            _("Only an empty theme field can be deleted; move or delete its cards first.")
        )
    try:
        theme_field.delete()
    except ProtectedError:
        raise ValidationError(
            _("A voting round was held on this theme field; it cannot be deleted.")
        ) from None


@transaction.atomic
def create_goal(*, theme_field: models.ThemeField, text: str, nr: str = "") -> models.Goal:
    no_null_characters(text=text, nr=nr)
    goal = models.Goal(
        theme_field=theme_field,
        text=text.strip(),
        nr=nr.strip() or str(theme_field.goals.count() + 1),
        position=next_position(theme_field.goals.all()),
    )
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def update_goal(*, goal: models.Goal, text: str, nr: str, by: User | None = None) -> models.Goal:
    """Rename a goal; a new wording is kept in the history (as on the working-out page)."""
    no_null_characters(text=text, nr=nr)
    before = models.Goal.objects.filter(pk=goal.pk).values_list("text", flat=True).first()
    goal.text = text.strip()
    goal.nr = nr.strip()
    goal.full_clean()
    goal.save()
    if before is not None and before != goal.text:
        record_rewording(goal=goal, card=None, field=GOAL, before=before, after=goal.text, by=by)
    return goal


@transaction.atomic
def delete_goal(*, goal: models.Goal) -> None:
    """Delete a goal; its cards stay, without a goal."""
    goal.cards.update(goal=None)
    goal.delete()


@transaction.atomic
def merge_goals(*, target: models.Goal, sources: Sequence[models.Goal]) -> models.Goal:
    """Move the cards of ``sources`` to ``target`` and delete the sources."""
    for source in sources:
        if source.pk == target.pk:
            continue
        if source.theme_field_id != target.theme_field_id:
            raise ValidationError(_("Only goals of the same theme field can be merged."))
        source.cards.update(goal=target)
        source.delete()
    return target


@transaction.atomic
def split_goal(
    *, goal: models.Goal, cards: Iterable[models.Card], text: str, nr: str = ""
) -> models.Goal:
    """Move some cards of a goal to a new goal in the same theme field."""
    cards = list(cards)
    if not cards:
        raise ValidationError(_("Choose the cards that move to the new goal."))
    if any(card.goal_id != goal.pk for card in cards):
        raise ValidationError(_("Only cards of this goal can be split off."))
    new_goal = create_goal(theme_field=goal.theme_field, text=text, nr=nr)
    models.Card.objects.filter(pk__in=[card.pk for card in cards]).update(goal=new_goal)
    return new_goal


@transaction.atomic
def assign_card(
    *, card: models.Card, goal: models.Goal | None, by: User | None = None
) -> models.Card:
    """Put a card on a goal (``None``: take it off); a move is recorded in the history."""
    if goal is not None and goal.theme_field_id != card.theme_field_id:
        raise ValidationError({"goal": _("The goal belongs to another theme field.")})
    before_id = (
        models.Card.objects.select_for_update().filter(pk=card.pk).values_list("goal", flat=True)
    ).get()
    card.goal = goal
    card.save(update_fields=["goal", "updated_at"])
    after_id = goal.pk if goal is not None else None
    if before_id != after_id:
        texts = dict(
            models.Goal.objects.filter(pk__in=[before_id, after_id]).values_list("pk", "text")
        )
        record_change(
            process=card.theme_field.process,
            kind=ChangeKind.CARD_MOVED,
            by=by,
            subject=card.label,
            before={"goal": texts.get(before_id) if before_id is not None else None},
            after={"goal": texts.get(after_id) if after_id is not None else None},
        )
    return card


@dataclass(frozen=True)
class CardFields:
    text: str = ""
    indicator: str = ""
    responsible: str = ""
    dots: int = 0
    origin: str = ""


@transaction.atomic
def create_card(
    *,
    theme_field: models.ThemeField,
    fields: CardFields,
    goal: models.Goal | None = None,
    by: User | None = None,
) -> models.Card:
    """A new card; one that comes with dots is recorded in the history."""
    card = models.Card(
        theme_field=theme_field,
        goal=goal,
        text=fields.text.strip(),
        indicator=fields.indicator.strip(),
        responsible=fields.responsible.strip(),
        dots=fields.dots,
        origin=fields.origin,
        position=next_position(theme_field.cards.all()),
    )
    _check_card(card)
    card.save()
    if card.dots:
        record_dots(card, None, card.dots, by)
    return card


def record_dots(card: models.Card, before: int | None, after: int | None, by: User | None) -> None:
    record_change(
        process=card.theme_field.process,
        kind=ChangeKind.CARD_DOTS,
        by=by,
        subject=card.label,
        before={"dots": before},
        after={"dots": after},
    )


def _stored_dots(card: models.Card) -> int:
    return int(
        models.Card.objects.select_for_update()
        .filter(pk=card.pk)
        .values_list("dots", flat=True)
        .get()
    )


@transaction.atomic
def update_card(
    *,
    card: models.Card,
    fields: CardFields,
    theme_field: models.ThemeField,
    by: User | None,
) -> models.Card:
    """Save a card; a change of its dots is recorded in the history, and so is a new wording
    of a card that stays in its goal (as on the working-out page)."""
    stored = (
        models.Card.objects.select_for_update()
        .filter(pk=card.pk)
        .values("dots", "goal_id", *CARD_FIELDS)
        .get()
    )
    before = int(stored["dots"])
    if theme_field.pk != card.theme_field_id:
        card.theme_field = theme_field
        card.goal = None  # a goal belongs to one theme field
        card.position = next_position(theme_field.cards.all())
    card.text = fields.text.strip()
    card.indicator = fields.indicator.strip()
    card.responsible = fields.responsible.strip()
    card.dots = fields.dots
    card.origin = fields.origin
    _check_card(card)
    card.save()
    if card.dots != before:
        record_dots(card, before, card.dots, by)
    if card.goal is not None and stored["goal_id"] == card.goal_id:
        for field in CARD_FIELDS:
            if stored[field] != getattr(card, field):
                record_rewording(
                    goal=card.goal,
                    card=card,
                    field=field,
                    before=stored[field],
                    after=getattr(card, field),
                    by=by,
                )
    return card


def _check_card(card: models.Card) -> None:
    if not card.text and card.goal is None:
        raise ValidationError({"text": _("A card needs a recommendation text.")})
    card.full_clean()


@transaction.atomic
def delete_card(*, card: models.Card, by: User | None) -> None:
    """Delete a card; one that had dots is recorded in the history."""
    dots = _stored_dots(card)
    process = card.theme_field.process
    label = card.label
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the caller's transaction
            card.delete()
    except ProtectedError:  # the audit log of a voting round refers to it
        raise ValidationError(_protected_card(card)) from None
    if dots:
        record_change(
            process=process,
            kind=ChangeKind.CARD_DOTS,
            by=by,
            subject=label,
            before={"dots": dots},
            after={"dots": None},
        )


def _protected_card(card: models.Card) -> str:
    return _(
        "The card “%(card)s” has dots from a voting round, so it cannot be deleted: "
        "they stay accountable in the round's audit log."
    ) % {"card": card.label[:80]}
