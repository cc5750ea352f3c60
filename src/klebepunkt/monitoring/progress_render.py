"""The progress report in every format; each lays out the same content.

PDF (``progress_pdf``, WeasyPrint through ``reports.pdf.html_to_pdf``) and Word
(``progress_docx``, python-docx with the report's building blocks) are loaded
only when asked for; every renderer has the shape ``ProgressReport -> bytes``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from klebepunkt.monitoring.progress import ItemLine, PriorityLine, ProgressReport
from klebepunkt.monitoring.state import ItemKind
from klebepunkt.sheets.xlsx import workbook_bytes

LIGHT_SYMBOLS = {"red": "✖", "amber": "▲", "green": "✔"}  # a shape per light, besides the word


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return (
        " ".join(text.split())
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("*", "\\*")
        .replace("_", "\\_")
    )


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines.extend("| " + " | ".join(_cell(v) for v in row) + " |" for row in rows)
    return lines


def _light(line: PriorityLine | ItemLine) -> str:
    return f"{LIGHT_SYMBOLS[line.light.value]} {line.light_label}"


def _item_name(report: ProgressReport, item: ItemLine) -> str:
    if item.kind is ItemKind.GOAL:
        return report.labels.the_priority
    return item.text


def render_progress_markdown(report: ProgressReport) -> bytes:
    labels = report.labels
    out: list[str] = [f"# {_cell(labels.heading)}: {_cell(report.title)}", ""]
    if report.subtitle:
        out += [_cell(report.subtitle), ""]
    out += [f"{labels.as_of_line} {labels.since_line}", ""]
    out += [f"## {labels.summary}", ""]
    out += _table(
        [labels.light, labels.count],
        [
            [f"{LIGHT_SYMBOLS[light.value]} {label}", str(n)]
            for light, label, n in report.light_counts
        ],
    )
    out += [""]
    out += _table(
        [labels.status, labels.count],
        [[label, str(n)] for _status, label, n in report.status_counts if n],
    )
    out += ["", f"## {labels.priorities}", ""]
    if not report.priorities:
        out += [labels.no_priorities, ""]
    for priority in report.priorities:
        nr = f"{priority.nr}. " if priority.nr else ""
        out += [
            f"### {_cell(nr + priority.goal)}",
            "",
            f"{_cell(priority.theme_field)} · {priority.points} {labels.points}",
            "",
            f"**{labels.light}:** {_light(priority)} – {_cell('; '.join(priority.reasons))}",
            "",
        ]
        out += _table(
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
            out += _table(
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
            out += [f"- {_cell(line.description)}" for _item, line in indicators]
        out += [""]
    out += [f"## {labels.changes}", "", labels.since_line, ""]
    changed = [p for p in report.priorities if p.changed]
    if not changed:
        out += [labels.no_changes, ""]
    for priority in changed:
        out += [f"### {_cell(priority.goal)}", ""]
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
                    f"- {report.date(change.on)} – {_cell(_item_name(report, item))}: {_cell(text)}"
                )
            for line in item.indicators:
                for value in line.new_values:
                    unit = f" {_cell(line.unit)}" if line.unit else ""
                    source = f" ({_cell(value.source)})" if value.source else ""
                    out.append(
                        f"- {report.date(value.date)} – {_cell(line.name)}: "
                        f"{report.number(value.value)}{unit}{source}"
                    )
        out += [""]
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


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
    return workbook_bytes(
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
        ]
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


def _render_pdf(report: ProgressReport) -> bytes:
    from klebepunkt.monitoring.progress_pdf import render_progress_pdf  # WeasyPrint on demand

    return render_progress_pdf(report)


def _render_docx(report: ProgressReport) -> bytes:
    from klebepunkt.monitoring.progress_docx import render_progress_docx

    return render_progress_docx(report)


Renderer = Callable[[ProgressReport], bytes]

RENDERERS: dict[str, Renderer] = {
    "pdf": _render_pdf,
    "docx": _render_docx,
    "md": render_progress_markdown,
    "xlsx": render_progress_xlsx,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render_progress(report: ProgressReport, fmt: str) -> bytes:
    return RENDERERS[fmt](report)
