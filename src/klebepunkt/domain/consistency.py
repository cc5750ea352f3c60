"""Consistency check of hand-made tables: every departure from the rule.

A table made by hand (the seed's, or a sheet with the columns "Punkte für das
Ziel" and "Themenspeicher") states its own goal points and its own topic store.
The check lists, per theme field:

- ``stated_points_differ``: a goal whose stated points differ from its cards'
  (the evaluation's own warning, taken over as it is);
- ``missing_from_topic_store``: a card the rule puts in the topic store that the
  table does not list there;
- ``priority_in_topic_store``: a card the table lists in the topic store although
  its goal is a priority, so it is in both places;
- ``duplicate_goal_number``: two goals of one theme field with the same number.

A card without text is a dot on the goal itself (the seed has two). A hand-made
topic store lists recommendations by their text, so it has nothing to list for
such a dot: its absence from the table's topic store is not a departure. (The
evaluation's own topic store does list it, by the goal's text.) The topic store
is only compared for cards where the table says something
(``Card.stated_in_topic_store`` is not None).
"""

from __future__ import annotations

from klebepunkt.domain.evaluation import (
    Evaluation,
    Finding,
    FindingCode,
    PlacementKind,
    TopicStoreReason,
)
from klebepunkt.domain.messages import Message, gettext_noop
from klebepunkt.domain.model import Card, Goal, Tally
from klebepunkt.domain.model import normalise_text as _normalise


def consistency(tally: Tally, evaluation: Evaluation) -> tuple[Finding, ...]:
    """Every departure of the tally's own statements from the rule, per theme field."""
    findings: list[Finding] = [
        finding
        for finding in evaluation.warnings
        if finding.code is FindingCode.STATED_POINTS_DIFFER
    ]
    findings.extend(_duplicate_goal_numbers(tally))
    placements = evaluation.placements()
    threshold = evaluation.threshold
    for card in tally.cards:
        if card.stated_in_topic_store is None:
            continue
        placement = placements[card.id]
        if placement.kind is PlacementKind.TOPIC_STORE and not card.stated_in_topic_store:
            if not card.text or placement.entry is None:
                continue  # a dot on the goal itself: nothing a table would list by text
            entry = placement.entry
            if entry.reason is TopicStoreReason.NO_DOTS:
                message = Message(
                    gettext_noop(
                        "Card “%(card)s” has no dot and belongs in the topic store, "
                        "but the table does not list it there."
                    ),
                    {"card": card.text},
                )
            else:
                message = Message(
                    gettext_noop(
                        "Card “%(card)s” belongs in the topic store: its goal “%(goal)s” has "
                        "%(points)s points, below the threshold of %(threshold)s. "
                        "The table does not list it there."
                    ),
                    {
                        "card": card.text,
                        "goal": entry.goal.text if entry.goal else "",
                        "points": entry.goal_points,
                        "threshold": threshold,
                    },
                )
            findings.append(_card_finding(FindingCode.MISSING_FROM_TOPIC_STORE, message, card))
        elif placement.kind is PlacementKind.PRIORITY and card.stated_in_topic_store:
            goal = placement.goal
            findings.append(
                _card_finding(
                    FindingCode.PRIORITY_IN_TOPIC_STORE,
                    Message(
                        gettext_noop(
                            "Card “%(card)s” is in the table's topic store, but its goal "
                            "“%(goal)s” is a priority with %(points)s points."
                        ),
                        {
                            "card": card.text or (goal.goal.text if goal else ""),
                            "goal": goal.goal.text if goal else "",
                            "points": goal.points if goal else 0,
                        },
                    ),
                    card,
                )
            )
    order = {name: index for index, name in enumerate(tally.ordered_theme_fields())}
    return tuple(sorted(findings, key=lambda finding: order.get(finding.theme_field, len(order))))


def _card_finding(code: FindingCode, message: Message, card: Card) -> Finding:
    return Finding(
        code=code,
        message=message,
        theme_field=card.theme_field,
        goal_id=card.goal_id,
        card_id=card.id,
        row=card.row,
    )


def _duplicate_goal_numbers(tally: Tally) -> list[Finding]:
    first_row: dict[str, int] = {}
    for card in tally.cards:
        if card.goal_id is not None and card.row is not None:
            first_row.setdefault(card.goal_id, card.row)
    seen: dict[tuple[str, str], Goal] = {}
    findings: list[Finding] = []
    for goal in tally.goals:
        number = _normalise(goal.nr).rstrip(".")
        if not number:
            continue
        first = seen.setdefault((goal.theme_field, number), goal)
        if first is goal:
            continue
        findings.append(
            Finding(
                code=FindingCode.DUPLICATE_GOAL_NUMBER,
                message=Message(
                    gettext_noop(
                        "Goal number %(nr)s appears twice in “%(theme_field)s”: "
                        "“%(first)s” and “%(goal)s”."
                    ),
                    {
                        "nr": number,
                        "theme_field": goal.theme_field,
                        "first": first.text,
                        "goal": goal.text,
                    },
                ),
                theme_field=goal.theme_field,
                goal_id=goal.id,
                row=first_row.get(goal.id),
            )
        )
    return findings
