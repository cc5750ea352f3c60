"""The clustering board of one theme field as plain values for its page.

Points and whether a goal is a priority come from the domain's evaluation
(``GoalResult.points`` and ``GoalResult.is_priority``); nothing here applies the
threshold itself. The cards without a goal are shown a page at a time, so a
process with a thousand cards stays quick to draw and to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from klebepunkt.domain import GoalResult, GoalSuggester, evaluate
from klebepunkt.processes import models, selectors

PAGE_SIZE = 25  # cards without a goal per page


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
    evaluation = evaluate(tally, selectors.rules_of(process))
    results: dict[str, GoalResult] = {
        result.goal.id: result for result in evaluation.goals if result.clustered
    }
    counted = {int(card.id): card.dots for card in tally.cards}
    field_goals = list(field.goals.order_by("position", "id"))
    choices = tuple(GoalChoice(goal.pk, goal.nr, goal.text) for goal in field_goals)
    field_cards = list(field.cards.select_related("goal").order_by("position", "id"))

    def board_card(card: models.Card, suggestion: Suggestion | None = None) -> BoardCard:
        return BoardCard(
            pk=card.pk,
            text=card.text,
            label=card.label,
            indicator=card.indicator,
            dots=counted.get(card.pk, card.dots),
            goal_pk=card.goal_id,
            suggestion=suggestion,
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
            )
        )
    without_goal = [card for card in field_cards if card.goal_id is None]
    with_dots = [card for card in without_goal if counted.get(card.pk, card.dots) > 0]
    pages = max(1, -(-len(with_dots) // PAGE_SIZE))
    page = min(max(page or 1, 1), pages)
    shown = with_dots[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    suggester = GoalSuggester(tally)
    domain_cards = {card.id: card for card in tally.cards}
    texts = {goal.pk: goal.text for goal in field_goals}

    def suggestion_for(card: models.Card) -> Suggestion | None:
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
