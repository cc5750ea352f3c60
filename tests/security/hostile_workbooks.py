"""Workbooks built to exhaust a server: zip entries that understate their size, worksheets that
declare (or hold) a million rows, merges over the whole sheet.

Built by hand (a zip is a few headers around raw deflate data), so that every declared
size, CRC and dimension is what the attacker chooses, and cheap to build: a gigabyte of
zeros is one 1 MB deflate block repeated, each block independent after a full flush.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import cache

from hypothesis import strategies as st

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
    '<sheets><sheet name="Tabelle1" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
).encode()
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)
SHEET_START = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode()


def worksheet(
    header: list[str], rows: list[list[object]], *, dimension: str | None = None, merge: str = ""
) -> bytes:
    """A worksheet of inline strings and numbers, with the dimension and merge it declares."""

    def cell(column: int, row: int, value: object) -> str:
        ref = f"{_letters(column)}{row}"
        if isinstance(value, str):
            return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        return f'<c r="{ref}"><v>{value}</v></c>'

    lines = [SHEET_START.decode()]
    if dimension:
        lines.append(f'<dimension ref="{dimension}"/>')
    lines.append("<sheetData>")
    for number, values in enumerate([header, *rows], start=1):
        cells = "".join(cell(column, number, value) for column, value in enumerate(values))
        lines.append(f'<row r="{number}">{cells}</row>')
    lines.append("</sheetData>")
    if merge:
        lines.append(f'<mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>')
    lines.append("</worksheet>")
    return "".join(lines).encode()


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


@cache
def zeros_block() -> bytes:
    """Raw deflate of 1 MiB of spaces, ending on a full flush: it can be repeated at will."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(b" " * (1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)


def bomb_stream(prefix: bytes, megabytes: int) -> bytes:
    """Raw deflate of ``prefix`` followed by ``megabytes`` MiB of spaces."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    return head + zeros_block() * megabytes + tail


def handmade_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, raw deflate data, declared CRC, declared uncompressed size) entries."""
    out = io.BytesIO()
    central = io.BytesIO()
    for name, data, crc, size in entries:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
            )
        )
        out.write(encoded + data)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    out.write(central.getvalue())
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), central.tell(), start, 0
        )
    )
    return out.getvalue()


def honest(name: str, content: bytes) -> tuple[str, bytes, int, int]:
    return name, deflate(content), zlib.crc32(content), len(content)


def understated_workbook(part: str, megabytes: int, *, declared: int | None = None) -> bytes:
    """A workbook whose ``part`` inflates to ``megabytes`` MiB but declares a few bytes, with the
    CRC of the bytes it declares (so that zipfile, which stops at the declared size, finds
    nothing wrong) — unless ``declared`` asks for another size."""
    prefix = {
        "xl/worksheets/sheet1.xml": SHEET_START + b"<sheetData>",
        "xl/workbook.xml": WORKBOOK[:-20],
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">'.encode(),
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}">'.encode(),
    }[part]
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": worksheet(["Themenfeld", "Punkte"], [["Pflege", 1]]),
    }
    size = len(prefix) if declared is None else declared
    crc = zlib.crc32(prefix[:size])  # of what the entry claims to hold
    spaces = b" " * (1 << 20)
    for start in range(len(prefix), size, len(spaces)):
        crc = zlib.crc32(spaces[: size - start], crc)
    entries = [honest(name, content) for name, content in parts.items() if name != part]
    entries.append((part, bomb_stream(prefix, megabytes), crc, size))
    return handmade_zip(entries)


def workbook_of(sheet: bytes) -> bytes:
    """A workbook of one worksheet, zipped honestly."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def million_rows(
    columns: int,
    *,
    dimension: str | None = "",
    rows: int = 1_048_576,
    header: tuple[str, ...] = (),
) -> bytes:
    """A workbook of ``rows`` identical rows of ``columns`` numbers (after ``header``, if any), as
    Excel's limit allows, a few hundred kilobytes; ``dimension``: the declared one ("" for
    the true one, None for none). Rows and cells leave out their optional ``r``: one block of rows,
    compressed once, repeated."""
    declared = f"A1:{_letters(columns - 1)}{rows}" if dimension == "" else dimension
    head = SHEET_START + (f'<dimension ref="{declared}"/>'.encode() if declared else b"")
    head += b"<sheetData>"
    if header:
        head += (
            b"<row>"
            + b"".join(
                b'<c t="inlineStr"><is><t>%s</t></is></c>' % name.encode() for name in header
            )
            + b"</row>"
        )
    row = b"<row>" + b"".join(b"<c><v>%d</v></c>" % (c + 1) for c in range(columns)) + b"</row>"
    tail = b"</sheetData></worksheet>"
    batch = 10_000
    full, rest = divmod(rows, batch)

    def block(data: bytes) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)

    stream = (
        block(head)
        + block(row * batch) * full
        + block(row * rest + tail)
        + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    )
    crc = zlib.crc32(head)
    rows_text = row * batch
    for _ in range(full):  # the CRC of the whole text, without ever holding it
        crc = zlib.crc32(rows_text, crc)
    crc = zlib.crc32(row * rest + tail, crc)
    size = len(head) + len(row) * rows + len(tail)  # the rows after the header
    entries = [
        honest("[Content_Types].xml", CONTENT_TYPES),
        honest("xl/workbook.xml", WORKBOOK),
        honest("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", stream, crc, size),
    ]
    return handmade_zip(entries)


# --- for the fuzz tests of every importer ---------------------------------------------------------

PARTS = st.sampled_from(
    ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"]
)


@st.composite
def hostile_workbooks(draw: st.DrawFn, header: list[str]) -> bytes:
    """A workbook of one of the classes that exhaust a server, with ``header`` where it has one:
    an understated entry, a huge declared dimension, a merge over the whole sheet, a cell at
    the far corner."""
    kind = draw(st.sampled_from(["understated", "dimension", "merge", "corner"]))
    if kind == "understated":
        declared = draw(st.none() | st.integers(min_value=0, max_value=4096))
        return understated_workbook(
            draw(PARTS), draw(st.integers(min_value=1, max_value=160)), declared=declared
        )
    rows: list[list[object]] = [["Pflege", *[1] * (len(header) - 1)]]
    if kind == "dimension":
        width = draw(st.integers(min_value=2, max_value=16_384))
        height = draw(st.integers(min_value=2_000_001 // width + 1, max_value=1_048_576))
        return workbook_of(worksheet(header, rows, dimension=f"A1:{_letters(width - 1)}{height}"))
    if kind == "merge":
        return workbook_of(worksheet(header, rows, merge="A2:XFD1048576"))
    corner = worksheet(header, []).replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    return workbook_of(corner)


# --- every importer of a sheet ---------------------------------------------------------------------

HEADERS: dict[str, list[str]] = {
    "tally": ["Themenfeld", "Handlungsempfehlung", "Punkte"],
    "ballots": ["Mitglied", "Themenfeld", "Handlungsempfehlung", "Punkte"],
    "status": ["Kennung", "Status"],
    "statistics": ["Indikator", "Datum", "Wert"],
    "members": ["Name", "Bereich", "Stimmberechtigt"],
}


def read_as(kind: str, content: bytes, filename: str) -> object:
    """Read ``content`` with the importer of ``kind`` (against an empty process)."""
    from klebepunkt.domain.monitoring_state import Monitoring
    from klebepunkt.sheets import read_ballots_bytes, read_sheet_bytes
    from klebepunkt.sheets.members import read_member_sheet
    from klebepunkt.sheets.status_plan import read_statistics_sheet, read_status_sheet

    if kind == "tally":
        return read_sheet_bytes(content, filename)
    if kind == "ballots":
        tally = read_sheet_bytes(
            b"Themenfeld;Handlungsempfehlung;Punkte\nPflege;Duales System;3\n", "liste.csv"
        ).tally
        return read_ballots_bytes(content, filename, tally)
    if kind == "status":
        return read_status_sheet(content, filename, Monitoring(priorities=()))
    if kind == "statistics":
        return read_statistics_sheet(content, filename, Monitoring(priorities=()))
    if kind == "members":
        return read_member_sheet(content, filename, groups={"Politik": True}, members=[])
    raise ValueError(kind)
