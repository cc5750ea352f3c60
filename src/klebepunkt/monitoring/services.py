"""Every write of the monitoring: one function each, keyword-only, one transaction.

Views and the CLI call these with plain values, never a request. A status change
appends a record (the history is never rewritten) while the item's row is
locked, so two people saving at once are put in order and the second learns
that the first was quicker (``based_on``). A status sheet is applied all or
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from klebepunkt.domain.monitoring import IndicatorFields as IndicatorFields  # the services take it
from klebepunkt.domain.monitoring_state import Item, ItemKind, Monitoring
from klebepunkt.monitoring import models, selectors
from klebepunkt.monitoring.models import ChangeSource, Status
from klebepunkt.processes import services as process_services
from klebepunkt.processes.models import Card, Goal, Process
from klebepunkt.sheets.status_plan import SheetPlan

NOT_A_PRIORITY = gettext_noop("Only priorities and their recommendations are monitored.")
STALE = gettext_noop(
    "Someone else has changed this in the meantime. Please check the current state and save again."
)
NOTHING_CHANGED = gettext_noop("Nothing has changed.")
ALREADY_TAKEN = gettext_noop("This entry has been taken into that process already.")
NOT_IN_TOPIC_STORE = gettext_noop("This card is not in the topic store of its process.")
SAME_PROCESS = gettext_noop("Choose another process than the one the entry comes from.")


@dataclass(frozen=True)
class StatusFields:
    status: str
    responsible: str = ""
    contact: str = ""
    due_date: date | None = None
    comment: str = ""


def _user_name(user: User | None) -> str:
    return user.get_username() if user is not None else ""


def _subject(monitoring: Monitoring, *, goal: Goal | None, card: Card | None) -> Item:
    """The monitored item for a goal or a card, or a ValidationError if it is not monitored."""
    if goal is not None and card is None:
        key = models.goal_key(goal.pk)
    elif card is not None and goal is None:
        key = models.card_key(card.pk)
    else:
        raise ValueError("name either a goal or a card")
    item = monitoring.item(key)
    if item is None:
        raise ValidationError(_(NOT_A_PRIORITY))
    return item


@transaction.atomic
def _locked_implementation(
    process: Process, *, kind: ItemKind, object_id: int, label: str
) -> models.Implementation:
    """The item's implementation row, created if needed, locked until the transaction ends."""
    lookup = {"goal_id": object_id} if kind is ItemKind.GOAL else {"card_id": object_id}
    try:
        with transaction.atomic():
            implementation, _created = models.Implementation.objects.get_or_create(
                process=process, **lookup, defaults={"label": label}
            )
    except IntegrityError:  # created by someone else at the same moment
        implementation = models.Implementation.objects.get(process=process, **lookup)
    implementation = models.Implementation.objects.select_for_update().get(pk=implementation.pk)
    if implementation.label != label:
        implementation.label = label
        implementation.save(update_fields=["label"])
    return implementation


def _append(
    implementation: models.Implementation,
    fields: StatusFields,
    *,
    user: User | None,
    at: datetime | None,
    source: ChangeSource,
    source_file: str = "",
) -> models.StatusChange:
    change = models.StatusChange(
        implementation=implementation,
        status=fields.status,
        responsible=" ".join(fields.responsible.split()),
        contact=fields.contact.strip(),
        due_date=fields.due_date,
        comment=fields.comment.strip(),
        changed_at=at or timezone.now(),
        changed_by=user,
        changed_by_name=_user_name(user),
        source=source,
        source_file=source_file,
    )
    change.full_clean(exclude=["implementation", "changed_by"])
    change.save()
    return change


@transaction.atomic
def record_status(
    *,
    process: Process,
    fields: StatusFields,
    user: User | None,
    goal: Goal | None = None,
    card: Card | None = None,
    based_on: int | None = None,
    at: datetime | None = None,
) -> models.StatusChange:
    """Append a status record for a priority (its goal) or one of its recommendations.

    ``based_on`` is the id of the latest record the user saw (0: none); if a newer
    one exists, nothing is written and the user is told.
    """
    if fields.status not in Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    monitoring = selectors.monitoring_of(process)
    item = _subject(monitoring, goal=goal, card=card)
    implementation = _locked_implementation(
        process, kind=item.kind, object_id=item.object_id, label=item.text
    )
    latest = implementation.changes.order_by("-changed_at", "-id").first()
    if based_on is not None and (latest.pk if latest else 0) != based_on:
        raise ValidationError(_(STALE))
    current = (
        (latest.status, latest.responsible, latest.contact, latest.due_date, latest.comment)
        if latest
        else (Status.OPEN.value, "", "", None, "")
    )
    wanted = (
        fields.status,
        " ".join(fields.responsible.split()),
        fields.contact.strip(),
        fields.due_date,
        fields.comment.strip(),
    )
    if _same(current, wanted, item.default_responsible):
        raise ValidationError(_(NOTHING_CHANGED))
    return _append(implementation, fields, user=user, at=at, source=ChangeSource.FORM)


def _same(
    current: tuple[object, ...], wanted: tuple[object, ...], default_responsible: str
) -> bool:
    """Whether two (status, responsible, contact, due, comment) say the same; an empty
    responsible body means the recommendation's own."""
    return (current[0], current[1] or default_responsible, *current[2:]) == (
        wanted[0],
        wanted[1] or default_responsible,
        *wanted[2:],
    )


# --- indicators and measurements ---------------------------------------------------------------


def _check_indicator(indicator: models.Indicator) -> None:
    errors = {}
    if (indicator.baseline_value is None) != (indicator.baseline_date is None):
        errors["baseline_date"] = _("Give the baseline with its value and its date.")
    if (indicator.target_value is None) != (indicator.target_date is None):
        errors["target_date"] = _("Give the target with its value and its date.")
    if (
        indicator.baseline_date
        and indicator.target_date
        and indicator.target_date <= indicator.baseline_date
    ):
        errors["target_date"] = _("The target date must come after the baseline date.")
    if errors:
        raise ValidationError(errors)
    indicator.full_clean(exclude=["implementation"])


def _apply_indicator_fields(indicator: models.Indicator, fields: IndicatorFields) -> None:
    indicator.name = " ".join(fields.name.split())
    indicator.unit = fields.unit.strip()
    indicator.baseline_value = fields.baseline_value
    indicator.baseline_date = fields.baseline_date
    indicator.target_value = fields.target_value
    indicator.target_date = fields.target_date


@transaction.atomic
def create_indicator(
    *,
    process: Process,
    fields: IndicatorFields,
    goal: Goal | None = None,
    card: Card | None = None,
) -> models.Indicator:
    monitoring = selectors.monitoring_of(process)
    item = _subject(monitoring, goal=goal, card=card)
    implementation = _locked_implementation(
        process, kind=item.kind, object_id=item.object_id, label=item.text
    )
    top = implementation.indicators.aggregate(top=Max("position"))["top"] or 0
    indicator = models.Indicator(implementation=implementation, position=top + 1)
    _apply_indicator_fields(indicator, fields)
    _check_indicator(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def update_indicator(*, indicator: models.Indicator, fields: IndicatorFields) -> models.Indicator:
    _apply_indicator_fields(indicator, fields)
    _check_indicator(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def delete_indicator(*, indicator: models.Indicator) -> None:
    indicator.delete()


@transaction.atomic
def record_measurement(
    *,
    indicator: models.Indicator,
    day: date,
    value: Decimal,
    source: str = "",
    note: str = "",
    user: User | None,
) -> models.Measurement:
    """A new value of an indicator; one per date (delete a wrong one to enter it again)."""
    if indicator.measurements.filter(date=day).exists():
        raise ValidationError(
            {"date": _("There is a value for this date already; delete it first to correct it.")}
        )
    measurement = models.Measurement(
        indicator=indicator,
        date=day,
        value=value,
        source=source.strip(),
        note=note.strip(),
        recorded_by=user,
    )
    measurement.full_clean(exclude=["indicator", "recorded_by"])
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError:
        raise ValidationError(
            {"date": _("There is a value for this date already; delete it first to correct it.")}
        ) from None
    return measurement


@transaction.atomic
def delete_measurement(*, measurement: models.Measurement) -> None:
    measurement.delete()


# --- status sheets -----------------------------------------------------------------------------


@transaction.atomic
def apply_sheet_plan(*, process: Process, plan: SheetPlan, user: User | None) -> dict[str, int]:
    """Write a previewed status or statistics sheet: every change, or (on any error) none."""
    monitoring = selectors.monitoring_of(process)
    now = timezone.now()
    for update in plan.status_updates:
        item = monitoring.item(update.key)
        if item is None:
            raise ValidationError(_(NOT_A_PRIORITY))
        implementation = _locked_implementation(
            process, kind=item.kind, object_id=item.object_id, label=item.text
        )
        latest = implementation.changes.order_by("-changed_at", "-id").first()
        expected = update.before.change.id if update.before.change else None
        if (latest.pk if latest else None) != expected:
            raise ValidationError(_(STALE))
        after = update.after
        _append(
            implementation,
            StatusFields(
                status=after.status.value,
                responsible=after.responsible,
                contact=after.contact,
                due_date=after.due_date,
                comment=after.comment,
            ),
            user=user,
            at=now,
            source=ChangeSource.SHEET,
            source_file=plan.filename[:255],
        )
    indicator_ids = {indicator.id for item in monitoring.items() for indicator in item.indicators}
    for value in plan.measurements:
        if value.indicator_id not in indicator_ids:
            raise ValidationError(_(NOT_A_PRIORITY))
        measurement, _created = models.Measurement.objects.update_or_create(
            indicator_id=value.indicator_id,
            date=value.date,
            defaults={
                "value": value.value,
                "source": value.source[:300],
                "recorded_by": user,
                "recorded_at": now,
            },
        )
        measurement.full_clean(exclude=["indicator", "recorded_by"])
    return {
        "status": len(plan.status_updates),
        "new_values": len(plan.new_measurements),
        "changed_values": len(plan.changed_measurements),
    }


# --- progress reports --------------------------------------------------------------------------


@transaction.atomic
def issue_progress_report(
    *, process: Process, as_of: date, since: date | None, user: User | None
) -> models.ProgressReport:
    """Record that a report as of ``as_of`` went to the committee: the next one starts there."""
    if since is not None and since >= as_of:
        raise ValidationError({"since": _("The previous report must be older than this one.")})
    report = models.ProgressReport(process=process, as_of=as_of, since=since, issued_by=user)
    report.full_clean(exclude=["process", "issued_by"])
    report.save()
    return report


# --- the topic store across processes ----------------------------------------------------------


@transaction.atomic
def take_into_process(
    *,
    source_card: Card,
    target: Process,
    user: User | None,
    theme_field_name: str = "",
) -> Card:
    """Make a topic store entry a new card of another process, keeping where it came from.

    The card starts without dots (the new working group weighs anew); its
    provenance keeps the source process, its year, the theme field, the goal and
    the points it had. The caller checks that the user may see the source and
    change the target.
    """
    source_process = source_card.theme_field.process
    if source_process.pk == target.pk:
        raise ValidationError(_(SAME_PROCESS))
    entry = selectors.source_card_in_topic_store(source_card)
    if entry is None:
        raise ValidationError(_(NOT_IN_TOPIC_STORE))
    if models.CardProvenance.objects.filter(source_card=source_card, process=target).exists():
        raise ValidationError(_(ALREADY_TAKEN))
    name = " ".join((theme_field_name or entry.theme_field).split())
    theme_field = target.theme_fields.filter(name=name).first()
    if theme_field is None:
        theme_field = process_services.create_theme_field(process=target, name=name)
    card = process_services.create_card(
        theme_field=theme_field,
        fields=process_services.CardFields(
            text=entry.text,
            indicator=source_card.indicator,
            responsible=source_card.responsible,
            dots=0,
        ),
    )
    try:
        with transaction.atomic():
            models.CardProvenance.objects.create(
                card=card,
                process=target,
                source_card=source_card,
                source_process=source_process,
                source_process_title=source_process.title[:300],
                source_year=source_process.year,
                source_theme_field=entry.theme_field[:200],
                source_goal_text=entry.goal.text if entry.goal else "",
                original_points=entry.card.dots,
                original_goal_points=entry.goal_points,
                source_reason=entry.reason.value,
                taken_by=user,
            )
    except IntegrityError:
        raise ValidationError(_(ALREADY_TAKEN)) from None
    return card
