"""Writes to a process: each service does one thing, completely or not at all."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from klebepunkt.domain import TopicStoreReason
from klebepunkt.domain.tally_diff import CardChange, diff_tallies
from klebepunkt.processes import models, selectors, services
from klebepunkt.sheets import read_sheet_bytes
from tests.factories import CardFactory, GoalFactory, ThemeFieldFactory

pytestmark = pytest.mark.django_db


def test_koblenz_import_evaluates_to_the_seed(koblenz, koblenz_expected):
    result = selectors.evaluate_process(koblenz)
    assert result.total_dots == 47
    assert [[g.theme_field, g.goal.text, g.points] for g in result.priorities] == koblenz_expected[
        "teil_ii"
    ]
    assert len(result.topic_store) == 51
    assert koblenz.members.count() == 22
    assert koblenz.members.filter(voting=True).count() == 19
    assert koblenz.meetings.count() == 3


def test_assigning_a_card_moves_its_dots_to_the_goal(db):
    field = ThemeFieldFactory()
    goal = GoalFactory(theme_field=field)
    card = CardFactory(theme_field=field, dots=3)
    services.assign_card(card=card, goal=goal)
    [result] = selectors.evaluate_process(field.process).goals
    assert (result.goal.id, result.points, result.is_priority) == (str(goal.pk), 3, True)


def test_card_cannot_join_a_goal_of_another_theme_field(db):
    field = ThemeFieldFactory()
    other = GoalFactory(theme_field=ThemeFieldFactory(process=field.process))
    with pytest.raises(ValidationError):
        services.assign_card(card=CardFactory(theme_field=field), goal=other)


def test_merge_moves_cards_and_deletes_the_source(db):
    field = ThemeFieldFactory()
    a, b = GoalFactory(theme_field=field), GoalFactory(theme_field=field)
    CardFactory(theme_field=field, goal=a, dots=1)
    CardFactory(theme_field=field, goal=b, dots=2)
    services.merge_goals(target=a, sources=[b])
    assert not models.Goal.objects.filter(pk=b.pk).exists()
    [result] = selectors.evaluate_process(field.process).goals
    assert result.points == 3


def test_split_moves_chosen_cards_to_a_new_goal(db):
    field = ThemeFieldFactory()
    goal = GoalFactory(theme_field=field)
    keep = CardFactory(theme_field=field, goal=goal, dots=2)
    move = CardFactory(theme_field=field, goal=goal, dots=1)
    new_goal = services.split_goal(goal=goal, cards=[move], text="Neues Ziel")
    keep.refresh_from_db()
    move.refresh_from_db()
    assert (keep.goal_id, move.goal_id) == (goal.pk, new_goal.pk)
    assert {g.goal.text: g.points for g in selectors.evaluate_process(field.process).goals} == {
        goal.text: 2,
        "Neues Ziel": 1,
    }


def test_split_with_no_cards_is_refused(db):
    goal = GoalFactory()
    with pytest.raises(ValidationError):
        services.split_goal(goal=goal, cards=[], text="x")


def test_deleting_a_goal_keeps_its_cards(db):
    goal = GoalFactory()
    card = CardFactory(theme_field=goal.theme_field, goal=goal, dots=1)
    services.delete_goal(goal=goal)
    card.refresh_from_db()
    assert card.goal is None
    assert [w.code for w in selectors.evaluate_process(goal.theme_field.process).warnings] == [
        "unclustered_card"
    ]


def test_zero_dot_card_of_a_stored_process_is_in_the_topic_store(db):
    card = CardFactory(dots=0)
    [entry] = selectors.evaluate_process(card.theme_field.process).topic_store
    assert (entry.card.id, entry.reason) == (str(card.pk), TopicStoreReason.NO_DOTS)


def test_duplicate_theme_field_is_refused(db):
    field = ThemeFieldFactory(name="Pflege")
    with pytest.raises(ValidationError):
        services.create_theme_field(process=field.process, name="  Pflege ")


def test_sheet_import_diff_and_apply(koblenz):
    sheet = read_sheet_bytes(
        (
            "Themenfeld;Ziel;Handlungsempfehlung;Punkte\n"
            "Pflege;Es werden Menschen für Pflegeberufe gewonnen (Fachkräfteakquise);Imagekampagne für Pflegeberufe;4\n"
            "Pflege;Neues Ziel;Neue Karte;2\n"
            "Kultur;;Theater für alle;0\n"
        ).encode(),
        "nachtrag.csv",
    )
    diff = diff_tallies(
        selectors.tally_of(koblenz, include_rounds=False), sheet.tally, compare=("dots", "goal")
    )
    assert diff.new_theme_fields == ("Kultur",)
    assert [g.text for g in diff.new_goals] == ["Neues Ziel"]
    assert [d.incoming.text for d in diff.of(CardChange.ADDED)] == [
        "Neue Karte",
        "Theater für alle",
    ]
    [changed] = diff.of(CardChange.CHANGED)
    assert changed.fields == ("dots",)
    assert len(diff.of(CardChange.MISSING)) == 66 - 1  # 30 cards with dots and 36 without
    counts = services.apply_tally_diff(process=koblenz, diff=diff, by=None)
    assert (counts["added"], counts["changed"]) == (2, 1)
    result = selectors.evaluate_process(koblenz)
    assert result.total_dots == 47 + 3 + 2
    assert models.Card.objects.filter(theme_field__process=koblenz).count() == 66 + 2


def test_sheet_import_can_remove_missing_cards(koblenz):
    sheet = read_sheet_bytes(
        b"Themenfeld;Handlungsempfehlung;Punkte\nPflege;Duales System Pflege;1\n", "x.csv"
    )
    diff = diff_tallies(selectors.tally_of(koblenz, include_rounds=False), sheet.tally)
    services.apply_tally_diff(process=koblenz, diff=diff, by=None, remove_missing=True)
    assert list(
        models.Card.objects.filter(theme_field__process=koblenz).values_list("text", "dots")
    ) == [("Duales System Pflege", 1)]
