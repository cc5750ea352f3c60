"""Working out a priority: the facilitator rewords its goal and its cards' recommendation,
indicator and responsible body; everyone with access sees the history word by word."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from klebepunkt.decisions import selectors
from klebepunkt.decisions.rewordings import CARD_PART, goal_history
from klebepunkt.domain.rewording import CARD_FIELDS, FIELD_LABELS, GOAL, MAX_WORDING
from klebepunkt.processes import models as process_models
from klebepunkt.processes.permissions import LoggedInRequest, process_for
from klebepunkt.processes.selectors import evaluate_process
from klebepunkt.processes.services import reword_priority
from klebepunkt.processes.services.rewording import field_key
from klebepunkt.processes.views.common import apply_validation_error


def _label(field: str, number: int | None = None) -> str:
    label = _(FIELD_LABELS[field])
    label = label[:1].upper() + label[1:]
    return label if number is None else _(CARD_PART) % {"part": label, "n": number}


class RewordingForm(forms.Form):
    """The goal, and of each card its three parts; the limits are the service's (its
    German message names the part), the browser's ``maxlength`` only a help."""

    def __init__(
        self, data: Any, *, goal: process_models.Goal, cards: list[process_models.Card]
    ) -> None:
        super().__init__(data)
        self.cards = cards
        self.fields[GOAL] = self._text(GOAL, _label(GOAL), goal.text, rows=2)
        for number, card in enumerate(cards, start=1):
            for field in CARD_FIELDS:
                self.fields[field_key(card.pk, field)] = self._text(
                    field, _label(field, number), str(getattr(card, field)), rows=3
                )

    @staticmethod
    def _text(field: str, label: str, initial: str, *, rows: int) -> forms.CharField:
        return forms.CharField(
            label=label,
            initial=initial,
            required=False,
            strip=False,
            widget=forms.Textarea(attrs={"rows": rows, "maxlength": MAX_WORDING[field]}),
        )

    def groups(self) -> list[tuple[int, list[forms.BoundField]]]:
        """Each card's number and its three fields, for a fieldset per recommendation."""
        return [
            (number, [self[field_key(card.pk, field)] for field in CARD_FIELDS])
            for number, card in enumerate(self.cards, start=1)
        ]

    def card_texts(self) -> dict[int, dict[str, str]]:
        return {
            card.pk: {f: self.cleaned_data[field_key(card.pk, f)] for f in CARD_FIELDS}
            for card in self.cards
        }


@login_required
@require_http_methods(["GET", "POST"])
def rewording(request: LoggedInRequest, pk: int, goal_id: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    goal = get_object_or_404(process_models.Goal, pk=goal_id, theme_field__process=process)
    evaluation = evaluate_process(process)
    priority = next((p for p in evaluation.priorities if p.goal.id == str(goal.pk)), None)
    if priority is None:
        raise Http404
    cards = list(goal.cards.order_by("position", "id"))
    form = RewordingForm(request.POST or None, goal=goal, cards=cards)
    if request.method == "POST" and form.is_valid():
        try:
            changes = reword_priority(
                goal=goal,
                goal_text=form.cleaned_data[GOAL],
                cards=form.card_texts(),
                by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if changes:
                messages.success(request, _("Wording saved; the change is kept in the history."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("decisions:rewording", process.pk, goal.pk)
    status = selectors.priority_decisions(process, evaluation).get(str(goal.pk))
    return render(
        request,
        "decisions/rewording.html",
        {
            "process": process,
            "role": role,
            "goal": goal,
            "priority": priority,
            "status": status,
            "form": form,
            "history": goal_history(goal, _),
        },
    )
