"""The reference case: the shipped Koblenz sample evaluates to the seed's expected result."""

from __future__ import annotations

from klebepunkt.domain import TopicStoreReason, evaluate
from klebepunkt.samples import load_sample

LOST_CARD = "Eine integrierte Kinderbetreuung bei Sprachbildung wird sichergestellt."


def expected_topic_store(seed: dict) -> list[tuple[str, str]]:
    """Every zero-dot card plus every card of a goal below the threshold (texts or goal texts)."""
    threshold = seed["process"]["rules"]["goal_threshold"]
    entries = []
    for field in seed["theme_fields"]:
        name = field["name"]
        entries += [(name, text) for text in seed["zero_dot_cards"][name]]
        for goal in field["goals"]:
            if sum(c["dots"] for c in goal["cards"]) < threshold:
                entries += [(name, c.get("text") or goal["goal"]) for c in goal["cards"]]
    return entries


def test_koblenz_sample_reproduces_the_seed(koblenz_expected, koblenz_seed):
    record = load_sample("koblenz-2017")
    result = evaluate(record.tally, record.rules)

    assert result.total_dots == koblenz_expected["total_dots"] == 47
    assert [[g.theme_field, g.goal.text, g.points] for g in result.priorities] == koblenz_expected[
        "teil_ii"
    ]
    below = [g for g in result.goals if not g.is_priority]
    assert len(below) == koblenz_expected["themenspeicher"]["below_threshold_goals"] == 14
    store = [(e.theme_field, e.text) for e in result.topic_store]
    assert sorted(store) == sorted(expected_topic_store(koblenz_seed))
    assert sum(1 for e in result.topic_store if e.reason is TopicStoreReason.NO_DOTS) == 36
    assert ("Bildung", LOST_CARD) in store
    assert len(store) == len(set(store)) == 36 + 15
    assert result.warnings == ()


def test_koblenz_dots_per_theme_field():
    record = load_sample("koblenz-2017")
    result = evaluate(record.tally, record.rules)
    assert {f.name: f.dots for f in result.theme_fields} == {
        "Pflege": 13,
        "Wohnen": 9,
        "Soziale Belastung": 15,
        "Bildung": 10,
    }


def test_koblenz_composition_has_19_voters():
    record = load_sample("koblenz-2017")
    assert record.voters == 19
    rows = {row.group.name: (row.members, row.voting_members) for row in record.composition()}
    assert rows["Politik"] == (9, 9)
    assert rows["Verwaltung"] == (3, 0)
