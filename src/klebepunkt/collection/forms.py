from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from klebepunkt.collection.services import CardFields
from klebepunkt.domain import collection as rules
from klebepunkt.processes.models import ThemeField
from klebepunkt.processes.params import object_id


def new_key() -> str:
    return uuid.uuid4().hex


class CardForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"),
        max_length=rules.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    goal_text = forms.CharField(
        label=_("Suggested goal"), max_length=rules.MAX_GOAL, required=False
    )
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=rules.MAX_INDICATOR,
        required=False,
        help_text=_("How can we measure success?"),
    )
    responsible = forms.CharField(
        label=_("Responsible body"),
        max_length=rules.MAX_RESPONSIBLE,
        required=False,
        help_text=_("Who is responsible?"),
    )

    def fields_value(self) -> CardFields:
        data = self.cleaned_data
        return CardFields(
            text=data["text"],
            goal_text=data.get("goal_text", ""),
            indicator=data.get("indicator", ""),
            responsible=data.get("responsible", ""),
        )


class ChosenThemeFields(forms.ModelMultipleChoiceField[ThemeField]):
    """Theme fields by id; an id that is no id (foreign digits, beyond any database's
    integers) is refused as an invalid choice before any query."""

    def clean(self, value: Any) -> Any:
        for item in value or ():
            if object_id(str(item)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super().clean(value)


class CollectionForm(forms.Form):
    question = forms.CharField(
        label=_("Question to show"),
        max_length=rules.MAX_QUESTION,
        initial=_("What do we want to achieve?"),
    )
    theme_fields = ChosenThemeFields(
        queryset=ThemeField.objects.none(),
        label=_("Theme fields"),
        widget=forms.CheckboxSelectMultiple,
    )
    hide_groups = forms.BooleanField(
        label=_("hide the stakeholder group"),
        required=False,
        help_text=_("The wall shows no author at all, not even their stakeholder group."),
    )

    def __init__(self, *args: Any, process: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["theme_fields"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = process.theme_fields.order_by("position", "id")


class RoundFromCollectionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    dots_per_voter = forms.IntegerField(label=_("dots per voter"), min_value=1, max_value=100)
