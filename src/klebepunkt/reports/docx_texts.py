"""The working group's own texts in Word: paragraphs and lists with bold, italic and links
(a link as its text followed by its target), written from ``richtext.blocks``."""

from __future__ import annotations

import re
from typing import Any

from klebepunkt.richtext import Run, blocks

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _runs(paragraph: Any, runs: tuple[Run, ...]) -> None:
    for run in runs:
        if run.text == "\n":
            paragraph.add_run().add_break()
            continue
        piece = paragraph.add_run(_ILLEGAL_XML.sub("", run.text))
        piece.bold = run.strong or None
        piece.italic = run.emphasis or None
        if run.href:
            paragraph.add_run(f" ({_ILLEGAL_XML.sub('', run.href)})")


def add_rich(document: Any, text: str) -> None:
    """Append the text's paragraphs and list entries to the document."""
    for block in blocks(text):
        style = {"p": None, "ul": "List Bullet", "ol": "List Number"}[block.kind]
        for item in block.items:
            paragraph = document.add_paragraph(style=style) if style else document.add_paragraph()
            _runs(paragraph, item)
