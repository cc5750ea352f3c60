"""The process pages: list, create, import, detail, settings, access, delete, export."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klebepunkt.domain import DomainError
from klebepunkt.process_document import dumps as dump_process
from klebepunkt.process_document import loads as load_process
from klebepunkt.processes import forms, selectors, services
from klebepunkt.processes.guide import guide_of
from klebepunkt.processes.models import Role
from klebepunkt.processes.permissions import (
    LoggedInRequest,
    may_create_processes,
    process_for,
    visible_processes,
)
from klebepunkt.processes.views.common import said

# --- processes ---------------------------------------------------------------------------------


@login_required
@require_GET
def process_list(request: HttpRequest) -> HttpResponse:
    processes = visible_processes(request.user).prefetch_related("roles")
    return render(
        request,
        "processes/process_list.html",
        {
            "processes": processes,
            "form": forms.ProcessForm(),
            "upload_form": forms.ProcessUploadForm(),
            "may_create": may_create_processes(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_create(request: LoggedInRequest) -> HttpResponse:
    if not may_create_processes(request.user):
        raise PermissionDenied
    form = forms.ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        start = form.start()
        process = services.create_process(
            user=request.user,
            title=start.title,
            body=start.body,
            dots_per_voter=start.dots_per_voter,
            goal_threshold=start.goal_threshold,
            cap_per_card=start.cap_per_card,
            stakeholder_groups=start.stakeholder_groups,
            theme_fields=start.theme_fields,
        )
        messages.success(request, _("Process created. Next: members and theme fields."))
        return redirect("processes:detail", process.pk)
    return render(request, "processes/process_create.html", {"form": form})


@login_required
@require_POST
def process_import(request: LoggedInRequest) -> HttpResponse:
    if not may_create_processes(request.user):
        raise PermissionDenied
    form = forms.ProcessUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            record = load_process(upload.read(), upload.name)
        except DomainError as error:
            form.add_error("document", error.render(_))
        else:
            try:
                process = services.import_process(record=record, user=request.user)
            except ValidationError as error:  # all or nothing: the transaction is rolled back
                form.add_error("document", error.messages)
            else:
                messages.success(request, _("Process imported."))
                return redirect("processes:detail", process.pk)
    processes = visible_processes(request.user)
    return render(
        request,
        "processes/process_list.html",
        {
            "processes": processes,
            "form": forms.ProcessForm(),
            "upload_form": form,
            "may_create": True,
        },
        status=400,
    )


@login_required
@require_GET
def process_detail(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    evaluation = selectors.evaluate_process(process)
    return render(
        request,
        "processes/process_detail.html",
        {
            "process": process,
            "role": role,
            "evaluation": evaluation,
            "guide": guide_of(process, evaluation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_settings(request: LoggedInRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    form = forms.RulesForm(request.POST or None, instance=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        settings = services.ProcessSettings(
            title=data["title"],
            body=data["body"],
            year=data["year"],
            description=data["description"],
            dots_per_voter=data["dots_per_voter"],
            cap_per_card=data["cap_per_card"],
            goal_threshold=data["goal_threshold"],
            aggregation=data["aggregation"],
            is_public=data["is_public"],
        )
        services.update_process(process=process, settings=settings, by=request.user)
        messages.success(request, _("Settings saved."))
        return redirect("processes:settings", process.pk)
    grants = process.roles.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "processes/process_settings.html",
        {
            "process": process,
            "role": role,
            "form": form,
            "grants": grants,
            "grant_form": forms.GrantForm(),
        },
    )


@login_required
@require_POST
def process_grant(request: LoggedInRequest, pk: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    form = forms.GrantForm(request.POST)
    if form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            messages.error(request, _("There is no user with this name."))
        else:
            services.grant_role(
                process=process, user=user, role=Role(form.cleaned_data["role"]), by=request.user
            )
            messages.success(request, _("Access granted."))
    return redirect("processes:settings", process.pk)


@login_required
@require_POST
def process_revoke(request: LoggedInRequest, pk: int, user_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    user = get_object_or_404(get_user_model(), pk=user_id, process_roles__process=process)
    said(
        request,
        partial(services.revoke_role, process=process, user=user, by=request.user),
        done=_("Access removed."),
    )
    return redirect("processes:settings", process.pk)


@login_required
@require_GET
def export_process(request: HttpRequest, pk: int) -> HttpResponse:
    process, _role = process_for(request.user, pk)
    response = HttpResponse(
        dump_process(selectors.document_record(process)),
        content_type="application/json",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="klebepunkt-verfahren-{process.pk}.json"'
    )
    return response
