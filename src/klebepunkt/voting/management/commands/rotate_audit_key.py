"""``klebepunkt manage rotate_audit_key``: a new audit key; the earlier ones stay for verify."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from klebepunkt.voting import audit_keys


class Command(BaseCommand):
    help = (
        "Put a new audit key on the first line of DATA_DIR/audit_key; the earlier keys stay "
        "below it, so that klebepunkt verify still checks what they signed. Restart the app "
        "afterwards."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get("KLEBEPUNKT_AUDIT_KEY"):
            raise CommandError(
                "KLEBEPUNKT_AUDIT_KEY is set: rotate there (the new key in KLEBEPUNKT_AUDIT_KEY, "
                "the old one added to KLEBEPUNKT_AUDIT_KEYS_RETIRED), then restart."
            )
        new_id = audit_keys.rotate(settings.DATA_DIR)
        self.stdout.write(f"New audit key {new_id} (previous: {settings.AUDIT_KEY_ID}).")
