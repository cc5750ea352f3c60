"""The date field of every form: a date from 1900 to 2200, or an error naming the field.

Django's ``DateField`` takes 0001-01-01 and 9999-12-31, and a page that computes with
such a date (the indicator chart widens its axis by a month) overflowed the calendar.
The range itself is a rule of the method: ``domain.limits.EARLIEST_DATE`` and
``LATEST_DATE``, the same for sheets and process files.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from klebepunkt.domain.limits import EARLIEST_DATE, LATEST_DATE, is_sensible_date


def out_of_range_message(field: str) -> str:
    return _("%(field)s: enter a date between %(earliest)s and %(latest)s.") % {
        "field": field,
        "earliest": EARLIEST_DATE.strftime("%d.%m.%Y"),
        "latest": LATEST_DATE.strftime("%d.%m.%Y"),
    }


class SensibleDateField(forms.DateField):
    """A ``DateField`` that refuses dates before 1900 and after 2200, naming its label."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("min", EARLIEST_DATE.isoformat())
        self.widget.attrs.setdefault("max", LATEST_DATE.isoformat())

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, date) and not is_sensible_date(value):
            raise forms.ValidationError(
                out_of_range_message(str(self.label or _("date"))), code="date_out_of_range"
            )
