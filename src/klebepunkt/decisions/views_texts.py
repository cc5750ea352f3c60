"""The report's own texts: the list of places and the editor with its preview."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from klebepunkt.decisions import services, texts
from klebepunkt.processes.permissions import process_for
from klebepunkt.processes.selectors import evaluate_process
from klebepunkt.processes.views.common import apply_validation_error
from klebepunkt.richtext import MAX_LENGTH, to_html


class TextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy(
            "Paragraphs with an empty line between them; lists with “- ” or “1. ”; "
            "*emphasis*, **bold**, [link text](https://…). HTML is shown as text."
        ),
    )


@login_required
@require_GET
def report_texts(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    places = texts.places_of(process, evaluate_process(process))
    groups = [
        (_("Chapters"), [p for p in places if p.group == "chapter"]),
        (_("Theme fields"), [p for p in places if p.group == "field"]),
        (_("Reasons for the priorities"), [p for p in places if p.group == "priority"]),
        (_("Minutes of the meetings"), [p for p in places if p.group == "minutes"]),
    ]
    return render(
        request,
        "decisions/texts.html",
        {"process": process, "role": role, "groups": groups},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_text(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    place = texts.place_of(process, evaluate_process(process), key)
    if place is None:
        raise Http404
    form = TextForm(request.POST or None, initial={"text": place.text})
    preview = to_html(place.text)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if request.POST.get("action") == "preview":
            preview = to_html(text) if len(text) <= MAX_LENGTH else ""
        else:
            try:
                services.save_text(process=process, key=key, text=text)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Text saved."))
                return redirect("decisions:texts", process.pk)
    return render(
        request,
        "decisions/text_form.html",
        {"process": process, "role": role, "place": place, "form": form, "preview": preview},
    )
