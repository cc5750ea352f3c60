"""A process and what it is made of: members, meetings, theme fields, goals and cards.

The topic store, goal points and the priorities are never stored: they are the
evaluation of these rows by the domain core (see ``selectors.evaluate_process``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klebepunkt.domain import Aggregation
from klebepunkt.domain.process import ORIGIN_ADMINISTRATION, ORIGIN_MEETING
from klebepunkt.domain.rules import DEFAULT_DOTS_PER_VOTER, DEFAULT_GOAL_THRESHOLD


class Process(models.Model):
    title = models.CharField(_("title"), max_length=300)
    body = models.CharField(
        _("commissioned by"),
        max_length=300,
        blank=True,
        help_text=_(
            "Who set up the working group, e.g. “AG Sozialplanung, eingesetzt vom Sozialausschuss”."
        ),
    )
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    dots_per_voter = models.PositiveIntegerField(
        _("dots per voter"), default=DEFAULT_DOTS_PER_VOTER
    )
    cap_per_card = models.PositiveIntegerField(
        _("cap per card"),
        null=True,
        blank=True,
        help_text=_("Most dots one member may place on one card; empty: no cap."),
    )
    goal_threshold = models.PositiveIntegerField(
        _("goal threshold"),
        default=DEFAULT_GOAL_THRESHOLD,
        help_text=_("Goals with at least this many points become priorities."),
    )
    aggregation = models.CharField(
        _("goal points"),
        max_length=20,
        choices=[
            (Aggregation.SUM.value, _("sum of the dots on its cards")),
            (Aggregation.BEST_CARD.value, _("dots of its strongest card")),
        ],
        default=Aggregation.SUM.value,
    )
    is_public = models.BooleanField(_("public page"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dots_per_voter__gte=1), name="process_dots_positive"
            ),
            models.CheckConstraint(
                condition=Q(goal_threshold__gte=1), name="process_threshold_positive"
            ),
            models.CheckConstraint(
                condition=Q(cap_per_card__isnull=True) | Q(cap_per_card__gte=1),
                name="process_cap_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("facilitator")
    OBSERVER = "observer", _("observer")


class ProcessRole(models.Model):
    """Who may see (observer) or also change (facilitator) a process."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="process_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("access")
        verbose_name_plural = _("access")
        constraints = [
            models.UniqueConstraint(fields=["process", "user"], name="one_role_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class StakeholderGroup(models.Model):
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="stakeholder_groups"
    )
    name = models.CharField(_("stakeholder group"), max_length=200)
    description = models.CharField(_("who?"), max_length=500, blank=True)
    count_text = models.CharField(
        _("size as mandated"),
        max_length=200,
        blank=True,
        help_text=_(
            "As the mandate states it, e.g. “9 Personen aus der Mitte des Sozialausschusses”."
        ),
    )
    voting = models.BooleanField(_("voting right"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="unique_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("stakeholder group"),
    )
    voting = models.BooleanField(_("voting right"), default=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    erased_at = models.DateTimeField(
        _("personal data erased"),
        null=True,
        blank=True,
        editable=False,
        help_text="Set by privacy.erase_member: the name is a neutral label, the contact empty.",
    )

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class PrivacyAction(models.TextChoices):
    EXPORT = "export", _("data exported")
    ERASURE = "erasure", _("personal data erased")


class PrivacyLog(models.Model):
    """That a member's data were exported or erased, by whom and when — never the data.

    ``member_label`` is the member's neutral label (after an erasure) or their number,
    so that the note itself holds no personal data of the member."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="privacy_log")
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="privacy_log"
    )
    member_label = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=PrivacyAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150)  # kept if the login is deleted later
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.member_label}"


class Meeting(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    focus = models.TextField(_("focus"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date", "start", "id"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}"


class ThemeField(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="theme_fields")
    name = models.CharField(_("theme field"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("theme field")
        verbose_name_plural = _("theme fields")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="unique_theme_field_name")
        ]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    theme_field = models.ForeignKey(ThemeField, on_delete=models.CASCADE, related_name="goals")
    nr = models.CharField(_("no."), max_length=20, blank=True)
    text = models.TextField(_("goal"))
    stated_points = models.PositiveIntegerField(
        _("stated points"),
        null=True,
        blank=True,
        help_text=_("The points a hand-made table states for this goal, if any."),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Origin(models.TextChoices):
    MEETING = ORIGIN_MEETING, _("from a meeting")
    ADMINISTRATION = ORIGIN_ADMINISTRATION, _("prepared by the administration")


class Card(models.Model):
    """A recommendation card with the dots entered for it (by hand or from paper)."""

    theme_field = models.ForeignKey(
        ThemeField, on_delete=models.CASCADE, related_name="cards", verbose_name=_("theme field")
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cards",
        verbose_name=_("goal"),
    )
    text = models.TextField(_("recommendation"), blank=True)
    indicator = models.TextField(_("indicator"), blank=True)
    responsible = models.TextField(_("responsible body"), blank=True)
    dots = models.PositiveIntegerField(_("dots"), default=0)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, blank=True)
    stated_in_topic_store = models.BooleanField(
        _("in the topic store of a hand-made table"), null=True, blank=True
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The card's text; for a dot on the goal itself, the goal's text."""
        return self.text or (self.goal.text if self.goal_id and self.goal else "")


class ChangeKind(models.TextChoices):
    """A write that changes the result (or who may change it), kept in the process's history."""

    RULES = "rules", _("rules changed")
    CARD_DOTS = "card_dots", _("dots of a card changed")
    ROLE_GRANTED = "role_granted", _("access granted")
    ROLE_REVOKED = "role_revoked", _("access revoked")
    CODE_REVOKED = "code_revoked", _("voter code revoked")
    CODE_REISSUED = "code_reissued", _("voter code reissued")
    CARD_MOVED = "card_moved", _("card moved to another goal")
    PAPER_DOTS = "paper_dots", _("paper dots entered")
    REWORDED = "reworded", _("priority reworded")


class ChangeRecord(models.Model):
    """Who changed what that the result depends on, when, and the values before and after.

    Written by the service function of the change in its own transaction, never edited.
    ``before`` and ``after`` map a field name to its value (``None``: there was none).
    A rewording of a priority (``REWORDED``) names the goal it belongs to and the card
    whose part changed (none: the goal's own text); its texts are kept whole."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    subject = models.CharField(max_length=300, blank=True)  # the card, user or voter changed
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="rewordings"
    )
    card = models.ForeignKey(
        Card, on_delete=models.SET_NULL, null=True, blank=True, related_name="rewordings"
    )
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)  # kept if the login is deleted
    created_at = models.DateTimeField(auto_now_add=True)
    # A change of a voting round's counts (paper dots) while they are secret: the id of the
    # round, and the record is left out of the history until the round is revealed.
    hidden_round = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["process", "-created_at"], name="change_process_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"


class ReportJob(models.Model):
    """A report file asked for, made by the background worker and kept as the cache.

    ``key`` names the file by what it shows: a digest of the report's content (so of the
    process's state), the kind, the format and the language; the same report of the same
    state is the same row, made once. ``slot`` names the report without the state (kind,
    format, language, parameters): a newer file of a slot replaces the older ones. The
    queue itself is django-tasks' (``task_id``); this row is what the pages show.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="report_jobs")
    key = models.CharField(max_length=64, unique=True)
    slot = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=20)
    fmt = models.CharField(max_length=10)
    language = models.CharField(max_length=10)
    params = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    runs = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200)
    media_type = models.CharField(max_length=200)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.kind}.{self.fmt} ({self.state})"
