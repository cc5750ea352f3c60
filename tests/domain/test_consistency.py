"""Consistency of hand-made tables: every departure from the rule, and nothing else."""

from __future__ import annotations

from klebepunkt.domain import FindingCode, Rules, Tally, evaluate
from klebepunkt.domain.consistency import consistency
from klebepunkt.samples import load_sample
from klebepunkt.sheets import read_sheet, write_sheet
from tests.domain.explain_helpers import card, goal

LOST_CARD = "Eine integrierte Kinderbetreuung bei Sprachbildung wird sichergestellt."


def check(tally: Tally):
    return consistency(tally, evaluate(tally, Rules()))


def test_koblenz_reports_exactly_the_lost_card_and_the_doubled_goal_number():
    record = load_sample("koblenz-2017")
    findings = consistency(record.tally, evaluate(record.tally, record.rules))
    assert [(f.code, f.theme_field) for f in findings] == [
        (FindingCode.DUPLICATE_GOAL_NUMBER, "Soziale Belastung"),
        (FindingCode.MISSING_FROM_TOPIC_STORE, "Bildung"),
    ]
    duplicate, missing = findings
    goals = {g.id: g for g in record.tally.goals}
    assert goals[duplicate.goal_id].nr == "2"
    assert goals[duplicate.goal_id].text == "Es gibt sozialen Wohnraum in allen Stadtteilen"
    assert duplicate.message.params["first"] == (
        "Verstärkte Kooperation von Ordnungsbehörden und sozialer Arbeit"
    )
    cards = {c.id: c for c in record.tally.cards}
    assert cards[missing.card_id].text == LOST_CARD
    assert LOST_CARD in str(missing.message)


def test_koblenz_sheet_reports_the_same_with_rows(tmp_path):
    path = tmp_path / "koblenz.xlsx"
    write_sheet(load_sample("koblenz-2017").tally, path)
    tally = read_sheet(path).tally
    findings = check(tally)
    assert [f.code for f in findings] == [
        FindingCode.DUPLICATE_GOAL_NUMBER,
        FindingCode.MISSING_FROM_TOPIC_STORE,
    ]
    assert all(f.row is not None for f in findings)


def test_card_of_a_priority_in_the_tables_topic_store_is_in_both_places():
    tally = Tally(goals=(goal("g"),), cards=(card("a", 3, "g", stated_in_topic_store=True),))
    [finding] = check(tally)
    assert finding.code is FindingCode.PRIORITY_IN_TOPIC_STORE
    assert finding.card_id == "a"


def test_zero_dot_card_missing_from_the_tables_topic_store():
    tally = Tally(cards=(card("a", 0, stated_in_topic_store=False),))
    [finding] = check(tally)
    assert finding.code is FindingCode.MISSING_FROM_TOPIC_STORE
    assert "no dot" in finding.message.msgid


def test_dot_on_the_goal_itself_is_not_expected_in_the_tables_topic_store():
    tally = Tally(
        goals=(goal("g"),), cards=(card("a", 1, "g", text="", stated_in_topic_store=False),)
    )
    assert check(tally) == ()


def test_a_table_that_states_nothing_has_no_topic_store_departures():
    tally = Tally(goals=(goal("g"),), cards=(card("a", 1, "g"), card("b", 0)))
    assert check(tally) == ()


def test_stated_points_that_differ_come_from_the_evaluation_unchanged():
    tally = Tally(goals=(goal("g", stated=4),), cards=(card("a", 3, "g"),))
    result = evaluate(tally)
    findings = consistency(tally, result)
    assert findings == result.warnings
    assert findings[0].code is FindingCode.STATED_POINTS_DIFFER


def test_duplicate_numbers_only_within_one_theme_field():
    tally = Tally(
        goals=(goal("a", "Pflege", "1"), goal("b", "Wohnen", "1"), goal("c", "Pflege", "1.")),
        cards=(),
    )
    [finding] = check(tally)
    assert (finding.code, finding.goal_id, finding.theme_field) == (
        FindingCode.DUPLICATE_GOAL_NUMBER,
        "c",
        "Pflege",
    )
