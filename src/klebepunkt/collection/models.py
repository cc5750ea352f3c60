"""The card collection of a meeting: members write cards on their phones, the wall fills.

``Participant`` is a member's way into one meeting (a personal code, as for voting, for
everybody on the member list with or without a voting right). ``Collection`` is opened
by the facilitator for chosen theme fields with a question. ``CollectedCard`` is a card
as written; every text it ever had is kept in ``CardRevision`` (a save that came too
late is kept there too, marked as a conflict). An accepted card points to the ordinary
card of the process it became; its provenance (meeting, group, time) stays here.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klebepunkt.domain import collection as rules
from klebepunkt.processes.models import Card, Meeting, Member, StakeholderGroup, ThemeField
from klebepunkt.voting.models import VotingRound


def new_wall_token() -> str:
    """A secret for the projector's link to the wall: shows what the room sees, no login."""
    return secrets.token_urlsafe(18)


class Participant(models.Model):
    """A member's personal code for one meeting: one join for the collection and the vote."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="participations")
    code = models.CharField(max_length=20, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["member__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_code_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.meeting_id}"


class CollectionState(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Collection(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="collections")
    question = models.CharField(_("question"), max_length=rules.MAX_QUESTION)
    theme_fields = models.ManyToManyField(
        ThemeField, related_name="collections", verbose_name=_("theme fields")
    )
    hide_groups = models.BooleanField(
        _("hide the stakeholder group"),
        default=False,
        help_text=_("The wall shows no author at all, not even their stakeholder group."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CollectionState.choices, default=CollectionState.OPEN
    )
    short_code = models.CharField(_("meeting code"), max_length=12, unique=True)
    wall_token = models.CharField(max_length=40, unique=True, default=new_wall_token)
    voting_round = models.ForeignKey(
        VotingRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("card collection")
        verbose_name_plural = _("card collections")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        return self.state == CollectionState.OPEN


class CardState(models.TextChoices):
    SUBMITTED = rules.CardState.SUBMITTED.value, _("submitted")
    ACCEPTED = rules.CardState.ACCEPTED.value, _("accepted")
    SENT_BACK = rules.CardState.SENT_BACK.value, _("sent back")
    WITHDRAWN = rules.CardState.WITHDRAWN.value, _("withdrawn")
    MERGED = rules.CardState.MERGED.value, _("merged")


class CollectedCard(models.Model):
    """A card as a member wrote it (or as it was typed in from paper at the wall)."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="cards")
    theme_field = models.ForeignKey(
        ThemeField, on_delete=models.CASCADE, related_name="+", verbose_name=_("theme field")
    )
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="cards"
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_paper = models.BooleanField(default=False)
    text = models.CharField(_("recommendation"), max_length=rules.MAX_TEXT)
    goal_text = models.CharField(_("suggested goal"), max_length=rules.MAX_GOAL, blank=True)
    indicator = models.CharField(_("indicator"), max_length=rules.MAX_INDICATOR, blank=True)
    responsible = models.CharField(
        _("responsible body"), max_length=rules.MAX_RESPONSIBLE, blank=True
    )
    idempotency_key = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=20, choices=CardState.choices, default=CardState.SUBMITTED)
    reason = models.CharField(_("reason"), max_length=rules.MAX_REASON, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    card = models.OneToOneField(
        Card, on_delete=models.SET_NULL, null=True, blank=True, related_name="collected_as"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("collected card")
        verbose_name_plural = _("collected cards")
        ordering = ["created_at", "id"]
        constraints = [
            # a card sent twice (a retry, a double tap) is stored once
            models.UniqueConstraint(
                fields=["collection", "idempotency_key"], name="card_sent_once"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="card_has_text"),
        ]
        indexes = [models.Index(fields=["collection", "updated_at"], name="collected_card_wall")]

    def __str__(self) -> str:
        return self.text[:60]


class CardRevision(models.Model):
    """Every text a card had, and a save that came too late (``conflict``): no text is lost."""

    collected_card = models.ForeignKey(
        CollectedCard, on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField()  # the version this text was written on top of
    conflict = models.BooleanField(default=False)
    by_facilitator = models.BooleanField(default=False)
    text = models.CharField(max_length=rules.MAX_TEXT)
    goal_text = models.CharField(max_length=rules.MAX_GOAL, blank=True)
    indicator = models.CharField(max_length=rules.MAX_INDICATOR, blank=True)
    responsible = models.CharField(max_length=rules.MAX_RESPONSIBLE, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.collected_card_id} v{self.version}"


class CardSupport(models.Model):
    """A member supports a card already on the wall instead of writing a look-alike."""

    collected_card = models.ForeignKey(
        CollectedCard, on_delete=models.CASCADE, related_name="supports"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["collected_card", "participant"], name="one_support_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.collected_card_id}"
