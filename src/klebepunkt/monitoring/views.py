"""The monitoring pages, the topic store archive and the public page. Thin: parse, call, render.

Every page of a process goes through ``permissions.process_for`` (404 for
strangers, 403 for an observer who tries to change something). The archive
spans the processes the user may see. The public page needs no login and shows
only processes whose facilitator switched it on, without member names,
contacts, comments or user names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klebepunkt.domain import DomainError
from klebepunkt.domain.monitoring_state import Item, Monitoring, Priority, latest_change
from klebepunkt.monitoring import forms, models, selectors, services
from klebepunkt.monitoring.forms import SheetKind
from klebepunkt.processes.models import Card, Goal, Process, Role
from klebepunkt.processes.permissions import LoggedInRequest, process_for
from klebepunkt.processes.views.common import (
    KeptSheet,
    apply_validation_error,
    forget_sheet,
    form_said,
    keep_sheet,
    kept_sheet,
)
from klebepunkt.sheets.status import SHEET_FORMATS, SHEET_MEDIA_TYPES, sheet_bytes
from klebepunkt.sheets.status_plan import (
    read_statistics_sheet,
    read_status_sheet,
    status_sheet_rows,
)

SHEET_SESSION_KEY = "klebepunkt_monitoring_sheet"


def _language() -> str:
    return (get_language() or "de")[:2]


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _today() -> date:
    return timezone.localdate()


def _priority(monitoring: Monitoring, goal_id: int) -> Priority:
    for priority in monitoring.priorities:
        if priority.goal.object_id == goal_id:
            return priority
    raise Http404


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored decimal without its trailing zeros (120.0000 → 120, 12.5000 → 12.5)."""
    if value is None or value != value.to_integral_value():
        return value.normalize() if value is not None else None
    return value.quantize(Decimal(1))


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- overview and one priority -----------------------------------------------------------------


@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    monitoring = selectors.monitoring_of(process)
    today = _today()
    lights = [priority.light(today) for priority in monitoring.priorities]
    rows = [
        {
            "priority": priority,
            "state": priority.goal.state(),
            "light": light,
            "indicators": sum(len(item.indicators) for item in priority.items),
            "last_change": latest_change(priority.items),
        }
        for priority, light in zip(monitoring.priorities, lights, strict=True)
    ]
    counts = {
        colour: sum(light.light.value == colour for light in lights)
        for colour in ("red", "amber", "green")
    }
    return render(
        request,
        "monitoring/overview.html",
        {
            "process": process,
            "role": role,
            "rows": rows,
            "counts": counts,
            "detached": monitoring.detached,
            "bodies": selectors.responsible_bodies(monitoring),
            "sheet_formats": SHEET_FORMATS,
            "today": today,
        },
    )


def _indicators(item: Item, today: date, can_edit: bool = False) -> list[dict[str, Any]]:
    return [
        {
            "indicator": indicator,
            "assessment": assessment,
            "form": forms.MeasurementForm(prefix=indicator.key) if can_edit else None,
        }
        for indicator, (_name, assessment) in zip(
            item.indicators, item.assessments(today), strict=True
        )
    ]


def _item_context(item: Item, today: date, can_edit: bool) -> dict[str, Any]:
    state = item.state()
    initial = {
        "status": state.status.value,
        "due_date": state.due_date,
        "responsible": state.responsible if state.change and state.change.responsible else "",
        "contact": state.contact,
        "comment": state.comment,
        "based_on": state.change.id if state.change else 0,
    }
    return {
        "item": item,
        "state": state,
        "light": item.light(today),
        "indicators": _indicators(item, today, can_edit),
        "form": forms.StatusForm(initial=initial, prefix=item.key) if can_edit else None,
        "indicator_form": forms.IndicatorForm(prefix=f"{item.key}-new") if can_edit else None,
        "history": tuple(reversed(item.changes)),
    }


@login_required
@require_GET
def priority(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    monitoring = selectors.monitoring_of(process)
    found = _priority(monitoring, goal_id)
    today = _today()
    can_edit = role is Role.FACILITATOR
    return render(
        request,
        "monitoring/priority.html",
        {
            "process": process,
            "role": role,
            "priority": found,
            "light": found.light(today),
            "items": [_item_context(item, today, can_edit) for item in found.items],
            "today": today,
        },
    )


def _back_to(process: Process, goal_id: int, key: str = "") -> HttpResponse:
    url = reverse("monitoring:priority", args=[process.pk, goal_id])
    return redirect(f"{url}#{key}" if key else url)


def _goal_of(monitoring: Monitoring, *, goal: Goal | None, card: Card | None) -> int:
    for priority in monitoring.priorities:
        if goal is not None and priority.goal.object_id == goal.pk:
            return priority.goal.object_id
        if card is not None and any(item.object_id == card.pk for item in priority.cards):
            return priority.goal.object_id
    raise Http404


def _item_key(goal: Goal | None, card: Card | None) -> str:
    """The form prefix of a monitored goal or card."""
    if goal is not None:
        return models.goal_key(goal.pk)
    if card is not None:
        return models.card_key(card.pk)
    raise Http404


def _said_on_item(
    request: HttpRequest,
    process: Process,
    goal: Goal | None,
    card: Card | None,
    form: Callable[[str], BaseForm],
    change: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A form on a monitored goal or card (its prefix is the item's key) through its service,
    said; then back to the item on its priority's page."""
    goal_id = _goal_of(selectors.monitoring_of(process), goal=goal, card=card)
    key = _item_key(goal, card)
    form_said(request, form(key), change, done=done)
    return _back_to(process, goal_id, key)


def _record_status(
    request: LoggedInRequest,
    process: Process,
    *,
    goal: Goal | None = None,
    card: Card | None = None,
) -> HttpResponse:
    return _said_on_item(
        request,
        process,
        goal,
        card,
        lambda key: forms.StatusForm(request.POST, prefix=key),
        lambda data: services.record_status(
            process=process,
            goal=goal,
            card=card,
            fields=services.StatusFields(
                status=data["status"],
                responsible=data["responsible"],
                contact=data["contact"],
                due_date=data["due_date"],
                comment=data["comment"],
            ),
            user=request.user,
            based_on=data["based_on"],
        ),
        _("Status saved."),
    )


# --- indicators and measurements ---------------------------------------------------------------


def _indicator_fields(data: dict[str, Any]) -> services.IndicatorFields:
    return services.IndicatorFields(
        name=data["name"],
        unit=data["unit"],
        baseline_value=data["baseline_value"],
        baseline_date=data["baseline_date"],
        target_value=data["target_value"],
        target_date=data["target_date"],
    )


def _add_indicator(
    request: HttpRequest, process: Process, *, goal: Goal | None = None, card: Card | None = None
) -> HttpResponse:
    return _said_on_item(
        request,
        process,
        goal,
        card,
        lambda key: forms.IndicatorForm(request.POST, prefix=f"{key}-new"),
        lambda data: services.create_indicator(
            process=process, goal=goal, card=card, fields=_indicator_fields(data)
        ),
        _("Indicator added."),
    )


ItemView = Callable[[LoggedInRequest, int, int], HttpResponse]


class ItemAction(Protocol):
    def __call__(
        self,
        request: LoggedInRequest,
        process: Process,
        *,
        goal: Goal | None = None,
        card: Card | None = None,
    ) -> HttpResponse: ...


def _on_goal_and_card(action: ItemAction) -> tuple[ItemView, ItemView]:
    """The two views of an action on a monitored item: on a goal (``goal_id``), on a card."""

    @login_required
    @require_POST
    def on_goal(request: LoggedInRequest, pk: int, goal_id: int) -> HttpResponse:
        process, _role = process_for(request.user, pk, change=True)
        goal = get_object_or_404(Goal, pk=goal_id, theme_field__process=process)
        return action(request, process, goal=goal)

    @login_required
    @require_POST
    def on_card(request: LoggedInRequest, pk: int, card_id: int) -> HttpResponse:
        process, _role = process_for(request.user, pk, change=True)
        card = get_object_or_404(Card, pk=card_id, theme_field__process=process)
        return action(request, process, card=card)

    return on_goal, on_card


status_of_goal, status_of_card = _on_goal_and_card(_record_status)
indicator_add_to_goal, indicator_add_to_card = _on_goal_and_card(_add_indicator)


def _indicator_back(process: Process, indicator: models.Indicator) -> HttpResponse:
    implementation = indicator.implementation
    monitoring = selectors.monitoring_of(process)
    goal_id = _goal_of(
        monitoring,
        goal=implementation.goal if implementation.goal_id else None,
        card=implementation.card if implementation.card_id and not implementation.goal_id else None,
    )
    return _back_to(process, goal_id, f"indicator-{indicator.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int, indicator_id: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    indicator = get_object_or_404(
        models.Indicator, pk=indicator_id, implementation__process=process
    )
    form = forms.IndicatorForm(
        request.POST or None,
        initial={
            "name": indicator.name,
            "unit": indicator.unit,
            "baseline_value": _plain(indicator.baseline_value),
            "baseline_date": indicator.baseline_date,
            "target_value": _plain(indicator.target_value),
            "target_date": indicator.target_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_indicator(
                indicator=indicator, fields=_indicator_fields(form.cleaned_data)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Indicator saved."))
            return _indicator_back(process, indicator)
    return render(
        request,
        "monitoring/indicator_form.html",
        {
            "process": process,
            "role": role,
            "form": form,
            "indicator": indicator,
            "measurements": indicator.measurements.order_by("-date"),
        },
    )


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int, indicator_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    indicator = get_object_or_404(
        models.Indicator, pk=indicator_id, implementation__process=process
    )
    response = _indicator_back(process, indicator)
    services.delete_indicator(indicator=indicator)
    messages.success(request, _("Indicator deleted with its values."))
    return response


@login_required
@require_POST
def measurement_add(request: LoggedInRequest, pk: int, indicator_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    indicator = get_object_or_404(
        models.Indicator, pk=indicator_id, implementation__process=process
    )
    form_said(
        request,
        forms.MeasurementForm(request.POST, prefix=indicator.key),
        lambda data: services.record_measurement(
            indicator=indicator,
            day=data["date"],
            value=data["value"],
            source=data["source"],
            note=data["note"],
            user=request.user,
        ),
        done=_("Value saved."),
    )
    return _indicator_back(process, indicator)


@login_required
@require_POST
def measurement_delete(request: HttpRequest, pk: int, measurement_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    measurement = get_object_or_404(
        models.Measurement, pk=measurement_id, indicator__implementation__process=process
    )
    indicator = measurement.indicator
    services.delete_measurement(measurement=measurement)
    messages.success(request, _("Value deleted."))
    return redirect("monitoring:indicator", process.pk, indicator.pk)


# --- status sheets: export, upload, preview, apply ---------------------------------------------


@login_required
@require_GET
def sheet_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    process, _role = process_for(request.user, pk)
    if fmt not in SHEET_FORMATS:
        raise Http404
    responsible = request.GET.get("responsible", "").strip()
    monitoring = selectors.monitoring_of(process)
    header, rows = status_sheet_rows(monitoring, responsible=responsible, typed=fmt == "xlsx")
    response = HttpResponse(sheet_bytes(fmt, header, rows), content_type=SHEET_MEDIA_TYPES[fmt])
    suffix = f"-{slugify(responsible)[:40]}" if responsible else ""
    response["Content-Disposition"] = (
        f'attachment; filename="umsetzungsstand-{process.pk}{suffix}.{fmt}"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sheet_upload(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    form = forms.MonitoringUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["sheet"]
        content = upload.read()
        kind = form.cleaned_data["kind"]
        try:
            _plan(kind, content, upload.name, selectors.monitoring_of(process))
        except DomainError as error:
            form.add_error("sheet", error.render(_))
        else:
            keep_sheet(
                request, SHEET_SESSION_KEY, process.pk, KeptSheet(upload.name, content, kind)
            )
            return redirect("monitoring:sheet_preview", process.pk)
    return render(
        request,
        "monitoring/sheet_upload.html",
        {"process": process, "role": role, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _plan(kind: str, content: bytes, name: str, monitoring: Monitoring) -> Any:
    if kind == SheetKind.STATISTICS:
        return read_statistics_sheet(content, name, monitoring)
    return read_status_sheet(content, name, monitoring)


@login_required
@require_http_methods(["GET", "POST"])
def sheet_preview(request: LoggedInRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    sheet = kept_sheet(request, SHEET_SESSION_KEY, process.pk)
    if sheet is None:
        return redirect("monitoring:overview", process.pk)
    name, kind = sheet.name, sheet.kind
    try:
        plan = _plan(kind, sheet.content, name, selectors.monitoring_of(process))
    except DomainError as error:  # the monitoring changed since the upload
        forget_sheet(request, SHEET_SESSION_KEY)
        messages.error(request, error.render(_))
        return redirect("monitoring:sheet_upload", process.pk)
    if request.method == "POST":
        if forget_sheet(request, SHEET_SESSION_KEY, cancelled="cancel" in request.POST):
            return redirect("monitoring:overview", process.pk)
        try:
            counts = services.apply_sheet_plan(process=process, plan=plan, user=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error) + " " + _("Nothing was changed."))
            return redirect("monitoring:overview", process.pk)
        messages.success(
            request,
            _(
                "Sheet imported: %(status)s status changes, %(new)s new values, "
                "%(changed)s values corrected."
            )
            % {
                "status": counts["status"],
                "new": counts["new_values"],
                "changed": counts["changed_values"],
            },
        )
        return redirect("monitoring:overview", process.pk)
    return render(
        request,
        "monitoring/sheet_preview.html",
        {"process": process, "role": role, "plan": plan, "kind": kind},
    )


# --- the progress report -----------------------------------------------------------------------
