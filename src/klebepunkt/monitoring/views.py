"""The monitoring pages, the topic store archive and the public page. Thin: parse, call, render.

Every page of a process goes through ``permissions.process_for`` (404 for
strangers, 403 for an observer who tries to change something). The archive
spans the processes the user may see. The public page needs no login and shows
only processes whose facilitator switched it on, without member names,
contacts, comments or user names.
"""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
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
from klebepunkt.monitoring import forms, models, presenters, selectors, services
from klebepunkt.monitoring.forms import SheetKind
from klebepunkt.monitoring.report_jobs import PROGRESS_REPORT, progress_report_of
from klebepunkt.processes.models import Card, Goal, Process, Role
from klebepunkt.processes.permissions import LoggedInRequest, can_change, can_view, process_for
from klebepunkt.processes.report_job_views import deliver
from klebepunkt.processes.report_jobs import request_report
from klebepunkt.reports.render import MEDIA_TYPES
from klebepunkt.reports.render import PROGRESS_FORMATS as REPORT_FORMATS
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


def _record_status(
    request: LoggedInRequest,
    process: Process,
    *,
    goal: Goal | None = None,
    card: Card | None = None,
) -> HttpResponse:
    monitoring = selectors.monitoring_of(process)
    goal_id = _goal_of(monitoring, goal=goal, card=card)
    key = _item_key(goal, card)
    form = forms.StatusForm(request.POST, prefix=key)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back_to(process, goal_id, key)
    data = form.cleaned_data
    try:
        services.record_status(
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
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Status saved."))
    return _back_to(process, goal_id, key)


@login_required
@require_POST
def status_of_goal(request: LoggedInRequest, pk: int, goal_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    goal = get_object_or_404(Goal, pk=goal_id, theme_field__process=process)
    return _record_status(request, process, goal=goal)


@login_required
@require_POST
def status_of_card(request: LoggedInRequest, pk: int, card_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    card = get_object_or_404(Card, pk=card_id, theme_field__process=process)
    return _record_status(request, process, card=card)


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
    monitoring = selectors.monitoring_of(process)
    goal_id = _goal_of(monitoring, goal=goal, card=card)
    key = _item_key(goal, card)
    form = forms.IndicatorForm(request.POST, prefix=f"{key}-new")
    if form.is_valid():
        try:
            services.create_indicator(
                process=process, goal=goal, card=card, fields=_indicator_fields(form.cleaned_data)
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Indicator added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _back_to(process, goal_id, key)


@login_required
@require_POST
def indicator_add_to_goal(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    goal = get_object_or_404(Goal, pk=goal_id, theme_field__process=process)
    return _add_indicator(request, process, goal=goal)


@login_required
@require_POST
def indicator_add_to_card(request: HttpRequest, pk: int, card_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    card = get_object_or_404(Card, pk=card_id, theme_field__process=process)
    return _add_indicator(request, process, card=card)


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
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
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
    form = forms.MeasurementForm(request.POST, prefix=indicator.key)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_measurement(
                indicator=indicator,
                day=data["date"],
                value=data["value"],
                source=data["source"],
                note=data["note"],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Value saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
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
            request.session[SHEET_SESSION_KEY] = {
                "process": process.pk,
                "kind": kind,
                "name": upload.name,
                "content": base64.b64encode(content).decode("ascii"),
            }
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
    pending = request.session.get(SHEET_SESSION_KEY)
    if not pending or pending.get("process") != process.pk:
        messages.error(request, _("Please upload the sheet again."))
        return redirect("monitoring:overview", process.pk)
    name, kind = pending["name"], pending["kind"]
    content = base64.b64decode(pending["content"])
    try:
        plan = _plan(kind, content, name, selectors.monitoring_of(process))
    except DomainError as error:  # the monitoring changed since the upload
        request.session.pop(SHEET_SESSION_KEY, None)
        messages.error(request, error.render(_))
        return redirect("monitoring:sheet_upload", process.pk)
    if request.method == "POST":
        request.session.pop(SHEET_SESSION_KEY, None)
        if "cancel" in request.POST:
            messages.success(request, _("Import cancelled; nothing was changed."))
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


def _report_dates(
    request: HttpRequest, process: Process
) -> tuple[forms.ReportForm, date, date | None]:
    today = _today()
    data = request.GET if "as_of" in request.GET else None
    form = forms.ReportForm(data, initial={"as_of": today})
    as_of, since = today, selectors.previous_report_date(process, today)
    if data is not None and form.is_valid():
        as_of = form.cleaned_data["as_of"]
        since = (
            form.cleaned_data["since"]
            if data.get("since")
            else selectors.previous_report_date(process, as_of)
        )
    if data is None:
        form = forms.ReportForm(initial={"as_of": as_of, "since": since})
    return form, as_of, since


def _progress_report(process: Process, as_of: date, since: date | None) -> Any:
    return progress_report_of(process, as_of=as_of, since=since, language=_language())


@login_required
@require_http_methods(["GET", "POST"])
def report(request: LoggedInRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    if request.method == "POST":
        form = forms.ReportForm(request.POST)
        if form.is_valid():
            try:
                issued = services.issue_progress_report(
                    process=process,
                    as_of=form.cleaned_data["as_of"],
                    since=form.cleaned_data["since"],
                    user=request.user,
                )
            except ValidationError as error:
                messages.error(request, _errors(error))
            else:
                messages.success(
                    request,
                    _("The report as of %(date)s is recorded as given to the committee.")
                    % {"date": f"{issued.as_of:%d.%m.%Y}"},
                )
        else:
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("monitoring:report", process.pk)
    form, as_of, since = _report_dates(request, process)
    content = _progress_report(process, as_of, since) if not form.errors else None
    query = f"?as_of={as_of.isoformat()}" + (f"&since={since.isoformat()}" if since else "")
    return render(
        request,
        "monitoring/report.html",
        {
            "process": process,
            "role": role,
            "form": form,
            "report": content,
            "formats": REPORT_FORMATS,
            "query": query,
            "issued": selectors.progress_reports_of(process),
            "as_of": as_of,
            "since": since,
        },
    )


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    process, _role = process_for(request.user, pk)
    if fmt not in REPORT_FORMATS:
        raise Http404
    form, as_of, since = _report_dates(request, process)
    if form.errors:
        raise Http404
    job = request_report(
        process=process,
        kind=PROGRESS_REPORT,
        fmt=fmt,
        language=_language(),
        params={
            "as_of": as_of.isoformat(),
            "since": since.isoformat() if since else None,
            "back": reverse("monitoring:report", args=[process.pk]),
        },
        state=_progress_report(process, as_of, since),
        filename=f"sachstandsbericht-{process.pk}-{as_of.isoformat()}.{fmt}",
        media_type=MEDIA_TYPES[fmt],
    )
    return deliver(request, job)


# --- the topic store across processes ----------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    theme_field = request.GET.get("theme_field", "").strip()
    year = _int(request.GET.get("year"))
    process_id = _int(request.GET.get("process"))
    found = selectors.archive_for(
        request.user, query=query, theme_field=theme_field, year=year, process_id=process_id
    )
    targets = [p for p in found.processes if p.pk in found.changeable]
    context = {
        "archive": found,
        "rows": [(e, [t for t in targets if t.pk != e.process.pk]) for e in found.entries],
        "query": query,
        "theme_field": theme_field,
        "year": year,
        "process_id": process_id,
        "targets": targets,
        "filtered": bool(query or theme_field or year or process_id),
    }
    template = "monitoring/archive.html#results" if _is_htmx(request) else "monitoring/archive.html"
    return render(request, template, context)


@login_required
@require_POST
def archive_take(request: LoggedInRequest) -> HttpResponse:
    form = forms.TakeForm(request.POST)
    if not form.is_valid():
        raise Http404
    source = get_object_or_404(
        Card.objects.select_related("theme_field__process"), pk=form.cleaned_data["card"]
    )
    if not can_view(request.user, source.theme_field.process):
        raise Http404
    target = Process.objects.filter(pk=form.cleaned_data["target"]).first()
    if target is None or not can_view(request.user, target):
        raise Http404
    if not can_change(request.user, target):
        raise PermissionDenied
    try:
        card = services.take_into_process(source_card=source, target=target, user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("“%(card)s” is now a card of “%(process)s”, without dots, with its provenance.")
            % {"card": card.text, "process": target.title},
        )
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("monitoring:archive")


# --- the public page ---------------------------------------------------------------------------


@require_GET
def public(request: HttpRequest, pk: int) -> HttpResponse:
    process = Process.objects.filter(pk=pk, is_public=True).first()
    if process is None:
        raise Http404
    page = presenters.public_page(process, _today())
    return render(request, "monitoring/public.html", {"page": page, "public_process": process})
