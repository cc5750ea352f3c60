"""Writes of a process itself and of who may see or change it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from klebepunkt.domain import Aggregation
from klebepunkt.domain.process import StakeholderGroup
from klebepunkt.domain.rules import DEFAULT_DOTS_PER_VOTER, DEFAULT_GOAL_THRESHOLD
from klebepunkt.processes import models
from klebepunkt.processes.history import record_change
from klebepunkt.processes.models import ChangeKind, Role
from klebepunkt.processes.services.members import create_stakeholder_group
from klebepunkt.processes.services.tally import create_theme_field

RULE_FIELDS = ("dots_per_voter", "cap_per_card", "goal_threshold", "aggregation")


# --- processes and access ------------------------------------------------------


@dataclass(frozen=True)
class ProcessSettings:
    """Everything the settings page changes: the description and the rules of the vote."""

    title: str
    body: str = ""
    year: int | None = None
    description: str = ""
    dots_per_voter: int = DEFAULT_DOTS_PER_VOTER
    cap_per_card: int | None = None
    goal_threshold: int = DEFAULT_GOAL_THRESHOLD
    aggregation: str = Aggregation.SUM.value
    is_public: bool = False

    @classmethod
    def of(cls, process: models.Process) -> ProcessSettings:
        return cls(
            title=process.title,
            body=process.body,
            year=process.year,
            description=process.description,
            dots_per_voter=process.dots_per_voter,
            cap_per_card=process.cap_per_card,
            goal_threshold=process.goal_threshold,
            aggregation=process.aggregation,
            is_public=process.is_public,
        )


@transaction.atomic
def create_process(
    *,
    title: str,
    user: User | None,
    body: str = "",
    year: int | None = None,
    description: str = "",
    dots_per_voter: int = DEFAULT_DOTS_PER_VOTER,
    cap_per_card: int | None = None,
    goal_threshold: int = DEFAULT_GOAL_THRESHOLD,
    aggregation: str = Aggregation.SUM.value,
    stakeholder_groups: Sequence[StakeholderGroup] = (),
    theme_fields: Sequence[str] = (),
) -> models.Process:
    """A new process with its rules, and (from the start form) its stakeholder groups, each
    with the voting right its members take by default, and its theme fields: all or nothing."""
    process = models.Process(
        title=title,
        body=body,
        year=year,
        description=description,
        dots_per_voter=dots_per_voter,
        cap_per_card=cap_per_card,
        goal_threshold=goal_threshold,
        aggregation=aggregation,
    )
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


@transaction.atomic
def update_process(
    *, process: models.Process, settings: ProcessSettings, by: User | None
) -> models.Process:
    """Save the settings; a change of the rules (dots, cap, threshold, counting) is recorded."""
    stored = models.Process.objects.select_for_update().get(pk=process.pk)
    before = ProcessSettings.of(stored)
    for name, value in vars(settings).items():
        setattr(stored, name, value)
    stored.full_clean()
    stored.save()
    changed = [name for name in RULE_FIELDS if getattr(before, name) != getattr(settings, name)]
    if changed:
        record_change(
            process=stored,
            kind=ChangeKind.RULES,
            by=by,
            before={name: getattr(before, name) for name in changed},
            after={name: getattr(settings, name) for name in changed},
        )
    return stored


@transaction.atomic
def grant_role(
    *, process: models.Process, user: User, role: Role, by: User | None
) -> models.ProcessRole:
    previous = _role_of(process, user, lock=True)
    grant, _created = models.ProcessRole.objects.update_or_create(
        process=process, user=user, defaults={"role": role}
    )
    if previous != role:
        _record_role(process=process, user=user, by=by, previous=previous, role=str(role))
    return grant


@transaction.atomic
def revoke_role(*, process: models.Process, user: User, by: User | None) -> None:
    facilitators = models.ProcessRole.objects.select_for_update().filter(
        process=process, role=Role.FACILITATOR
    )
    if facilitators.filter(user=user).exists() and facilitators.count() == 1:
        raise ValidationError(_("A process needs at least one facilitator."))
    previous = _role_of(process, user)
    if previous is None:
        return
    models.ProcessRole.objects.filter(process=process, user=user).delete()
    _record_role(process=process, user=user, by=by, previous=previous, role=None)


def _role_of(process: models.Process, user: User, *, lock: bool = False) -> str | None:
    roles = models.ProcessRole.objects.select_for_update() if lock else models.ProcessRole.objects
    return roles.filter(process=process, user=user).values_list("role", flat=True).first()


def _record_role(
    *, process: models.Process, user: User, by: User | None, previous: str | None, role: str | None
) -> None:
    """A role granted (``role``) or revoked (None) in the process's history."""
    record_change(
        process=process,
        kind=ChangeKind.ROLE_GRANTED if role is not None else ChangeKind.ROLE_REVOKED,
        by=by,
        subject=user.get_username(),
        before={"role": previous},
        after={"role": role},
    )
