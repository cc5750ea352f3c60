"""The evaluation as JSON-ready data: the schema documented in the README."""

from __future__ import annotations

from typing import Any

from klebepunkt.domain import Card, Evaluation, GoalResult, TopicStoreEntry
from klebepunkt.i18n import Translate


def card_dict(card: Card) -> dict[str, Any]:
    return {
        "text": card.text,
        "indicator": card.indicator,
        "responsible": card.responsible,
        "dots": card.dots,
        "row": card.row,
    }


def goal_dict(goal: GoalResult) -> dict[str, Any]:
    return {
        "theme_field": goal.theme_field,
        "nr": goal.goal.nr,
        "goal": goal.goal.text,
        "points": goal.points,
        "priority": goal.is_priority,
        "clustered": goal.clustered,
        "cards": [card_dict(card) for card in goal.cards],
    }


def topic_store_dict(entry: TopicStoreEntry) -> dict[str, Any]:
    return {
        "theme_field": entry.theme_field,
        "text": entry.text,
        "reason": entry.reason.value,
        "goal": entry.goal.text if entry.goal else None,
        "goal_points": entry.goal_points,
        "dots": entry.card.dots,
        "indicator": entry.card.indicator,
        "responsible": entry.card.responsible,
        "row": entry.card.row,
    }


def evaluation_dict(evaluation: Evaluation, translate: Translate) -> dict[str, Any]:
    rules = evaluation.rules
    threshold = evaluation.threshold
    return {
        "threshold": threshold,
        "dots_per_voter": rules.dots_per_voter,
        "cap_per_card": rules.cap_per_card,
        "aggregation": rules.aggregation.value,
        "total_dots": evaluation.total_dots,
        "theme_fields": [
            {
                "name": field.name,
                "dots": field.dots,
                "goals": [goal_dict(goal) for goal in field.goals],
            }
            for field in evaluation.theme_fields
        ],
        "priorities": [goal_dict(goal) for goal in evaluation.priorities],
        "topic_store": [topic_store_dict(entry) for entry in evaluation.topic_store],
        "near_threshold": [
            {
                "theme_field": near.goal.theme_field,
                "goal": near.goal.goal.text,
                "points": near.goal.points,
                "side": near.side.value,
                "priority": near.goal.is_priority,
            }
            for near in evaluation.near_threshold
        ],
        "warnings": [
            {
                "code": finding.code.value,
                "message": finding.message.render(translate),
                "theme_field": finding.theme_field,
                "row": finding.row,
            }
            for finding in evaluation.warnings
        ],
    }
