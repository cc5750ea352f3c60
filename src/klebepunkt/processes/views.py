"""The facilitator's pages. Thin: parse the request, call one service, render.

Every view of a process goes through ``permissions.process_for``: a process the
user has no role in is a 404; a change by an observer is a 403. Writes are POST
only and protected by CSRF. HTMX requests get the named partial of the page.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klebepunkt import privacy
from klebepunkt.domain import Card, DomainError, Tally, TopicStoreEntry
from klebepunkt.domain.similarity import GoalSuggester, normalise_german, similar_cards
from klebepunkt.domain.tally_diff import CardChange, diff_tallies
from klebepunkt.process_document import dumps as dump_process
from klebepunkt.process_document import loads as load_process
from klebepunkt.processes import forms, models, selectors, services
from klebepunkt.processes.board import board_of
from klebepunkt.processes.extensions import CardOrigin, card_origins
from klebepunkt.processes.guide import guide_of
from klebepunkt.processes.models import Role
from klebepunkt.processes.params import object_id
from klebepunkt.processes.permissions import (
    LoggedInRequest,
    may_create_processes,
    process_for,
    visible_processes,
)
from klebepunkt.processes.reporting import process_report
from klebepunkt.reports.render import MEDIA_TYPES, render_report
from klebepunkt.sheets import Column, read_sheet_bytes

SHEET_SESSION_KEY = "klebepunkt_sheet_import"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _apply_validation_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


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
        process = services.create_process(user=request.user, **form.start())
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
def process_settings(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    form = forms.RulesForm(request.POST or None, instance=process)
    if request.method == "POST" and form.is_valid():
        services.update_process(process=process, **form.cleaned_data)
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
def process_grant(request: HttpRequest, pk: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    form = forms.GrantForm(request.POST)
    if form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            messages.error(request, _("There is no user with this name."))
        else:
            services.grant_role(process=process, user=user, role=Role(form.cleaned_data["role"]))
            messages.success(request, _("Access granted."))
    return redirect("processes:settings", process.pk)


@login_required
@require_POST
def process_revoke(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    user = get_object_or_404(get_user_model(), pk=user_id, process_roles__process=process)
    try:
        services.revoke_role(process=process, user=user)
        messages.success(request, _("Access removed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("processes:settings", process.pk)


@login_required
@require_POST
def process_delete(request: HttpRequest, pk: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    if request.POST.get("confirm_title", "").strip() != process.title.strip():
        messages.error(request, _("Type the exact title of the process to delete it."))
        return redirect("processes:settings", process.pk)
    privacy.delete_process(process=process)
    messages.success(request, _("Process deleted."))
    return redirect("processes:list")


# --- members, stakeholder groups, meetings -----------------------------------------------------


@login_required
@require_GET
def members(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    record = selectors.process_record(process)
    return render(
        request,
        "processes/members.html",
        {
            "process": process,
            "role": role,
            "composition": record.composition(),
            "groups": process.stakeholder_groups.all(),
            "members": process.members.select_related("stakeholder_group"),
            "member_form": forms.MemberForm(process=process),
            "group_form": forms.StakeholderGroupForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, member_id: int | None = None) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    member = get_object_or_404(models.Member, pk=member_id, process=process) if member_id else None
    form = forms.MemberForm(request.POST or None, instance=member, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if member is None:
                services.create_member(process=process, **data)
            else:
                services.update_member(member=member, **data)
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("Member saved."))
            return redirect("processes:members", process.pk)
    privacy_log = (
        models.PrivacyLog.objects.filter(member=member).order_by("created_at", "id")
        if member is not None
        else []
    )
    return render(
        request,
        "processes/member_form.html",
        {
            "process": process,
            "role": role,
            "form": form,
            "object": member,
            "privacy_log": privacy_log,
        },
    )


@login_required
@require_POST
def member_export(request: LoggedInRequest, pk: int, member_id: int) -> HttpResponse:
    """Everything held about one member, as a JSON download (Art. 15 DSGVO).

    A POST: the export is recorded in the member's privacy log (who, when)."""
    process, _role = process_for(request.user, pk, change=True)
    member = get_object_or_404(models.Member, pk=member_id, process=process)
    document = privacy.export_member(member)
    privacy.record_export(member=member, actor=request.user)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="mitglied-{member.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def member_erase(request: LoggedInRequest, pk: int, member_id: int) -> HttpResponse:
    """Erase a member's personal data on request, after a confirmation (Art. 17 DSGVO)."""
    process, role = process_for(request.user, pk, change=True)
    member = get_object_or_404(models.Member, pk=member_id, process=process)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "erase":
            error = _("Tick the box to confirm the erasure.")
        else:
            try:
                privacy.erase_member(member=member, actor=request.user)
            except ValidationError as failure:
                messages.error(request, " ".join(failure.messages))
            else:
                messages.success(
                    request,
                    _("The personal data of the member have been erased. The votes stay counted."),
                )
            return redirect("processes:members", process.pk)
    return render(
        request,
        "processes/member_erase.html",
        {"process": process, "role": role, "member": member, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def member_delete(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    member = get_object_or_404(models.Member, pk=member_id, process=process)
    services.delete_member(member=member)
    messages.success(request, _("Member removed."))
    return redirect("processes:members", process.pk)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int, group_id: int | None = None) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    group = (
        get_object_or_404(models.StakeholderGroup, pk=group_id, process=process)
        if group_id
        else None
    )
    form = forms.StakeholderGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            if group is None:
                services.create_stakeholder_group(process=process, **form.cleaned_data)
            else:
                services.update_stakeholder_group(group=group, **form.cleaned_data)
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("Stakeholder group saved."))
            return redirect("processes:members", process.pk)
    return render(
        request,
        "processes/group_form.html",
        {"process": process, "role": role, "form": form, "object": group},
    )


@login_required
@require_POST
def group_delete(request: HttpRequest, pk: int, group_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    group = get_object_or_404(models.StakeholderGroup, pk=group_id, process=process)
    try:
        services.delete_stakeholder_group(group=group)
        messages.success(request, _("Stakeholder group removed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("processes:members", process.pk)


@login_required
@require_GET
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    return render(
        request,
        "processes/meetings.html",
        {
            "process": process,
            "role": role,
            "meetings": process.meetings.all(),
            "form": forms.MeetingForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int, meeting_id: int | None = None) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    meeting = (
        get_object_or_404(models.Meeting, pk=meeting_id, process=process) if meeting_id else None
    )
    form = forms.MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        instance.process = process
        services.save_meeting(meeting=instance)
        messages.success(request, _("Meeting saved."))
        return redirect("processes:meetings", process.pk)
    return render(
        request,
        "processes/meeting_form.html",
        {"process": process, "role": role, "form": form, "object": meeting},
    )


@login_required
@require_POST
def meeting_delete(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    services.delete_meeting(
        meeting=get_object_or_404(models.Meeting, pk=meeting_id, process=process)
    )
    messages.success(request, _("Meeting removed."))
    return redirect("processes:meetings", process.pk)


# --- theme fields and cards --------------------------------------------------------------------


@login_required
@require_GET
def cards(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    fields = list(selectors.theme_fields_of(process))
    origins = card_origins(process)
    by_field: dict[int, list[tuple[models.Card, CardOrigin | None]]] = {f.pk: [] for f in fields}
    for card in selectors.cards_of(process).select_related("goal"):
        by_field[card.theme_field_id].append((card, origins.get(card.pk)))
    return render(
        request,
        "processes/cards.html",
        {
            "process": process,
            "role": role,
            "duplicates": similar_cards(selectors.tally_of(process, include_rounds=False)),
            "fields": [(field, by_field[field.pk]) for field in fields],
            "field_form": forms.ThemeFieldForm(),
            "upload_form": forms.SheetUploadForm(),
        },
    )


@login_required
@require_POST
def theme_field_add(request: HttpRequest, pk: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    form = forms.ThemeFieldForm(request.POST)
    if form.is_valid():
        try:
            field = services.create_theme_field(process=process, name=form.cleaned_data["name"])
            messages.success(request, _("Theme field “%(name)s” added.") % {"name": field.name})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Please enter a name for the theme field."))
    return redirect("processes:cards", process.pk)


@login_required
@require_http_methods(["GET", "POST"])
def theme_field_edit(request: HttpRequest, pk: int, field_id: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    field = get_object_or_404(models.ThemeField, pk=field_id, process=process)
    form = forms.ThemeFieldForm(request.POST or None, initial={"name": field.name})
    if request.method == "POST":
        if request.POST.get("delete"):
            try:
                services.delete_theme_field(theme_field=field)
                messages.success(request, _("Theme field deleted."))
                return redirect("processes:cards", process.pk)
            except ValidationError as error:
                form.add_error(None, error.messages)
        elif form.is_valid():
            try:
                services.rename_theme_field(theme_field=field, name=form.cleaned_data["name"])
                messages.success(request, _("Theme field renamed."))
                return redirect("processes:cards", process.pk)
            except ValidationError as error:
                _apply_validation_error(form, error)
    return render(
        request,
        "processes/theme_field_form.html",
        {"process": process, "role": role, "form": form, "field": field},
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request: HttpRequest, pk: int, card_id: int | None = None) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    card = (
        get_object_or_404(models.Card, pk=card_id, theme_field__process=process)
        if card_id
        else None
    )
    initial: dict[str, Any] = {}
    if card is not None:
        initial = {
            "theme_field": card.theme_field,
            "text": card.text,
            "indicator": card.indicator,
            "responsible": card.responsible,
            "dots": card.dots,
            "origin": card.origin,
        }
    elif field_id := object_id(request.GET.get("field")):
        initial = {"theme_field": process.theme_fields.filter(pk=field_id).first()}
    form = forms.CardForm(request.POST or None, initial=initial, process=process)
    if card is not None and not card.text and card.goal is not None:
        form.fields["text"].required = False  # a dot on the goal itself
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = services.CardFields(
            text=data["text"],
            indicator=data["indicator"],
            responsible=data["responsible"],
            dots=data["dots"],
            origin=data["origin"],
        )
        try:
            if card is None:
                card = services.create_card(theme_field=data["theme_field"], fields=fields)
            else:
                services.update_card(card=card, fields=fields, theme_field=data["theme_field"])
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("Card saved."))
            if "save_and_add" in request.POST:
                return redirect(
                    reverse("processes:card_add", args=[process.pk])
                    + f"?field={card.theme_field_id}"
                )
            return redirect(
                f"{reverse('processes:cards', args=[process.pk])}#field-{card.theme_field_id}"
            )
    return render(
        request,
        "processes/card_form.html",
        {"process": process, "role": role, "form": form, "card": card},
    )


@login_required
@require_GET
def card_similar(request: HttpRequest, pk: int) -> HttpResponse:
    """While a card is typed: cards that look alike and the goal it may belong to."""
    process, _role = process_for(request.user, pk)
    text = request.GET.get("text", "").strip()
    field_id = object_id(request.GET.get("theme_field"))
    field = process.theme_fields.filter(pk=field_id).first() if field_id is not None else None
    alike: list[tuple[str, float]] = []
    goals: list[tuple[str, float]] = []
    if len(text) >= 8 and field is not None:
        tally = selectors.tally_of(process, include_rounds=False)
        exclude = request.GET.get("card", "")
        candidate = Card(id="new", theme_field=field.name, text=text)
        index_tally = Tally(
            goals=tally.goals,
            cards=(*tuple(c for c in tally.cards if c.id != exclude), candidate),
            theme_fields=tally.theme_fields,
        )
        for pair in similar_cards(index_tally, threshold=0.6):
            if "new" in (pair.first.id, pair.second.id):
                other = pair.second if pair.first.id == "new" else pair.first
                if other.theme_field == field.name:
                    alike.append((other.text, pair.score))
        goals = [
            (suggestion.goal.text, suggestion.score)
            for suggestion in GoalSuggester(tally).suggest(
                text, field.name, exclude=exclude, limit=2
            )
        ]
    return render(request, "processes/card_similar.html", {"alike": alike[:5], "goals": goals})


@login_required
@require_POST
def card_delete(request: HttpRequest, pk: int, card_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    card = get_object_or_404(models.Card, pk=card_id, theme_field__process=process)
    field_id = card.theme_field_id
    try:
        services.delete_card(card=card)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("processes:card_edit", process.pk, card.pk)
    messages.success(request, _("Card deleted."))
    return redirect(f"{reverse('processes:cards', args=[process.pk])}#field-{field_id}")


# --- importing a tally sheet: upload, preview, apply -------------------------------------------


@login_required
@require_POST
def sheet_upload(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    form = forms.SheetUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["sheet"]
        content = upload.read()
        try:
            read_sheet_bytes(content, upload.name)
        except DomainError as error:
            form.add_error("sheet", error.render(_))
        else:
            request.session[SHEET_SESSION_KEY] = {
                "process": process.pk,
                "name": upload.name,
                "content": base64.b64encode(content).decode("ascii"),
            }
            return redirect("processes:sheet_preview", process.pk)
    return render(
        request,
        "processes/sheet_upload.html",
        {"process": process, "role": role, "upload_form": form},
        status=400,
    )


def _pending_sheet(request: HttpRequest, process: models.Process) -> tuple[str, bytes] | None:
    pending = request.session.get(SHEET_SESSION_KEY)
    if not pending or pending.get("process") != process.pk:
        return None
    return pending["name"], base64.b64decode(pending["content"])


def _sheet_diff(process: models.Process, name: str, content: bytes) -> Any:
    sheet = read_sheet_bytes(content, name)
    compare = ["dots"]
    if Column.GOAL in sheet.columns:
        compare.append("goal")
    if Column.INDICATOR in sheet.columns:
        compare.append("indicator")
    if Column.RESPONSIBLE in sheet.columns:
        compare.append("responsible")
    current = selectors.tally_of(process, include_rounds=False)
    return diff_tallies(current, sheet.tally, compare=tuple(compare))


@login_required
@require_http_methods(["GET", "POST"])
def sheet_preview(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    pending = _pending_sheet(request, process)
    if pending is None:
        messages.error(request, _("Please upload the sheet again."))
        return redirect("processes:cards", process.pk)
    name, content = pending
    diff = _sheet_diff(process, name, content)
    if request.method == "POST":
        if "cancel" in request.POST:
            request.session.pop(SHEET_SESSION_KEY, None)
            messages.success(request, _("Import cancelled; nothing was changed."))
            return redirect("processes:cards", process.pk)
        try:
            counts = services.apply_tally_diff(
                process=process,
                diff=diff,
                remove_missing=request.POST.get("remove_missing") == "on",
            )
        except ValidationError as error:  # all or nothing: the transaction is rolled back
            messages.error(
                request,
                _("Nothing was imported: %(reason)s") % {"reason": " ".join(error.messages)},
            )
            return redirect("processes:sheet_preview", process.pk)
        request.session.pop(SHEET_SESSION_KEY, None)
        messages.success(
            request,
            _("Sheet imported: %(added)s cards added, %(changed)s changed.")
            % {"added": counts["added"], "changed": counts["changed"]},
        )
        return redirect("processes:cards", process.pk)
    return render(
        request,
        "processes/sheet_preview.html",
        {
            "process": process,
            "role": role,
            "name": name,
            "diff": diff,
            "added": diff.of(CardChange.ADDED),
            "changed": diff.of(CardChange.CHANGED),
            "unchanged": diff.of(CardChange.UNCHANGED),
            "missing": diff.of(CardChange.MISSING),
        },
    )


# --- the clustering board ----------------------------------------------------------------------


def _board_context(
    process: models.Process, field_id: int | None, role: Role, page: int | None = None
) -> dict[str, Any]:
    return {
        "process": process,
        "role": role,
        "board": board_of(process, field_id, page),
        "can_change": role is Role.FACILITATOR,
    }


@login_required
@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    context = _board_context(
        process, object_id(request.GET.get("field")), role, object_id(request.GET.get("page"))
    )
    # a page of the wall for HTMX (the pager), the whole page otherwise and when HTMX restores
    # its history (the pager pushes the page's address)
    partial = _is_htmx(request) and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    template = "processes/board.html#board" if partial else "processes/board.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _board_response(
    request: HttpRequest, process: models.Process, field_id: int, role: Role, status: str = ""
) -> HttpResponse:
    page = object_id(request.POST.get("page"))
    if _is_htmx(request):
        context = _board_context(process, field_id, role, page)
        context["status"] = status
        return render(request, "processes/board.html#board", context)
    if status:
        messages.success(request, status)
    return HttpResponseRedirect(
        f"{reverse('processes:board', args=[process.pk])}?field={field_id}"
        + (f"&page={page}" if page else "")
    )


@login_required
@require_POST
def board_assign(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    card = get_object_or_404(
        models.Card, pk=object_id(request.POST.get("card")), theme_field__process=process
    )
    choice = request.POST.get("goal", "")
    status = ""
    try:
        if choice == "new":
            text = request.POST.get("new_goal", "").strip() or card.text
            goal = services.create_goal(theme_field=card.theme_field, text=text)
            services.assign_card(card=card, goal=goal)
            status = _("New goal “%(goal)s” created for the card.") % {"goal": goal.text}
        elif choice:
            goal = get_object_or_404(
                models.Goal, pk=object_id(choice), theme_field__process=process
            )
            services.assign_card(card=card, goal=goal)
            status = _("Card assigned to “%(goal)s”.") % {"goal": goal.text}
        else:
            services.assign_card(card=card, goal=None)
            status = _("Card removed from its goal.")
    except ValidationError as error:
        status = " ".join(error.messages)
    return _board_response(request, process, card.theme_field_id, role, status)


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    field = get_object_or_404(
        models.ThemeField, pk=object_id(request.POST.get("theme_field")), process=process
    )
    form = forms.GoalForm(request.POST)
    status = _("Please enter the text of the goal.")
    if form.is_valid():
        goal = services.create_goal(
            theme_field=field, text=form.cleaned_data["text"], nr=form.cleaned_data["nr"]
        )
        status = _("Goal “%(goal)s” created.") % {"goal": goal.text}
    return _board_response(request, process, field.pk, role, status)


@login_required
@require_POST
def goal_edit(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    goal = get_object_or_404(models.Goal, pk=goal_id, theme_field__process=process)
    form = forms.GoalForm(request.POST)
    status = _("Please enter the text of the goal.")
    if form.is_valid():
        services.update_goal(goal=goal, text=form.cleaned_data["text"], nr=form.cleaned_data["nr"])
        status = _("Goal renamed.")
    return _board_response(request, process, goal.theme_field_id, role, status)


@login_required
@require_POST
def goal_merge(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    source = get_object_or_404(models.Goal, pk=goal_id, theme_field__process=process)
    target = get_object_or_404(
        models.Goal, pk=object_id(request.POST.get("target")), theme_field__process=process
    )
    try:
        services.merge_goals(target=target, sources=[source])
        status = _("Goals merged into “%(goal)s”.") % {"goal": target.text}
    except ValidationError as error:
        status = " ".join(error.messages)
    return _board_response(request, process, target.theme_field_id, role, status)


@login_required
@require_POST
def goal_split(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    goal = get_object_or_404(models.Goal, pk=goal_id, theme_field__process=process)
    chosen = models.Card.objects.filter(
        pk__in=[card_id for raw in request.POST.getlist("cards") if (card_id := object_id(raw))],
        goal=goal,
    )
    try:
        new_goal = services.split_goal(
            goal=goal, cards=chosen, text=request.POST.get("text", "").strip() or goal.text
        )
        status = _("Cards moved to the new goal “%(goal)s”.") % {"goal": new_goal.text}
    except ValidationError as error:
        status = " ".join(error.messages)
    return _board_response(request, process, goal.theme_field_id, role, status)


@login_required
@require_POST
def goal_delete(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    goal = get_object_or_404(models.Goal, pk=goal_id, theme_field__process=process)
    field_id = goal.theme_field_id
    services.delete_goal(goal=goal)
    return _board_response(
        request, process, field_id, role, _("Goal deleted; its cards have no goal now.")
    )


# --- the result and its exports ----------------------------------------------------------------


def _matches(entry: TopicStoreEntry, query: str) -> bool:
    """Every word of the query in one of the entry's texts (case, umlauts and ß ignored)."""
    haystack = normalise_german(
        " ".join(
            [
                entry.text,
                entry.card.indicator,
                entry.card.responsible,
                entry.goal.text if entry.goal else "",
                entry.theme_field,
            ]
        )
    )
    return all(word in haystack for word in query.split())


@login_required
@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    query = normalise_german(request.GET.get("q", ""))
    if _is_htmx(request):  # the live search: only the topic store
        evaluation = selectors.evaluate_process(process)
        store = [entry for entry in evaluation.topic_store if not query or _matches(entry, query)]
        context = {"evaluation": evaluation, "store": store, "query": request.GET.get("q", "")}
        return render(request, "processes/result.html#topic-store", context)
    analysis = selectors.analysis_of(process)
    evaluation = analysis.evaluation
    store = [entry for entry in evaluation.topic_store if not query or _matches(entry, query)]
    context = {
        "process": process,
        "role": role,
        "evaluation": evaluation,
        "analysis": analysis,
        "explained": analysis.goals,
        "store": store,
        "query": request.GET.get("q", ""),
        "formats": REPORT_FORMATS,
    }
    return render(request, "processes/result.html", context)


REPORT_FORMATS = ("pdf", "docx", "xlsx", "csv", "md", "json")


@login_required
@require_GET
def export_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    process, _role = process_for(request.user, pk)
    if fmt not in REPORT_FORMATS:
        return render(request, "404.html", status=404)
    content = render_report(process_report(process, _, language=get_language() or "de"), fmt)
    response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="klebepunkt-{process.pk}.{fmt}"'
    return response


@login_required
@require_GET
def export_process(request: HttpRequest, pk: int) -> HttpResponse:
    process, _role = process_for(request.user, pk)
    response = HttpResponse(
        dump_process(
            selectors.process_record(
                process, tally=selectors.tally_of(process, include_rounds=False)
            )
        ),
        content_type="application/json",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="klebepunkt-verfahren-{process.pk}.json"'
    )
    return response
