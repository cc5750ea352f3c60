"""Helpers shared by the process pages."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

SHEET_SESSION_KEY = "klebepunkt_sheet_import"

T = TypeVar("T")


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


def said(request: HttpRequest, change: Callable[[], T], *, done: str | Callable[[T], str]) -> bool:
    """A change through its service: True when made (``done`` is said, or what it makes of
    the change's result); a refusal of the rules is said as an error."""
    try:
        result = change()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, done if isinstance(done, str) else done(result))
    return True


def form_errors(form: BaseForm) -> str:
    """The errors of a form in one message."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def form_said(
    request: HttpRequest,
    form: BaseForm,
    change: Callable[[dict[str, Any]], T],
    *,
    done: str | Callable[[T], str],
) -> bool:
    """``said`` for a posted form: its errors are said when it is not valid."""
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return False
    return said(request, lambda: change(form.cleaned_data), done=done)


# --- an uploaded sheet kept in the session until its preview is confirmed or cancelled ---------


@dataclass(frozen=True)
class KeptSheet:
    name: str
    content: bytes
    kind: str = ""


def keep_sheet(request: HttpRequest, key: str, process_id: int, sheet: KeptSheet) -> None:
    request.session[key] = {
        "process": process_id,
        **({"kind": sheet.kind} if sheet.kind else {}),
        "name": sheet.name,
        "content": base64.b64encode(sheet.content).decode("ascii"),
    }


def kept_sheet(request: HttpRequest, key: str, process_id: int) -> KeptSheet | None:
    """The sheet kept for this process; None (and the user is asked to upload it again)
    when there is none."""
    pending = request.session.get(key)
    if not pending or pending.get("process") != process_id:
        messages.error(request, _("Please upload the sheet again."))
        return None
    return KeptSheet(
        name=pending["name"],
        content=base64.b64decode(pending["content"]),
        kind=pending.get("kind", ""),
    )


def forget_sheet(request: HttpRequest, key: str, *, cancelled: bool = False) -> bool:
    """Drops the kept sheet; True (and it is said) when the user cancelled the import."""
    request.session.pop(key, None)
    if cancelled:
        messages.success(request, _("Import cancelled; nothing was changed."))
    return cancelled
