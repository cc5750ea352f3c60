"""What the write functions of a process share: positions, unique names, NUL checks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.db.models import Max, Model, QuerySet
from django.utils.translation import gettext as _

from klebepunkt.processes import models

NamedInProcess = models.ThemeField | models.StakeholderGroup


def save_unique_name(instance: NamedInProcess, *, message: str) -> None:
    """Check and save a row whose name is unique in its process: the database's constraint
    decides, so that two requests at once cannot both pass a check made before; its refusal
    is the user's error (``message`` on the name)."""
    instance.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            instance.save()
    except IntegrityError:
        same = type(instance)._default_manager.filter(
            process_id=instance.process_id, name=instance.name
        )
        if not same.exclude(pk=instance.pk).exists():
            raise
        raise ValidationError({"name": _(message)}) from None


def next_position(queryset: QuerySet[Model]) -> int:
    return int(queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def no_null_characters(**texts: str) -> None:
    """Forms refuse NUL; the board's own fields are read without a form (PostgreSQL refuses it)."""
    for field, text in texts.items():
        try:
            ProhibitNullCharactersValidator()(text)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
