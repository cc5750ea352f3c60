"""The progress report as Markdown and XLSX, and the pieces its PDF and Word share.

PDF (``progress.pdf``) and Word (``progress.docx``) are in modules of their own,
loaded only when asked for; ``reports.render(report, fmt)`` picks the renderer.
Every renderer has the shape ``ProgressReport -> bytes``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from klebepunkt.domain.monitoring_state import ItemKind
from klebepunkt.reports.kit import markdown
from klebepunkt.reports.kit.tables import xlsx
from klebepunkt.reports.progress.content import ItemLine, PriorityLine, ProgressReport

LIGHT_SYMBOLS = {"red": "✖", "amber": "▲", "green": "✔"}  # a shape per light, besides the word


def _light(line: PriorityLine | ItemLine) -> str:
    return f"{LIGHT_SYMBOLS[line.light.value]} {line.light_label}"


def _item_name(report: ProgressReport, item: ItemLine) -> str:
    if item.kind is ItemKind.GOAL:
        return report.labels.the_priority
    return item.text


def render_progress_markdown(report: ProgressReport) -> bytes:
    labels = report.labels
    out: list[str] = [f"# {markdown.text(labels.heading)}: {markdown.text(report.title)}", ""]
    if report.subtitle:
        out += [markdown.text(report.subtitle), ""]
    out += [f"{labels.as_of_line} {labels.since_line}", ""]
    out += [f"## {labels.summary}", ""]
    out += markdown.table(
        [labels.light, labels.count],
        [
            [f"{LIGHT_SYMBOLS[light.value]} {label}", str(n)]
            for light, label, n in report.light_counts
        ],
    )
    out += [""]
    out += markdown.table(
        [labels.status, labels.count],
        [[label, str(n)] for _status, label, n in report.status_counts if n],
    )
    out += ["", f"## {labels.priorities}", ""]
    if not report.priorities:
        out += [labels.no_priorities, ""]
    for priority in report.priorities:
        nr = f"{priority.nr}. " if priority.nr else ""
        out += [
            f"### {markdown.text(nr + priority.goal)}",
            "",
            f"{markdown.text(priority.theme_field)} · {priority.points} {labels.points}",
            "",
            f"**{labels.light}:** {_light(priority)} – {markdown.text('; '.join(priority.reasons))}",
            "",
        ]
        out += markdown.table(
            [
                labels.recommendation,
                labels.status,
                labels.light,
                labels.responsible,
                labels.due,
                labels.comment,
            ],
            [
                [
                    _item_name(report, item),
                    item.status_label,
                    f"{_light(item)}: {'; '.join(item.reasons)}",
                    item.responsible,
                    report.date(item.due_date),
                    item.comment,
                ]
                for item in priority.items
            ],
        )
        indicators = [(item, line) for item in priority.items for line in item.indicators]
        if indicators:
            out += ["", f"**{labels.indicator}**", ""]
            out += markdown.table(
                [
                    labels.indicator,
                    labels.baseline,
                    labels.target,
                    labels.latest,
                    labels.progress,
                    labels.assessment,
                ],
                [
                    [
                        f"{line.name} ({line.unit})" if line.unit else line.name,
                        _dated(report, line.series.baseline_value, line.series.baseline_date),
                        _dated(report, line.series.target_value, line.series.target_date),
                        _dated(report, line.latest.value, line.latest.date) if line.latest else "–",
                        report.percent(line.progress) or "–",
                        line.assessment_label,
                    ]
                    for _item, line in indicators
                ],
            )
            out += [""]
            out += [f"- {markdown.text(line.description)}" for _item, line in indicators]
        out += [""]
    out += [f"## {labels.changes}", "", labels.since_line, ""]
    changed = [p for p in report.priorities if p.changed]
    if not changed:
        out += [labels.no_changes, ""]
    for priority in changed:
        out += [f"### {markdown.text(priority.goal)}", ""]
        for item in priority.items:
            for change in item.changes:
                text = f"{change.status_before} → {change.status_after}"
                if change.due_before != change.due_after:
                    before = report.date(change.due_before) or "–"
                    after = report.date(change.due_after) or "–"
                    text += f"; {labels.due}: {before} → {after}"
                if change.comment:
                    text += f"; {labels.comment}: {change.comment}"
                out.append(
                    f"- {report.date(change.on)} – {markdown.text(_item_name(report, item))}: {markdown.text(text)}"
                )
            for line in item.indicators:
                for value in line.new_values:
                    unit = f" {markdown.text(line.unit)}" if line.unit else ""
                    source = f" ({markdown.text(value.source)})" if value.source else ""
                    out.append(
                        f"- {report.date(value.date)} – {markdown.text(line.name)}: "
                        f"{report.number(value.value)}{unit}{source}"
                    )
        out += [""]
    return markdown.document(out)


def _dated(report: ProgressReport, value: object, when: object) -> str:
    if value is None:
        return "–"
    text = report.number(value) if isinstance(value, Decimal | int) else str(value)
    return f"{text} ({report.date(when)})" if isinstance(when, date) else text


def render_progress_xlsx(report: ProgressReport) -> bytes:
    labels = report.labels
    status_rows: list[list[object]] = []
    indicator_rows: list[list[object]] = []
    change_rows: list[list[object]] = []
    for priority in report.priorities:
        for item in priority.items:
            recommendation = "" if item.kind is ItemKind.GOAL else item.text
            status_rows.append(
                [
                    item.key,
                    priority.theme_field,
                    priority.goal,
                    recommendation,
                    item.status_label,
                    item.light_label,
                    "; ".join(item.reasons),
                    item.responsible,
                    item.due_date,
                    item.comment,
                ]
            )
            for line in item.indicators:
                indicator_rows.append(
                    [
                        item.key,
                        priority.goal,
                        recommendation,
                        line.name,
                        line.unit,
                        line.series.baseline_value,
                        line.series.baseline_date,
                        line.series.target_value,
                        line.series.target_date,
                        line.latest.value if line.latest else None,
                        line.latest.date if line.latest else None,
                        float(round(line.progress * 100, 1)) if line.progress is not None else None,
                        line.assessment_label,
                    ]
                )
                for value in line.new_values:
                    change_rows.append(
                        [
                            value.date,
                            item.key,
                            priority.goal,
                            recommendation,
                            labels.new_values,
                            "",
                            f"{line.name}: {report.number(value.value)} {line.unit}".strip(),
                            value.source,
                        ]
                    )
            for change in item.changes:
                change_rows.append(
                    [
                        change.on,
                        item.key,
                        priority.goal,
                        recommendation,
                        change.status_before,
                        change.status_after,
                        change.comment,
                        "",
                    ]
                )
    change_rows.sort(key=lambda row: (row[0], str(row[1])))
    return xlsx(
        [
            (
                labels.overview_sheet,
                [
                    labels.key,
                    labels.theme_field,
                    labels.goal,
                    labels.recommendation,
                    labels.status,
                    labels.light,
                    labels.reasons,
                    labels.responsible,
                    labels.due,
                    labels.comment,
                ],
                status_rows,
            ),
            (
                labels.indicators_sheet,
                [
                    labels.key,
                    labels.goal,
                    labels.recommendation,
                    labels.indicator,
                    labels.unit,
                    labels.baseline,
                    labels.date,
                    labels.target,
                    labels.date,
                    labels.latest,
                    labels.date,
                    f"{labels.progress} (%)",
                    labels.assessment,
                ],
                indicator_rows,
            ),
            (
                labels.changes_sheet,
                [
                    labels.date,
                    labels.key,
                    labels.goal,
                    labels.recommendation,
                    labels.before,
                    labels.after,
                    labels.comment,
                    labels.source,
                ],
                change_rows,
            ),
        ],
        title=f"{labels.heading}: {report.title}",
        language=report.language,
    )


def change_rows(report: ProgressReport) -> list[tuple[str, str, str, str, str]]:
    """The changes since the previous report as (date, goal, recommendation, before, after),
    oldest first, for the formats that show them as one table (PDF, Word)."""
    labels = report.labels
    rows: list[tuple[date, int, tuple[str, str, str, str, str]]] = []
    for priority in report.priorities:
        for item in priority.items:
            name = _item_name(report, item)
            for change in item.changes:
                before, after = change.status_before, change.status_after
                if change.due_before != change.due_after:
                    before += f"; {labels.due}: {report.date(change.due_before) or '–'}"
                    after += f"; {labels.due}: {report.date(change.due_after) or '–'}"
                if change.comment:
                    after += f" ({change.comment})"
                rows.append(
                    (change.on, 0, (report.date(change.on), priority.goal, name, before, after))
                )
            for line in item.indicators:
                for value in line.new_values:
                    after = f"{report.number(value.value)} {line.unit}".strip()
                    if value.source:
                        after += f" ({value.source})"
                    rows.append(
                        (
                            value.date,
                            1,
                            (
                                report.date(value.date),
                                priority.goal,
                                name,
                                f"{labels.indicator}: {line.name}",
                                after,
                            ),
                        )
                    )
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row for _day, _kind, row in rows]
