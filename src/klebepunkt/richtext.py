"""The texts a working group writes (introduction, reasons, minutes…): a small Markdown subset.

Paragraphs, bulleted and numbered lists, *emphasis*, **strong** and links — nothing else.
``markdown-it-py`` parses (raw HTML off: it stays text); the tokens become ``Block``
values, from which every format is written: HTML for the web and the PDF (then cleaned
once more by ``nh3``), Markdown, Word runs, plain text for spreadsheets. A link whose
target is not ``http``, ``https`` or ``mailto`` (``javascript:``, ``data:``…) keeps its
text and loses its target. Pure: no Django.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_LENGTH = 20_000  # characters of one text; a long chapter, far from a pasted book
SAFE_SCHEMES = ("http://", "https://", "mailto:")

_PARSER = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(
    ["emphasis", "list", "link", "newline", "escape", "entity"]
)
_PARSER.validateLink = lambda url: url.strip().lower().startswith(SAFE_SCHEMES)  # type: ignore[method-assign]


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    strong: bool = False
    emphasis: bool = False
    href: str = ""  # only http(s) and mailto targets


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "p", "ul" or "ol"
    items: tuple[tuple[Run, ...], ...]  # a paragraph has one item; a list one per entry


def too_long(text: str) -> bool:
    return len(text) > MAX_LENGTH


def _inline(token: Token) -> tuple[Run, ...]:
    runs: list[Run] = []
    strong = emphasis = 0
    href = ""
    for child in token.children or ():
        if child.type == "strong_open":
            strong += 1
        elif child.type == "strong_close":
            strong -= 1
        elif child.type == "em_open":
            emphasis += 1
        elif child.type == "em_close":
            emphasis -= 1
        elif child.type == "link_open":
            target = str(child.attrs.get("href", ""))
            href = target if target.lower().startswith(SAFE_SCHEMES) else ""
        elif child.type == "link_close":
            href = ""
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run("\n"))
        elif child.content:
            runs.append(Run(child.content, strong > 0, emphasis > 0, href))
    return tuple(runs)


def blocks(text: str) -> tuple[Block, ...]:
    """The text's paragraphs and lists (nested lists are flattened into their parent)."""
    result: list[Block] = []
    lists: list[tuple[str, list[tuple[Run, ...]]]] = []
    for token in _PARSER.parse(text.replace("\x00", "")):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(("ul" if token.type.startswith("bullet") else "ol", []))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            kind, items = lists.pop()
            if lists:
                lists[-1][1].extend(items)
            else:
                result.append(Block(kind, tuple(items)))
        elif token.type == "inline":
            runs = _inline(token)
            if lists:
                lists[-1][1].append(runs)
            elif runs:
                result.append(Block("p", (runs,)))
    return tuple(result)


# --- the formats ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Marks:
    """How one output format writes a line break, a text, emphasis, strong and a link."""

    newline: str
    text: Callable[[str], str]
    emphasis: Callable[[str], str]
    strong: Callable[[str], str]
    link: Callable[[str, str], str]  # (the linked piece, the address)


def _marked(runs: tuple[Run, ...], marks: _Marks) -> str:
    out = []
    for run in runs:
        if run.text == "\n":
            out.append(marks.newline)
            continue
        piece = marks.text(run.text)
        if run.emphasis:
            piece = marks.emphasis(piece)
        if run.strong:
            piece = marks.strong(piece)
        if run.href:
            piece = marks.link(piece, run.href)
        out.append(piece)
    return "".join(out)


_HTML = _Marks(
    newline="<br>",
    text=html.escape,
    emphasis=lambda piece: f"<em>{piece}</em>",
    strong=lambda piece: f"<strong>{piece}</strong>",
    link=lambda piece, href: f'<a href="{html.escape(href)}">{piece}</a>',
)


def _html_runs(runs: tuple[Run, ...]) -> str:
    return _marked(runs, _HTML)


def to_html(text: str) -> str:
    """Safe HTML: built from the blocks, then cleaned by nh3 with a list of allowed tags."""
    parts = []
    for block in blocks(text):
        if block.kind == "p":
            parts.append(f"<p>{_html_runs(block.items[0])}</p>")
        else:
            items = "".join(f"<li>{_html_runs(item)}</li>" for item in block.items)
            parts.append(f"<{block.kind}>{items}</{block.kind}>")
    return nh3.clean(
        "\n".join(parts),
        tags={"p", "ul", "ol", "li", "em", "strong", "a", "br"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|!~])")

_MARKDOWN = _Marks(
    newline="  \n",
    text=lambda text: (
        _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    ),
    emphasis=lambda piece: f"*{piece}*",
    strong=lambda piece: f"**{piece}**",
    link=lambda piece, href: f"[{piece}](<{href.replace('>', '%3E').replace(' ', '%20')}>)",
)


def _as_text(text: str, runs: Callable[[tuple[Run, ...]], str], bullet: str) -> str:
    """Paragraphs apart by a blank line, list entries one a line after ``bullet`` or a number."""
    parts = []
    for block in blocks(text):
        if block.kind == "p":
            parts.append(runs(block.items[0]))
        else:
            parts.append(
                "\n".join(
                    f"{bullet if block.kind == 'ul' else f'{n}.'} {runs(item)}"
                    for n, item in enumerate(block.items, start=1)
                )
            )
    return "\n\n".join(parts)


def to_markdown(text: str) -> str:
    """Safe Markdown: every character that could start HTML or a construct is escaped."""
    return _as_text(text, lambda runs: _marked(runs, _MARKDOWN), "-")


def plain_runs(runs: tuple[Run, ...]) -> str:
    return "".join(run.text + (f" ({run.href})" if run.href else "") for run in runs)


def to_plain(text: str) -> str:
    """Plain text (for a spreadsheet cell): paragraphs, list entries with a dash or number."""
    return _as_text(text, plain_runs, "–")
