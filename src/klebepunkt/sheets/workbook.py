"""Rows of an .xlsx workbook, read with bounded memory and time whatever the file claims.

A workbook is a zip of XML. Nothing here trusts what the zip or the XML declares:

- every part is inflated in small steps (never one ``zipfile.read``, which inflates the
  whole entry in one call before it cuts it to the declared size) and the bytes that
  actually come out are counted against ``MAX_UNPACKED_BYTES`` for the whole workbook;
- a worksheet whose declared ``<dimension ref>`` or merged ranges cover more than
  ``MAX_CELLS`` cells is refused before a row is read, and the rows are streamed, so a
  reader can refuse a sheet by its header row without reading the rest;
- while streaming, the cells read and the area they span are counted against
  ``MAX_CELLS``, so a file that understates its dimension stops at the limit.

Values are what the spreadsheet shows (the cached result of a formula, a date for a
number in a date format), as openpyxl's ``data_only`` mode gives them; merged cells count
for every cell they cover within the filled area.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from xml.etree.ElementTree import XML, Element, XMLPullParser
from xml.parsers import expat

from klebepunkt.sheets import calamine, errors
from klebepunkt.sheets.errors import SheetError, too_large, unreadable

Row = tuple[int, list[object]]  # (row number as a spreadsheet shows it, cells)

CHUNK = 64 * 1024  # inflated at a time
FEED = 16 * 1024  # parsed at first: a header row is judged before the rest is parsed
BATCH = 512 * 1024  # parsed at a time after that
MAX_ROW = 1_048_576
MAX_COLUMN = 16_384
MAX_MERGES = 100_000

_REF = re.compile(rb"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]*)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([^"]*)"')
_ROOT = re.compile(rb"<((?:\w+:)?worksheet)\b[^>]*(?<!/)>")
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_PREFIXED = re.compile(rb":c[\s>/]")
_PLACELESS_CELL = re.compile(rb'<c(?! r="[A-Z]{1,3}[0-9]{1,7}")')  # within sheetData: a cell
_FEW = 32  # columns or out-of-order rows found one search at a time (calamine_grid_fits)
_SHARED_STRING = re.compile(rb"<(?:[^\s<>/:!?]+:)?si[\s/>]")  # a string's start tag, any prefix
_DIGITS = "0123456789"
_RELATIONSHIP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def column_number(letters: str | bytes) -> int:
    """A → 1, Z → 26, AA → 27."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + (letter if isinstance(letter, int) else ord(letter)) - 64
    return number


def _events(parser: XMLPullParser[Element]) -> Iterator[tuple[str, Element]]:
    """The (event, element) pairs the parser has ready."""
    for event, element in parser.read_events():  # type: ignore[misc]
        if isinstance(element, Element):
            yield event, element


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _Budget:
    """The bytes actually inflated from the workbook so far."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.used = 0

    def take(self, count: int) -> None:
        self.used += count
        if self.used > errors.MAX_UNPACKED_BYTES:
            raise too_large(self.filename)


class Workbook:
    """An open workbook: its worksheets in order, each read as a stream of rows."""

    def __init__(self, content: bytes, filename: str) -> None:
        self.filename = filename
        self.budget = _Budget(filename)
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(content))
            self.names = {info.filename: info for info in self.archive.infolist()}
            if sum(info.file_size for info in self.names.values()) > errors.MAX_UNPACKED_BYTES:
                raise too_large(filename)  # declared: a cheap first refusal, not the limit
            self.sheets = self._worksheet_paths()
            self.date_styles, self.epoch_1904 = self._date_styles()
        except SheetError:
            raise
        except MemoryError:
            raise too_large(filename) from None
        except Exception:  # zipfile, zlib and the XML parser raise anything on a broken file
            raise unreadable(filename) from None

    # --- parts -----------------------------------------------------------------------------

    def part(self, name: str, head: Callable[[bytes], None] | None = None) -> bytearray | None:
        """The inflated bytes of a part, counted as they come out; None when absent.

        ``head`` sees the first bytes before the rest is inflated (and may refuse them)."""
        info = self.names.get(name)
        if info is None:
            return None
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise unreadable(self.filename)  # Excel writes nothing else; bzip2 inflates unbounded
        data = bytearray()
        with self.archive.open(info) as stream:
            while piece := stream.read(CHUNK):
                self.budget.take(len(piece))
                data += piece
                if head is not None:
                    head(piece)
                    head = None
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise unreadable(self.filename)  # no workbook needs a DTD; entities can explode
        return data

    def _elements(self, data: bytes | bytearray) -> Iterator[Element]:
        """The elements of a part, each when it ends."""
        parser: XMLPullParser[Element] = XMLPullParser(events=("end",))
        for start in range(0, len(data), FEED):
            parser.feed(data[start : start + FEED])
            for _event, element in _events(parser):
                yield element
        parser.close()
        for _event, element in _events(parser):
            yield element

    def _worksheet_paths(self) -> list[str]:
        workbook = self.part("xl/workbook.xml")
        relations = self.part("xl/_rels/workbook.xml.rels")
        if workbook is None:
            raise unreadable(self.filename)
        targets: dict[str, str] = {}
        for element in self._elements(relations or b"<Relationships/>"):
            if _local(element.tag) == "Relationship" and element.get("Type", "").endswith(
                "/worksheet"
            ):
                target = element.get("Target", "")
                path = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
                targets[element.get("Id", "")] = path
        paths = []
        self.sheet_names: dict[str, str] = {}
        for element in self._elements(workbook):
            if _local(element.tag) == "sheet":
                path = targets.get(element.get(f"{{{_RELATIONSHIP_NS}}}id", ""), "")
                if path in self.names:
                    paths.append(path)
                    self.sheet_names[path] = element.get("name", "")
        return paths

    @functools.cached_property
    def shared_strings(self) -> list[str]:
        """The shared strings, parsed when the streaming reader first needs one (calamine
        reads them itself from the checked part): half the time of an Excel sheet of
        100,000 cards went into this parse before calamine read them again (issue 16)."""
        data = self.part("xl/sharedStrings.xml")
        strings: list[str] = []
        if data is None:
            return strings
        for element in self._elements(data):
            if _local(element.tag) != "si":
                continue
            strings.append(_text_of(element))
            element.clear()
            if len(strings) > errors.MAX_CELLS:
                raise too_large(self.filename)
        return strings

    def _shared_strings_sound(self) -> bool:
        """Whether the shared strings are well-formed XML within the count of strings, as the
        streaming reader's parse demands, checked without building elements (for calamine,
        which is more lenient); raises as that parse would.

        expat checks the XML with no handler of ours (all in C); the strings are counted by
        their start tags, which in well-formed XML only markup can contain, unless a comment,
        a CDATA section or a processing instruction could hide one, or the part is in an
        encoding whose bytes are not ASCII's (UTF-16): then expat counts them. A part that is
        both malformed and holds too many start tags is refused as too large."""
        if "shared_strings" in self.__dict__:
            return True  # parsed already
        data = self.part("xl/sharedStrings.xml")
        if data is None:
            return True
        parser = expat.ParserCreate(namespace_separator="}")
        head = bytes(data[:8]).removeprefix(b"\xef\xbb\xbf")
        declared = head.startswith(b"<?xml")
        hidden = (
            b"<!--" in data
            or b"<![CDATA[" in data
            or data.count(b"<?") > (1 if declared else 0)  # an instruction besides <?xml …?>
            or not head.startswith(b"<")  # UTF-16 or another encoding the bytes do not show
        )
        count = 0

        def start(name: str, _attributes: object) -> None:
            nonlocal count
            if name.endswith("si") and _local(name) == "si":
                count += 1
                if count > errors.MAX_CELLS:
                    raise too_large(self.filename)

        if hidden:
            parser.StartElementHandler = start
        elif len(_SHARED_STRING.findall(data)) > errors.MAX_CELLS:
            raise too_large(self.filename)
        parser.Parse(bytes(data), True)
        return True

    def _date_styles(self) -> tuple[frozenset[int], bool]:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        workbook = self.part("xl/workbook.xml") or b""
        epoch_1904 = re.search(rb'date1904="(1|true)"', workbook) is not None
        data = self.part("xl/styles.xml")
        if data is None:
            return frozenset(), epoch_1904
        formats: dict[int, str] = dict(BUILTIN_FORMATS)
        dates: set[int] = set()
        index = 0
        in_cell_xfs = False
        parser: XMLPullParser[Element] = XMLPullParser(events=("start", "end"))
        parser.feed(data)
        parser.close()
        for event, element in _events(parser):
            name = _local(element.tag)
            if event == "start":
                in_cell_xfs = in_cell_xfs or name == "cellXfs"
                continue
            if name == "numFmt":
                formats[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif name == "cellXfs":
                in_cell_xfs = False
            elif name == "xf" and in_cell_xfs:
                if is_date_format(formats.get(int(element.get("numFmtId", "0")))):
                    dates.add(index)
                index += 1
        return frozenset(dates), epoch_1904

    # --- rows ------------------------------------------------------------------------------

    def rows(self, path: str) -> Iterator[Row]:
        """The rows of a worksheet, as they are read; a SheetError once a bound is passed."""
        try:
            data = self.part(path, head=self._check_dimension) or b""
            merges = self._merges(data)
            name = self.sheet_names.get(path)
            fast = (
                calamine.rows(self.part, name, path, data, epoch_1904=self.epoch_1904)
                if name is not None
                and not merges
                and calamine_grid_fits(data)
                and self._shared_strings_sound()
                else None
            )
            yield from fast if fast is not None else _Rows(self, data, merges)
        except SheetError:
            raise
        except MemoryError:
            raise too_large(self.filename) from None
        except Exception:
            raise unreadable(self.filename) from None

    def _check_dimension(self, head: bytes) -> None:
        """Refuse a worksheet whose declared dimension passes ``MAX_CELLS``, from its first
        bytes (the dimension comes before the rows)."""
        dimension = _DIMENSION.search(head)
        if dimension and _area(dimension[1]) > errors.MAX_CELLS:
            raise too_large(self.filename)

    def _merges(self, data: bytes | bytearray) -> list[tuple[int, int, int, int]]:
        """The merged ranges (top, left, bottom, right); refused when their area passes
        ``MAX_CELLS``."""
        merges: list[tuple[int, int, int, int]] = []
        area = 0
        first = data.find(b"mergeCell")  # a search at memory speed; the pattern only from there
        if first < 0:
            return merges
        for found in _MERGE.finditer(data, max(first - 16, 0)):
            ref = _REF.fullmatch(found[1])
            if ref is None or not ref[3]:
                continue
            left, right = sorted((column_number(ref[1]), column_number(ref[3])))
            top, bottom = sorted((int(ref[2]), int(ref[4])))
            area += (right - left + 1) * (bottom - top + 1)
            if area > errors.MAX_CELLS or len(merges) >= MAX_MERGES:
                raise too_large(self.filename)
            merges.append((top, left, bottom, right))
        return merges


def calamine_grid_fits(data: bytes | bytearray) -> bool:
    """For ``sheets/calamine.py``, which builds a dense grid: whether every cell of the
    worksheet names its place plainly and the grid from A1 to the widest column and the lowest
    row has at most ``MAX_CELLS`` cells (else the streaming reader reads it).

    Searches only, no list of the cells' places: about three passes over the sheet at the
    speed of the regular-expression engine for a sheet as Excel or openpyxl write it."""
    start, end = data.find(b"<sheetData"), data.rfind(b"</sheetData>")
    if start < 0 or end < start:
        return False
    region = memoryview(data)[start:end]
    if (
        data.find(b"<c", start, end) < 0
        or _PREFIXED.search(region)
        or data.find(b't="e"', start, end) >= 0
    ):
        return False  # no cells, a prefixed cell tag or an error value (#N/A): streamed
    if _PLACELESS_CELL.search(region):
        return False  # a cell without a plain place (none, an entity, another spelling)
    return _widest_column(data, start, end) * _lowest_row(data, start, end) <= errors.MAX_CELLS


def _widest_column(data: bytes | bytearray, start: int, end: int) -> int:
    """The widest column named by a cell between ``start`` and ``end`` (every cell's place is
    plain). Each search goes on from the last new column found, for a cell of a column not
    yet seen: one pass for the few columns of a card sheet; beyond ``_FEW`` columns, the rest
    of the places are listed."""
    seen: set[bytes] = set()
    position = start
    while len(seen) < _FEW:
        known = b"(?!(?:" + b"|".join(sorted(seen)) + b")[0-9])" if seen else b""
        found = re.compile(b'<c r="' + known + b"([A-Z]{1,3})").search(data, position, end)
        if found is None:
            return max(map(column_number, seen))
        seen.add(found[1])
        position = found.start()
    seen.update(_CELL_COLUMN.findall(data, position, end))
    return max(map(column_number, seen))


def _lowest_row(data: bytes | bytearray, start: int, end: int) -> int:
    """The largest row number named by a cell between ``start`` and ``end`` (every cell's place
    is plain): the last cell's, unless a search finds a larger one further up (rows out of
    order), and so on from there; after ``_FEW`` such finds, the rest of the places are listed."""
    last = _CELL_ROW.match(data, data.rfind(b'<c r="', start, end))
    row = int(last[1]) if last else 0
    position = start
    for _ in range(_FEW):
        found = _row_above(row).search(data, position, end)
        if found is None:
            return row
        row, position = int(found[1]), found.start()
    return max(row, *map(int, set(_CELL_ROW.findall(data, position, end))))


def _row_above(row: int) -> re.Pattern[bytes]:
    """A cell's plain place whose row number is larger than ``row`` (leading zeros allowed)."""
    digits = str(row)
    larger = [f"[1-9][0-9]{{{len(digits)},}}"]  # more digits
    for index, digit in enumerate(digits):  # as many digits: the same up to one that is larger
        if digit != "9":
            rest = len(digits) - index - 1
            larger.append(f"{digits[:index]}[{int(digit) + 1}-9][0-9]{{{rest}}}")
    return re.compile(f'<c r="[A-Z]{{1,3}}0*({"|".join(larger)})"'.encode())


def _area(ref: bytes) -> int:
    found = _REF.fullmatch(ref)
    if found is None:
        return 0
    if not found[3]:
        return 1
    width = abs(column_number(found[3]) - column_number(found[1])) + 1
    return width * (abs(int(found[4]) - int(found[2])) + 1)


def _text_of(element: Element) -> str:
    """The text of a shared or inline string: plain, or its runs (phonetic hints left out)."""
    pieces = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            pieces.append(child.text or "")
        elif name == "r":
            for part in child:
                if _local(part.tag) == "t":
                    pieces.append(part.text or "")
    return "".join(pieces).replace("x005F_", "")


class _Rows:
    """Streams the rows of one worksheet, filling merged cells and counting against the limits."""

    def __init__(
        self, workbook: Workbook, data: bytes | bytearray, merges: list[tuple[int, int, int, int]]
    ) -> None:
        self.workbook = workbook
        self.data = data
        self.merges = merges
        self.top_left: dict[tuple[int, int, int, int], object] = {}  # merge → its value
        self.cells = 0
        self.widest = 0
        self.columns: dict[str, int] = {}  # column letters → number, as met

    def __iter__(self) -> Iterator[Row]:
        previous = 0
        pending: list[Row] = []  # rows only a merged range fills: kept until a later row has values
        for element in self._row_elements():
            number = int(element.get("r") or previous + 1)
            if not previous < number <= MAX_ROW:
                raise unreadable(self.workbook.filename)
            cells = self._cells(element)
            filled = any(value is not None for value in cells)
            if self.merges:
                pending.extend(self._gap_rows(previous, number))
                cells = self._merged(cells, number)
            previous = number
            if filled:  # a cell of its own: the rows before it are within the sheet
                if number * self.widest > errors.MAX_CELLS:
                    raise too_large(self.workbook.filename)
                yield from pending
                pending.clear()
                yield number, cells
            elif any(value is not None for value in cells):
                pending.append((number, cells))

    def _row_elements(self) -> Iterator[Element]:
        """The ``<row>`` elements of the worksheet, parsed a batch of rows at a time: the part
        is cut after a ``</row>``, and each batch is parsed inside copies of the worksheet's
        and sheetData's start tags (so every namespace is declared), all in C."""
        data = self.data
        root = _ROOT.search(data)
        sheet_data = _SHEET_DATA.search(data)
        if root is None or sheet_data is None:
            raise unreadable(self.workbook.filename)
        if sheet_data[2]:
            return  # <sheetData/>: no rows
        prefix = sheet_data[1] or b""
        close_row = b"</" + prefix + b"row>"
        closing = b"</" + prefix + b"sheetData></" + root[1] + b">"
        opening = root[0] + sheet_data[0]
        end = data.rfind(b"</" + prefix + b"sheetData>")
        position = sheet_data.end()
        if end < position:
            raise unreadable(self.workbook.filename)
        # counted at memory speed before a row is parsed, for a dimension may understate:
        # within sheetData nothing but a cell's tag starts with "<c"
        cells = data.count(b"<" + prefix + b"c", position, end)
        if cells > errors.MAX_CELLS or data.count(b"<" + prefix + b"row", position, end) > MAX_ROW:
            raise too_large(self.workbook.filename)
        batch = FEED
        while position < end:
            cut = data.find(close_row, position + batch, end)
            cut = end if cut < 0 else cut + len(close_row)
            tree = XML(opening + data[position:cut] + closing)
            position = cut
            batch = min(batch * 4, BATCH)
            for element in tree[0] if len(tree) else ():
                if element.tag.endswith("row"):
                    yield element

    def _cells(self, row: Element) -> list[object]:
        values: list[object] = []
        column = 0
        namespace = row.tag[: -len("row")]  # "{…main}" (or "" without a namespace)
        value_tag, inline_tag, text_tag = namespace + "v", namespace + "is", namespace + "t"
        columns = self.columns
        dates = self.workbook.date_styles
        self.cells += len(row)
        if self.cells > errors.MAX_CELLS:
            raise too_large(self.workbook.filename)
        for cell in row:
            reference = cell.get("r")
            if reference:
                letters = reference.rstrip(_DIGITS)
                known = columns.get(letters)
                if known is None:
                    if not (letters.isascii() and letters.isalpha() and len(letters) <= 3):
                        raise unreadable(self.workbook.filename)
                    known = columns[letters] = column_number(letters)
                column = known
            else:
                column += 1
            if column > MAX_COLUMN:
                raise unreadable(self.workbook.filename)
            kind = cell.get("t")
            value: object
            if kind is None or kind == "n":
                raw = cell.findtext(value_tag)
                if not raw:
                    continue
                style = cell.get("s")
                if dates and (int(style) if style else 0) in dates:
                    value = self._typed(raw, "n", int(style or 0))
                elif "." in raw or "E" in raw or "e" in raw:
                    value = float(raw)
                else:
                    value = int(raw)
            elif kind == "inlineStr":
                inline = cell.find(inline_tag)
                if inline is None:
                    continue
                value = inline.findtext(text_tag)  # plain text; else its runs
                if value is None:
                    value = _text_of(inline)
                elif "x005F_" in value:
                    value = value.replace("x005F_", "")
            else:
                raw = cell.findtext(value_tag)
                if not raw:
                    continue
                value = self._typed(raw, kind, 0)
            if column > len(values):
                values.extend([None] * (column - len(values)))
            values[column - 1] = value
            if column > self.widest:
                self.widest = column
        return values

    def _typed(self, raw: str, kind: str, style: int) -> object:
        if kind == "n":
            number: float = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
            if style in self.workbook.date_styles:
                from openpyxl.utils.datetime import (
                    CALENDAR_MAC_1904,
                    CALENDAR_WINDOWS_1900,
                    from_excel,
                )

                epoch = CALENDAR_MAC_1904 if self.workbook.epoch_1904 else CALENDAR_WINDOWS_1900
                try:
                    return from_excel(number, epoch)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.workbook.shared_strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return datetime.fromisoformat(raw.rstrip("Z"))
        return raw  # str (a formula's text), e (an error such as #N/A)

    def _merged(self, cells: list[object], number: int) -> list[object]:
        """The cells of a row with every merged range over it filled from its top-left cell."""
        for merge in self.merges:
            top, left, bottom, _right = merge
            if not top <= number <= bottom:
                continue
            if number == top:
                self.top_left[merge] = cells[left - 1] if left - 1 < len(cells) else None
            cells = self._fill(cells, merge)
        return cells

    def _fill(self, cells: list[object], merge: tuple[int, int, int, int]) -> list[object]:
        value = self.top_left.get(merge)
        if value is None:
            return cells
        _top, left, _bottom, right = merge
        stop = min(right, max(self.widest, left))  # not beyond the filled columns
        if stop > len(cells):
            cells = cells + [None] * (stop - len(cells))
        for index in range(left - 1, stop):
            cells[index] = value
        return cells

    def _gap_rows(self, previous: int, number: int) -> list[Row]:
        """Rows between two rows of the file that only a merged range fills."""
        rows: dict[int, list[object]] = {}
        for merge, value in self.top_left.items():
            top, _left, bottom, _right = merge
            if value is None:
                continue
            for gap in range(max(previous, top) + 1, min(bottom, number - 1) + 1):
                rows[gap] = self._fill(rows.get(gap, []), merge)
        return sorted(rows.items())
