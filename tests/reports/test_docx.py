"""The Word file is a real document: headings, tables with repeating header rows, a
table of contents, page numbers, A4 and the document language."""

from __future__ import annotations

import pytest

from tests.reports.conftest import docx_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def word(koblenz_files):
    return docx_document(koblenz_files["docx"])


def test_parts_are_heading_1_and_sections_heading_2_and_3(word, koblenz_report):
    text = koblenz_report.text
    headings = {
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    }
    for part in (text.part_1, text.overview, text.part_2, text.topic_store, text.explanation):
        assert ("Heading 1", part) in headings
    assert ("Heading 2", text.composition) in headings
    assert ("Heading 2", "Pflege") in headings
    assert ("Heading 3", koblenz_report.charts[0].title) in headings
    title = [p for p in word.paragraphs if p.style.name == "Title"]
    assert [p.text for p in title] == [koblenz_report.title]


def test_every_table_has_a_header_row_that_repeats(word):
    assert len(word.tables) >= 20
    for table in word.tables:
        header = table.rows[0]._tr
        assert header.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(cell.paragraphs[0].runs[0].bold for cell in table.rows[0].cells)


def test_contents_is_a_toc_field_listing_the_parts(word, koblenz_report):
    body = word.element.body.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert word.settings.element.find(f"{W}updateFields") is not None
    texts = [p.text for p in word.paragraphs]
    start = texts.index(koblenz_report.text.contents)
    assert koblenz_report.text.part_2 in texts[start : start + 40]


def test_page_numbers_language_and_a4(word, koblenz_report):
    section = word.sections[0]
    assert round(section.page_width.cm, 1) == 21.0
    assert round(section.page_height.cm, 1) == 29.7
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert section.different_first_page_header_footer
    assert 'w:val="de-DE"' in word.styles.element.xml
    assert word.core_properties.language == "de-DE"
    assert word.core_properties.title == koblenz_report.title


def _xml(table) -> bytes:
    from lxml import etree

    return etree.tostring(table._tbl)


def test_a_table_of_a_layout_seen_before_is_the_table_built_alone():
    """Tables of one layout are copied from the first one's frame (issue 16): each is what
    python-docx builds for it alone, and a change to one reaches no other."""
    from klebepunkt.reports.kit.docx import PRIORITY_FILL, WordDocument, pt, shade

    columns = [("Empfehlung\nWas?", 6.0), ("Punkte", 2.0)]
    first_rows, rows = [["eins", 1]], [["zwei", 2], ["drei", 3]]
    alone = WordDocument()
    alone.table(columns, rows, numeric={1})
    expected = _xml(alone.document.tables[0])

    word = WordDocument()
    word.table(columns, first_rows, numeric={1})
    cells = word.table(columns, rows, numeric={1})
    assert _xml(word.document.tables[1]) == expected
    assert [cell.text for cell in cells[2]] == ["drei", "3"]
    shade(cells[1][0], PRIORITY_FILL)  # the caller changes a cell of the copy
    cells[0][0].paragraphs[0].runs[0].text = "geändert"
    word.table(columns, rows, numeric={1})
    assert _xml(word.document.tables[2]) == expected
    assert word.document.tables[0].cell(0, 0).text == "Empfehlung\nWas?"
    assert word.document.tables[1].cell(0, 0).text.startswith("geändert")

    # another layout is another frame: the alignment, the size and the bold first column
    for other in (
        {"numeric": set()},
        {"numeric": {1}, "font_size": pt(8)},
        {"numeric": {1}, "bold_first_column": True},
    ):
        separate = WordDocument()
        separate.table(columns, rows, **other)
        word.table(columns, rows, **other)
        assert _xml(word.document.tables[-1]) == _xml(separate.document.tables[0])
        assert _xml(word.document.tables[-1]) != expected
    word.table([("Empfehlung", 6.0), ("Punkte", 2.0)], rows, numeric={1})
    assert word.document.tables[-1].cell(0, 0).text == "Empfehlung"
    assert word.table(columns, [], numeric={1})[1:] == []
    assert len(word.document.tables[-1].rows) == 1
