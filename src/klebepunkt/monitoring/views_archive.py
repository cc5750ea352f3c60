"""The topic store archive across processes and the public page of a process.

The archive spans the processes the user may see. The public page needs no login and shows
only processes whose facilitator switched it on, without member names, contacts, comments
or user names.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from klebepunkt.monitoring import forms, presenters, selectors, services
from klebepunkt.processes import params
from klebepunkt.processes.models import Card, Process
from klebepunkt.processes.permissions import LoggedInRequest, can_change, can_view
from klebepunkt.processes.views.common import said


def _language() -> str:
    return (get_language() or "de")[:2]


def _today() -> date:
    return timezone.localdate()


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    theme_field = request.GET.get("theme_field", "").strip()
    year = params.year(request.GET.get("year"))
    process_id = params.object_id(request.GET.get("process"))
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
    said(
        request,
        partial(services.take_into_process, source_card=source, target=target, user=request.user),
        done=lambda card: (
            _("“%(card)s” is now a card of “%(process)s”, without dots, with its provenance.")
            % {"card": card.text, "process": target.title}
        ),
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
