"""Helpers shared by the process pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
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


def saved(
    request: HttpRequest, form: BaseForm, write: Callable[[dict[str, Any]], object], *, done: str
) -> bool:
    """A posted, valid form written through its service (``write`` gets the cleaned data):
    True when saved (``done`` is said); a refusal of the service goes onto the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    messages.success(request, done)
    return True


def said(request: HttpRequest, change: Callable[[], object], *, done: str) -> bool:
    """A change through its service: True when made (``done`` is said); a refusal of the
    rules is said as an error."""
    try:
        change()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, done)
    return True
