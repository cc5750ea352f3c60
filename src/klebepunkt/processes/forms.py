"""Forms of the facilitator's pages: labels in German via gettext, errors next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klebepunkt.processes import models

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ProcessForm(forms.ModelForm[models.Process]):
    class Meta:
        model = models.Process
        fields = ["title", "body", "year", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RulesForm(forms.ModelForm[models.Process]):
    class Meta:
        model = models.Process
        fields = [
            "title",
            "body",
            "year",
            "description",
            "dots_per_voter",
            "cap_per_card",
            "goal_threshold",
            "aggregation",
            "is_public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        cap, dots = data.get("cap_per_card"), data.get("dots_per_voter")
        if cap and dots and cap > dots:
            self.add_error("cap_per_card", _("The cap per card cannot exceed the dots per voter."))
        return data


class StakeholderGroupForm(forms.ModelForm[models.StakeholderGroup]):
    class Meta:
        model = models.StakeholderGroup
        fields = ["name", "description", "count_text", "voting"]


class MemberForm(forms.ModelForm[models.Member]):
    class Meta:
        model = models.Member
        fields = ["name", "stakeholder_group", "voting", "contact"]

    def __init__(self, *args: Any, process: models.Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stakeholder_group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = process.stakeholder_groups.all()
        self.fields["voting"].help_text = _(
            "Administration and experts usually take part without a vote."
        )


class MeetingForm(forms.ModelForm[models.Meeting]):
    class Meta:
        model = models.Meeting
        fields = ["date", "start", "end", "place", "focus"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "focus": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The meeting must end after it starts."))
        return data


class ThemeFieldForm(forms.Form):
    name = forms.CharField(label=_("theme field"), max_length=200)


class CardForm(forms.Form):
    theme_field = forms.ModelChoiceField(
        queryset=models.ThemeField.objects.none(), label=_("theme field")
    )
    text = forms.CharField(label=_("recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    indicator = forms.CharField(
        label=_("indicator"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    responsible = forms.CharField(label=_("responsible body"), required=False, max_length=1000)
    dots = forms.IntegerField(label=_("dots"), min_value=0, initial=0)
    origin = forms.ChoiceField(
        label=_("origin"), choices=[("", "–"), *models.Origin.choices], required=False
    )

    def __init__(self, *args: Any, process: models.Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["theme_field"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = process.theme_fields.all()


class GoalForm(forms.Form):
    nr = forms.CharField(label=_("no."), max_length=20, required=False)
    text = forms.CharField(label=_("goal"), widget=forms.Textarea(attrs={"rows": 2}))


class SheetUploadForm(forms.Form):
    sheet = forms.FileField(
        label=_("tally sheet"),
        help_text=_(
            "CSV (German Excel or UTF-8) or Excel (.xlsx) with the columns Themenfeld, Ziel, "
            "Handlungsempfehlung, Indikator, Zuständigkeit, Punkte."
        ),
    )

    def clean_sheet(self) -> Any:
        upload = self.cleaned_data["sheet"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ProcessUploadForm(forms.Form):
    document = forms.FileField(label=_("process file (JSON)"))

    def clean_document(self) -> Any:
        upload = self.cleaned_data["document"]
        if upload.size > MAX_UPLOAD_BYTES * 4:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class GrantForm(forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    role = forms.ChoiceField(label=_("role"), choices=models.Role.choices)


MAX_PASTED_CHARACTERS = 1_000_000


class MemberSheetForm(forms.Form):
    """A member sheet: cells pasted from Excel, or an .xlsx or CSV file."""

    pasted = forms.CharField(
        label=_("paste from Excel"),
        required=False,
        max_length=MAX_PASTED_CHARACTERS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "Select the cells in Excel including the header row, copy them and paste them here."
        ),
    )
    sheet = forms.FileField(
        label=_("or upload a file"),
        required=False,
        help_text=_(
            "Excel (.xlsx) or CSV with the columns Name and Bereich, and if known "
            "Stimmberechtigt (ja or nein; empty: as the stakeholder group) and Kontakt."
        ),
    )

    def clean_sheet(self) -> Any:
        upload = self.cleaned_data["sheet"]
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pasted = (data.get("pasted") or "").strip()
        if pasted and data.get("sheet"):
            raise forms.ValidationError(_("Paste the table or choose a file, not both."))
        if not pasted and not data.get("sheet") and not self.errors:
            raise forms.ValidationError(_("Paste the table from Excel or choose a file."))
        return data

    @property
    def pasted_field(self) -> str:
        """The field an error of the sheet's content belongs next to."""
        return "pasted" if (self.cleaned_data.get("pasted") or "").strip() else "sheet"

    def sheet_content(self, pasted_name: str) -> tuple[str, bytes]:
        """The sheet's name (as messages name it) and its bytes."""
        upload = self.cleaned_data.get("sheet")
        if upload is not None:
            return upload.name, upload.read()
        return pasted_name, self.cleaned_data["pasted"].strip("\r\n").encode("utf-8")
