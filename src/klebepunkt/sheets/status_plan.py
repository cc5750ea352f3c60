"""Status sheets against a process's monitoring (``domain.monitoring_state``): the rows to
write, and the changes a filled-in sheet asks for.

The columns, keys and file of the status and statistics sheets are in ``status`` (on
the sheet engine); this module compares a sheet with the current monitoring and
returns a ``SheetPlan`` of every change, for the preview; it either succeeds
completely or raises a ``SheetError`` naming file, row and column, like a tally
sheet. Nothing here touches the database: ``monitoring.services.apply_sheet_plan``
writes the plan.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from klebepunkt.domain.formatting import format_date, format_number
from klebepunkt.domain.messages import Location, Message, gettext_noop
from klebepunkt.domain.model import normalise_text
from klebepunkt.domain.monitoring import Status, parse_status
from klebepunkt.domain.monitoring_state import (
    Item,
    ItemKind,
    ItemState,
    Monitoring,
    TrackedIndicator,
)
from klebepunkt.sheets.errors import SheetError
from klebepunkt.sheets.status import (
    STATISTICS_COLUMNS,
    STATUS_CHOICES_GERMAN,
    STATUS_SHEET_COLUMNS,
    StatusColumn,
    parse_indicator_key,
    parse_key,
    read_statistics_table,
    read_status_table,
)
from klebepunkt.sheets.table import Table

__all__ = [
    "STATISTICS_COLUMNS",
    "STATUS_CHOICES_GERMAN",
    "STATUS_SHEET_COLUMNS",
    "MeasurementUpdate",
    "NewState",
    "SheetPlan",
    "StatusColumn",
    "StatusUpdate",
    "read_statistics_sheet",
    "read_status_sheet",
    "responsible_matches",
    "status_sheet_rows",
]

Reader = Table[StatusColumn]


# --- writing -----------------------------------------------------------------------------------


def responsible_matches(responsible: str, wanted: str) -> bool:
    """Whether an item's responsible body names ``wanted`` (case and spaces do not matter)."""
    wanted = normalise_text(wanted).casefold()
    return not wanted or wanted in normalise_text(responsible).casefold()


def status_sheet_rows(
    monitoring: Monitoring, *, responsible: str = "", language: str = "de", typed: bool = False
) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the status sheet, for the items whose responsible body names
    ``responsible`` (all when empty). ``typed``: dates and numbers as values (XLSX),
    else as German text (CSV)."""

    def day(value: date | None) -> object:
        if value is None:
            return ""
        return value if typed else format_date(value, language)

    def number(value: Decimal | None) -> object:
        if value is None:
            return ""
        return value if typed else format_number(value, language)

    rows: list[list[object]] = []
    for priority in monitoring.priorities:
        for item in priority.items:
            state = item.state()
            if not responsible_matches(state.responsible, responsible):
                continue
            base = {
                StatusColumn.THEME_FIELD: priority.theme_field,
                StatusColumn.GOAL: priority.goal.text,
                StatusColumn.RECOMMENDATION: item.text if item.kind is ItemKind.CARD else "",
                StatusColumn.RESPONSIBLE: state.responsible,
                StatusColumn.CONTACT: state.contact,
                StatusColumn.STATUS: state.status.german,
                StatusColumn.COMMENT: state.comment,
                StatusColumn.DUE: day(state.due_date),
            }
            if not item.indicators:
                values: dict[StatusColumn, object] = {
                    **base,
                    StatusColumn.KEY: item.key,
                    StatusColumn.INDICATOR: item.indicator_text,
                }
                rows.append([values.get(column, "") for column in STATUS_SHEET_COLUMNS])
            for indicator in item.indicators:
                series = indicator.series
                latest = series.latest
                values = {
                    **base,
                    StatusColumn.KEY: f"{item.key}/{indicator.key}",
                    StatusColumn.INDICATOR: series.name,
                    StatusColumn.UNIT: series.unit,
                    StatusColumn.BASELINE: number(series.baseline_value),
                    StatusColumn.TARGET: number(series.target_value),
                    StatusColumn.DATE: day(latest.date) if latest else "",
                    StatusColumn.VALUE: number(latest.value) if latest else "",
                    StatusColumn.SOURCE: latest.source if latest else "",
                }
                rows.append([values.get(column, "") for column in STATUS_SHEET_COLUMNS])
    return [column.header for column in STATUS_SHEET_COLUMNS], rows


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewState:
    status: Status
    responsible: str
    contact: str
    due_date: date | None
    comment: str


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """A change of one item's status record that the sheet asks for."""

    key: str
    kind: ItemKind
    object_id: int
    text: str
    before: ItemState
    after: NewState
    row: int

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the fields that change: status, responsible, contact, due_date, comment."""
        before, after = self.before, self.after
        return tuple(
            name
            for name in ("status", "responsible", "contact", "due_date", "comment")
            if getattr(before, name) != getattr(after, name)
        )


@dataclass(frozen=True, slots=True)
class MeasurementUpdate:
    """A value for an indicator on a date: new, or replacing a different one."""

    indicator_id: int
    indicator: str
    unit: str
    item_text: str
    date: date
    value: Decimal
    source: str
    previous: Decimal | None  # the value stored for that date, if any
    previous_source: str
    row: int

    @property
    def is_new(self) -> bool:
        return self.previous is None


@dataclass(frozen=True, slots=True)
class SheetPlan:
    filename: str
    rows: int
    status_updates: tuple[StatusUpdate, ...] = ()
    measurements: tuple[MeasurementUpdate, ...] = field(default_factory=tuple)

    @property
    def changes_anything(self) -> bool:
        return bool(self.status_updates or self.measurements)

    @property
    def new_measurements(self) -> tuple[MeasurementUpdate, ...]:
        return tuple(m for m in self.measurements if m.is_new)

    @property
    def changed_measurements(self) -> tuple[MeasurementUpdate, ...]:
        return tuple(m for m in self.measurements if not m.is_new)


def _measurement(
    indicator: TrackedIndicator,
    item_text: str,
    day: date,
    value: Decimal,
    source: str,
    row: int,
) -> MeasurementUpdate | None:
    """The update for a value, or None when the same value (and source) is stored already."""
    stored = next((m for m in indicator.series.measurements if m.date == day), None)
    if stored is not None and stored.value == value and (not source or stored.source == source):
        return None
    return MeasurementUpdate(
        indicator.id,
        indicator.name,
        indicator.series.unit,
        item_text,
        day,
        value,
        source or (stored.source if stored is not None else ""),
        stored.value if stored is not None else None,
        stored.source if stored is not None else "",
        row,
    )


def read_status_sheet(content: bytes, filename: str, monitoring: Monitoring) -> SheetPlan:
    """The changes a filled-in status sheet asks for, checked against the monitoring."""

    reader = read_status_table(content, filename)
    items = {item.key.casefold(): item for item in monitoring.items()}
    updates: dict[str, StatusUpdate] = {}
    measurements: dict[tuple[int, date], MeasurementUpdate] = {}
    seen_values: dict[tuple[int, date], int] = {}
    count = 0
    for row, cells in reader.rows():
        count += 1
        key_text = reader.text(cells, StatusColumn.KEY)
        found = parse_key(key_text)
        item = items.get(found[0].casefold()) if found else None
        if item is None or found is None:
            raise SheetError(
                Message(
                    gettext_noop(
                        "“%(key)s” is not the key of a priority or recommendation of this "
                        "process (keys look like Z12, HE34 or HE34/I5)."
                    ),
                    {"key": key_text or "–"},
                ),
                reader.where(row, StatusColumn.KEY),
            )
        indicator = None
        if found[1] is not None:
            indicator = next((i for i in item.indicators if i.id == found[1]), None)
            if indicator is None:
                raise SheetError(
                    Message(
                        gettext_noop("“%(key)s” names an indicator that “%(item)s” does not have."),
                        {"key": key_text, "item": item.key},
                    ),
                    reader.where(row, StatusColumn.KEY),
                )
        update = _status_update(reader, row, cells, item)
        if update is not None:
            earlier = updates.get(item.key)
            if earlier is not None and earlier.after != update.after:
                raise SheetError(
                    Message(
                        gettext_noop(
                            "Row %(earlier)s changes “%(key)s” differently; the rows of one "
                            "priority or recommendation must agree."
                        ),
                        {"earlier": earlier.row, "key": item.key},
                    ),
                    reader.where(row, StatusColumn.KEY),
                )
            updates.setdefault(item.key, update)
        value = _row_measurement(reader, row, cells, indicator, item.text)
        if value is not None:
            slot, measurement = value
            if slot in seen_values:
                raise SheetError(
                    Message(
                        gettext_noop(
                            "Row %(earlier)s gives a value for the same indicator and date."
                        ),
                        {"earlier": seen_values[slot]},
                    ),
                    reader.where(row, StatusColumn.DATE),
                )
            seen_values[slot] = row
            if measurement is not None:
                measurements[slot] = measurement
    return SheetPlan(
        filename=filename,
        rows=count,
        status_updates=tuple(updates.values()),
        measurements=tuple(measurements.values()),
    )


def _status_update(
    reader: Reader, row: int, cells: Sequence[object], item: Item
) -> StatusUpdate | None:
    state = item.state()
    status = state.status
    if reader.has(StatusColumn.STATUS):
        text = reader.text(cells, StatusColumn.STATUS)
        if text:
            parsed = parse_status(text)
            if parsed is None:
                raise SheetError(
                    Message(
                        gettext_noop("“%(value)s” is not a status. Write one of: %(choices)s."),
                        {"value": text, "choices": ", ".join(STATUS_CHOICES_GERMAN)},
                    ),
                    reader.where(row, StatusColumn.STATUS),
                )
            status = parsed
    responsible = state.responsible
    if reader.has(StatusColumn.RESPONSIBLE):
        responsible = reader.text(cells, StatusColumn.RESPONSIBLE) or item.default_responsible
    contact = (
        reader.text(cells, StatusColumn.CONTACT)
        if reader.has(StatusColumn.CONTACT)
        else state.contact
    )
    comment = (
        reader.long_text(cells, StatusColumn.COMMENT)
        if reader.has(StatusColumn.COMMENT)
        else state.comment
    )
    due = (
        reader.date(row, cells, StatusColumn.DUE)
        if reader.has(StatusColumn.DUE)
        else state.due_date
    )
    after = NewState(status, responsible, contact, due, comment)
    if (
        state.status,
        normalise_text(state.responsible),
        state.contact,
        state.due_date,
        state.comment.strip(),
    ) == (
        after.status,
        normalise_text(after.responsible),
        after.contact,
        after.due_date,
        after.comment,
    ):
        return None
    return StatusUpdate(item.key, item.kind, item.object_id, item.text, state, after, row)


def _row_measurement(
    reader: Reader,
    row: int,
    cells: Sequence[object],
    indicator: TrackedIndicator | None,
    item_text: str,
) -> tuple[tuple[int, date], MeasurementUpdate | None] | None:
    """The indicator and date a row gives a value for, and the update (None: unchanged)."""
    if not reader.has(StatusColumn.VALUE):
        return None
    value = reader.number(row, cells, StatusColumn.VALUE)
    day = reader.date(row, cells, StatusColumn.DATE) if reader.has(StatusColumn.DATE) else None
    if value is None:
        if day is not None:
            raise SheetError(
                Message(gettext_noop("This row has a date but no value.")),
                reader.where(row, StatusColumn.VALUE),
            )
        return None
    if indicator is None:
        raise SheetError(
            Message(
                gettext_noop(
                    "This row has a value but no indicator: values belong in the rows whose "
                    "key names an indicator (like HE34/I5)."
                )
            ),
            reader.where(row, StatusColumn.VALUE),
        )
    if day is None:
        raise SheetError(
            Message(gettext_noop("This row has a value but no date.")),
            reader.where(row, StatusColumn.DATE),
        )
    source = reader.text(cells, StatusColumn.SOURCE)
    return (indicator.id, day), _measurement(indicator, item_text, day, value, source, row)


def read_statistics_sheet(content: bytes, filename: str, monitoring: Monitoring) -> SheetPlan:
    """New indicator values from a sheet of (Indikator, Datum, Wert, Quelle) rows."""

    reader = read_statistics_table(content, filename)
    indicators: dict[int, tuple[TrackedIndicator, str]] = {}
    by_name: dict[str, list[int]] = {}
    for item in monitoring.items():
        for indicator in item.indicators:
            indicators[indicator.id] = (indicator, item.text)
            by_name.setdefault(normalise_text(indicator.name).casefold(), []).append(indicator.id)
    names = [indicator.name for indicator, _text in indicators.values()]
    measurements: dict[tuple[int, date], MeasurementUpdate] = {}
    seen: dict[tuple[int, date], int] = {}
    count = 0
    for row, cells in reader.rows():
        count += 1
        name = reader.text(cells, StatusColumn.INDICATOR)
        key = parse_indicator_key(name)
        ids = [key] if key is not None and key in indicators else by_name.get(name.casefold(), [])
        if len(ids) != 1:
            if len(ids) > 1:
                message = Message(
                    gettext_noop(
                        "Several indicators are called “%(name)s”; name it by its key (%(keys)s)."
                    ),
                    {"name": name, "keys": ", ".join(f"I{i}" for i in ids)},
                )
            else:
                close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
                message = (
                    Message(
                        gettext_noop("There is no indicator “%(name)s”. Did you mean “%(close)s”?"),
                        {"name": name or "–", "close": close[0]},
                    )
                    if close
                    else Message(
                        gettext_noop("There is no indicator “%(name)s” in this process."),
                        {"name": name or "–"},
                    )
                )
            raise SheetError(message, reader.where(row, StatusColumn.INDICATOR))
        indicator, item_text = indicators[ids[0]]
        day = reader.date(row, cells, StatusColumn.DATE)
        value = reader.number(row, cells, StatusColumn.VALUE)
        if day is None:
            raise SheetError(
                Message(gettext_noop("This row has no date.")), reader.where(row, StatusColumn.DATE)
            )
        if value is None:
            raise SheetError(
                Message(gettext_noop("This row has no value.")),
                reader.where(row, StatusColumn.VALUE),
            )
        slot = (indicator.id, day)
        if slot in seen:
            raise SheetError(
                Message(
                    gettext_noop("Row %(earlier)s gives a value for the same indicator and date."),
                    {"earlier": seen[slot]},
                ),
                reader.where(row, StatusColumn.DATE),
            )
        seen[slot] = row
        update = _measurement(
            indicator, item_text, day, value, reader.text(cells, StatusColumn.SOURCE), row
        )
        if update is not None:
            measurements[slot] = update
    if not count:
        raise SheetError(
            Message(gettext_noop("The sheet has a header row but no values.")),
            Location(file=filename),
        )
    return SheetPlan(filename=filename, rows=count, measurements=tuple(measurements.values()))
