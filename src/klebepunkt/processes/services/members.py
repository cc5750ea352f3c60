"""Writes of stakeholder groups, members and meetings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import RestrictedError
from django.utils.translation import gettext as _

from klebepunkt.domain import gettext_noop, normalise_text
from klebepunkt.processes import models
from klebepunkt.processes.services.common import next_position, save_unique_name
from klebepunkt.sheets.members import MemberPlan

GROUP_EXISTS = gettext_noop("This stakeholder group exists already.")


# --- members, groups and meetings --------------------------------------------------


@transaction.atomic
def create_stakeholder_group(
    *,
    process: models.Process,
    name: str,
    description: str = "",
    count_text: str = "",
    voting: bool = True,
) -> models.StakeholderGroup:
    group = models.StakeholderGroup(
        process=process,
        name=normalise_text(name),
        description=description.strip(),
        count_text=count_text.strip(),
        voting=voting,
        position=next_position(process.stakeholder_groups.all()),
    )
    save_unique_name(group, message=GROUP_EXISTS)
    return group


@transaction.atomic
def update_stakeholder_group(
    *,
    group: models.StakeholderGroup,
    name: str,
    description: str = "",
    count_text: str = "",
    voting: bool = True,
) -> models.StakeholderGroup:
    group.name = normalise_text(name)
    group.description = description.strip()
    group.count_text = count_text.strip()
    group.voting = voting
    save_unique_name(group, message=GROUP_EXISTS)
    return group


@transaction.atomic
def delete_stakeholder_group(*, group: models.StakeholderGroup) -> None:
    if group.members.exists():
        raise ValidationError(_("Only a stakeholder group without members can be deleted."))
    group.delete()


@transaction.atomic
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
        position=next_position(process.members.all()),
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def update_member(
    *,
    member: models.Member,
    name: str,
    stakeholder_group: models.StakeholderGroup,
    voting: bool,
    contact: str = "",
) -> models.Member:
    if stakeholder_group.process_id != member.process_id:
        raise ValidationError({"stakeholder_group": _("Unknown stakeholder group.")})
    member.name = name.strip()
    member.stakeholder_group = stakeholder_group
    member.voting = voting
    member.contact = contact.strip()
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def delete_member(*, member: models.Member) -> None:
    member.delete()


@transaction.atomic
def import_members(*, process: models.Process, plan: MemberPlan) -> int:
    """The members of a member sheet, and the stakeholder groups it names that the process
    does not have: all or nothing. Returns how many members were added."""
    groups = {
        group.name.casefold(): group
        for group in process.stakeholder_groups.select_for_update().order_by("pk")
    }
    for new in plan.new_groups:
        if new.name.casefold() not in groups:
            groups[new.name.casefold()] = create_stakeholder_group(
                process=process, name=new.name, voting=new.voting
            )
    for member in plan.members:
        create_member(
            process=process,
            name=member.name,
            stakeholder_group=groups[member.stakeholder_group.casefold()],
            voting=member.voting,
            contact=member.contact,
        )
    return len(plan.members)


@transaction.atomic
def delete_meeting(*, meeting: models.Meeting) -> None:
    try:
        with transaction.atomic():
            meeting.delete()
    except RestrictedError as error:  # a vote was taken at it (decisions.Decision)
        raise ValidationError(
            _("A meeting at which a vote was taken cannot be removed.")
        ) from error


@transaction.atomic
def save_meeting(*, meeting: models.Meeting) -> models.Meeting:
    meeting.full_clean()
    meeting.save()
    return meeting
