"""The report as Markdown: readable as plain text, and a base for any wiki or e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from klebepunkt.domain import NearSide, gettext_noop
from klebepunkt.reports.content import OVERVIEW_COLUMNS, Report


def _cell(value: object) -> str:
    text = str(value) if value is not None else ""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def _text(value: str) -> str:
    return _cell(value).replace("*", "\\*").replace("_", "\\_")


def _heading(level: int, text: str) -> str:
    return "#" * level + " " + text


@dataclass(frozen=True)
class Bold:
    text: str


def _table_cell(value: object) -> str:
    if isinstance(value, Bold):
        return f"**{_text(value.text)}**" if value.text else ""
    return _text(str(value)) if isinstance(value, str) else _cell(value)


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(_table_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines.extend("| " + " | ".join(_table_cell(v) for v in row) + " |" for row in rows)
    return lines


def render_markdown(report: Report) -> bytes:
    t = report.t
    out: list[str] = [f"# {_text(report.title)}", ""]
    if report.subtitle:
        out += [_text(report.subtitle), ""]
    out += [
        t(
            gettext_noop(
                "%(dots)s dots in total; goals with %(threshold)s or more points are priorities."
            )
        )
        % {"dots": report.total_dots, "threshold": report.threshold},
        "",
    ]
    doc = report.documentation
    if doc is not None:
        out += [_heading(2, t(gettext_noop("Part I: Documentation of the work process"))), ""]
        out += [_heading(3, t(gettext_noop("Composition of the working group"))), ""]
        out += _table(
            [
                t(gettext_noop("Stakeholder group")),
                t(gettext_noop("Who?")),
                t(gettext_noop("How many?")),
                t(gettext_noop("Voting right")),
            ],
            [
                [
                    row.group.name,
                    row.group.description,
                    row.group.count_text or row.members,
                    t(gettext_noop("yes")) if row.group.voting else t(gettext_noop("no")),
                ]
                for row in doc.composition
            ],
        )
        out += ["", _heading(3, t(gettext_noop("Meetings"))), ""]
        out += _table(
            [t(gettext_noop("Date and time")), t(gettext_noop("Place")), t(gettext_noop("Focus"))],
            [
                [
                    meeting.date.strftime("%d.%m.%Y")
                    + (
                        f", {meeting.start:%H:%M}–{meeting.end:%H:%M}"
                        if meeting.start and meeting.end
                        else ""
                    ),
                    meeting.place,
                    meeting.focus,
                ]
                for meeting in doc.meetings
            ],
        )
        out += ["", _heading(3, t(gettext_noop("Method"))), ""]
        for paragraph in doc.method:
            out += [paragraph, ""]
        out += _table(
            [t(gettext_noop("Figure")), t(gettext_noop("Value"))],
            [[label, value] for label, value in doc.figures],
        )
        out.append("")

    out += [_heading(2, t(gettext_noop("Overview of the result"))), ""]
    for table in report.overview:
        out += [f"### {_text(table.theme_field)}", ""]
        if not table.rows:
            out += [t(gettext_noop("No card in this theme field received a dot.")), ""]
            continue
        rows: list[list[object]] = []
        for row in table.rows:
            goal_text = row.goal if row.goal_rows else ""
            goal_cell = Bold(goal_text) if row.is_priority else goal_text
            rows.append(
                [
                    row.nr if row.goal_rows else "",
                    goal_cell,
                    row.recommendation,
                    row.indicator,
                    row.responsible,
                    row.card_dots,
                    row.goal_points if row.goal_rows else "",
                ]
            )
        out += _table([t(name) for name in OVERVIEW_COLUMNS], rows)
        out.append("")

    out += [_heading(2, t(gettext_noop("Part II: Priorities"))), ""]
    for number, goal in enumerate(report.priorities, start=1):
        out += [
            f"### {number}. {_text(goal.goal.text)} ({_text(goal.theme_field)}, "
            + t(gettext_noop("%(points)s points")) % {"points": goal.points}
            + ")",
            "",
        ]
        for card in goal.cards:
            text = card.text or t(gettext_noop("(dot on the goal itself)"))
            line = f"- {_text(text)} ({card.dots})"
            if card.indicator:
                line += "\n  - " + t(gettext_noop("Indicator")) + f": {_text(card.indicator)}"
            if card.responsible:
                line += (
                    "\n  - " + t(gettext_noop("Responsible body")) + f": {_text(card.responsible)}"
                )
            out.append(line)
        out.append("")

    out += [_heading(2, t(gettext_noop("Topic store"))), ""]
    for section in report.topic_store:
        out += [f"### {_text(section.theme_field)}", ""]
        if not section.entries:
            out += [t(gettext_noop("No entries.")), ""]
            continue
        for entry in section.entries:
            reason = entry.reason.label.render(report.translate)
            if entry.goal_points is not None:
                reason += f", {entry.goal_points}/{report.threshold}"
            out.append(f"- {_text(entry.text)} ({reason})")
        out.append("")

    if report.near_threshold:
        out += [_heading(2, t(gettext_noop("Close to the threshold"))), ""]
        for goal, side in report.near_threshold:
            message = (
                gettext_noop("one dot short of the threshold")
                if side is NearSide.BELOW
                else gettext_noop("one dot fewer and it would drop below the threshold")
            )
            where = f"{_text(goal.theme_field)}, {goal.points}"
            out.append(f"- {_text(goal.goal.text)} ({where}): {t(message)}")
        out.append("")
    if report.warnings:
        out += [_heading(2, t(gettext_noop("Warnings"))), ""]
        out += [f"- {_text(w.message.render(report.translate))}" for w in report.warnings]
        out.append("")
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
