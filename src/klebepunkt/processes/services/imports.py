"""A whole process from domain values (sample, JSON, sheet) and a sheet into a process."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from klebepunkt.domain import normalise_text
from klebepunkt.domain.process import ProcessRecord
from klebepunkt.domain.tally_diff import CardChange, TallyDiff
from klebepunkt.processes import models
from klebepunkt.processes.extensions import ImportedProcess, store_proceedings
from klebepunkt.processes.selectors import members_in_order
from klebepunkt.processes.services.process import create_process
from klebepunkt.processes.services.rewording import import_rewordings
from klebepunkt.processes.services.tally import (
    CardFields,
    create_card,
    create_goal,
    create_theme_field,
    delete_card,
    record_dots,
)

# --- a whole process from domain values (sample, JSON import, sheet import) ---------------


@transaction.atomic
def import_process(*, record: ProcessRecord, user: User | None) -> models.Process:
    """Create a process from a ProcessRecord, all or nothing (with its proceedings: attendance,
    decisions, texts and versions, which the decisions app stores)."""
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
                erased_at=timezone.now() if member.erased else None,  # stays pseudonymised
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
    goals, cards = replace_tally(process=process, record=record)
    imported = ImportedProcess(
        process=process,
        members=tuple(members_in_order(process)),
        meetings=tuple(process.meetings.order_by("id")),  # created in the record's order
        goals=goals,
        groups=groups,
    )
    store_proceedings(imported, record.proceedings)
    import_rewordings(process=process, rewordings=record.rewordings, goals=goals, cards=cards)
    return process


@transaction.atomic
def replace_tally(
    *, process: models.Process, record: ProcessRecord
) -> tuple[dict[str, models.Goal], dict[str, models.Card]]:
    """Replace the theme fields, goals and cards of a process by those of the record;
    the new goals and cards by the record's ids."""
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
    cards = {
        card.id: models.Card(
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
    }
    models.Card.objects.bulk_create(cards.values())
    return goals, cards


# --- importing a tally sheet into an existing process -----------------------------


@transaction.atomic
def apply_tally_diff(
    *,
    process: models.Process,
    diff: TallyDiff,
    by: User | None,
    remove_missing: bool = False,
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
                by=by,
            )
        elif card_diff.change is CardChange.CHANGED and incoming and card_diff.current:
            card = models.Card.objects.get(
                pk=int(card_diff.current.id), theme_field__process=process
            )
            before = card.dots
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
            if card.dots != before:
                record_dots(card, before, card.dots, by)
        elif card_diff.change is CardChange.MISSING and remove_missing and card_diff.current:
            for card in models.Card.objects.filter(
                pk=int(card_diff.current.id), theme_field__process=process
            ):
                delete_card(
                    card=card, by=by
                )  # a card with dots of a round refuses the whole import
    return counts
