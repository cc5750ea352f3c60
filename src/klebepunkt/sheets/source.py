"""The rows of a sheet file, CSV or XLSX, streamed: what every sheet of klebepunkt is read from.

CSV: delimiter ``;``, ``,`` or tab, detected from the header line; UTF-8, UTF-8 with BOM
or Windows-1252 (German Excel's default), detected; quoted cells with line breaks.
XLSX: the first worksheet whose header row the sheet's kind recognises (else the first),
read by :mod:`klebepunkt.sheets.workbook` within fixed bounds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from klebepunkt.domain import Location, Message, gettext_noop
from klebepunkt.sheets import errors
from klebepunkt.sheets.errors import SheetError, too_large

Row = tuple[int, Sequence[object]]  # (row number as a spreadsheet shows it, cells)
HeaderTest = Callable[[Sequence[object]], bool]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def read_file(path: Path) -> bytes:
    """The bytes of a file, or a :class:`SheetError` that names it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SheetError(
            Message(gettext_noop("File not found.")), Location(file=path.name)
        ) from None
    except IsADirectoryError:
        raise SheetError(
            Message(gettext_noop("This is a folder, not a file.")), Location(file=path.name)
        ) from None
    except OSError as error:
        raise SheetError(
            Message(
                gettext_noop("The file cannot be read: %(reason)s"), {"reason": error.strerror}
            ),
            Location(file=path.name),
        ) from None


def cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious .0, a neutralised formula prefix removed."""
    if type(value) is str:
        text = value.strip()
    elif value is None:
        return ""
    elif isinstance(value, float) and value.is_integer():
        return str(int(value))
    else:
        text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def is_blank(cells: Sequence[object]) -> bool:
    """Whether no cell of a row shows any text."""
    try:
        return not "".join(cells).strip()  # type: ignore[arg-type]  # a row of text (CSV)
    except TypeError:
        pass
    for value in cells:
        if value is not None and (type(value) is not str or value.strip()):
            return False
    return True


def header_row(rows: Iterator[Row]) -> Row | None:
    """The first row with any text (the header); ``rows`` is left just after it."""
    for row in rows:
        if not is_blank(row[1]):
            return row
    return None


def sheet_rows(content: bytes, filename: str, is_header: HeaderTest) -> Iterator[Row]:
    """The rows of a CSV or XLSX file, streamed; of a workbook, the first worksheet whose first
    non-empty row passes ``is_header`` (else the first worksheet)."""
    where = Location(file=filename)
    if not content.strip():
        raise SheetError(Message(gettext_noop("The file is empty.")), where)
    suffix = Path(filename).suffix.casefold()
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content, filename, is_header)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            Message(
                gettext_noop("This is an old Excel file (.xls). Please save it as .xlsx or as CSV.")
            ),
            where,
        )
    if suffix in {".xlsx", ".xlsm"}:
        raise SheetError(
            Message(gettext_noop("This file is named .xlsx but is not an Excel workbook.")), where
        )
    if suffix in {".csv", ".txt", ".tsv", ""}:
        return _csv_rows(content, filename)
    raise SheetError(
        Message(
            gettext_noop("This is not a CSV or Excel (.xlsx) file (“%(suffix)s”)."),
            {"suffix": suffix},
        ),
        where,
    )


# --- CSV -------------------------------------------------------------------


def decode_text(content: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else a clear error."""
    if b"\x00" in content:
        raise SheetError(
            Message(gettext_noop("This is not a CSV or Excel (.xlsx) file (binary content).")),
            Location(file=filename),
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise SheetError(
            Message(gettext_noop("The text is neither UTF-8 nor Windows-1252 (German Excel).")),
            Location(file=filename),
        ) from None


def detect_delimiter(text: str) -> str:
    """The delimiter of the header line: the one of ; , TAB it holds most of (; on a tie)."""
    for line in text.splitlines():
        if line.strip():
            counts = {delimiter: line.count(delimiter) for delimiter in (";", ",", "\t")}
            best = max(counts, key=lambda d: (counts[d], d == ";"))
            return best if counts[best] else ";"
    return ";"


def _csv_rows(content: bytes, filename: str) -> Iterator[Row]:
    text = decode_text(content, filename)
    return _csv_stream(text, filename)


def _csv_stream(text: str, filename: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    limit = errors.MAX_CELLS
    cells = 0
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            cells += len(row)
            if cells > limit:
                raise too_large(filename)
            yield number, row
    except csv.Error as error:
        raise SheetError(
            Message(gettext_noop("The CSV file is malformed: %(reason)s"), {"reason": str(error)}),
            Location(file=filename, row=reader.line_num),
        ) from None


# --- XLSX ------------------------------------------------------------------


def _xlsx_rows(content: bytes, filename: str, is_header: HeaderTest) -> Iterator[Row]:
    from klebepunkt.sheets.workbook import Workbook

    workbook = Workbook(content, filename)
    for path in workbook.sheets:
        rows = workbook.rows(path)
        header = header_row(rows)
        if header is not None and is_header(header[1]):
            return _chain(header, rows)
    if not workbook.sheets:
        return iter(())
    return workbook.rows(workbook.sheets[0])


def _chain(first: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rest
