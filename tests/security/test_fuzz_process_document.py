"""Fuzzing the process-document loader: random JSON, mutated valid documents, random bytes.

The loader either returns a record that can be stored (every text and number within
the limits of the database) or raises ``DocumentError`` with a German message that
names the file and the field's path (or, for broken JSON, the line). Nothing else.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import json

from hypothesis import example, given
from hypothesis import strategies as st

from klebepunkt.domain.limits import (
    MAX_DESCRIPTION,
    MAX_GOAL_NR,
    MAX_NAME,
    MAX_POINTS,
    MAX_TITLE,
    MAX_YEAR,
)
from klebepunkt.domain.proceedings import (
    AttendanceEntry,
    DecisionItemRecord,
    DecisionRecord,
    GroupCountRecord,
    PhoneVoteRecord,
    Proceedings,
    ReportTextRecord,
    ReportVersionRecord,
    TextPlace,
    VersionFileRecord,
)
from klebepunkt.domain.process import ProcessRecord
from klebepunkt.i18n import translator
from klebepunkt.process_document import DocumentError, dumps, loads
from klebepunkt.samples import load_sample
from tests.security.fuzzing import fuzz

GERMAN = translator("de")
FILENAME = "verfahren.json"


def with_proceedings(record: ProcessRecord) -> ProcessRecord:
    """The sample with a little of every section after the tally (attendance, rule, a
    decision with items and group counts, texts at every kind of place, a version)."""
    when = dt.datetime(2017, 5, 4, 18, 30, tzinfo=dt.UTC)
    snapshot = '{"title":"Sozialplanung"}'
    goal = record.tally.goals[0]
    return dataclasses.replace(
        record,
        proceedings=Proceedings(
            attendance=(AttendanceEntry(2, 0, "present"), AttendanceEntry(2, 1, "excused")),
            decision_rule="simple",
            decisions=(
                DecisionRecord(
                    meeting=2,
                    title="Die Prioritätenliste",
                    rule="simple",
                    state="closed",
                    outcome="passed",
                    yes=10,
                    no=2,
                    abstain=1,
                    present_voting=15,
                    voting_members=19,
                    created_at=when,
                    decided_at=when,
                    items=(DecisionItemRecord(1, goal.text, goal.id),),
                    group_counts=(GroupCountRecord(record.stakeholder_groups[0].name, 5, 1, 0),),
                ),
                DecisionRecord(
                    meeting=2,
                    title="Priorität 1",
                    rule="simple",
                    state="closed",
                    outcome="passed",
                    yes=1,
                    no=1,
                    abstain=0,
                    present_voting=15,
                    voting_members=19,
                    created_at=when,
                    decided_at=when,
                    items=(DecisionItemRecord(1, goal.text, goal.id),),
                    voting="phones_open",
                    votes=(PhoneVoteRecord(0, "yes"), PhoneVoteRecord(1, "no")),
                ),
            ),
            texts=(
                ReportTextRecord(TextPlace("introduction"), "Einleitung", when),
                ReportTextRecord(TextPlace("field", theme_field=goal.theme_field), "Feld", when),
                ReportTextRecord(TextPlace("priority", goal=goal.id), "Grund", when),
                ReportTextRecord(TextPlace("minutes", meeting=0), "- Protokoll", when),
            ),
            versions=(
                ReportVersionRecord(
                    "Entwurf",
                    when,
                    snapshot,
                    hashlib.sha256(snapshot.encode()).hexdigest(),
                    (VersionFileRecord("md", b"# Bericht"),),
                ),
            ),
        ),
    )


VALID = json.loads(dumps(with_proceedings(load_sample("koblenz-2017"))))

# errors about the whole file: they name the file (and the line of broken JSON)
FILE_LEVEL = {
    "The file is not UTF-8 text.",
    "The file is not valid JSON: %(reason)s",
    "The file is not a process file: its structure is far too deep or large.",
}


def assert_clean(error: DocumentError) -> None:
    msgid = error.message.msgid
    assert GERMAN(msgid) != msgid, f"no German translation for {msgid!r}"
    assert error.render(GERMAN)
    assert error.location.file == FILENAME
    if msgid not in FILE_LEVEL:
        assert error.location.column, msgid  # the path of the field, e.g. theme_fields[1].name
    elif msgid.startswith("The file is not valid JSON"):
        assert error.location.row is not None


def assert_storable(record: ProcessRecord) -> None:
    def text(value: str, limit: int | None = None) -> None:
        assert "\x00" not in value
        assert limit is None or len(value) <= limit

    def points(value: int | None) -> None:
        assert value is None or 0 <= value <= MAX_POINTS

    text(record.title, MAX_TITLE)
    assert record.title.strip()
    text(record.body, MAX_TITLE)
    text(record.description)
    assert record.year is None or 0 <= record.year <= MAX_YEAR
    rules = record.rules
    for value in (rules.dots_per_voter, rules.goal_threshold, rules.cap_per_card):
        points(value)
    names = [group.name for group in record.stakeholder_groups]
    assert len(names) == len(set(names))
    for group in record.stakeholder_groups:
        text(group.name, MAX_NAME)
        text(group.description, MAX_DESCRIPTION)
        text(group.count_text, MAX_NAME)
    for member in record.members:
        text(member.name, MAX_NAME)
        text(member.stakeholder_group, MAX_NAME)
        text(member.contact, MAX_TITLE)
    for meeting in record.meetings:
        text(meeting.place, MAX_TITLE)
        text(meeting.focus)
        assert meeting.start is None or meeting.start.tzinfo is None
        assert meeting.end is None or meeting.end.tzinfo is None
    for name in record.tally.ordered_theme_fields():
        text(name, MAX_NAME)
    for goal in record.tally.goals:
        text(goal.nr, MAX_GOAL_NR)
        text(goal.text)
        points(goal.stated_points)
    for card in record.tally.cards:
        for value in (card.text, card.indicator, card.responsible):
            text(value)
        points(card.dots)
    recorded = record.proceedings
    goals = {goal.id for goal in record.tally.goals}
    for entry in recorded.attendance:
        assert 0 <= entry.meeting < len(record.meetings)
        assert 0 <= entry.member < len(record.members)
    for decision in recorded.decisions:
        assert 0 <= decision.meeting < len(record.meetings)
        text(decision.title, 300)
        assert (decision.state == "open") == (decision.outcome == "")
        for item in decision.items:
            text(item.text)
            assert item.goal is None or item.goal in goals
        for value in (decision.yes, decision.no, decision.abstain, decision.present_voting):
            assert 0 <= value <= 1_000_000
        assert decision.voting in ("show_of_hands", "phones_open", "phones_secret")
        assert not decision.votes or decision.voting == "phones_open"
        assert len({vote.member for vote in decision.votes}) == len(decision.votes)
        for vote in decision.votes:
            assert 0 <= vote.member < len(record.members)
            assert vote.choice in ("yes", "no", "abstain")
    for report_text in recorded.texts:
        text(report_text.text, 20_000)
        assert report_text.text.strip()
    for version in recorded.versions:
        text(version.label, 200)
        assert hashlib.sha256(version.snapshot.encode()).hexdigest() == version.sha256


def load(content: bytes) -> ProcessRecord | None:
    try:
        record = loads(content, FILENAME)
    except DocumentError as error:
        assert_clean(error)
        return None
    assert_storable(record)
    return record


# --- JSON values ---------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=-3, max_value=12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "a\x00b",
            "x" * 301,
            "2017-05-03",
            "2017-13-45",
            "18:00",
            "18:00+02:00",
            "25:61",
            "administration",
            "meeting",
            "best_card",
            "klebepunkt/process",
            "<script>alert(1)</script>",
            "=1+1",
        ]
    ),
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12) | st.sampled_from(list(VALID)), children, max_size=4)
    ),
    max_leaves=20,
)


@fuzz("process file: random JSON", 300)
@given(value=JSON, as_document=st.booleans())
def test_random_json(value, as_document):
    if as_document and isinstance(value, dict):
        value = {**value, "format": "klebepunkt/process", "version": 1}
    load(json.dumps(value).encode())


# --- mutations of a valid document ---------------------------------------------------------------


def _paths(value, here=()):
    """Every place in a JSON value: tuples of keys and indices."""
    yield here
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*here, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*here, index))


PATHS = [path for path in _paths(VALID) if path]


def _mutate(document, path, action, replacement):
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    else:
        parent[last] = replacement
    return document


@fuzz("process file: mutated valid documents", 600)
@given(
    mutations=st.lists(
        st.tuples(
            st.sampled_from(PATHS),
            st.sampled_from(["replace", "replace", "delete", "duplicate"]),
            JSON,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_valid_document(mutations):
    document = copy.deepcopy(VALID)
    for path, action, replacement in mutations:
        try:
            document = _mutate(document, path, action, replacement)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this place
    load(json.dumps(document, ensure_ascii=False).encode())


# --- bytes ---------------------------------------------------------------------------------------


@fuzz("process file: random bytes and broken encodings", 300)
@given(
    content=st.binary(max_size=2000)
    | st.builds(
        lambda text, encoding: text.encode(encoding, errors="replace"),
        st.text(max_size=200),
        st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]),
    )
    | st.builds(
        lambda cut: json.dumps(VALID).encode()[:cut], st.integers(min_value=0, max_value=20_000)
    )
)
@example(content=b"[" * 100_000)
@example(
    content=b'{"format": "klebepunkt/process", "version": 1, "process": {"year": 1'
    + b"0" * 5000
    + b"}}"
)
@example(content="\ufeff{}".encode())
@example(content=b"\xef\xbb\xbf" + json.dumps(VALID).encode())
def test_random_bytes(content):
    load(content)


def test_the_valid_document_loads():
    assert load(json.dumps(VALID).encode()) is not None
