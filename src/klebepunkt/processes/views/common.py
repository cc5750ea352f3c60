"""Helpers shared by the process pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

SHEET_SESSION_KEY = "klebepunkt_sheet_import"


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def apply_validation_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
