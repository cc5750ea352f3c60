"""The history of a process: every write that changes its result leaves a ``ChangeRecord``.

``record_change`` is called by the service function of the change, inside its transaction,
so that the change and its record are written together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from klebepunkt.processes import models

Values = Mapping[str, str | int | bool | None]


def record_change(
    *,
    process: models.Process,
    kind: models.ChangeKind,
    by: User | None,
    subject: str = "",
    before: Values,
    after: Values,
    hidden_round: int | None = None,
) -> models.ChangeRecord:
    """Keep who changed what, before and after; only inside the change's own transaction.

    ``hidden_round``: the change is to the counts of this voting round, left out of the
    history until the round reveals them (``reveal_changes``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_change belongs inside the transaction of the change")
    return models.ChangeRecord.objects.create(
        process=process,
        kind=kind,
        subject=subject[:300],
        before=dict(before),
        after=dict(after),
        actor=by if by is not None and by.pk is not None else None,
        actor_name=by.get_username() if by is not None else "",
        hidden_round=hidden_round,
    )


def reveal_changes(*, round_id: int) -> None:
    """The round's counts are public now: so are the changes to them."""
    models.ChangeRecord.objects.filter(hidden_round=round_id).update(hidden_round=None)


def visible_changes(process: models.Process) -> QuerySet[models.ChangeRecord]:
    """The history as the pages show it: without the changes to counts still secret."""
    return process.changes.filter(hidden_round=None)
