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
