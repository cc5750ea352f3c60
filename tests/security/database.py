"""The database as one value, to show that a refused request changed nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction

# what a request may change without changing anything that matters
VOLATILE_MODELS = {"sessions.session", "admin.logentry", "contenttypes.contenttype"}
VOLATILE_FIELDS = {"last_login"}


def database_fingerprint() -> str:
    """A hash over every row of every model of the app, auth and the voting records."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
        if model._meta.label_lower in VOLATILE_MODELS:
            continue
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if field.attname not in VOLATILE_FIELDS
        ]
        digest.update(model._meta.label_lower.encode())
        for row in model.objects.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one case in a savepoint and undo it, so that the next starts from the same data.

    Like Django's TestCase, the block lets the voting services open their durable
    transactions inside it.
    """
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    with block:
        yield
        transaction.set_rollback(True)
