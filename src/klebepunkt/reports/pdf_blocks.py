"""The building blocks of the report's PDF as plain data, for the Typst template to lay out.

A document is a list of blocks (JSON objects with a kind ``t``): headings, paragraphs,
lists, tables, figures and groups kept on one page. Text is always a list of runs: a
plain string, or an object with ``text`` and its marks (``b`` bold, ``i`` italic,
``href``, ``badge``, ``small``, ``del``, ``ins``) or ``br`` for a line break. The
template places every string as text (never as markup), so the data can hold anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from klebepunkt.richtext import Run, blocks

Json = dict[str, Any]
Runs = list[str | Json]
Cell = str | Json

BREAK: Json = {"br": True}


def heading(level: int, text: str, *, outlined: bool = True) -> Json:
    """A heading: level 1 starts a part on a new page (the HTML report's h2)."""
    return {"t": "h", "level": level, "text": text, "outlined": outlined}


def paragraph(*runs: str | Json, style: str = "") -> Json:
    """A paragraph; ``style`` one of "", "note", "meta", "legend", "alt", "intro"."""
    return {"t": "p", "runs": [run for run in runs if run != ""], "style": style}


def bullets(items: Iterable[Runs], *, ordered: bool = False, style: str = "") -> Json:
    return {"t": "list", "ordered": ordered, "items": list(items), "style": style}


def strong(text: str) -> Json:
    return {"text": text, "b": True}


def emphasis(text: str) -> Json:
    return {"text": text, "i": True}


def badge(text: str) -> Json:
    return {"text": text, "badge": True}


def cell(
    *runs: str | Json,
    right: bool = False,
    shade: bool = False,
    bold: bool = False,
    rowspan: int = 1,
    keep: bool = False,
    more: Sequence[Runs] = (),
) -> Cell:
    """A table cell; a plain left-aligned text stays a string (the bulk of a big table).

    ``more``: lines under the first, left-aligned; ``keep``: the rows it spans stay on one
    page.
    """
    if not (right or shade or bold or more or keep or rowspan != 1) and len(runs) == 1:
        only = runs[0]
        if isinstance(only, str):
            return only
    out: Json = {"runs": list(runs)}
    for key, value in (("right", right), ("shade", shade), ("bold", bold), ("keep", keep)):
        if value:
            out[key] = True
    if rowspan != 1:
        out["rowspan"] = rowspan
    if more:
        out["more"] = [list(line) for line in more]
    return out


def number(value: object, **marks: Any) -> Cell:
    return cell(str(value), right=True, **marks)


def table(
    columns: Sequence[float],
    head: Sequence[Cell],
    rows: Iterable[Sequence[Cell]],
    *,
    size: float = 8.5,
    head_size: float | None = None,
    width: float = 100,
    kind: str = "",
) -> Json:
    """A table whose head repeats on every page; ``columns`` in parts of ``width`` (%)."""
    out: Json = {
        "t": "table",
        "kind": kind,
        "columns": list(columns),
        "head": list(head),
        "rows": [list(row) for row in rows],
        "size": size,
        "width": width,
    }
    if head_size is not None:
        out["head_size"] = head_size
    return out


def figure(caption: str, svgs: Sequence[str], alt: str) -> Json:
    """A chart: its caption, its SVG pieces (each tagged as a Figure with ``alt``), ``alt``
    printed under it."""
    return {"t": "figure", "caption": caption, "svgs": list(svgs), "alt": alt}


def kept(content: Sequence[Json]) -> Json:
    """Blocks kept together on one page (when they fit on one)."""
    return {"t": "keep", "blocks": list(content)}


def _run(run: Run) -> str | Json:
    if run.text == "\n":
        return BREAK
    if not (run.strong or run.emphasis or run.href):
        return run.text
    out: Json = {"text": run.text}
    if run.strong:
        out["b"] = True
    if run.emphasis:
        out["i"] = True
    if run.href:
        out["href"] = run.href
    return out


def rich(text: str) -> list[Json]:
    """A text of the working group (the Markdown subset of ``richtext``) as blocks."""
    out: list[Json] = []
    for block in blocks(text):
        items = [[_run(run) for run in item] for item in block.items]
        if block.kind == "p":
            out.append(paragraph(*items[0]))
        else:
            out.append(bullets(items, ordered=block.kind == "ol"))
    return out
