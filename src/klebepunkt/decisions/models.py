"""Attendance per meeting, the decision (Beschluss) on the priorities and its counts.

A decision is taken at a meeting: who may vote there follows from the attendance (the
members present with a voting right). It freezes, when it is opened, the wording of
what is decided (one ``DecisionItem`` per priority); a later change of a priority's
wording is seen by comparing with it (``selectors.priority_decisions``), never stored.
Counts are entered per stakeholder group (a show of hands), or the members vote on their
phones: an open vote stores who voted what (``PhoneVote``, a member may change it until
the close); a secret vote stores no member, only a one-way ``VoteMarker`` per member who
voted and the anonymous running tally on the decision (see ``phone_votes``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klebepunkt.domain.decision import DecisionRule, Outcome
from klebepunkt.processes.models import Goal, Meeting, Member, Process, StakeholderGroup


class Presence(models.TextChoices):
    PRESENT = "present", _("present")
    EXCUSED = "excused", _("excused")
    ABSENT = "absent", _("absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")
    presence = models.CharField(_("attendance"), max_length=20, choices=Presence.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_presence_display()}"


RULE_CHOICES = [
    (
        DecisionRule.SIMPLE.value,
        _("simple majority of the votes cast; quorum: at least half of the voting members present"),
    ),
    (
        DecisionRule.ABSOLUTE.value,
        _(
            "absolute majority of all voting members; quorum: at least half of the voting members present"
        ),
    ),
]


class DecisionSettings(models.Model):
    """The rule of the process's decisions (one row per process, made when first set)."""

    process = models.OneToOneField(
        Process, on_delete=models.CASCADE, related_name="decision_settings"
    )
    rule = models.CharField(
        _("decision rule"), max_length=20, choices=RULE_CHOICES, default=DecisionRule.SIMPLE.value
    )

    def __str__(self) -> str:
        return self.rule


class DecisionState(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


OUTCOME_CHOICES = [
    (Outcome.PASSED.value, _("carried")),
    (Outcome.FAILED.value, _("not carried")),
    (Outcome.NO_QUORUM.value, _("no quorum")),
]


class Decision(models.Model):
    """A motion put to the vote: the priority list, or one priority."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        # RESTRICT: a meeting with a vote cannot be removed alone, but goes with its process
        Meeting,
        on_delete=models.RESTRICT,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("motion"), max_length=300)
    rule = models.CharField(_("decision rule"), max_length=20, choices=RULE_CHOICES)
    state = models.CharField(
        _("state"), max_length=20, choices=DecisionState.choices, default=DecisionState.OPEN
    )
    yes = models.PositiveIntegerField(_("yes"), default=0)
    no = models.PositiveIntegerField(_("no"), default=0)
    abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    present_voting = models.PositiveIntegerField(_("voting members present"), default=0)
    voting_members = models.PositiveIntegerField(_("voting members"), default=0)
    outcome = models.CharField(_("result"), max_length=20, choices=OUTCOME_CHOICES, blank=True)
    phone = models.BooleanField(
        _("vote on the phones"),
        default=False,
        help_text=_("The members present vote with the personal code they use for the dots."),
    )
    secret = models.BooleanField(
        _("secret vote"),
        default=False,
        help_text=_("Only that a member has voted is stored, never what they voted."),
    )
    # a secret vote's key to its markers while it is open; erased when it closes
    marker_salt = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open", outcome="") | Q(state="closed") & ~Q(outcome=""),
                name="decision_outcome_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(secret=False) | Q(phone=True), name="secret_on_phones"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == DecisionState.OPEN


class DecisionItem(models.Model):
    """A priority as it was worded when it was put to the vote."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="decision_items"
    )
    rank = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["rank", "id"]

    def __str__(self) -> str:
        return self.text


class GroupCount(models.Model):
    """Yes, no and abstentions of one stakeholder group, counted by show of hands."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="counts")
    stakeholder_group = models.ForeignKey(
        # the totals are kept on the decision; a group is only deleted without members
        StakeholderGroup,
        on_delete=models.CASCADE,
        related_name="decision_counts",
    )
    yes = models.PositiveIntegerField(_("yes"), default=0)
    no = models.PositiveIntegerField(_("no"), default=0)
    abstain = models.PositiveIntegerField(_("abstentions"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "stakeholder_group"], name="one_count_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder_group}: {self.yes}/{self.no}/{self.abstain}"


class Choice(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    ABSTAIN = "abstain", _("abstention")


class PhoneVote(models.Model):
    """A member's vote on the phone in an open (not secret) vote: changeable until the close."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="phone_votes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="phone_votes")
    choice = models.CharField(max_length=10, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="one_phone_vote_per_member")
        ]

    def __str__(self) -> str:
        return self.choice


class VoteMarker(models.Model):
    """That somebody has voted in a secret vote: an HMAC of the member under the decision's
    salt, which is erased at the close. Never tied to a choice."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="markers")
    marker = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "marker"], name="one_marker_per_member")
        ]

    def __str__(self) -> str:
        return self.marker[:8]


class ReportText(models.Model):
    """A text of the working group's own, in the Markdown subset of ``klebepunkt.richtext``.

    ``key`` names its place: ``introduction``, ``foreword``, ``method``, ``closing``,
    ``field-<theme field id>``, ``priority-<goal id>`` or ``minutes-<meeting id>``.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="report_texts")
    key = models.CharField(max_length=40)
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["process", "key"], name="one_text_per_place")
        ]

    def __str__(self) -> str:
        return self.key


class FilesState(models.TextChoices):
    PENDING = "pending", _("being made")
    DONE = "done", _("made")
    FAILED = "failed", _("failed")


class ReportVersion(models.Model):
    """An issued version of the report: its content frozen as JSON, and every format's bytes
    as they were rendered from the content frozen when it was issued (a download gives the
    same bytes every time, whatever changes later in the process, the code or the fonts).

    ``sha256`` is the digest of ``snapshot`` (canonical JSON); it is printed in the footer.
    The files are made by the job queue (``versions.make_version_files``) from
    ``frozen_report``, the report's content model as issued (pickled, written by this app
    only, never read from a file); it is emptied when every file is stored.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="report_versions")
    label = models.CharField(_("version"), max_length=200)
    issued_at = models.DateTimeField()
    snapshot = models.TextField()
    sha256 = models.CharField(max_length=64)
    frozen_report = models.BinaryField(default=b"", editable=False)
    files_state = models.CharField(
        max_length=10, choices=FilesState.choices, default=FilesState.DONE
    )
    files_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return self.label


class ReportVersionFile(models.Model):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="files")
    fmt = models.CharField(max_length=10)
    content = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "fmt"], name="one_file_per_format")
        ]

    def __str__(self) -> str:
        return self.fmt
