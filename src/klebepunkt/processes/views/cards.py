"""Theme fields, cards and the card-sheet import."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klebepunkt.domain import Card, DomainError, Tally
from klebepunkt.domain.similarity import similar_cards
from klebepunkt.domain.tally_diff import CardChange, diff_tallies
from klebepunkt.processes import forms, models, presenters, selectors, services
from klebepunkt.processes.params import object_id
from klebepunkt.processes.permissions import LoggedInRequest, process_for
from klebepunkt.processes.views.common import (
    SHEET_SESSION_KEY,
    KeptSheet,
    apply_validation_error,
    forget_sheet,
    keep_sheet,
    kept_sheet,
    said,
)
from klebepunkt.sheets import Column, read_sheet_bytes

# --- theme fields and cards --------------------------------------------------------------------


@login_required
@require_GET
def cards(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    page = presenters.cards_page(
        process, object_id(request.GET.get("field")), request.GET.get("page")
    )
    return render(
        request,
        "processes/cards.html",
        {
            "process": process,
            "role": role,
            "cards": page,
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
        said(
            request,
            partial(services.create_theme_field, process=process, name=form.cleaned_data["name"]),
            done=lambda field: _("Theme field “%(name)s” added.") % {"name": field.name},
        )
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
                apply_validation_error(form, error)
    return render(
        request,
        "processes/theme_field_form.html",
        {"process": process, "role": role, "form": form, "field": field},
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request: LoggedInRequest, pk: int, card_id: int | None = None) -> HttpResponse:
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
                card = services.create_card(
                    theme_field=data["theme_field"], fields=fields, by=request.user
                )
            else:
                services.update_card(
                    card=card, fields=fields, theme_field=data["theme_field"], by=request.user
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Card saved."))
            if "save_and_add" in request.POST:
                return redirect(
                    reverse("processes:card_add", args=[process.pk])
                    + f"?field={card.theme_field_id}"
                )
            page = presenters.cards_page_number(card)
            return redirect(
                f"{reverse('processes:cards', args=[process.pk])}"
                f"?field={card.theme_field_id}&page={page}#card-{card.pk}"
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
            for suggestion in selectors.goal_suggester_of(tally).suggest(
                text, field.name, exclude=exclude, limit=2
            )
        ]
    return render(request, "processes/card_similar.html", {"alike": alike[:5], "goals": goals})


@login_required
@require_POST
def card_delete(request: LoggedInRequest, pk: int, card_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    card = get_object_or_404(models.Card, pk=card_id, theme_field__process=process)
    field_id = card.theme_field_id
    if not said(
        request, partial(services.delete_card, card=card, by=request.user), done=_("Card deleted.")
    ):
        return redirect("processes:card_edit", process.pk, card.pk)
    return redirect(
        f"{reverse('processes:cards', args=[process.pk])}?field={field_id}#field-{field_id}"
    )


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
            keep_sheet(request, SHEET_SESSION_KEY, process.pk, KeptSheet(upload.name, content))
            return redirect("processes:sheet_preview", process.pk)
    return render(
        request,
        "processes/sheet_upload.html",
        {"process": process, "role": role, "upload_form": form},
        status=400,
    )


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
def sheet_preview(request: LoggedInRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    sheet = kept_sheet(request, SHEET_SESSION_KEY, process.pk)
    if sheet is None:
        return redirect("processes:cards", process.pk)
    name = sheet.name
    diff = _sheet_diff(process, name, sheet.content)
    if request.method == "POST":
        if "cancel" in request.POST:
            forget_sheet(request, SHEET_SESSION_KEY, cancelled=True)
            return redirect("processes:cards", process.pk)
        try:
            counts = services.apply_tally_diff(
                process=process,
                diff=diff,
                by=request.user,
                remove_missing=request.POST.get("remove_missing") == "on",
            )
        except ValidationError as error:  # all or nothing: the transaction is rolled back
            messages.error(
                request,
                _("Nothing was imported: %(reason)s") % {"reason": " ".join(error.messages)},
            )
            return redirect("processes:sheet_preview", process.pk)
        forget_sheet(request, SHEET_SESSION_KEY)
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
