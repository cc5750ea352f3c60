"""A printable card sheet for a paper session: every card of a process on an A4 grid.

Six cards per page (two columns, three rows), each with its theme field, its
number (to enter the dots afterwards), its text and an empty box that carries the
sticky dots. Long texts get a smaller type and wrap, also inside very long words;
a card's box never grows, so nothing runs off the card. The PDF is tagged like
the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from klebepunkt.domain import Tally, gettext_noop
from klebepunkt.i18n import Translate
from klebepunkt.reports.kit.formats import StepCallback
from klebepunkt.reports.kit.pdf import html_to_pdf
from klebepunkt.reports.kit.templates import render_template, stylesheet

CARDS_PER_PAGE = 6
# Type sizes by the length of a card's text: (up to this many characters, size class).
TEXT_SIZES = (
    (50, "size-xl"),
    (110, "size-l"),
    (200, "size-m"),
    (360, "size-s"),
    (650, "size-xs"),
)
SMALLEST = "size-xxs"  # beyond about 1,000 characters the card clips the end of the text


@dataclass(frozen=True, slots=True)
class CardFace:
    """What one printed card shows."""

    number: int
    theme_field: str
    text: str
    size: str  # the type size class for the text's length


@dataclass(frozen=True, slots=True)
class CardSheet:
    title: str
    language: str
    cards: tuple[CardFace, ...]
    card_label: str  # "Karte"
    dots_label: str  # "Punkte"
    translate: Translate  # for the steps of a long rendering

    @property
    def pages(self) -> tuple[tuple[CardFace, ...], ...]:
        return tuple(
            self.cards[i : i + CARDS_PER_PAGE] for i in range(0, len(self.cards), CARDS_PER_PAGE)
        )


def _size(text: str) -> str:
    return next((size for limit, size in TEXT_SIZES if len(text) <= limit), SMALLEST)


def build_card_sheet(
    tally: Tally, translate: Translate, *, title: str = "", language: str = "de"
) -> CardSheet:
    """Every card of the tally, in its order; a card without text shows its goal's text."""
    goals = {goal.id: goal for goal in tally.goals}
    faces: list[CardFace] = []
    for card in tally.cards:
        goal = goals.get(card.goal_id) if card.goal_id else None
        text = card.text or (goal.text if goal else "")
        if not text.strip():
            continue
        faces.append(CardFace(len(faces) + 1, card.theme_field, text, _size(text)))
    return CardSheet(
        title=title or translate(gettext_noop("Recommendation cards")),
        language=language,
        cards=tuple(faces),
        card_label=translate(gettext_noop("Card")),
        dots_label=translate(gettext_noop("Dots")),
        translate=translate,
    )


def card_sheet_html(sheet: CardSheet) -> str:
    return render_template("cards.html.j2", sheet=sheet, css=stylesheet("cards.css"))


def render_card_sheet_pdf(sheet: CardSheet, *, on_step: StepCallback | None = None) -> bytes:
    return html_to_pdf(card_sheet_html(sheet), on_step=on_step, translate=sheet.translate)


def render_card_sheet(
    tally: Tally,
    translate: Translate,
    *,
    title: str = "",
    language: str = "de",
    on_step: StepCallback | None = None,
) -> bytes:
    """The card sheet of a tally as PDF bytes."""
    sheet = build_card_sheet(tally, translate, title=title, language=language)
    return render_card_sheet_pdf(sheet, on_step=on_step)
