"""Forms of the monitoring pages: labels via gettext, errors next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klebepunkt.monitoring.models import Status
from klebepunkt.processes.dates import SensibleDateField
from klebepunkt.processes.forms import within_upload_limit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    due_date = SensibleDateField(label=_("due date"), required=False, widget=DateInput())
    responsible = forms.CharField(
        label=_("responsible body"),
        required=False,
        max_length=1000,
        help_text=_("Empty: the responsible body the working group named."),
    )
    contact = forms.CharField(label=_("contact"), required=False, max_length=300)
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("indicator"), max_length=300)
    unit = forms.CharField(
        label=_("unit"), required=False, max_length=60, help_text=_("e.g. places, %, persons")
    )
    baseline_value = forms.DecimalField(
        label=_("baseline value"), required=False, max_digits=18, decimal_places=4, localize=True
    )
    baseline_date = SensibleDateField(label=_("baseline date"), required=False, widget=DateInput())
    target_value = forms.DecimalField(
        label=_("target value"), required=False, max_digits=18, decimal_places=4, localize=True
    )
    target_date = SensibleDateField(label=_("target date"), required=False, widget=DateInput())


class MeasurementForm(forms.Form):
    date = SensibleDateField(label=_("date"), widget=DateInput())
    value = forms.DecimalField(label=_("value"), max_digits=18, decimal_places=4, localize=True)
    source = forms.CharField(label=_("source"), required=False, max_length=300)
    note = forms.CharField(label=_("note"), required=False, max_length=2000)


class SheetKind:
    STATUS = "status"
    STATISTICS = "statistics"


class MonitoringUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind of sheet"),
        choices=[
            (SheetKind.STATUS, _("status sheet filled in by a responsible body")),
            (SheetKind.STATISTICS, _("indicator values (e.g. from the statistics office)")),
        ],
        widget=forms.RadioSelect,
        initial=SheetKind.STATUS,
    )
    sheet = forms.FileField(
        label=_("sheet (XLSX or CSV)"),
        help_text=_(
            "Status sheet: as exported here, with Kennung, Status, Kommentar, Fällig bis, Datum, "
            "Wert, Quelle. Indicator values: one value per row with Indikator (name or key such "
            "as I5), Datum, Wert and Quelle."
        ),
    )

    def clean_sheet(self) -> Any:
        return within_upload_limit(self.cleaned_data["sheet"])


class ReportForm(forms.Form):
    as_of = SensibleDateField(label=_("as of"), widget=DateInput())
    since = SensibleDateField(
        label=_("changes since"),
        required=False,
        widget=DateInput(),
        help_text=_("The date of the previous report; empty: every change up to the date."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        as_of, since = data.get("as_of"), data.get("since")
        if as_of and since and since >= as_of:
            self.add_error("since", _("The previous report must be older than this one."))
        return data


class TakeForm(forms.Form):
    card = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.IntegerField(label=_("into the process"))
