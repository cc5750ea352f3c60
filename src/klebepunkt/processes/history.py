"""The history of a process: every write that changes its result leaves a ``ChangeRecord``.

``record_change`` is called by the service function of the change, inside its transaction,
so that the change and its record are written together or not at all.
"""

from __future__ import annotations

import datetime as dt
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
    goal: models.Goal | None = None,
    card: models.Card | None = None,
    by_name: str | None = None,
    at: dt.datetime | None = None,
) -> models.ChangeRecord:
    """Keep who changed what, before and after; only inside the change's own transaction.

    ``hidden_round``: the change is to the counts of this voting round, left out of the
    history until the round reveals them (``reveal_changes``). ``goal`` and ``card``: what
    a rewording belongs to; ``by_name`` and ``at``: who and when, as a process file states
    them (an import keeps the history as it was)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_change belongs inside the transaction of the change")
    record = models.ChangeRecord.objects.create(
        process=process,
        kind=kind,
        subject=subject[:300],
        goal=goal,
        card=card,
        before=dict(before),
        after=dict(after),
        actor=by if by is not None and by.pk is not None else None,
        actor_name=(by_name if by_name is not None else by.get_username() if by else "")[:150],
        hidden_round=hidden_round,
    )
    if at is not None:  # created_at is set on insert; a kept time replaces it
        models.ChangeRecord.objects.filter(pk=record.pk).update(created_at=at)
        record.created_at = at
    return record


def reveal_changes(*, round_id: int) -> None:
    """The round's counts are public now: so are the changes to them."""
    models.ChangeRecord.objects.filter(hidden_round=round_id).update(hidden_round=None)


def visible_changes(process: models.Process) -> QuerySet[models.ChangeRecord]:
    """The history as the pages show it: without the changes to counts still secret."""
    return process.changes.filter(hidden_round=None)
