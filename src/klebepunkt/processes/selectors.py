"""Reads: a process as domain values, fetched with one query per table."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet

from klebepunkt.domain import (
    Aggregation,
    Analysis,
    Ballot,
    Card,
    Evaluation,
    Goal,
    Rules,
    Tally,
    analyse,
    evaluate,
)
from klebepunkt.domain.process import Meeting as MeetingValue
from klebepunkt.domain.process import Member as MemberValue
from klebepunkt.domain.process import ProcessRecord
from klebepunkt.domain.process import StakeholderGroup as GroupValue
from klebepunkt.domain.rewording import Rewording
from klebepunkt.domain.similarity import (
    GoalSuggester,
    SimilarCards,
    TextIndex,
    similar_cards,
    suggester_texts,
)
from klebepunkt.processes import models
from klebepunkt.processes.extensions import ballots, extra_card_dots, proceedings
from klebepunkt.processes.memo import remembered


def rules_of(process: models.Process) -> Rules:
    return Rules(
        dots_per_voter=process.dots_per_voter,
        cap_per_card=process.cap_per_card,
        goal_threshold=process.goal_threshold,
        aggregation=Aggregation(process.aggregation),
    )


def theme_fields_of(process: models.Process) -> QuerySet[models.ThemeField]:
    return process.theme_fields.order_by("position", "id")


def goals_of(process: models.Process) -> QuerySet[models.Goal]:
    return models.Goal.objects.filter(theme_field__process=process).order_by(
        "theme_field__position", "theme_field_id", "position", "id"
    )


def cards_of(process: models.Process) -> QuerySet[models.Card]:
    return models.Card.objects.filter(theme_field__process=process).order_by(
        "theme_field__position", "theme_field_id", "position", "id"
    )


def card_dots(process: models.Process, *, include_rounds: bool = True) -> dict[int, int]:
    """Card id → dots that count: the dots entered on the card, plus those of voting rounds."""
    dots = dict(cards_of(process).values_list("id", "dots"))
    if not include_rounds:
        return dots
    for card_id, extra in extra_card_dots(process).items():
        if card_id in dots:
            dots[card_id] += extra
    return dots


def tally_of(process: models.Process, *, include_rounds: bool = True) -> Tally:
    fields = dict(theme_fields_of(process).values_list("pk", "name"))
    goals = tuple(
        Goal(id=str(pk), theme_field=fields[field_id], text=text, nr=nr, stated_points=stated)
        for pk, field_id, text, nr, stated in goals_of(process).values_list(
            "pk", "theme_field_id", "text", "nr", "stated_points"
        )
    )
    dots = card_dots(process, include_rounds=include_rounds)
    rows = cards_of(process).values_list(  # values, not model instances: a tenth of the time
        "pk",
        "theme_field_id",
        "text",
        "goal_id",
        "indicator",
        "responsible",
        "stated_in_topic_store",
        "origin",
    )
    cards = tuple(
        Card(
            id=str(pk),
            theme_field=fields[field_id],
            text=text,
            dots=dots[pk],
            goal_id=str(goal_id) if goal_id else None,
            indicator=indicator,
            responsible=responsible,
            stated_in_topic_store=stated,
            origin=origin,
        )
        for pk, field_id, text, goal_id, indicator, responsible, stated, origin in rows
    )
    return Tally(goals=goals, cards=cards, theme_fields=tuple(fields.values()))


def process_record(process: models.Process, *, tally: Tally | None = None) -> ProcessRecord:
    groups = list(process.stakeholder_groups.order_by("position", "id"))
    names = {group.pk: group.name for group in groups}
    return ProcessRecord(
        title=process.title,
        rules=rules_of(process),
        body=process.body,
        year=process.year,
        description=process.description,
        stakeholder_groups=tuple(
            GroupValue(
                name=group.name,
                description=group.description,
                count_text=group.count_text,
                voting=group.voting,
            )
            for group in groups
        ),
        members=tuple(
            MemberValue(
                name=member.name,
                stakeholder_group=names[member.stakeholder_group_id],
                voting=member.voting,
                contact=member.contact,
                erased=member.erased_at is not None,
            )
            for member in members_in_order(process)
        ),
        meetings=tuple(
            MeetingValue(
                date=meeting.date,
                start=meeting.start,
                end=meeting.end,
                place=meeting.place,
                focus=meeting.focus,
            )
            for meeting in meetings_in_order(process)
        ),
        tally=tally if tally is not None else tally_of(process),
        rewordings=rewordings_of(process),
    )


def rewording_records(process: models.Process) -> QuerySet[models.ChangeRecord]:
    """The rewordings of the process's priorities, oldest first."""
    return process.changes.filter(kind=models.ChangeKind.REWORDED).order_by("created_at", "id")


def rewordings_of(process: models.Process) -> tuple[Rewording, ...]:
    return tuple(
        Rewording(
            goal_id=str(record.goal_id) if record.goal_id else None,
            card_id=str(record.card_id) if record.card_id else None,
            field=field,
            before=str(record.before.get(field) or ""),
            after=str(record.after.get(field) or ""),
            by=record.actor_name,
            at=record.created_at,
        )
        for record in rewording_records(process)
        for field in list(record.after)[:1]
    )


def members_in_order(process: models.Process) -> QuerySet[models.Member]:
    """The members in the order of the process record (and of its file)."""
    return process.members.order_by("position", "id")


def meetings_in_order(process: models.Process) -> QuerySet[models.Meeting]:
    """The meetings in the order of the process record (and of its file)."""
    return process.meetings.order_by("date", "start", "id")


def document_record(process: models.Process) -> ProcessRecord:
    """The process as its process file holds it: the tally as entered (the dots of voting
    rounds are not cards' dots) and what other apps recorded (attendance, decisions, texts,
    issued versions)."""
    record = process_record(process, tally=tally_of(process, include_rounds=False))
    return dataclasses.replace(record, proceedings=proceedings(process))


def evaluation_of(tally: Tally, rules: Rules) -> Evaluation:
    """``evaluate(tally, rules)``, kept in the cache for these inputs."""
    return remembered("evaluation", (tally, rules), lambda: evaluate(tally, rules))


def evaluate_process(process: models.Process) -> Evaluation:
    return evaluation_of(tally_of(process), rules_of(process))


AnalysisInputs = tuple[Tally, Rules, tuple[Ballot, ...] | None]


def analysis_inputs(process: models.Process) -> AnalysisInputs:
    """What the analysis of a process reads: its tally, its rules and its counted ballots."""
    return tally_of(process), rules_of(process), ballots(process) or None


def analysis_of(process: models.Process, inputs: AnalysisInputs | None = None) -> Analysis:
    """Every measure of the process's result; per-voter measures from its counted voting rounds."""
    tally, rules, held = inputs if inputs is not None else analysis_inputs(process)

    def compute() -> Analysis:
        return analyse(tally, rules, held, evaluation=evaluation_of(tally, rules))

    return remembered("analysis", (tally, rules, held), compute)


def similar_cards_of(tally: Tally) -> tuple[SimilarCards, ...]:
    """The near-duplicate cards of a tally, kept in the cache for it."""
    return remembered("similar", (tally,), lambda: similar_cards(tally))


def goal_suggester_of(tally: Tally) -> GoalSuggester:
    """The goal suggester of a tally; its text index is kept in the cache for the texts (a card
    moved to another goal or a dot changes no text: the index is used again)."""
    texts = suggester_texts(tally)
    index = remembered("text-index", (sorted(texts.items()),), lambda: TextIndex(texts))
    return GoalSuggester(tally, index=index)


# --- single records by number or name (the command line) -----------------------


def process_by_id(process_id: int) -> models.Process | None:
    return models.Process.objects.filter(pk=process_id).first()


def member_of(*, process_id: int, member_id: int) -> models.Member | None:
    """The member of that number in that process (None when it belongs to another)."""
    return (
        models.Member.objects.filter(pk=member_id, process_id=process_id)
        .select_related("process")
        .first()
    )


def user_named(username: str) -> User | None:
    return get_user_model().objects.filter(username=username).first()


def card_labels(card_ids: Iterable[int]) -> dict[int, str]:
    """Each card's label (its text, or its goal's text for a dot on the goal itself)."""
    cards = models.Card.objects.filter(pk__in=set(card_ids)).select_related("goal")
    return {card.pk: card.label for card in cards}
