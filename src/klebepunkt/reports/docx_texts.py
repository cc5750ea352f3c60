"""The working group's own texts in Word: paragraphs and lists with bold, italic and links
(a link as its text followed by its target), written from ``richtext.blocks``."""

from __future__ import annotations

import re
from typing import Any

from klebepunkt.reports.own_texts import OwnTexts, marked
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


def add_rewordings(word: Any, own: OwnTexts) -> None:
    """The annex of the working out: per priority each change with before, after and the
    difference (deleted words struck through, inserted ones underlined, both marked)."""
    if not own.rewordings:
        return
    document = word.document
    word.heading(own.label("rewordings_annex"), 1, new_page=True)
    document.add_paragraph(_ILLEGAL_XML.sub("", own.label("rewordings_intro")))
    priority = None
    for line in own.rewordings:
        if line.priority != priority:
            priority = line.priority
            word.heading(_ILLEGAL_XML.sub("", line.priority[:300]), 2)
        title = document.add_paragraph()
        title.add_run(_ILLEGAL_XML.sub("", line.part)).bold = True
        title.add_run(_ILLEGAL_XML.sub("", f" – {line.at}, {line.by or '–'}"))
        for key, value in (("before", line.before), ("after", line.after)):
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{own.label(key)}: ").italic = True
            paragraph.add_run(_ILLEGAL_XML.sub("", value))
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{own.label('difference')}: ").italic = True
        for index, (op, words) in enumerate(marked(line.segments)):
            run = paragraph.add_run(("" if index == 0 else " ") + _ILLEGAL_XML.sub("", words))
            run.font.strike = op == "deleted" or None
            run.underline = op == "inserted" or None
