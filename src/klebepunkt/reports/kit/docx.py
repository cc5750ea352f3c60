"""Word documents a clerk can edit (python-docx): the building blocks every document uses.

``WordDocument`` sets up A4, the font, the document language (for spelling and
screen readers), a header with the title and page numbers in the footer; it writes
real headings (Word's navigation pane and a screen reader find them) and real
tables whose header row repeats on every page and whose rows never split. The
functions below it reach the OOXML that python-docx has no API for.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Sequence
from typing import Any

FONT = "Arial"
HEADER_FILL = "DCE6F0"
PRIORITY_FILL = "F1F5FA"
STYLED = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3")
# Characters XML 1.0 does not allow; a sheet copied from elsewhere may contain them.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Word's language tags for ours.
LANGUAGE_TAGS = {"de": "de-DE", "en": "en-GB"}

Column = tuple[str, float]  # (header, width in cm); "title\nquestion" sets a small second line


def clean(value: object) -> str:
    """A value as text Word accepts (no characters XML 1.0 forbids)."""
    return _ILLEGAL_XML.sub("", "" if value is None else str(value))


class WordDocument:
    """One Word document, written top to bottom."""

    def __init__(self) -> None:
        from docx import Document

        self.document: Any = Document()
        self._style_ids: dict[str, str] = {}
        # a table's frame (its properties, grid and header row) and the prototype of its body
        # rows, per layout: built through python-docx once, copied for each table after it
        self._frames: dict[tuple[object, ...], tuple[Any, Any]] = {}

    def style_id(self, name: str) -> str:
        """A style's id by its name, looked up once: python-docx searches the styles on each
        use (5-10 ms; a 1,000-card report has a thousand headings, bullets, tables, issue 16)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    def set_up(
        self,
        *,
        title: str,
        language: str,
        header: str,
        subject: str = "",
        comments: str = "",
        different_first_page: bool = False,
    ) -> None:
        """A4 with 2 cm margins, the house font, the language, header text and page numbers."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        tag = LANGUAGE_TAGS.get(language, language)
        properties = self.document.core_properties
        properties.title = clean(title)
        properties.subject = clean(subject)
        properties.language = tag
        properties.author = "klebepunkt"
        if comments:
            properties.comments = clean(comments)
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        section.different_first_page_header_footer = different_first_page
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        for name in STYLED:
            styles[name].font.name = FONT
        set_style_language(self.document, tag)
        set_east_asian_font(normal, FONT)
        paragraph = section.header.paragraphs[0]
        paragraph.text = clean(header)
        paragraph.style = styles["Header"]
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        add_field(footer, "PAGE", "1")
        footer.add_run(" / ")
        add_field(footer, "NUMPAGES", "1")
        append(self.document.settings.element, "w:updateFields", {"w:val": "true"})

    def paragraph(self, text: str = "", *, style: str | None = None, italic: bool = False) -> Any:
        paragraph = self.document.add_paragraph(clean(text))
        if style is not None:
            paragraph._p.style = self.style_id(style)
        if italic and paragraph.runs:
            paragraph.runs[0].italic = True
        return paragraph

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.paragraph(item, style="List Bullet")

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def heading(self, text: str, level: int, *, new_page: bool = False) -> Any:
        paragraph = self.paragraph(text, style=f"Heading {level}")
        paragraph.paragraph_format.keep_with_next = True
        if new_page:
            paragraph.paragraph_format.page_break_before = True
        return paragraph

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[object]],
        *,
        numeric: set[int] | None = None,
        bold_first_column: bool = False,
        font_size: Any = None,
    ) -> list[list[Any]]:
        """A table with a bold, shaded header row that repeats on every page.

        Returns the cells, row by row (the header row first).
        """
        from docx.table import Table, _Cell

        numeric = numeric or set()
        size = font_size or pt(9)
        layout = (tuple(columns), frozenset(numeric), bold_first_column, int(size))
        if layout in self._frames:
            # Speed (issue 16): a report has hundreds of tables of a few layouts (one table per
            # priority, each with the same columns). Building each table's header row and
            # prototype row through python-docx took about half of a 1,000-card Word file.
            frame, template = self._frames[layout]
            body = self.document._body
            tbl = copy.deepcopy(frame)
            body._element._insert_tbl(tbl)
            table = Table(tbl, body)
        else:
            table, template = self._new_table(columns, numeric, bold_first_column, size)
            self._frames[layout] = (copy.deepcopy(table._tbl), template)
            tbl = table._tbl
        cells: list[list[Any]] = [list(table.rows[0].cells)]
        # one body row was built with python-docx (widths, size, bold, alignment): it is copied
        # for every row, and only the texts are set (building each cell through python-docx
        # took 2 ms a row, most of a 1,000-card report)
        for values in rows:
            tr = copy.deepcopy(template)
            tbl.append(tr)
            row_cells = [_Cell(tc, table) for tc in tr.tc_lst]
            cells.append(row_cells)
            for cell, value in zip(row_cells, values, strict=True):
                set_text(cell.paragraphs[0].runs[0], clean(value))
        self.document.add_paragraph()
        return cells

    def _new_table(
        self, columns: Sequence[Column], numeric: set[int], bold_first_column: bool, size: Any
    ) -> tuple[Any, Any]:
        """A new table at the end of the document with its header row, and the prototype of
        its body rows (not in the table)."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        table = self.document.add_table(rows=1, cols=len(columns))
        table._tbl.tblStyle_val = self.style_id("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        header = table.rows[0]
        repeat_as_header(header)
        for index, (cell, (name, width)) in enumerate(zip(header.cells, columns, strict=True)):
            cell.width = cm(width)
            paragraph = cell.paragraphs[0]
            title, _, question = name.partition("\n")
            run = paragraph.add_run(clean(title))
            run.bold = True
            run.font.size = size
            if question:
                detail = paragraph.add_run("\n" + clean(question))
                detail.font.size = Pt(7)
            if index in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            shade(cell, HEADER_FILL)
        prototype = table.add_row()
        cant_split(prototype)
        for index, (cell, (_, width)) in enumerate(zip(prototype.cells, columns, strict=True)):
            cell.width = cm(width)
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run()
            run.font.size = size
            if bold_first_column and index == 0:
                run.bold = True
            if index in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        template = prototype._tr
        table._tbl.remove(template)
        for column, (_, width) in zip(table.columns, columns, strict=True):
            column.width = cm(width)
        return table, template

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


# --- OOXML details python-docx has no API for -----------------------------------------


def cm(value: float) -> Any:
    from docx.shared import Cm

    return Cm(value)


def pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _new(tag: str, attributes: dict[str, str] | None = None) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in (attributes or {}).items():
        element.set(qn(name), value)
    return element


def append(parent: Any, tag: str, attributes: dict[str, str] | None = None) -> Any:
    element = _new(tag, attributes)
    parent.append(element)
    return element


def repeat_as_header(row: Any) -> None:
    """Mark a table row as header row: Word repeats it on every page and tags it as such."""
    properties = row._tr.get_or_add_trPr()
    append(properties, "w:tblHeader", {"w:val": "true"})
    append(properties, "w:cantSplit", {"w:val": "true"})


def cant_split(row: Any) -> None:
    append(row._tr.get_or_add_trPr(), "w:cantSplit", {"w:val": "true"})


def keep_with_next(cells: list[Any]) -> None:
    """Keep a row on the page of the next one (a goal's cards stay together).

    ``w:keepNext`` is written straight away in its place (after ``w:pStyle``, the only
    element the schema puts before it): python-docx's setter searches for the place
    among every possible successor, a quarter of a 1,000-card Word file (issue 16)."""
    for cell in cells:
        for p in cell._tc.p_lst:
            properties = p.get_or_add_pPr()
            if properties.find(_W + "keepNext") is not None:
                continue
            element = _new("w:keepNext")
            style = properties.find(_W + "pStyle")
            properties.insert(0 if style is None else properties.index(style) + 1, element)


def shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    for old in properties.findall(_W + "shd"):
        properties.remove(old)
    append(properties, "w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})


def bold_cell(cell: Any) -> None:
    for run in cell.paragraphs[0].runs:
        run.bold = True


def add_lines(cell: Any, lines: Sequence[tuple[str, bool]], size: Any) -> None:
    """Add (text, bold) lines to a cell's first paragraph, each on a line of its own."""
    paragraph = cell.paragraphs[0]
    for line, bold in lines:
        if not line:
            continue
        if paragraph.text:
            paragraph.add_run().add_break()
        run = paragraph.add_run(clean(line))
        run.bold = bold
        run.font.size = size


def set_text(run: Any, text: str) -> None:
    """A run's text; plain text as one ``w:t`` straight away (python-docx's setter parses
    it for tabs and breaks, which only a text with those needs)."""
    if "\n" in text or "\t" in text or "\r" in text:
        run.text = text
        return
    if text:
        element = append(run._r, "w:t")
        element.text = text
        if text != text.strip():
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def merge_down(cells: Sequence[Any]) -> None:
    """Merge a column's cells downwards into the first: Word's vertical merge, written
    straight away (python-docx's ``merge`` measures the whole table for each, issue 16).
    The cells below keep one empty paragraph, as Word wants in every cell."""
    from docx.oxml.simpletypes import ST_Merge

    cells[0]._tc.vMerge = ST_Merge.RESTART
    for cell in cells[1:]:
        tc = cell._tc
        for paragraph in tc.p_lst[1:]:
            tc.remove(paragraph)
        for child in list(tc.p_lst[0]):
            if child.tag != _W + "pPr":
                tc.p_lst[0].remove(child)
        tc.vMerge = ST_Merge.CONTINUE


def drop_empty_paragraphs(cell: Any) -> None:
    """A merged cell keeps the empty paragraphs of the cells it swallowed; drop them."""
    paragraphs = cell.paragraphs
    for paragraph in paragraphs[1:]:
        if not paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)


def set_style_language(document: Any, language: str) -> None:
    """The default language of every run, for Word's spelling and for screen readers."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = append(styles, "w:docDefaults")
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = append(defaults, "w:rPrDefault")
    run_properties = run_defaults.find(qn("w:rPr"))
    if run_properties is None:
        run_properties = append(run_defaults, "w:rPr")
    for old in run_properties.findall(qn("w:lang")):
        run_properties.remove(old)
    append(run_properties, "w:lang", {"w:val": language, "w:eastAsia": language})


def set_east_asian_font(style: Any, font: str) -> None:
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def add_field(paragraph: Any, instruction: str, placeholder: str) -> None:
    open_field(paragraph, instruction)
    paragraph.add_run(placeholder)
    close_field(paragraph)


def open_field(paragraph: Any, instruction: str) -> None:
    begin = paragraph.add_run()
    append(begin._r, "w:fldChar", {"w:fldCharType": "begin", "w:dirty": "true"})
    code = paragraph.add_run()
    text = append(code._r, "w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instruction} "
    separate = paragraph.add_run()
    append(separate._r, "w:fldChar", {"w:fldCharType": "separate"})


def close_field(paragraph: Any) -> None:
    end = paragraph.add_run()
    append(end._r, "w:fldChar", {"w:fldCharType": "end"})
