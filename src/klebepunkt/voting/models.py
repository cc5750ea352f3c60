"""Voting rounds, voters with their codes, ballots, paper tallies and the audit log.

The audit log (``DotEvent``) is the record: every dot placed or taken back,
append-only, hash-chained per voter. ``Ballot`` and ``Voter.used`` are its
running projection, kept in the same transaction, so that the budget and the cap
can be enforced by the database; ``selectors.verify_round`` (with ``domain.audit.reconcile``) recomputes them from
the log and checks the chains.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from klebepunkt.processes.models import Card, Member, Process, StakeholderGroup, ThemeField


def new_projector_token() -> str:
    """A secret for the projector's link: shows what the room sees, without a login."""
    return secrets.token_urlsafe(18)


class RoundState(models.TextChoices):
    PREPARED = "prepared", _("prepared")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    REVEALED = "revealed", _("revealed")


class VotingRound(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="voting_rounds")
    title = models.CharField(_("title"), max_length=200)
    theme_field = models.ForeignKey(
        ThemeField,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voting_rounds",
        verbose_name=_("theme field"),
        help_text=_("Empty: all cards of the process."),
    )
    cards = models.ManyToManyField(
        Card,
        blank=True,
        related_name="selected_in_rounds",
        verbose_name=_("cards"),
        help_text=_("Empty: the cards of the theme field, or of the whole process."),
    )
    dots_per_voter = models.PositiveIntegerField(_("dots per voter"))
    cap_per_card = models.PositiveIntegerField(_("cap per card"), null=True, blank=True)
    hide_results = models.BooleanField(
        _("hide results until revealed"),
        default=True,
        help_text=_("Nobody sees counts per card before the facilitator reveals them."),
    )
    shuffle = models.BooleanField(
        _("shuffle the cards for each voter"),
        default=False,
        help_text=_(
            "Each member sees the cards in an order of their own, so that position does not decide."
        ),
    )
    secret = models.BooleanField(
        _("secret round"),
        default=False,
        help_text=_(
            "The stored records carry a pseudonym and the stakeholder group, never the member."
        ),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=RoundState.choices, default=RoundState.PREPARED
    )
    short_code = models.CharField(_("round code"), max_length=12, unique=True)
    projector_token = models.CharField(max_length=40, unique=True, default=new_projector_token)
    paper_chain_head = models.CharField(max_length=64, default="", blank=True)
    paper_events = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    seal = models.CharField(
        max_length=64,
        blank=True,
        help_text="Hash over every chain head, written when the round closes.",
    )

    class Meta:
        verbose_name = _("voting round")
        verbose_name_plural = _("voting rounds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(dots_per_voter__gte=1), name="round_dots_positive"),
            models.CheckConstraint(
                condition=Q(cap_per_card__isnull=True) | Q(cap_per_card__gte=1),
                name="round_cap_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def results_visible(self) -> bool:
        """Counts per card may be shown (and count in the evaluation)."""
        if self.state == RoundState.REVEALED:
            return True
        return not self.hide_results and self.state in (RoundState.OPEN, RoundState.CLOSED)

    @property
    def counts(self) -> bool:
        """The round's dots flow into the cards' dots and the evaluation."""
        return self.state == RoundState.REVEALED or (
            self.state == RoundState.CLOSED and not self.hide_results
        )


class Voter(models.Model):
    """A member's place in one round: their code, budget and the dots they hold."""

    voting_round = models.ForeignKey(VotingRound, on_delete=models.CASCADE, related_name="voters")
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="voters"
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="voters"
    )
    pseudonym = models.CharField(max_length=20)
    code = models.CharField(max_length=20, unique=True)
    budget = models.PositiveIntegerField()
    used = models.PositiveIntegerField(default=0)
    chain_head = models.CharField(max_length=64, default="", blank=True)
    events = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(used__lte=F("budget")), name="voter_within_budget"),
            models.UniqueConstraint(
                fields=["voting_round", "pseudonym"], name="unique_pseudonym_per_round"
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Ballot(models.Model):
    """How many dots one voter holds on one card (digital and paper per member)."""

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="ballots")
    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="ballots")
    dots = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voter", "card"], name="one_ballot_per_voter_and_card")
        ]

    def __str__(self) -> str:
        return f"{self.voter_id}/{self.card_id}: {self.dots}"


class PaperTally(models.Model):
    """Paper dots counted per card, not attributed to a member."""

    voting_round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="paper_tallies"
    )
    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="paper_tallies")
    dots = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["voting_round", "card"], name="one_paper_tally_per_card"
            )
        ]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.dots}"


class Source(models.TextChoices):
    DIGITAL = "digital", _("digital")
    PAPER = "paper", _("paper, per member")
    PAPER_TOTAL = "paper_total", _("paper, per card")


class DotEvent(models.Model):
    """One dot placed (+1) or taken back (−1): append-only, hash-chained."""

    voting_round = models.ForeignKey(VotingRound, on_delete=models.CASCADE, related_name="events")
    voter = models.ForeignKey(
        Voter, on_delete=models.PROTECT, null=True, blank=True, related_name="dot_events"
    )
    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="dot_events")
    delta = models.SmallIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    sequence = (
        models.PositiveIntegerField()
    )  # position in its chain (the voter's, or the round's paper chain)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["voting_round", "id"], name="event_round_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(delta__in=[-1, 1]) | Q(source="paper_total"), name="event_delta"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delta:+d} {self.card_id}"


class InvitationState(models.TextChoices):
    PENDING = "pending", _("not sent yet")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Invitation(models.Model):
    """The e-mail with a voter's personal link and QR code: sent at most once per code.

    One row per voter (a reissued code is a new voter, so it gets a mail of its own); the
    state moves pending → sending → sent or failed by conditional updates, so two clicks on
    "send" at once send one mail (voting/invitations.py).
    """

    voter = models.OneToOneField(Voter, on_delete=models.CASCADE, related_name="invitation")
    address = models.CharField(max_length=254)
    state = models.CharField(
        max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["voter_id"]

    def __str__(self) -> str:
        return f"{self.address} ({self.state})"
