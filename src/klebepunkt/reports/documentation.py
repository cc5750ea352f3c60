"""Teil I of the result report: who worked, when, and by which method (as the rounds were held)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from klebepunkt.domain import (
    Evaluation,
    TopicStoreReason,
    gettext_noop,
)
from klebepunkt.domain.process import CompositionRow, Meeting, ProcessRecord, VotingRoundRecord
from klebepunkt.i18n import Translate


@dataclass(frozen=True, slots=True)
class CompositionLine:
    """One line of the seed's composition table, as the report prints it."""

    stakeholder_group: str
    who: str
    how_many: str  # "9 Personen aus der Mitte des Sozialausschusses", "5 Personen", "–"
    members: int
    voting: bool
    voting_text: str  # "ja" / "nein"


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """One line of the seed's meeting table, as the report prints it."""

    when: str  # "23.08.2017, 15:30–18:15 Uhr"
    place: str
    focus: str


@dataclass(frozen=True, slots=True)
class RoundLine:
    """One voting round as it was held, as the report prints it (a table row and a sentence)."""

    title: str
    day: dt.date | None  # the day it was held
    held_on: str  # "12.03.2026", or "–"
    cards: str  # the theme field voted on, or "all theme fields"
    dots_per_voter: int
    cap_per_card: int | None
    cap: str  # "3" / "none"
    hide_results: bool
    results: str  # "hidden until revealed" / "visible while voting"
    secret: bool
    secrecy: str  # "yes" / "no"
    form: str  # FORM_* below: "digital", "paper" or "mixed"
    form_text: str  # "digital" / "on paper" / "digital and on paper"
    voters: int
    voted: int
    turnout: str  # "12 of 14"
    dots: int
    text: str  # the whole round in one paragraph, for the method section

    @property
    def cells(self) -> tuple[str | int, ...]:
        """The round's row in a table, in the order of ``ReportLabels.round_columns``."""
        return (
            self.title,
            self.held_on,
            self.cards,
            self.dots_per_voter,
            self.cap,
            self.results,
            self.secrecy,
            self.form_text,
            self.turnout,
            self.dots,
        )


FORM_DIGITAL, FORM_PAPER, FORM_MIXED = "digital", "paper", "mixed"


@dataclass(frozen=True, slots=True)
class Documentation:
    """Teil I: who worked, when, and by which method.

    For a report from a tally sheet the composition and meetings are empty (the
    sheet does not know them) and ``note`` says so.
    """

    composition: tuple[CompositionRow, ...]
    meetings: tuple[Meeting, ...]
    method: tuple[str, ...]  # paragraphs, already in the report's language
    figures: tuple[tuple[str, int], ...]  # (label, value)
    introduction: str = ""  # the process's own description, when it has one
    note: str = ""  # what this Teil I cannot show, and why
    composition_lines: tuple[CompositionLine, ...] = ()
    meeting_lines: tuple[MeetingLine, ...] = ()
    rounds: tuple[RoundLine, ...] = ()  # the voting rounds as they were held


def build_documentation(
    evaluation: Evaluation,
    record: ProcessRecord | None,
    translate: Translate,
    language: str,
    rounds: tuple[VotingRoundRecord, ...] = (),
) -> Documentation:
    """Teil I. With ``rounds`` (the counted voting rounds) the method describes each round as
    it was held, not the process's settings; dots entered on the cards besides them are named."""
    rules = evaluation.rules
    round_lines = tuple(_round_line(held, translate, language) for held in rounds)
    round_dots = sum(held.dots for held in rounds)
    voting: list[str] = [line.text for line in round_lines]
    if round_lines and evaluation.total_dots > round_dots:
        voting.append(
            translate(
                gettext_noop(
                    "Besides the voting rounds, %(dots)s dots were entered on the cards directly."
                )
            )
            % {"dots": evaluation.total_dots - round_dots}
        )
    settings = [
        translate(
            gettext_noop(
                "Every member with a voting right received %(dots)s dots to place on the "
                "recommendation cards they considered important."
            )
        )
        % {"dots": rules.dots_per_voter},
        translate(gettext_noop("A member could place at most %(cap)s dots on one card."))
        % {"cap": rules.cap_per_card}
        if rules.cap_per_card
        else translate(gettext_noop("Several dots could be placed on the same card.")),
    ]
    method = [
        *(voting or settings),
        translate(
            gettext_noop(
                "Every recommendation without a dot went straight into the topic store. "
                "The others were clustered under goals; a goal's points are the %(aggregation)s."
            )
        )
        % {"aggregation": rules.aggregation.label.render(translate)},
        translate(
            gettext_noop(
                "Goals with %(threshold)s or more points are the priorities (Part II); the "
                "recommendations of the other goals went into the topic store as well, so that "
                "no suggestion is lost."
            )
        )
        % {"threshold": rules.goal_threshold},
    ]
    tally = record.tally if record else None
    cards = (
        len(tally.cards)
        if tally
        else sum(len(goal.cards) for goal in evaluation.goals)
        + sum(1 for e in evaluation.topic_store if e.reason is TopicStoreReason.NO_DOTS)
    )
    goals = sum(1 for goal in evaluation.goals if goal.clustered)
    figures: list[tuple[str, int]] = []
    if record:
        figures += [
            (translate(gettext_noop("Members with a voting right")), record.voters),
            (
                translate(gettext_noop("Dots available")),
                sum(held.voters * held.dots_per_voter for held in rounds)
                if rounds
                else record.voters * rules.dots_per_voter,
            ),
        ]
    figures += [
        (translate(gettext_noop("Dots cast")), evaluation.total_dots),
        (translate(gettext_noop("Recommendation cards")), cards),
        (translate(gettext_noop("Goals")), goals),
        (translate(gettext_noop("Priorities")), len(evaluation.priorities)),
        (translate(gettext_noop("Entries in the topic store")), len(evaluation.topic_store)),
    ]
    if record is None:
        return Documentation(
            composition=(),
            meetings=(),
            method=tuple(method),
            figures=tuple(figures),
            note=translate(
                gettext_noop(
                    "This report was made from a tally sheet. The sheet records neither the "
                    "composition of the working group nor its meetings, so this part shows "
                    "only the method and the figures of the dot vote."
                )
            ),
        )
    composition = record.composition()
    return Documentation(
        composition=composition,
        meetings=record.meetings,
        method=tuple(method),
        figures=tuple(figures),
        introduction=record.description,
        composition_lines=tuple(_composition_line(row, translate) for row in composition),
        meeting_lines=tuple(
            _meeting_line(meeting, translate, language) for meeting in record.meetings
        ),
        rounds=round_lines,
    )


def _composition_line(row: CompositionRow, translate: Translate) -> CompositionLine:
    if row.group.count_text:
        how_many = row.group.count_text
    elif row.members == 1:
        how_many = translate(gettext_noop("1 person"))
    elif row.members:
        how_many = translate(gettext_noop("%(count)s persons")) % {"count": row.members}
    else:
        how_many = "–"
    return CompositionLine(
        stakeholder_group=row.group.name,
        who=row.group.description,
        how_many=how_many,
        members=row.members,
        voting=row.group.voting,
        voting_text=translate(gettext_noop("yes") if row.group.voting else gettext_noop("no")),
    )


# How a date is written, by language (locale data, not a translation).
DATE_FORMATS = {"de": "%d.%m.%Y"}

FORM_TEXTS = {
    FORM_DIGITAL: gettext_noop("digital"),
    FORM_PAPER: gettext_noop("on paper"),
    FORM_MIXED: gettext_noop("digital and on paper"),
}


def _round_line(held: VotingRoundRecord, translate: Translate, language: str) -> RoundLine:
    t = translate
    if held.paper_dots and held.digital_dots:
        form = FORM_MIXED
    else:
        form = FORM_PAPER if held.paper_dots else FORM_DIGITAL
    date = held.held_on.strftime(DATE_FORMATS.get(language, "%Y-%m-%d")) if held.held_on else ""
    cards = held.theme_field or t(gettext_noop("all theme fields"))
    values = {
        "title": held.title,
        "date": date,
        "form": t(FORM_TEXTS[form]),
        "cards": cards,
        "dots": held.dots_per_voter,
        "cap": held.cap_per_card,
        "voted": held.voted,
        "voters": held.voters,
        "cast": held.dots,
    }
    sentences = [
        (
            t(gettext_noop("Voting round “%(title)s” on %(date)s (%(form)s, %(cards)s):"))
            if date
            else t(gettext_noop("Voting round “%(title)s” (%(form)s, %(cards)s):"))
        )
        % values,
        (
            t(
                gettext_noop(
                    "every member with a voting right had %(dots)s dots, at most %(cap)s of "
                    "them on one card."
                )
            )
            if held.cap_per_card
            else t(
                gettext_noop(
                    "every member with a voting right had %(dots)s dots; several could go on "
                    "the same card."
                )
            )
        )
        % values,
        t(gettext_noop("The counts per card stayed hidden until the facilitator revealed them."))
        if held.hide_results
        else t(gettext_noop("The counts per card were visible while the vote ran.")),
        t(gettext_noop("The round was secret: its records carry a pseudonym, never the member."))
        if held.secret
        else t(gettext_noop("The round was not secret.")),
        t(gettext_noop("%(voted)s of %(voters)s members voted; %(cast)s dots were cast.")) % values,
    ]
    return RoundLine(
        title=held.title,
        day=held.held_on,
        held_on=date or "–",
        cards=cards,
        dots_per_voter=held.dots_per_voter,
        cap_per_card=held.cap_per_card,
        cap=str(held.cap_per_card) if held.cap_per_card else t(gettext_noop("none")),
        hide_results=held.hide_results,
        results=t(gettext_noop("hidden until revealed"))
        if held.hide_results
        else t(gettext_noop("visible while voting")),
        secret=held.secret,
        secrecy=t(gettext_noop("yes") if held.secret else gettext_noop("no")),
        form=form,
        form_text=t(FORM_TEXTS[form]),
        voters=held.voters,
        voted=held.voted,
        turnout=t(gettext_noop("%(voted)s of %(voters)s")) % values,
        dots=held.dots,
        text=" ".join(sentences),
    )


def _meeting_line(meeting: Meeting, translate: Translate, language: str) -> MeetingLine:
    date = meeting.date.strftime(DATE_FORMATS.get(language, "%Y-%m-%d"))
    if meeting.start and meeting.end:
        when = translate(gettext_noop("%(date)s, %(start)s–%(end)s")) % {
            "date": date,
            "start": f"{meeting.start:%H:%M}",
            "end": f"{meeting.end:%H:%M}",
        }
    elif meeting.start:
        when = translate(gettext_noop("%(date)s, from %(start)s")) % {
            "date": date,
            "start": f"{meeting.start:%H:%M}",
        }
    else:
        when = date
    return MeetingLine(when=when, place=meeting.place, focus=meeting.focus)
