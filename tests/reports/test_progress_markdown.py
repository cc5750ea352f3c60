"""The progress report's Markdown shows every text as text, as the result report's does."""

from __future__ import annotations

from datetime import UTC, date, datetime

from markdown_it import MarkdownIt

from klebepunkt.domain.monitoring import Status
from klebepunkt.domain.monitoring_state import Change, Item, ItemKind, Monitoring, Priority
from klebepunkt.reports import render
from klebepunkt.reports.progress import build_progress_report

LINK = "[x](javascript:alert(1))"
IMAGE = "![b](http://evil.example/b.png)"
CODE = "`rm -rf`"
EMPHASIS = "**laut** _leise_"
HOSTILE = f"{LINK} {IMAGE} {CODE} {EMPHASIS} <b>fett</b>"


def english(msgid: str) -> str:
    return msgid


def hostile_monitoring() -> Monitoring:
    change = Change(
        id=1,
        status=Status.PLANNED,
        responsible=HOSTILE,
        contact="",
        due_date=date(2026, 6, 30),
        comment=HOSTILE,
        changed_at=datetime(2026, 3, 1, 10, tzinfo=UTC),
        changed_on=date(2026, 3, 1),
        changed_by="facilitator",
    )
    goal = Item(ItemKind.GOAL, 1, "Z1", HOSTILE, "", "", changes=(change,))
    card = Item(ItemKind.CARD, 2, "HE2", HOSTILE, HOSTILE, HOSTILE)
    return Monitoring((Priority(goal, (card,), theme_field=HOSTILE, nr="1", points=7),))


def test_progress_markdown_has_no_link_image_code_or_html_from_the_texts():
    report = build_progress_report(
        hostile_monitoring(),
        title=HOSTILE,
        as_of=date(2026, 4, 1),
        since=None,
        translate=english,
        language="de",
    )
    markdown = render(report, "md").decode("utf-8")
    parser = MarkdownIt("commonmark").enable("table")
    parser.validateLink = lambda url: True  # any link syntax would become a link
    html = parser.render(markdown)
    assert "<a " not in html  # no link: [x](javascript:…) stays text
    assert "<img" not in html
    assert "<code>" not in html
    assert "<strong>laut" not in html and "<em>leise" not in html
    assert "<b>" not in html
    assert "[x](javascript:alert(1))" in html.replace("\\", "")  # the text itself is kept
