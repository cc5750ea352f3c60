"""Every write to a process: one function each, keyword-only, one transaction.

Views and the CLI call these; they take domain values or plain arguments, never
a request. Errors a user can act on are ``ValidationError`` with messages that
name the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Max, Model, ProtectedError, QuerySet
from django.utils.translation import gettext as _

from klebepunkt.domain import normalise_text
from klebepunkt.domain.process import ProcessRecord, StakeholderGroup
from klebepunkt.domain.tally_diff import CardChange, TallyDiff
from klebepunkt.processes import models
from klebepunkt.processes.models import Role

# --- processes and access ------------------------------------------------------


@transaction.atomic
def create_process(
    *,
    title: str,
    user: User | None,
    stakeholder_groups: Sequence[StakeholderGroup] = (),
    theme_fields: Sequence[str] = (),
    **fields: object,
) -> models.Process:
    """A new process with its rules, and (from the start form) its stakeholder groups, each
    with the voting right its members take by default, and its theme fields: all or nothing."""
    process = models.Process(title=title, **fields)
    process.full_clean()
    process.save()
    if user is not None:
        models.ProcessRole.objects.create(process=process, user=user, role=Role.FACILITATOR)
    for group in stakeholder_groups:
        create_stakeholder_group(
            process=process,
            name=group.name,
            description=group.description,
            count_text=group.count_text,
            voting=group.voting,
        )
    for name in theme_fields:
        create_theme_field(process=process, name=name)
    return process


def update_process(*, process: models.Process, **fields: object) -> models.Process:
    for name, value in fields.items():
        setattr(process, name, value)
    process.full_clean()
    process.save()
    return process


@transaction.atomic
def grant_role(*, process: models.Process, user: User, role: Role) -> models.ProcessRole:
    grant, _created = models.ProcessRole.objects.update_or_create(
        process=process, user=user, defaults={"role": role}
    )
    return grant


@transaction.atomic
def revoke_role(*, process: models.Process, user: User) -> None:
    facilitators = models.ProcessRole.objects.filter(process=process, role=Role.FACILITATOR)
    if facilitators.filter(user=user).exists() and facilitators.count() == 1:
        raise ValidationError(_("A process needs at least one facilitator."))
    models.ProcessRole.objects.filter(process=process, user=user).delete()


@transaction.atomic
def save_login(*, username: str, password: str) -> User:
    """A facilitator's login, created or given a new password.

    A password Django's validators refuse raises ``ValidationError`` and changes nothing.
    """
    users = get_user_model()
    user = users.objects.select_for_update().filter(username=username).first()
    if user is None:
        user = users(username=username)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


# --- theme fields, goals and cards -----------------------------------------------


def _next_position(queryset: QuerySet[Model]) -> int:
    return int(queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def create_theme_field(*, process: models.Process, name: str) -> models.ThemeField:
    name = normalise_text(name)
    if process.theme_fields.filter(name=name).exists():
        raise ValidationError({"name": _("This theme field exists already.")})
    field = models.ThemeField(
        process=process, name=name, position=_next_position(process.theme_fields.all())
    )
    field.full_clean()
    field.save()
    return field


def rename_theme_field(*, theme_field: models.ThemeField, name: str) -> models.ThemeField:
    name = normalise_text(name)
    if theme_field.process.theme_fields.filter(name=name).exclude(pk=theme_field.pk).exists():
        raise ValidationError({"name": _("This theme field exists already.")})
    theme_field.name = name
    theme_field.full_clean()
    theme_field.save()
    return theme_field


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


def _no_null_characters(**texts: str) -> None:
    """Forms refuse NUL; the board's own fields are read without a form (PostgreSQL refuses it)."""
    for field, text in texts.items():
        try:
            ProhibitNullCharactersValidator()(text)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None


def create_goal(*, theme_field: models.ThemeField, text: str, nr: str = "") -> models.Goal:
    _no_null_characters(text=text, nr=nr)
    goal = models.Goal(
        theme_field=theme_field,
        text=text.strip(),
        nr=nr.strip() or str(theme_field.goals.count() + 1),
        position=_next_position(theme_field.goals.all()),
    )
    goal.full_clean()
    goal.save()
    return goal


def update_goal(*, goal: models.Goal, text: str, nr: str) -> models.Goal:
    _no_null_characters(text=text, nr=nr)
    goal.text = text.strip()
    goal.nr = nr.strip()
    goal.full_clean()
    goal.save()
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


def assign_card(*, card: models.Card, goal: models.Goal | None) -> models.Card:
    if goal is not None and goal.theme_field_id != card.theme_field_id:
        raise ValidationError({"goal": _("The goal belongs to another theme field.")})
    card.goal = goal
    card.save(update_fields=["goal", "updated_at"])
    return card


@dataclass(frozen=True)
class CardFields:
    text: str = ""
    indicator: str = ""
    responsible: str = ""
    dots: int = 0
    origin: str = ""


def create_card(
    *, theme_field: models.ThemeField, fields: CardFields, goal: models.Goal | None = None
) -> models.Card:
    card = models.Card(
        theme_field=theme_field,
        goal=goal,
        text=fields.text.strip(),
        indicator=fields.indicator.strip(),
        responsible=fields.responsible.strip(),
        dots=fields.dots,
        origin=fields.origin,
        position=_next_position(theme_field.cards.all()),
    )
    _check_card(card)
    card.save()
    return card


def update_card(
    *, card: models.Card, fields: CardFields, theme_field: models.ThemeField
) -> models.Card:
    if theme_field.pk != card.theme_field_id:
        card.theme_field = theme_field
        card.goal = None  # a goal belongs to one theme field
        card.position = _next_position(theme_field.cards.all())
    card.text = fields.text.strip()
    card.indicator = fields.indicator.strip()
    card.responsible = fields.responsible.strip()
    card.dots = fields.dots
    card.origin = fields.origin
    _check_card(card)
    card.save()
    return card


def _check_card(card: models.Card) -> None:
    if not card.text and card.goal is None:
        raise ValidationError({"text": _("A card needs a recommendation text.")})
    card.full_clean()


def delete_card(*, card: models.Card) -> None:
    try:
        card.delete()
    except ProtectedError:  # the audit log of a voting round refers to it
        raise ValidationError(_protected_card(card)) from None


def _protected_card(card: models.Card) -> str:
    return _(
        "The card “%(card)s” has dots from a voting round, so it cannot be deleted: "
        "they stay accountable in the round's audit log."
    ) % {"card": card.label[:80]}


# --- members, groups and meetings --------------------------------------------------


def create_stakeholder_group(
    *,
    process: models.Process,
    name: str,
    description: str = "",
    count_text: str = "",
    voting: bool = True,
) -> models.StakeholderGroup:
    name = normalise_text(name)
    if process.stakeholder_groups.filter(name=name).exists():
        raise ValidationError({"name": _("This stakeholder group exists already.")})
    group = models.StakeholderGroup(
        process=process,
        name=name,
        description=description.strip(),
        count_text=count_text.strip(),
        voting=voting,
        position=_next_position(process.stakeholder_groups.all()),
    )
    group.full_clean()
    group.save()
    return group


def update_stakeholder_group(
    *, group: models.StakeholderGroup, **fields: object
) -> models.StakeholderGroup:
    for name, value in fields.items():
        setattr(group, name, value)
    if group.process.stakeholder_groups.filter(name=group.name).exclude(pk=group.pk).exists():
        raise ValidationError({"name": _("This stakeholder group exists already.")})
    group.full_clean()
    group.save()
    return group


def delete_stakeholder_group(*, group: models.StakeholderGroup) -> None:
    if group.members.exists():
        raise ValidationError(_("Only a stakeholder group without members can be deleted."))
    group.delete()


def create_member(
    *,
    process: models.Process,
    name: str,
    stakeholder_group: models.StakeholderGroup,
    voting: bool | None = None,
    contact: str = "",
) -> models.Member:
    if stakeholder_group.process_id != process.pk:
        raise ValidationError({"stakeholder_group": _("Unknown stakeholder group.")})
    member = models.Member(
        process=process,
        name=name.strip(),
        stakeholder_group=stakeholder_group,
        voting=stakeholder_group.voting if voting is None else voting,
        contact=contact.strip(),
        position=_next_position(process.members.all()),
    )
    member.full_clean()
    member.save()
    return member


def update_member(*, member: models.Member, **fields: object) -> models.Member:
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    member.save()
    return member


def delete_member(*, member: models.Member) -> None:
    member.delete()


def delete_meeting(*, meeting: models.Meeting) -> None:
    meeting.delete()


def save_meeting(*, meeting: models.Meeting) -> models.Meeting:
    meeting.full_clean()
    meeting.save()
    return meeting


# --- a whole process from domain values (sample, JSON import, sheet import) ---------------


@transaction.atomic
def import_process(*, record: ProcessRecord, user: User | None) -> models.Process:
    """Create a process from a ProcessRecord, all or nothing."""
    rules = record.rules
    process = create_process(
        title=record.title,
        user=user,
        body=record.body,
        year=record.year,
        description=record.description,
        dots_per_voter=rules.dots_per_voter,
        cap_per_card=rules.cap_per_card,
        goal_threshold=rules.goal_threshold,
        aggregation=rules.aggregation.value,
    )
    groups: dict[str, models.StakeholderGroup] = {}
    for position, group in enumerate(record.stakeholder_groups, start=1):
        groups[group.name] = models.StakeholderGroup.objects.create(
            process=process,
            name=group.name,
            description=group.description,
            count_text=group.count_text,
            voting=group.voting,
            position=position,
        )
    members = []
    for position, member in enumerate(record.members, start=1):
        member_group = groups.get(member.stakeholder_group)
        if member_group is None:
            member_group = groups[member.stakeholder_group] = (
                models.StakeholderGroup.objects.create(
                    process=process, name=member.stakeholder_group, position=len(groups) + 1
                )
            )
        members.append(
            models.Member(
                process=process,
                name=member.name,
                stakeholder_group=member_group,
                voting=member.voting,
                contact=member.contact,
                position=position,
            )
        )
    models.Member.objects.bulk_create(members)
    models.Meeting.objects.bulk_create(
        models.Meeting(
            process=process,
            date=meeting.date,
            start=meeting.start,
            end=meeting.end,
            place=meeting.place,
            focus=meeting.focus,
        )
        for meeting in record.meetings
    )
    replace_tally(process=process, record=record)
    return process


@transaction.atomic
def replace_tally(*, process: models.Process, record: ProcessRecord) -> None:
    """Replace the theme fields, goals and cards of a process by those of the record."""
    tally = record.tally
    process.theme_fields.all().delete()
    fields: dict[str, models.ThemeField] = {}
    for position, name in enumerate(tally.ordered_theme_fields(), start=1):
        fields[name] = models.ThemeField.objects.create(
            process=process, name=name, position=position
        )
    goals: dict[str, models.Goal] = {}
    for position, goal in enumerate(tally.goals, start=1):
        goals[goal.id] = models.Goal.objects.create(
            theme_field=fields[goal.theme_field],
            nr=goal.nr,
            text=goal.text,
            stated_points=goal.stated_points,
            position=position,
        )
    models.Card.objects.bulk_create(
        models.Card(
            theme_field=fields[card.theme_field],
            goal=goals[card.goal_id] if card.goal_id else None,
            text=card.text,
            indicator=card.indicator,
            responsible=card.responsible,
            dots=card.dots,
            origin=card.origin,
            stated_in_topic_store=card.stated_in_topic_store,
            position=position,
        )
        for position, card in enumerate(tally.cards, start=1)
    )


# --- importing a tally sheet into an existing process -----------------------------


@transaction.atomic
def apply_tally_diff(
    *, process: models.Process, diff: TallyDiff, remove_missing: bool = False
) -> dict[str, int]:
    """Write a previewed sheet import: new theme fields, goals and cards; changed cards in place.

    Cards keep their identity (votes refer to them); with ``remove_missing`` the
    cards that the sheet no longer lists are deleted. All or nothing.
    """
    fields = {field.name: field for field in process.theme_fields.all()}
    for name in diff.new_theme_fields:
        fields[name] = create_theme_field(process=process, name=name)
    goals = {
        (goal.theme_field.name, normalise_text(goal.text).casefold()): goal
        for goal in models.Goal.objects.filter(theme_field__process=process).select_related(
            "theme_field"
        )
    }

    def goal_for(theme_field: str, text: str) -> models.Goal | None:
        if not normalise_text(text):
            return None
        key = (theme_field, normalise_text(text).casefold())
        if key not in goals:
            nr = next(
                (
                    g.nr
                    for g in diff.new_goals
                    if (g.theme_field, normalise_text(g.text).casefold()) == key
                ),
                "",
            )
            stated = next(
                (
                    g.stated_points
                    for g in diff.new_goals
                    if (g.theme_field, normalise_text(g.text).casefold()) == key
                ),
                None,
            )
            goal = create_goal(theme_field=fields[theme_field], text=text, nr=nr)
            if stated is not None:
                goal.stated_points = stated
                goal.save(update_fields=["stated_points"])
            goals[key] = goal
        return goals[key]

    for goal in diff.new_goals:
        goal_for(goal.theme_field, goal.text)
    counts = {change.value: 0 for change in CardChange}
    for card_diff in diff.cards:
        counts[card_diff.change.value] += 1
        incoming = card_diff.incoming
        if card_diff.change is CardChange.ADDED and incoming is not None:
            create_card(
                theme_field=fields[incoming.theme_field],
                goal=goal_for(incoming.theme_field, card_diff.goal_text),
                fields=CardFields(
                    text=incoming.text,
                    indicator=incoming.indicator,
                    responsible=incoming.responsible,
                    dots=incoming.dots,
                    origin=incoming.origin,
                ),
            )
        elif card_diff.change is CardChange.CHANGED and incoming and card_diff.current:
            card = models.Card.objects.get(
                pk=int(card_diff.current.id), theme_field__process=process
            )
            if "dots" in card_diff.fields:
                card.dots = incoming.dots
            if "indicator" in card_diff.fields:
                card.indicator = incoming.indicator
            if "responsible" in card_diff.fields:
                card.responsible = incoming.responsible
            if "goal" in card_diff.fields:
                card.goal = goal_for(incoming.theme_field, card_diff.goal_text)
            card.full_clean()
            card.save()
        elif card_diff.change is CardChange.MISSING and remove_missing and card_diff.current:
            for card in models.Card.objects.filter(
                pk=int(card_diff.current.id), theme_field__process=process
            ):
                delete_card(card=card)  # a card with dots of a round refuses the whole import
    return counts
