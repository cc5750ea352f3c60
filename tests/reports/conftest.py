"""Reports of the Koblenz sample in every format, rendered once per test session, and readers."""

from __future__ import annotations

import io
import re
import subprocess

import pytest

from klebepunkt.domain import evaluate
from klebepunkt.i18n import translator
from klebepunkt.reports import FORMATS, build_report, render_report
from klebepunkt.samples import load_sample

GERMAN = translator("de")


@pytest.fixture(scope="session")
def koblenz_record():
    return load_sample("koblenz-2017")


@pytest.fixture(scope="session")
def koblenz_report(koblenz_record):
    evaluation = evaluate(koblenz_record.tally, koblenz_record.rules)
    return build_report(
        evaluation,
        GERMAN,
        title=koblenz_record.title,
        subtitle=koblenz_record.body,
        record=koblenz_record,
        language="de",
    )


@pytest.fixture(scope="session")
def koblenz_files(koblenz_report) -> dict[str, bytes]:
    """The Koblenz report in every format: format → the file's bytes."""
    return {fmt: render_report(koblenz_report, fmt) for fmt in FORMATS}


def squash(text: str) -> str:
    """Text without whitespace and hyphens, so that a line or hyphenation break in a PDF
    does not hide a phrase."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", text)


def pdf_text(content: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it (pypdf garbles WeasyPrint's
    custom-encoded font subsets)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


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
