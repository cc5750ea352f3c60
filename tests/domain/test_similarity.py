"""Clustering help: near-duplicate cards and suggested goals from German card texts."""

from __future__ import annotations

import itertools
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from klebepunkt.domain import Card, Tally, similarity
from klebepunkt.domain.similarity import (
    GoalSuggester,
    TextIndex,
    normalise_german,
    similar_cards,
    stems,
    suggest_goals,
)
from klebepunkt.samples import load_sample
from tests.domain.explain_helpers import card

URBAN = "Urban Gardening-Projekte werden unterstützt"


def test_german_text_is_normalised():
    assert normalise_german("Größere  Übergänge, Straße!") == "groessere uebergaenge strasse"
    assert normalise_german("ÖPNV-Netz") == "oepnv netz"


def test_inflections_and_umlaut_spellings_share_their_stems():
    assert stems("Pflegeheimen") == stems("Pflegeheim")
    assert stems("Fachkräfte") == stems("Fachkraefte")
    assert stems("die Projekte werden unterstützt") == stems("Projekte unterstützt")


def test_card_entered_twice_is_a_near_duplicate():
    tally = Tally(
        cards=(
            card("a", 1, field="Wohnen", text=URBAN),
            card(
                "b",
                0,
                field="Wohnen",
                text="Es wird ein Angebot für wohnungslose Frauen geschaffen.",
            ),
            card("c", 0, field="Soziale Belastung", text=URBAN),
        )
    )
    [pair] = similar_cards(tally)
    assert (pair.first.id, pair.second.id, pair.score) == ("a", "c", 1.0)


def test_inflected_and_misspelt_cards_are_near_duplicates():
    tally = Tally(
        cards=(
            card("a", 0, text=URBAN),
            card("b", 0, text="Urban-Gardening-Projekte unterstützen"),
            card("c", 0, text="Die Regionale Pflegekonferenz stärken"),
            card("d", 0, text="Regionale Pflegekonfernz stärken"),
            card("e", 0, text="Es gibt Konzepte gegen Radikalisierung."),
        )
    )
    assert {(p.first.id, p.second.id) for p in similar_cards(tally)} == {("a", "b"), ("c", "d")}


def test_cards_without_text_are_never_duplicates():
    tally = Tally(cards=(card("a", 1, text=""), card("b", 1, text="")))
    assert similar_cards(tally) == ()


def test_koblenz_has_no_near_duplicates():
    assert similar_cards(load_sample("koblenz-2017").tally) == ()


def test_suggested_goal_for_a_new_card_comes_from_the_cards_in_goals():
    tally = load_sample("koblenz-2017").tally
    new = Card(id="new", theme_field="Pflege", text="Kultursensible Pflege im Pflegeheim stärken")
    suggestions = suggest_goals(tally, new)
    assert suggestions
    best = suggestions[0]
    assert (
        best.goal.text
        == 'Das Thema "Kultursensible Pflege in Pflegeheimen" erhält mehr Aufmerksamkeit'
    )
    assert all(s.goal.theme_field == "Pflege" for s in suggestions)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_suggestion_names_the_card_it_resembles():
    tally = load_sample("koblenz-2017").tally
    new = Card(id="new", theme_field="Wohnen", text="Urban Gardening im Stadtteil fördern")
    [best, *_] = suggest_goals(tally, new)
    assert best.goal.text == "Wohnumfeld-/Sozialraumverbesserung"
    assert best.like is not None and best.like.text == URBAN


def test_unrelated_card_gets_no_suggestion():
    tally = load_sample("koblenz-2017").tally
    new = Card(id="new", theme_field="Wohnen", text="Zebrastreifen vor dem Zoo")
    assert suggest_goals(tally, new) == ()


def test_suggestions_respect_limit_and_threshold():
    tally = load_sample("koblenz-2017").tally
    suggester = GoalSuggester(tally)
    text = "Pflege Pflegeheime Pflegekonferenz Pflegeberufe"
    assert len(suggester.suggest(text, "Pflege", threshold=0.01, limit=2)) == 2
    assert all(s.score >= 0.2 for s in suggester.suggest(text, "Pflege", threshold=0.2))
    assert suggester.suggest(text, "Pflege", threshold=1.01) == ()


words = st.sampled_from(
    [
        "Pflege",
        "Pflegeheim",
        "Wohnen",
        "Wohnraum",
        "Kinder",
        "Betreuung",
        "Stadt",
        "Projekte",
        "unterstützt",
        "Bildung",
        "Sprache",
        "Koblenz",
        "Frauen",
        "Angebot",
        "Netzwerke",
        "ÖPNV",
    ]
)
texts = st.lists(st.lists(words, min_size=1, max_size=6).map(" ".join), min_size=2, max_size=14)


@settings(max_examples=60, deadline=None)
@given(texts, st.sampled_from([0.3, 0.5, 0.75, 0.9]))
def test_indexed_pairs_are_exactly_the_pairs_above_the_threshold(documents, threshold):
    index = TextIndex({str(i): text for i, text in enumerate(documents)})
    found = {(a, b) for a, b, _ in index.pairs(threshold)}
    expected = {
        (str(i), str(j))
        for i, j in itertools.combinations(range(len(documents)), 2)
        if index.similarity(str(i), index.vector(documents[j])) >= threshold - 1e-9
    }
    assert found == expected


@settings(max_examples=60, deadline=None)
@given(texts, st.sampled_from([0.3, 0.5, 0.75, 0.9]), st.integers(min_value=1, max_value=40))
def test_the_matrix_path_finds_exactly_the_pairs_of_the_prefix_path(documents, threshold, cells):
    """Big tallies take the sparse matrix product, in blocks of rows; forced here onto small
    ones (and into blocks of one or a few rows), it gives the same pairs, scores and order."""
    index = TextIndex({str(i): text for i, text in enumerate(documents)})
    by_prefix = index.pairs(threshold)
    with (
        mock.patch.object(similarity, "MATRIX_FROM", 2),
        mock.patch.object(similarity, "MATRIX_CELLS", cells),
    ):
        assert index.pairs(threshold) == by_prefix


def test_a_big_generated_tally_gives_the_same_look_alikes_on_both_paths():
    from klebepunkt.bench.reports import generated_process

    tally = generated_process(400).tally
    assert len(tally.cards) >= similarity.MATRIX_FROM  # the matrix path
    by_matrix = similar_cards(tally)
    with mock.patch.object(similarity, "MATRIX_FROM", 10_000):
        by_prefix = similar_cards(tally)
    assert len(by_matrix) > 100
    assert by_matrix == by_prefix
