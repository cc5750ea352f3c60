"""The evaluation and the result report as JSON: the schema documented in the README."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from klebepunkt.domain import (
    Analysis,
    Card,
    Evaluation,
    Goal,
    GoalResult,
    Message,
    TopicStoreEntry,
    WhatIf,
)
from klebepunkt.i18n import Translate

if TYPE_CHECKING:  # the report is built from the dictionaries above; no cycle at run time
    from klebepunkt.reports.content import Report
    from klebepunkt.reports.explanation import GoalExplanationRow


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


# --- the explanation: margins, support, stability, clustering, consistency ---------


def goal_ref(goal: GoalResult) -> dict[str, Any]:
    return {
        "theme_field": goal.theme_field,
        "nr": goal.goal.nr,
        "goal": goal.goal.text,
        "points": goal.points,
        "priority": goal.is_priority,
    }


def _card_ref(card: Card, goals: dict[str, Goal]) -> dict[str, Any]:
    goal = goals.get(card.goal_id) if card.goal_id else None
    return {
        "theme_field": card.theme_field,
        "text": card.text,
        "goal": goal.text if goal else None,
        "dots": card.dots,
        "row": card.row,
    }


def _reason(reason: Message | None, translate: Translate) -> str | None:
    return reason.render(translate) if reason else None


def analysis_dict(analysis: Analysis, translate: Translate) -> dict[str, Any]:
    """The keys ``margins``, ``support``, ``stability``, ``clustering_effect``,
    ``consistency``, ``similar_cards`` and ``goal_suggestions`` (see the README)."""
    goals = {goal.id: goal for goal in analysis.tally.goals}
    cards = {card.id: card for card in analysis.tally.cards}
    support = analysis.support
    stability = analysis.stability
    return {
        "margins": [
            {
                **goal_ref(margin.goal),
                "dots_to_change": margin.dots_to_change,
                "dots_needed": margin.dots_needed,
                "dots_to_lose": margin.dots_to_lose,
            }
            for margin in analysis.margins
        ],
        "support": {
            "available": support.available,
            "reason": _reason(support.reason, translate),
            "voters": support.voters,
            "goals": [
                {
                    **goal_ref(goal.goal),
                    "supporters": goal.supporters,
                    "stakeholder_groups": [
                        {
                            "name": group.stakeholder_group,
                            "voters": group.voters,
                            "dots": group.dots,
                        }
                        for group in goal.groups
                    ],
                    "attributed_dots": goal.attributed_dots,
                    "unattributed_dots": goal.unattributed_dots,
                    "largest_supporter_dots": goal.largest_supporter_dots,
                    "largest_supporter_share": round(goal.largest_supporter_share, 4),
                    "single_supporter": goal.single_supporter,
                }
                for goal in support.goals
            ],
        },
        "stability": {
            "available": stability.available,
            "reason": _reason(stability.reason, translate),
            "voters": stability.voters,
            "goals": [
                {
                    **goal_ref(goal.goal),
                    "changes_without": goal.changes_without,
                    "stable": goal.stable,
                }
                for goal in stability.goals
            ],
        },
        "clustering_effect": [
            {
                **goal_ref(effect.goal),
                "cards": effect.cards,
                "needs_several_cards": effect.needs_several_cards,
                "what_if": {
                    scoring.value: (
                        {"points": outcome.points, "priority": outcome.is_priority}
                        if (outcome := effect.outcome(scoring)) is not None
                        else None
                    )
                    for scoring in WhatIf
                },
            }
            for effect in analysis.clustering_effect
        ],
        "consistency": [
            {
                "code": finding.code.value,
                "message": finding.message.render(translate),
                "theme_field": finding.theme_field,
                "goal": goals[finding.goal_id].text if finding.goal_id in goals else None,
                "nr": goals[finding.goal_id].nr if finding.goal_id in goals else None,
                "card": cards[finding.card_id].text if finding.card_id in cards else None,
                "row": finding.row,
            }
            for finding in analysis.consistency
        ],
        "similar_cards": [
            {
                "score": pair.score,
                "cards": [_card_ref(pair.first, goals), _card_ref(pair.second, goals)],
            }
            for pair in analysis.similar_cards
        ],
        "goal_suggestions": [
            {
                "card": _card_ref(entry.card, goals),
                "suggestions": [
                    {
                        "theme_field": suggestion.goal.theme_field,
                        "nr": suggestion.goal.nr,
                        "goal": suggestion.goal.text,
                        "score": suggestion.score,
                        "like": suggestion.like.text if suggestion.like else None,
                    }
                    for suggestion in entry.suggestions
                ],
            }
            for entry in analysis.goal_suggestions
        ],
    }


# --- the whole report --------------------------------------------------------------


def report_dict(report: Report) -> dict[str, Any]:
    doc = report.documentation
    explanation = report.explanation
    document: dict[str, Any] = {
        "title": report.title,
        "subtitle": report.subtitle,
        "language": report.language,
        "summary": report.summary,
        **evaluation_dict(report.evaluation, report.translate),
        "documentation": None
        if doc is None
        else {
            "introduction": doc.introduction,
            "note": doc.note,
            "composition": [
                {
                    "stakeholder_group": line.stakeholder_group,
                    "who": line.who,
                    "how_many": line.how_many,
                    "members": line.members,
                    "voting": line.voting,
                }
                for line in doc.composition_lines
            ],
            "meetings": [
                {
                    "date": meeting.date.isoformat(),
                    "start": f"{meeting.start:%H:%M}" if meeting.start else None,
                    "end": f"{meeting.end:%H:%M}" if meeting.end else None,
                    "when": line.when,
                    "place": line.place,
                    "focus": line.focus,
                }
                for meeting, line in zip(doc.meetings, doc.meeting_lines, strict=True)
            ],
            "rounds": [
                {
                    "title": line.title,
                    "date": line.day.isoformat() if line.day else None,
                    "theme_field": line.cards,
                    "dots_per_voter": line.dots_per_voter,
                    "cap_per_card": line.cap_per_card,
                    "hide_results": line.hide_results,
                    "secret": line.secret,
                    "form": line.form,
                    "voters": line.voters,
                    "voted": line.voted,
                    "dots": line.dots,
                    "text": line.text,
                }
                for line in doc.rounds
            ],
            "method": list(doc.method),
            "figures": [{"label": label, "value": value} for label, value in doc.figures],
        },
        "overview": [
            {
                "theme_field": table.theme_field,
                "rows": [
                    {
                        "nr": row.nr,
                        "goal": row.goal,
                        "recommendation": row.recommendation,
                        "indicator": row.indicator,
                        "responsible": row.responsible,
                        "card_dots": row.card_dots,
                        "goal_points": row.goal_points,
                        "priority": row.is_priority,
                    }
                    for row in table.rows
                ],
            }
            for table in report.overview
        ],
        "topic_store_reasons": [
            report.reason_text(entry) for section in report.topic_store for entry in section.entries
        ],
        "charts": [
            {
                "theme_field": chart.theme_field,
                "title": chart.title,
                "description": chart.description,
                "threshold": chart.threshold,
                "scale_max": chart.scale_max,
                "bars": [
                    {
                        "nr": bar.nr,
                        "goal": bar.goal,
                        "points": bar.points,
                        "priority": bar.is_priority,
                    }
                    for bar in chart.bars
                ],
            }
            for chart in report.charts
        ],
        "explanation": {
            "near_threshold": [
                {
                    "theme_field": near.theme_field,
                    "nr": near.nr,
                    "goal": near.goal,
                    "points": near.points,
                    "priority": near.is_priority,
                    "side": near.side.value,
                    "explanation": near.explanation,
                }
                for near in explanation.near_threshold
            ],
            "support": [
                {
                    "theme_field": row.theme_field,
                    "nr": row.nr,
                    "goal": row.goal,
                    "points": row.points,
                    "supporters": row.supporters,
                    "dots_by_group": dict(row.dots_by_group),
                }
                for row in explanation.support
            ],
            "analysed": explanation.analysed,
            "support_available": explanation.has_ballots,
            "note": explanation.no_ballots_note,
            "goals": [_goal_explained_dict(row) for row in explanation.goal_rows],
            "what_if_legend": explanation.what_if_legend,
            "rule_note": report.text.rule_decides if explanation.analysed else "",
            "departures": [
                {
                    "code": departure.code,
                    "theme_field": departure.theme_field,
                    "row": departure.row,
                    "message": departure.text,
                }
                for departure in explanation.departures
            ],
            "similar_cards": [
                {
                    "cards": [
                        {"theme_field": pair.first_theme_field, "text": pair.first},
                        {"theme_field": pair.second_theme_field, "text": pair.second},
                    ],
                    "percent": pair.percent,
                    "text": pair.text,
                }
                for pair in explanation.similar_cards
            ],
        },
    }
    own = report.own
    document["texts"] = {
        "foreword": own.foreword,
        "introduction": own.introduction,
        "method": own.method,
        "closing": own.closing,
        "theme_fields": [{"theme_field": name, "text": text} for name, text in own.fields if text],
        "reasons": [
            {"goal_id": goal, "goal": title, "text": text}
            for goal, title, text in own.reasons
            if text
        ],
        "minutes": [{"date": date, "text": text} for date, text in own.minutes if text],
    }
    document["decisions"] = [
        {
            "motion": line.title,
            "decided_on": line.decided_on,
            "result": line.outcome,
            "yes": line.yes,
            "no": line.no,
            "abstentions": line.abstain,
            "voting_members_present": line.present_voting,
            "voting_members": line.voting_members,
            "rule": line.rule,
            "voting": line.voting,
        }
        for line in own.decisions
    ]
    document["changed_after_decision"] = list(own.changed)
    if own.rewordings:  # the annex, when it was asked for
        document["rewordings"] = [
            {
                "goal_id": line.goal_id,
                "priority": line.priority,
                "part": line.part,
                "before": line.before,
                "after": line.after,
                "by": line.by,
                "at": line.at,
                "difference": [{"op": op, "text": words} for op, words in line.segments],
            }
            for line in own.rewordings
        ]
    if own.version_note:
        document["version"] = own.version_note
    return document


def _goal_explained_dict(row: GoalExplanationRow) -> dict[str, Any]:
    """One goal of the explanation; support and stability are null without ballots."""
    return {
        "theme_field": row.theme_field,
        "nr": row.nr,
        "goal": row.goal,
        "points": row.points,
        "priority": row.is_priority,
        "status": row.status,
        "dots_to_change": row.dots_to_change,
        "margin": row.margin,
        "cards": row.cards,
        "supporters": row.supporters,
        "largest_supporter_share_percent": row.largest_share_percent,
        "single_supporter": row.single_supporter if row.supporters is not None else None,
        "unattributed_dots": row.unattributed_dots,
        "changes_without": row.changes_without,
        "stability": row.stability or None,
        "what_if": [
            {
                "scoring": line.scoring,
                "label": line.label,
                "short_label": line.short_label,
                "points": line.points,
                "priority": line.is_priority,
                "differs": line.differs,
                "text": line.text,
            }
            for line in row.what_if
        ],
        "needs_several_cards": row.needs_several_cards,
        "other_ways": list(row.other_ways_lines),
    }


def render_json(report: Report) -> bytes:
    return (json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
