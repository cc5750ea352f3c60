"""Forms of the facilitator's pages: labels in German via gettext, errors next to the field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from klebepunkt.domain import normalise_text
from klebepunkt.domain.process import SEED_COMPOSITION, StakeholderGroup
from klebepunkt.domain.rules import DEFAULT_DOTS_PER_VOTER, DEFAULT_GOAL_THRESHOLD
from klebepunkt.processes import models
from klebepunkt.processes.dates import SensibleDateField

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def within_upload_limit(upload: Any) -> Any:
    """An uploaded sheet, refused when larger than 5 MB (no file, None, passes)."""
    if upload is not None and upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("The file is larger than 5 MB."))
    return upload


@dataclass(frozen=True)
class ProcessStart:
    """The start form's cleaned answers: the new process, its groups and theme fields."""

    title: str
    body: str
    dots_per_voter: int
    goal_threshold: int
    cap_per_card: int | None
    stakeholder_groups: tuple[StakeholderGroup, ...]
    theme_fields: tuple[str, ...]


class ProcessForm(forms.ModelForm[models.Process]):
    """The start of a process: its title, who commissioned it, its rules, and, from the seed's
    template, its stakeholder groups (each with the voting right its members take) and theme
    fields. Only the title is needed; what is left out gets the seed's default."""

    GROUP_ROWS = len(SEED_COMPOSITION) + 2

    theme_fields = forms.CharField(
        label=_("theme fields"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, e.g. Pflege, Wohnen, Soziale Belastung, Bildung."),
    )

    class Meta:
        model = models.Process
        fields = ["title", "body", "dots_per_voter", "goal_threshold", "cap_per_card"]
        help_texts = {"dots_per_voter": _("Each member with a voting right gets this many.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("dots_per_voter", "goal_threshold"):
            self.fields[name].required = False  # empty: the seed's default
        for name in ("dots_per_voter", "goal_threshold", "cap_per_card"):
            self.fields[name].validators.append(MinValueValidator(1))
            self.fields[name].widget.attrs["min"] = 1
        for row in range(self.GROUP_ROWS):
            template = SEED_COMPOSITION[row] if row < len(SEED_COMPOSITION) else None
            self.fields[f"group-{row}-name"] = forms.CharField(
                label=_("stakeholder group %(n)s") % {"n": row + 1},
                required=False,
                max_length=200,
                initial=template.name if template else "",
            )
            self.fields[f"group-{row}-voting"] = forms.BooleanField(
                label=_("voting right"),
                required=False,
                initial=template.voting if template else True,
            )

    def group_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"group-{row}-name"], self[f"group-{row}-voting"])
            for row in range(self.GROUP_ROWS)
        ]

    def visible_fields(self) -> list[forms.BoundField]:
        """The fields the generic form template lays out; the group rows are a table of their own."""
        return [field for field in super().visible_fields() if not field.name.startswith("group-")]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name, default in (
            ("dots_per_voter", DEFAULT_DOTS_PER_VOTER),
            ("goal_threshold", DEFAULT_GOAL_THRESHOLD),
        ):
            if data.get(name) is None and name not in self.errors:
                data[name] = default
        cap, dots = data.get("cap_per_card"), data.get("dots_per_voter")
        if cap and dots and cap > dots:
            self.add_error("cap_per_card", _("The cap per card cannot exceed the dots per voter."))
        seen: set[str] = set()
        for row in range(self.GROUP_ROWS):
            name = normalise_text(data.get(f"group-{row}-name") or "")
            if name and name in seen:
                self.add_error(f"group-{row}-name", _("This stakeholder group exists already."))
            seen.add(name)
        fields = [normalise_text(line) for line in (data.get("theme_fields") or "").splitlines()]
        names = [name for name in fields if name]
        if len(set(names)) != len(names):
            self.add_error("theme_fields", _("A theme field is named twice."))
        if any(len(name) > 200 for name in names):
            self.add_error("theme_fields", _("A theme field name is longer than 200 characters."))
        return data

    def start(self) -> ProcessStart:
        """What ``services.create_process`` is given."""
        data = self.cleaned_data
        groups = [
            StakeholderGroup(
                name=normalise_text(data[f"group-{row}-name"]),
                description=SEED_COMPOSITION[row].description
                if row < len(SEED_COMPOSITION)
                and normalise_text(data[f"group-{row}-name"]) == SEED_COMPOSITION[row].name
                else "",
                voting=bool(data[f"group-{row}-voting"]),
            )
            for row in range(self.GROUP_ROWS)
            if normalise_text(data.get(f"group-{row}-name") or "")
        ]
        fields = [normalise_text(line) for line in (data.get("theme_fields") or "").splitlines()]
        return ProcessStart(
            title=data["title"],
            body=data["body"],
            dots_per_voter=data["dots_per_voter"],
            goal_threshold=data["goal_threshold"],
            cap_per_card=data["cap_per_card"],
            stakeholder_groups=tuple(groups),
            theme_fields=tuple(name for name in fields if name),
        )


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
    """A member; a new one takes the voting right of their stakeholder group unless the
    facilitator says otherwise (works without JavaScript: the choice is a select)."""

    AS_GROUP = ""
    voting = forms.TypedChoiceField(
        label=_("voting right"),
        choices=[
            (AS_GROUP, _("as its stakeholder group")),
            ("True", _("votes")),
            ("False", _("takes part without a vote")),
        ],
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
    )

    class Meta:
        model = models.Member
        fields = ["name", "stakeholder_group", "voting", "contact"]

    def __init__(self, *args: Any, process: models.Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stakeholder_group"]
        assert isinstance(field, forms.ModelChoiceField)
        groups = list(process.stakeholder_groups.all())
        field.queryset = process.stakeholder_groups.all()
        if self.instance._state.adding:
            self.initial.pop("voting", None)  # a new member: as the group
        self.fields["voting"].help_text = (
            _("By stakeholder group: %(groups)s.")
            % {
                "groups": "; ".join(
                    f"{group.name} – {_('votes') if group.voting else _('without a vote')}"
                    for group in groups
                )
            }
            if groups
            else _("Administration and experts usually take part without a vote.")
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        group = data.get("stakeholder_group")
        if data.get("voting") is None:
            data["voting"] = group.voting if group is not None else True
        return data


class MeetingForm(forms.ModelForm[models.Meeting]):
    date = SensibleDateField(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta:
        model = models.Meeting
        fields = ["date", "start", "end", "place", "focus"]
        widgets = {
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
        return within_upload_limit(self.cleaned_data["sheet"])


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
        return within_upload_limit(self.cleaned_data["sheet"])

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
