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
