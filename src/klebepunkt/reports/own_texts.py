"""The working group's own words in the report, and the decisions it took.

Values only, filled by the app (``decisions``) through ``processes.extensions``; the
texts are in the Markdown subset of ``klebepunkt.richtext``, and every renderer writes
them from its blocks (so no raw HTML and no unsafe link reaches any format).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DecisionLine:
    """A vote that was taken: the motion, when, the counts and the result, in words."""

    title: str
    decided_on: str  # "21.09.2017"
    outcome: str  # "angenommen", "abgelehnt", "nicht beschlussfähig"
    yes: int
    no: int
    abstain: int
    present_voting: int
    voting_members: int
    rule: str
    summary: str  # "13 Ja, 2 Nein, 2 Enthaltungen; 17 von 19 Stimmberechtigten anwesend"
    voting: str = ""  # how it was voted on: "per Handzeichen", "auf dem Handy, geheim"


@dataclass(frozen=True, slots=True)
class RewordingLine:
    """A rewording of a priority after the vote, for the report's annex."""

    goal_id: str
    priority: str  # its number and goal, as worded now
    part: str  # "Ziel", "Indikator der Empfehlung 2"
    before: str
    after: str
    by: str
    at: str  # "30.11.2026 12:05"
    segments: tuple[tuple[str, str], ...]  # the word-level difference: ("same" | "deleted"
    # | "inserted", words)


def marked(segments: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The difference as (op, text) with its words marked in text, not by colour or style
    alone: "[−deleted words]", "[+inserted words]"; every format writes it so."""
    signs = {"deleted": "[−", "inserted": "[+"}
    return [(op, f"{signs[op]}{words}]" if op in signs else words) for op, words in segments]


def marked_text(segments: tuple[tuple[str, str], ...]) -> str:
    return " ".join(words for _op, words in marked(segments))


@dataclass(frozen=True, slots=True)
class OwnTexts:
    foreword: str = ""
    introduction: str = ""
    method: str = ""  # empty: the report's own description of the method stays
    closing: str = ""
    fields: tuple[tuple[str, str], ...] = ()  # (theme field, text)
    reasons: tuple[tuple[str, str, str], ...] = ()  # (goal id, goal, text)
    minutes: tuple[tuple[str, str], ...] = ()  # (meeting's date, text)
    decisions: tuple[DecisionLine, ...] = ()
    changed: tuple[str, ...] = ()  # goal ids changed after their decision
    labels: dict[str, str] = field(default_factory=dict)  # headings in the report's language
    version_note: str = ""  # an issued version: its name, date and SHA-256, in every footer
    rewordings: tuple[RewordingLine, ...] = ()  # the annex of the working out, when asked for

    def field_text(self, theme_field: str) -> str:
        return dict(self.fields).get(theme_field, "")

    def reason(self, goal_id: str) -> str:
        return next((text for goal, _title, text in self.reasons if goal == goal_id), "")

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    @property
    def written_minutes(self) -> tuple[tuple[str, str], ...]:
        return tuple((date, text) for date, text in self.minutes if text)

    @property
    def empty(self) -> bool:
        return not (
            self.foreword
            or self.introduction
            or self.method
            or self.closing
            or any(text for _name, text in self.fields)
            or any(text for _goal, _title, text in self.reasons)
            or any(text for _date, text in self.minutes)
            or self.decisions
        )

    def places(self) -> list[tuple[str, str]]:
        """Every text with the name of its place, in the report's order (a sheet, JSON)."""
        out = [
            (self.label("foreword"), self.foreword),
            (self.label("introduction"), self.introduction),
        ]
        out.append((self.label("method"), self.method))
        out += [(name, text) for name, text in self.fields]
        out += [(f"{self.label('reason')}: {title}", text) for _goal, title, text in self.reasons]
        out.append((self.label("closing"), self.closing))
        out += [(f"{self.label('minutes')} {date}", text) for date, text in self.minutes]
        return [(place, text) for place, text in out if text]
