from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klebepunkt.processes.models import Process, ThemeField


class RoundForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    theme_field = forms.ModelChoiceField(
        queryset=ThemeField.objects.none(),
        required=False,
        label=_("cards"),
        empty_label=_("all cards of the process"),
    )
    dots_per_voter = forms.IntegerField(label=_("dots per voter"), min_value=1, max_value=100)
    cap_per_card = forms.IntegerField(
        label=_("cap per card"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Most dots one member may place on one card; empty: no cap."),
    )
    hide_results = forms.BooleanField(
        label=_("hide results until revealed"),
        required=False,
        initial=True,
        help_text=_("Nobody sees counts per card before you reveal them."),
    )
    shuffle = forms.BooleanField(
        label=_("shuffle the cards for each voter"),
        required=False,
        help_text=_(
            "Each member sees the cards in an order of their own, so that position does not decide."
        ),
    )
    secret = forms.BooleanField(
        label=_("secret round"),
        required=False,
        help_text=_(
            "The stored records carry a pseudonym and the stakeholder group, never the member; "
            "the code sheet shows no names."
        ),
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["theme_field"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = process.theme_fields.all()
        self.fields["dots_per_voter"].initial = process.dots_per_voter
        self.fields["cap_per_card"].initial = process.cap_per_card

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        cap, dots = data.get("cap_per_card"), data.get("dots_per_voter")
        if cap and dots and cap > dots:
            self.add_error("cap_per_card", _("The cap per card cannot exceed the dots per voter."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("your personal code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )


class RoundCodeForm(forms.Form):
    round_code = forms.CharField(
        label=_("round code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
