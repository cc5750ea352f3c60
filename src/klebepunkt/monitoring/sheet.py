"""Status sheets: monitoring out to the responsible bodies, and their answers back in.

**Status sheet** (XLSX or CSV), one row per priority or recommendation and per
indicator, German headers like the tally sheet:

    Kennung | Themenfeld | Ziel | Handlungsempfehlung | Zuständigkeit | Kontakt | Status |
    Kommentar | Fällig bis | Indikator | Einheit | Ausgangswert | Zielwert | Datum | Wert | Quelle

``Kennung`` is the stable key that matches a row back: ``Z12`` (priority, goal 12),
``HE34`` (recommendation, card 34), ``HE34/I5`` (its indicator 5). Status,
Zuständigkeit, Kontakt, Kommentar and Fällig bis are filled in with the current
state and are read back; Datum, Wert and Quelle carry the latest value and take a
new one. Ziel, Handlungsempfehlung, Indikator, Einheit, Ausgangswert and Zielwert
are for reading only.

**Statistics sheet**: one value per row, ``Indikator`` (its name or key ``I5``),
``Datum``, ``Wert``, ``Quelle``.

Reading compares the sheet with the current monitoring and returns a
``SheetPlan`` of every change, for the preview; it either succeeds completely or
raises a ``SheetError`` naming file, row and column, like a tally sheet. Nothing
here touches the database: ``services.apply_sheet_plan`` writes the plan.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from klebepunkt.domain.formatting import format_date, format_number
from klebepunkt.domain.messages import Location, Message, gettext_noop
from klebepunkt.domain.model import normalise_text
from klebepunkt.domain.monitoring import STATUS_GERMAN, Status, parse_status
from klebepunkt.domain.monitoring_state import (
    Item,
    ItemKind,
    ItemState,
    Monitoring,
    TrackedIndicator,
)
from klebepunkt.sheets.columns import column_letter
from klebepunkt.sheets.reader import Row, SheetError, cell_text, header_row, sheet_rows


class StatusColumn(StrEnum):
    KEY = "key"
    THEME_FIELD = "theme_field"
    GOAL = "goal"
    RECOMMENDATION = "recommendation"
    RESPONSIBLE = "responsible"
    CONTACT = "contact"
    STATUS = "status"
    COMMENT = "comment"
    DUE = "due"
    INDICATOR = "indicator"
    UNIT = "unit"
    BASELINE = "baseline"
    TARGET = "target"
    DATE = "date"
    VALUE = "value"
    SOURCE = "source"

    @property
    def header(self) -> str:
        return HEADERS[self]


HEADERS: dict[StatusColumn, str] = {
    StatusColumn.KEY: "Kennung",
    StatusColumn.THEME_FIELD: "Themenfeld",
    StatusColumn.GOAL: "Ziel",
    StatusColumn.RECOMMENDATION: "Handlungsempfehlung",
    StatusColumn.RESPONSIBLE: "Zuständigkeit",
    StatusColumn.CONTACT: "Kontakt",
    StatusColumn.STATUS: "Status",
    StatusColumn.COMMENT: "Kommentar",
    StatusColumn.DUE: "Fällig bis",
    StatusColumn.INDICATOR: "Indikator",
    StatusColumn.UNIT: "Einheit",
    StatusColumn.BASELINE: "Ausgangswert",
    StatusColumn.TARGET: "Zielwert",
    StatusColumn.DATE: "Datum",
    StatusColumn.VALUE: "Wert",
    StatusColumn.SOURCE: "Quelle",
}

ALIASES: dict[StatusColumn, tuple[str, ...]] = {
    StatusColumn.KEY: ("kennung", "id", "key", "schlüssel", "schluessel"),
    StatusColumn.THEME_FIELD: ("themenfeld", "theme field"),
    StatusColumn.GOAL: ("ziel", "goal"),
    StatusColumn.RECOMMENDATION: ("handlungsempfehlung", "recommendation", "he"),
    StatusColumn.RESPONSIBLE: (
        "zuständigkeit",
        "zustaendigkeit",
        "responsible body",
        "responsible",
    ),
    StatusColumn.CONTACT: ("kontakt", "ansprechperson", "ansprechpartner", "contact"),
    StatusColumn.STATUS: ("status", "stand", "umsetzungsstand"),
    StatusColumn.COMMENT: ("kommentar", "bemerkung", "anmerkung", "comment"),
    StatusColumn.DUE: ("fällig bis", "faellig bis", "fällig", "frist", "due", "due date", "due by"),
    StatusColumn.INDICATOR: ("indikator", "indicator"),
    StatusColumn.UNIT: ("einheit", "unit"),
    StatusColumn.BASELINE: ("ausgangswert", "baseline"),
    StatusColumn.TARGET: ("zielwert", "target"),
    StatusColumn.DATE: ("datum", "stichtag", "date"),
    StatusColumn.VALUE: ("wert", "value"),
    StatusColumn.SOURCE: ("quelle", "source"),
}

_BY_NAME = {alias: column for column, names in ALIASES.items() for alias in names}

STATUS_SHEET_COLUMNS: tuple[StatusColumn, ...] = tuple(StatusColumn)
STATISTICS_COLUMNS: tuple[StatusColumn, ...] = (
    StatusColumn.INDICATOR,
    StatusColumn.DATE,
    StatusColumn.VALUE,
    StatusColumn.SOURCE,
)
STATUS_CHOICES_GERMAN: tuple[str, ...] = tuple(STATUS_GERMAN[s] for s in Status)

_KEY = re.compile(r"^\s*(Z|HE)\s*(\d+)\s*(?:/\s*I\s*(\d+))?\s*$", re.IGNORECASE)
_INDICATOR_KEY = re.compile(r"^\s*I\s*(\d+)\s*$", re.IGNORECASE)


def match_header(text: str) -> StatusColumn | None:
    key = " ".join(text.replace("_", " ").split()).casefold().rstrip(":")
    return _BY_NAME.get(key)


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


class _Reader:
    """The rows of one sheet with their header, and the cells as typed values with locations."""

    def __init__(
        self, filename: str, rows: list[Row], required: Sequence[StatusColumn], expected: str
    ):
        self.filename = filename
        header = header_row(rows)
        if header is None:
            raise SheetError(Message(gettext_noop("The file is empty.")), Location(file=filename))
        self.header_number, cells = header
        self.columns: dict[StatusColumn, int] = {}
        self.headers: dict[StatusColumn, str] = {}
        for index, cell in enumerate(cells):
            text = cell_text(cell)
            column = match_header(text)
            if column is None:
                continue
            if column in self.columns:
                raise SheetError(
                    Message(
                        gettext_noop("The column “%(column)s” appears twice."), {"column": text}
                    ),
                    Location(
                        file=filename, row=self.header_number, column_letter=column_letter(index)
                    ),
                )
            self.columns[column] = index
            self.headers[column] = text
        missing = [column for column in required if column not in self.columns]
        if missing:
            found = [cell_text(cell) for cell in cells if cell_text(cell)]
            raise SheetError(
                Message(
                    gettext_noop(
                        "Required column “%(column)s” is missing. The header row has: %(found)s. "
                        "Expected: %(expected)s."
                    ),
                    {
                        "column": missing[0].header,
                        "found": ", ".join(found) or "–",
                        "expected": expected,
                    },
                ),
                Location(file=filename, row=self.header_number),
            )
        self.rows = [
            (number, row_cells)
            for number, row_cells in rows
            if number > self.header_number and any(cell_text(cell) for cell in row_cells)
        ]

    def has(self, column: StatusColumn) -> bool:
        return column in self.columns

    def where(self, row: int, column: StatusColumn) -> Location:
        index = self.columns.get(column)
        return Location(
            file=self.filename,
            row=row,
            column=self.headers.get(column, column.header),
            column_letter=column_letter(index) if index is not None else None,
        )

    def raw(self, cells: Sequence[object], column: StatusColumn) -> object:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def text(self, cells: Sequence[object], column: StatusColumn) -> str:
        return normalise_text(cell_text(self.raw(cells, column)))

    def long_text(self, cells: Sequence[object], column: StatusColumn) -> str:
        """Text that keeps its line breaks (a comment), trimmed."""
        raw = self.raw(cells, column)
        return cell_text(raw).strip().replace("\r\n", "\n") if raw is not None else ""

    def date(self, row: int, cells: Sequence[object], column: StatusColumn) -> date | None:
        return parse_date(self.raw(cells, column), self.where(row, column))

    def number(self, row: int, cells: Sequence[object], column: StatusColumn) -> Decimal | None:
        return parse_number(self.raw(cells, column), self.where(row, column))


_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ T]\d{1,2}:\d{2}(:\d{2})?$"),
)


def parse_date(raw: object, where: Location) -> date | None:
    """A date from a cell: an Excel date, 31.12.2026 or 2026-12-31; None when empty."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = cell_text(raw)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        found = pattern.match(text)
        if found:
            try:
                return date(int(found["y"]), int(found["m"]), int(found["d"]))
            except ValueError:
                break
    raise SheetError(
        Message(
            gettext_noop("“%(value)s” is not a date. Write it as 31.12.2026."), {"value": text}
        ),
        where,
    )


_GERMAN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def parse_number(raw: object, where: Location) -> Decimal | None:
    """A number from a cell: a spreadsheet number, or text as German (1.234,5) or English
    (1234.5) writes it; None when empty. "1.234" is read the German way, as 1234."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise SheetError(_not_a_number(str(raw)), where)
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    text = cell_text(raw).replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _GERMAN_THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise SheetError(_not_a_number(cell_text(raw)), where) from None
    if not value.is_finite():
        raise SheetError(_not_a_number(cell_text(raw)), where)
    return value


def _not_a_number(text: str) -> Message:
    return Message(gettext_noop("“%(value)s” is not a number."), {"value": text})


def _measurement(
    indicator: TrackedIndicator,
    item_text: str,
    day: date,
    value: Decimal,
    source: str,
    row: int,
) -> MeasurementUpdate | None:
    """The update for a value, or None when the same value (and source) is stored already."""
    for stored in indicator.series.measurements:
        if stored.date == day:
            if stored.value == value and (not source or stored.source == source):
                return None
            return MeasurementUpdate(
                indicator.id,
                indicator.name,
                indicator.series.unit,
                item_text,
                day,
                value,
                source or stored.source,
                stored.value,
                stored.source,
                row,
            )
    return MeasurementUpdate(
        indicator.id,
        indicator.name,
        indicator.series.unit,
        item_text,
        day,
        value,
        source,
        None,
        "",
        row,
    )


def read_status_sheet(content: bytes, filename: str, monitoring: Monitoring) -> SheetPlan:
    """The changes a filled-in status sheet asks for, checked against the monitoring."""

    def is_header(cells: Sequence[object]) -> bool:
        return StatusColumn.KEY in {match_header(cell_text(cell)) for cell in cells}

    reader = _Reader(
        filename,
        sheet_rows(content, filename, is_header),
        (StatusColumn.KEY,),
        "Kennung, Status, Kommentar, Fällig bis, Datum, Wert, Quelle",
    )
    items = {item.key.casefold(): item for item in monitoring.items()}
    updates: dict[str, StatusUpdate] = {}
    measurements: dict[tuple[int, date], MeasurementUpdate] = {}
    seen_values: dict[tuple[int, date], int] = {}
    for row, cells in reader.rows:
        key_text = reader.text(cells, StatusColumn.KEY)
        found = _KEY.match(key_text)
        item = items.get(f"{found[1]}{found[2]}".casefold()) if found else None
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
        if found[3]:
            indicator = next((i for i in item.indicators if i.id == int(found[3])), None)
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
        rows=len(reader.rows),
        status_updates=tuple(updates.values()),
        measurements=tuple(measurements.values()),
    )


def _status_update(
    reader: _Reader, row: int, cells: Sequence[object], item: Item
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
    reader: _Reader,
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

    def is_header(cells: Sequence[object]) -> bool:
        found = {match_header(cell_text(cell)) for cell in cells}
        return {StatusColumn.INDICATOR, StatusColumn.VALUE} <= found

    reader = _Reader(
        filename,
        sheet_rows(content, filename, is_header),
        (StatusColumn.INDICATOR, StatusColumn.DATE, StatusColumn.VALUE),
        "Indikator, Datum, Wert, Quelle",
    )
    indicators: dict[int, tuple[TrackedIndicator, str]] = {}
    by_name: dict[str, list[int]] = {}
    for item in monitoring.items():
        for indicator in item.indicators:
            indicators[indicator.id] = (indicator, item.text)
            by_name.setdefault(normalise_text(indicator.name).casefold(), []).append(indicator.id)
    names = [indicator.name for indicator, _text in indicators.values()]
    measurements: dict[tuple[int, date], MeasurementUpdate] = {}
    seen: dict[tuple[int, date], int] = {}
    for row, cells in reader.rows:
        name = reader.text(cells, StatusColumn.INDICATOR)
        found = _INDICATOR_KEY.match(name)
        ids = (
            [int(found[1])]
            if found and int(found[1]) in indicators
            else by_name.get(name.casefold(), [])
        )
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
    if not reader.rows:
        raise SheetError(
            Message(gettext_noop("The sheet has a header row but no values.")),
            Location(file=filename),
        )
    return SheetPlan(
        filename=filename, rows=len(reader.rows), measurements=tuple(measurements.values())
    )
