"""The word-level difference of two wordings and the limits of a rewording (pure)."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from klebepunkt.domain.rewording import (
    MAX_WORDING,
    Segment,
    changed,
    word_diff,
    wording_problem,
)


def test_a_word_replaced_is_a_deletion_then_an_insertion():
    assert word_diff("Kitaplätze schaffen bis 2020", "Kitaplätze ausbauen bis 2022") == (
        Segment("same", "Kitaplätze"),
        Segment("deleted", "schaffen"),
        Segment("inserted", "ausbauen"),
        Segment("same", "bis"),
        Segment("deleted", "2020"),
        Segment("inserted", "2022"),
    )


def test_words_added_at_the_end_and_removed_at_the_start():
    assert word_diff("die neue Beratung", "neue Beratung im Stadtteil") == (
        Segment("deleted", "die"),
        Segment("same", "neue Beratung"),
        Segment("inserted", "im Stadtteil"),
    )


def test_line_breaks_and_spaces_alone_are_no_difference():
    segments = word_diff("eins  zwei\ndrei", "eins zwei drei")
    assert segments == (Segment("same", "eins zwei drei"),)
    assert not changed(segments)


def test_empty_before_or_after():
    assert word_diff("", "neu") == (Segment("inserted", "neu"),)
    assert word_diff("alt", "") == (Segment("deleted", "alt"),)
    assert word_diff("", "") == ()


def test_very_long_texts_are_one_replacement_and_fast():
    long_before = "wort " * 60_000
    long_after = "wort " * 59_999 + "ende"
    start = time.monotonic()
    segments = word_diff(long_before, long_after)
    assert time.monotonic() - start < 2
    assert [s.op for s in segments] == ["deleted", "inserted"]


@given(
    st.lists(st.sampled_from(["a", "b", "c", "Ziel", "<b>"]), max_size=30),
    st.lists(st.sampled_from(["a", "b", "c", "Ziel", "=1+1"]), max_size=30),
)
def test_the_difference_gives_back_both_wordings(old, new):
    segments = word_diff(" ".join(old), " ".join(new))
    before = " ".join(s.text for s in segments if s.op != "inserted").split()
    after = " ".join(s.text for s in segments if s.op != "deleted").split()
    assert before == old
    assert after == new
    assert changed(segments) == (old != new)


def test_limits_and_empty_texts_are_named():
    assert wording_problem("goal", "Ein Ziel") is None
    assert wording_problem("indicator", "") is None  # an indicator may be empty
    assert wording_problem("goal", "  ").msgid == "This text cannot be empty."
    too_long = wording_problem("text", "x" * (MAX_WORDING["text"] + 1))
    assert too_long is not None
    assert too_long.render() == ("The text has 5.001 characters; at most 5.000 are allowed here.")
    assert wording_problem("goal", "a\x00b").msgid == "The text contains a null character."
    assert wording_problem("nr", "1").params == {"field": "nr"}


def test_the_worst_case_below_the_word_limit_stays_fast():
    before = " ".join(str(i % 7) for i in range(999))
    after = " ".join(str(i % 5) for i in range(999))
    start = time.monotonic()
    word_diff(before, after)
    assert time.monotonic() - start < 1
