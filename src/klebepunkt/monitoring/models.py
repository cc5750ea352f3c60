"""What happens after the working group: implementation status, indicators, reports, provenance.

Which goals are priorities is never stored: it is the evaluation of the process
(``processes.selectors.evaluate_process``). Monitoring rows point at the goal or
card they follow. The status of an item is its latest ``StatusChange``: the
history is append-only, each record a full snapshot (status, responsible body,
contact, due date, comment) with who made it and when, so the state at any date
is the latest record up to that date and nothing can drift from the history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klebepunkt.domain.monitoring import Status as StatusValue
from klebepunkt.processes.models import Card, Goal, Process


class Status(models.TextChoices):
    OPEN = StatusValue.OPEN.value, _("open")
    PLANNED = StatusValue.PLANNED.value, _("in planning")
    IN_PROGRESS = StatusValue.IN_PROGRESS.value, _("being implemented")
    IMPLEMENTED = StatusValue.IMPLEMENTED.value, _("implemented")
    DEFERRED = StatusValue.DEFERRED.value, _("deferred")
    REJECTED = StatusValue.REJECTED.value, _("rejected")


class ChangeSource(models.TextChoices):
    FORM = "form", _("entered on the page")
    SHEET = "sheet", _("imported from a status sheet")


class Implementation(models.Model):
    """The implementation of one priority (its goal) or of one of its recommendations (a card).

    Holds only what it follows; its state is in ``changes``. When the goal or card is
    deleted (e.g. goals merged), the history stays, with ``label`` saying what it was.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="implementations")
    goal = models.OneToOneField(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="implementation"
    )
    card = models.OneToOneField(
        Card, on_delete=models.SET_NULL, null=True, blank=True, related_name="implementation"
    )
    label = models.TextField(_("what is implemented"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=True) | Q(card__isnull=True),
                name="implementation_goal_or_card",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        """The stable key of status sheets: Z<goal id> or HE<card id>."""
        if self.goal_id:
            return goal_key(self.goal_id)
        if self.card_id:
            return card_key(self.card_id)
        return f"U{self.pk}"


def goal_key(goal_id: int) -> str:
    return f"Z{goal_id}"


def card_key(card_id: int) -> str:
    return f"HE{card_id}"


class StatusChange(models.Model):
    """One change of an item's status record, as a full snapshot. Never updated or deleted."""

    implementation = models.ForeignKey(
        Implementation, on_delete=models.CASCADE, related_name="changes"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    responsible = models.TextField(_("responsible body"), blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by_name = models.CharField(_("changed by"), max_length=150, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=ChangeSource.choices, default=ChangeSource.FORM
    )
    source_file = models.CharField(_("file"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.implementation} – {self.get_status_display()}"


class Indicator(models.Model):
    """How success is measured: a unit, a baseline and a target, and measurements over time."""

    implementation = models.ForeignKey(
        Implementation, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return indicator_key(self.pk)


def indicator_key(indicator_id: int) -> str:
    return f"I{indicator_id}"


class Measurement(models.Model):
    """One value of an indicator on a date; one per indicator and date."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="one_value_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.date:%d.%m.%Y})"


class ProgressReport(models.Model):
    """A progress report given to the committee: its date, so the next one shows what changed."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="progress_reports")
    as_of = models.DateField(_("as of"))
    since = models.DateField(_("changes since"), null=True, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return f"{self.process} – {self.as_of:%d.%m.%Y}"


class CardProvenance(models.Model):
    """Where a card taken from the topic store of another process came from.

    A snapshot of the source as it was when the card was taken (the source may
    change later), and a link to the source card while it exists, so that the
    archive shows "taken into …" on the source side. ``process`` is the card's
    own process, stored so that a card is taken into one process only once.
    """

    card = models.OneToOneField(Card, on_delete=models.CASCADE, related_name="provenance")
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    source_card = models.ForeignKey(
        Card, on_delete=models.SET_NULL, null=True, blank=True, related_name="taken_into"
    )
    source_process = models.ForeignKey(
        Process, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_process_title = models.CharField(_("source process"), max_length=300)
    source_year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    source_theme_field = models.CharField(_("theme field"), max_length=200, blank=True)
    source_goal_text = models.TextField(_("goal"), blank=True)
    original_points = models.PositiveIntegerField(_("original points"), default=0)
    original_goal_points = models.PositiveIntegerField(
        _("original points of the goal"), null=True, blank=True
    )
    source_reason = models.CharField(_("reason"), max_length=30, blank=True)
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("provenance")
        verbose_name_plural = _("provenance")
        constraints = [
            models.UniqueConstraint(
                fields=["source_card", "process"], name="taken_once_per_process"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_process_title} → {self.card}"
