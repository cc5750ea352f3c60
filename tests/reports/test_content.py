"""The content model: Teil I from what is known, charts, and the explanation."""

from __future__ import annotations

from klebepunkt.domain import Card, Goal, Rules, Tally, evaluate
from klebepunkt.reports import FORMATS, SupportRow, build_report, render_report
from tests.reports.conftest import GERMAN


def _tally() -> Tally:
    return Tally(
        goals=(Goal("g1", "Pflege", "Ziel A", nr="1"), Goal("g2", "Pflege", "Ziel B", nr="2")),
        cards=(
            Card("c1", "Pflege", "Karte 1", dots=3, goal_id="g1"),
            Card("c2", "Pflege", "Karte 2", dots=2, goal_id="g2"),
            Card("c3", "Pflege", "Karte 3", dots=0),
        ),
    )


def test_a_report_from_a_sheet_has_teil_i_with_only_what_the_sheet_knows():
    report = build_report(evaluate(_tally(), Rules(dots_per_voter=5)), GERMAN, title="T")
    doc = report.documentation
    assert doc is not None
    assert doc.composition_lines == () and doc.meeting_lines == ()
    assert doc.note
    assert "5" in doc.method[0]
    assert dict(doc.figures) == {
        "Vergebene Punkte": 5,
        "Karten mit Handlungsempfehlungen": 3,
        "Ziele": 2,
        "Prioritäten": 1,
        "Einträge im Themenspeicher": 2,
    }


def test_method_follows_the_rules_actually_used():
    capped = build_report(
        evaluate(_tally(), Rules(cap_per_card=2, goal_threshold=4)), GERMAN, title="T"
    )
    method = " ".join(capped.documentation.method)
    assert "2" in capped.documentation.method[1]
    assert "4" in capped.documentation.method[3]
    assert "Themenspeicher" in method


def test_chart_per_theme_field_with_threshold_and_text_alternative():
    report = build_report(evaluate(_tally()), GERMAN, title="T")
    (chart,) = report.charts
    assert chart.theme_field == "Pflege"
    assert [(bar.goal, bar.points, bar.is_priority) for bar in chart.bars] == [
        ("Ziel A", 3, True),
        ("Ziel B", 2, False),
    ]
    assert chart.threshold == 3 and chart.scale_max == 3
    assert "Ziel A" in chart.description and "Ziel B" in chart.description


def test_explanation_lists_goals_near_the_threshold_and_no_support_without_rounds():
    report = build_report(evaluate(_tally()), GERMAN, title="T")
    near = report.explanation.near_threshold
    assert [(line.goal, line.points, line.side.value) for line in near] == [
        ("Ziel A", 3, "at"),
        ("Ziel B", 2, "below"),
    ]
    assert report.explanation.support == ()


def test_support_rows_from_voting_rounds_pass_through_with_their_groups():
    rows = (
        SupportRow("Pflege", "1", "Ziel A", 3, 2, (("Politik", 2), ("Freie Träger", 1))),
        SupportRow("Pflege", "2", "Ziel B", 2, 1, (("Interessenvertreter", 2),)),
    )
    report = build_report(evaluate(_tally()), GERMAN, title="T", support=rows)
    explanation = report.explanation
    assert explanation.support == rows
    assert explanation.support_groups == ("Politik", "Freie Träger", "Interessenvertreter")
    assert explanation.dots_of(rows[1], "Politik") == 0
    assert explanation.dots_of(rows[0], "Politik") == 2


def test_an_empty_tally_renders_in_every_format():
    report = build_report(evaluate(Tally()), GERMAN, title="Leer")
    for fmt in FORMATS:
        assert render_report(report, fmt), fmt


def test_a_theme_field_without_dots_has_an_empty_chart_that_says_so():
    tally = Tally(cards=(Card("c1", "Wohnen", "Karte", dots=0),))
    report = build_report(evaluate(tally), GERMAN, title="T")
    (chart,) = report.charts
    assert chart.bars == ()
    assert chart.description == GERMAN("No card in this theme field received a dot.")
    assert render_report(report, "pdf").startswith(b"%PDF")
