"""German full-text search: inflection, compounds, umlauts and typos."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klebepunkt.domain.search import SearchIndex, matches, query_terms, within_typos


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Pflegekonferenz", "Regionale Pflegekonferenz"),
        ("Pflegekonferenzen", "Die Regionale Pflegekonferenz stärken"),
        ("regionalen Pflegekonferenz", "Regionale Pflegekonferenz"),
        ("Konferenz", "Regionale Pflegekonferenz"),  # a part of a compound
        ("Pflegekonfernz", "Regionale Pflegekonferenz"),  # a typo
        ("Pflegekonferenz", "Tagesordnung der Regionalen Pflegekonfernz"),  # the seed's typo
        ("Wohnungslose", "Es gibt ausreichend Angebote für Wohnunglose"),
        ("Barrierefreiheit", "Angebote müssen barrierefrei sein"),
        ("ÖPNV", "dichten ÖPNV-Netzes"),
        ("oepnv", "ÖPNV attraktiver gestalten"),
        ("Flächen", "Flächendatenbank für sozialen Wohnungsbau"),
        ("Pflegeheime", "Kultursensible Pflege in Pflegeheimen"),
        ("Rat", "Stadtrat"),
        ("Jugendamt", "Jugendamt/Jobcenter/BA"),
        ("Statistikstelle kommunal", "Monitoring und SBI: Kommunale Statistikstelle"),
    ],
)
def test_query_finds_text(query, text):
    assert matches(query, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Pflegekonferenz", "Pflegestärkungsgesetz"),
        ("Rat", "Beratung"),  # a short word must begin or end a word
        ("Bildung Pflege", "Barrierefreie Bildung"),  # every word must be found
        ("Wohnraum", "Pflegeberufe"),
    ],
)
def test_query_does_not_find_text(query, text):
    assert not matches(query, text)


def test_empty_query_finds_everything_in_order():
    index = SearchIndex()
    for key in ("b", "a", "c"):
        index.add(key, f"Text {key}")
    assert index.find("") == ["b", "a", "c"]
    assert index.find("   ") == ["b", "a", "c"]


def test_query_of_common_words_only_finds_nothing_special():
    assert query_terms("und der die") == ("und", "der", "die")
    assert not matches("und", "Pflege und Wohnen")


def test_index_searches_several_texts_of_a_document():
    index = SearchIndex()
    index.add(1, "Die Regionale Pflegekonferenz stärken", "Thema auf der Tagesordnung", "")
    index.add(2, "Wohnraum für Studierende", "", "Amt für Stadtentwicklung")
    index.add(3, "Urban Gardening", "", "Regionale Pflegekonferenz")
    assert index.find("Pflegekonferenz") == [1, 3]
    assert index.find("Stadtentwicklung Wohnraum") == [2]


@given(
    st.text(alphabet="abcdefghij", min_size=1, max_size=12),
    st.text(alphabet="abcdefghij", max_size=12),
)
def test_a_term_is_always_within_zero_typos_of_a_word_that_contains_it(term, rest):
    assert within_typos(term, rest + term + rest, 0)
    assert within_typos(term, rest + term, 2)


@given(st.text(alphabet="abcdef", min_size=5, max_size=10), st.integers(min_value=0, max_value=9))
def test_one_deleted_letter_is_one_typo(term, position):
    position %= len(term)
    typo = term[:position] + term[position + 1 :]
    assert within_typos(typo, term, 1)


def test_topic_store_search_looks_in_text_indicator_responsible_and_goal():
    from klebepunkt.domain import Card, Goal, Tally, evaluate
    from klebepunkt.domain.search import search_topic_store

    goals = (Goal(id="g", theme_field="Pflege", text="Wohnunglose Frauen erreichen"),)
    cards = (
        Card(
            id="1", theme_field="Pflege", text="Die Regionale Pflegekonferenz stärken", goal_id="g"
        ),
        Card(
            id="2",
            theme_field="Pflege",
            text="Beratung",
            indicator="Pflegekonferenz tagt",
            goal_id="g",
        ),
        Card(id="3", theme_field="Pflege", text="Beratung", responsible="Jobcenter", goal_id="g"),
        Card(id="4", theme_field="Pflege", text="Duales System Pflege"),
    )
    store = evaluate(Tally(goals=goals, cards=cards)).topic_store

    def ids(query: str) -> list[str]:
        return [e.card.id for e in search_topic_store(store, query, lambda entry: entry)]

    assert ids("Pflegekonfernz") == ["1", "2"]  # a typo, in the text and in the indicator
    assert ids("jobcenter") == ["3"]
    assert ids("Wohnungslose") == ["1", "2", "3"]  # through the goal
    assert ids("  ") == ["1", "2", "3", "4"]
