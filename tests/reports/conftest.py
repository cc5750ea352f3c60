"""Reports of the Koblenz sample in every format, rendered once per test session, and readers."""

from __future__ import annotations

import io
import re
import subprocess

import pytest

from klebepunkt.domain import analyse, evaluate
from klebepunkt.i18n import translator
from klebepunkt.reports import FORMATS, build_report, render_report
from klebepunkt.samples import load_sample

GERMAN = translator("de")


@pytest.fixture(scope="session")
def koblenz_record():
    return load_sample("koblenz-2017")


@pytest.fixture(scope="session")
def koblenz_report(koblenz_record):
    """The Koblenz report as the CLI builds it from the sample: with the analysis, no ballots."""
    evaluation = evaluate(koblenz_record.tally, koblenz_record.rules)
    return build_report(
        evaluation,
        GERMAN,
        title=koblenz_record.title,
        subtitle=koblenz_record.body,
        record=koblenz_record,
        analysis=analyse(koblenz_record.tally, evaluation=evaluation),
        language="de",
    )


@pytest.fixture(scope="session")
def koblenz_files(koblenz_report) -> dict[str, bytes]:
    """The Koblenz report in every format: format → the file's bytes."""
    return {fmt: render_report(koblenz_report, fmt) for fmt in FORMATS}


def squash(text: str) -> str:
    """Text without whitespace, hyphens and zero-width spaces (the break opportunities of a
    very long word), so that a line or hyphenation break in a PDF does not hide a phrase."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011\u200b]", "", text)


def pdf_text(content: bytes, *, raw: bool = False) -> str:
    """The text of a PDF as poppler's pdftotext reads it (pypdf garbles WeasyPrint's
    custom-encoded font subsets); ``raw``: in the order the PDF draws it (a table row's
    cells one after the other), not in pdftotext's guess of the reading order."""
    result = subprocess.run(
        ["pdftotext", *(["-raw"] if raw else []), "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def pdf_structure(content: bytes) -> list:
    """Every element of a tagged PDF's structure tree, depth first (pypdf dictionaries)."""
    from pypdf import PdfReader

    elements: list = []

    def walk(element, depth=0):
        element = element.get_object()
        if depth > 80 or not hasattr(element, "get"):
            return
        elements.append(element)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object") or isinstance(kid, dict):
                walk(kid, depth + 1)

    walk(PdfReader(io.BytesIO(content)).trailer["/Root"]["/StructTreeRoot"])
    return elements


def table_attribute(element, name: str):
    """An attribute of a table cell's /A (Typst writes a list of attribute dictionaries)."""
    attributes = element.get("/A")
    for owner in attributes if isinstance(attributes, list) else [attributes]:
        owner = owner.get_object() if hasattr(owner, "get_object") else owner
        if owner is not None and name in owner:
            return owner[name]
    return None


def pdf_words(content: bytes) -> list[tuple[str, float, float]]:
    """Every word of a PDF with its right edge and its page's width (pdftotext -bbox)."""
    result = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    words = []
    width = 0.0
    for line in result.splitlines():
        page = re.search(r'<page width="([\d.]+)"', line)
        if page:
            width = float(page.group(1))
        word = re.search(
            r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*)</word>', line
        )
        if word:
            words.append((word.group(2), float(word.group(1)), width))
    return words


def docx_document(content: bytes):
    from docx import Document

    return Document(io.BytesIO(content))


def docx_text(content: bytes) -> str:
    """Every paragraph of a Word file, in the body and in its tables, in order."""
    document = docx_document(content)
    body = document.element.body
    return "\n".join(node.text or "" for node in body.iter() if node.tag.endswith("}t"))


def xlsx_workbook(content: bytes):
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(content))
