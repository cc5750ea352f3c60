"""The clustering board of one theme field as plain values for its page.

Points and whether a goal is a priority come from the domain's evaluation
(``GoalResult.points`` and ``GoalResult.is_priority``); nothing here applies the
threshold itself. The cards without a goal are shown a page at a time, so a
process with a thousand cards stays quick to draw and to change.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from klebepunkt.domain import GoalResult, Tally
from klebepunkt.processes import models, selectors

PAGE_SIZE = 25  # cards without a goal per page


def _cut(text: str, length: int) -> str:
    """``Truncator(text).chars(length)``, without its cost for the many texts that fit."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(length)


class _Row(NamedTuple):
    """A card of the theme field as read for the board (values, not model instances)."""

    pk: int
    text: str
    indicator: str
    dots: int
    goal_id: int | None


@dataclass(frozen=True, slots=True)
class Suggestion:
    goal_pk: int
    goal_text: str
    like: str  # the text of the goal's card the card resembles most; "" for the goal's own text


@dataclass(frozen=True, slots=True)
class BoardCard:
    pk: int
    text: str
    label: str
    indicator: str
    dots: int  # as counted: entered on the card plus the rounds that count
    goal_pk: int | None
    suggestion: Suggestion | None = None
    options: str = ""  # the goals as <option>s of its select box, its own goal selected
    short_label: str = ""  # the label cut to 60 characters, for the buttons' hidden names
    short_text: str = ""  # the text (or "…") cut to 60 characters, for its select box's label
    short_indicator: str = ""


@dataclass(frozen=True, slots=True)
class GoalChoice:
    pk: int
    nr: str
    text: str


@dataclass(frozen=True, slots=True)
class BoardGoal:
    pk: int
    nr: str
    text: str
    points: int
    is_priority: bool
    percent: int  # of the meter's scale
    cards: tuple[BoardCard, ...]
    others: tuple[GoalChoice, ...]  # the goals it can be merged into
    merge_options: str = ""  # the same as <option>s


@dataclass(frozen=True, slots=True)
class Board:
    field: models.ThemeField | None
    fields: tuple[models.ThemeField, ...]
    goals: tuple[BoardGoal, ...]
    goal_choices: tuple[GoalChoice, ...]
    unclustered: tuple[BoardCard, ...]  # this page of the cards with dots and no goal
    unclustered_count: int
    page: int
    pages: int
    zero_cards: tuple[BoardCard, ...]
    threshold: int
    threshold_percent: int

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def board_of(process: models.Process, field_id: int | None, page: int | None = None) -> Board:
    fields = tuple(selectors.theme_fields_of(process))
    field = next((f for f in fields if f.pk == field_id), fields[0] if fields else None)
    threshold = process.goal_threshold
    if field is None:
        return Board(None, fields, (), (), (), 0, 1, 1, (), threshold, 0)
    tally = selectors.tally_of(process)
    evaluation = selectors.evaluation_of(tally, selectors.rules_of(process))
    results: dict[str, GoalResult] = {
        result.goal.id: result for result in evaluation.goals if result.clustered
    }
    counted = {int(card.id): card.dots for card in tally.cards}
    field_goals = list(field.goals.order_by("position", "id"))
    choices = tuple(GoalChoice(goal.pk, goal.nr, goal.text) for goal in field_goals)
    field_cards = [
        _Row(*values)
        for values in field.cards.order_by("position", "id").values_list(
            "pk", "text", "indicator", "dots", "goal_id"
        )
    ]
    texts = {goal.pk: goal.text for goal in field_goals}

    # the goals' <option>s are rendered once, not once per card: a field of 250 cards and 60
    # goals would otherwise render 15,000 options through the template engine
    option = {
        choice.pk: format_html(
            '<option value="{}">{}</option>',
            choice.pk,
            (f"{choice.nr}. " if choice.nr else "") + _cut(choice.text, 70),
        )
        for choice in choices
    }
    all_options = "".join(option.values())

    def options(selected: int | None) -> str:
        if selected is None or selected not in option:
            return mark_safe(all_options)  # noqa: S308 - built by format_html above
        chosen = f'<option value="{selected}">'
        return mark_safe(  # noqa: S308 - built by format_html above
            all_options.replace(chosen, f'<option value="{selected}" selected>', 1)
        )

    def board_card(card: _Row, suggestion: Suggestion | None = None) -> BoardCard:
        # the label as models.Card.label: the text, for a dot on the goal itself the goal's
        label = card.text or (texts.get(card.goal_id, "") if card.goal_id else "")
        return BoardCard(
            pk=card.pk,
            text=card.text,
            label=label,
            indicator=card.indicator,
            dots=counted.get(card.pk, card.dots),
            goal_pk=card.goal_id,
            suggestion=suggestion,
            options=options(card.goal_id),
            short_label=_cut(label, 60),
            short_text=_cut(card.text or "…", 60),
            short_indicator=_cut(card.indicator, 80),
        )

    scale = max([threshold * 2] + [result.points for result in results.values()])
    goals = []
    for goal in field_goals:
        result = results.get(str(goal.pk))
        points = result.points if result else 0
        goals.append(
            BoardGoal(
                pk=goal.pk,
                nr=goal.nr,
                text=goal.text,
                points=points,
                is_priority=result.is_priority if result else False,
                percent=round(100 * min(points, scale) / scale),
                cards=tuple(board_card(card) for card in field_cards if card.goal_id == goal.pk),
                others=tuple(choice for choice in choices if choice.pk != goal.pk),
                merge_options=mark_safe(all_options.replace(option[goal.pk], "", 1)),  # noqa: S308
            )
        )
    without_goal = [card for card in field_cards if card.goal_id is None]
    with_dots = [card for card in without_goal if counted.get(card.pk, card.dots) > 0]
    pages = max(1, -(-len(with_dots) // PAGE_SIZE))
    page = min(max(page or 1, 1), pages)
    shown = with_dots[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    # suggestions stay within the theme field: its cards and goals are the whole index
    suggester = selectors.goal_suggester_of(
        Tally(
            goals=tuple(goal for goal in tally.goals if goal.theme_field == field.name),
            cards=tuple(card for card in tally.cards if card.theme_field == field.name),
            theme_fields=(field.name,),
        )
    )
    domain_cards = {card.id: card for card in tally.cards}

    def suggestion_for(card: _Row) -> Suggestion | None:
        found = suggester.suggest_for(domain_cards[str(card.pk)], limit=1)
        if not found or int(found[0].goal.id) not in texts:
            return None
        like = found[0].like
        return Suggestion(
            int(found[0].goal.id), texts[int(found[0].goal.id)], like.text if like else ""
        )

    return Board(
        field=field,
        fields=fields,
        goals=tuple(goals),
        goal_choices=choices,
        unclustered=tuple(board_card(card, suggestion_for(card)) for card in shown),
        unclustered_count=len(with_dots),
        page=page,
        pages=pages,
        zero_cards=tuple(
            board_card(card) for card in without_goal if counted.get(card.pk, card.dots) == 0
        ),
        threshold=threshold,
        threshold_percent=round(100 * threshold / scale),
    )
