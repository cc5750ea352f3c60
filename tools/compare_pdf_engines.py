"""WeasyPrint against Typst on the same report: CPU seconds and pages (issue 16).

Usage (Typst is not a dependency of klebepunkt; install it beside it to compare):

    uv pip install typst
    uv run python tools/compare_pdf_engines.py [--cards 1000]

The Typst side is a prototype of the report's bulk (title page, outline, overview with
goal cells spanning their cards, priorities, topic store, explanation tables), tagged
and checked against PDF/UA-1; it is not the report's full look. CPU seconds, not wall
time, so a busy machine distorts the comparison less.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from klebepunkt.bench.reports import generated_process
from klebepunkt.domain import analyse, evaluate
from klebepunkt.i18n import translator
from klebepunkt.reports import Report, build_report


def quoted(value: object) -> str:
    """A Typst string literal."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_markup(report: Report) -> str:
    labels = report.text
    out: list[str] = [
        f'#set document(title: {quoted(report.title)}, author: "klebepunkt")',
        f'#set text(lang: "{report.language}", font: ("Liberation Sans", "DejaVu Sans"),'
        " size: 10pt, hyphenate: true)",
        '#set page(paper: "a4", margin: (top: 18mm, bottom: 20mm, x: 16mm), footer: context {'
        " if here().page() > 1 [#h(1fr) #text(size: 8.5pt)[#counter(page).display() /"
        " #counter(page).final().first()]] })",
        '#show heading: set text(fill: rgb("#1f4e79"))',
        "#show heading.where(level: 2): it => { pagebreak(weak: true); it }",
        '#set table(stroke: 0.6pt + rgb("#8a9bb0"), inset: (x: 4pt, y: 3pt))',
        '#show table.cell.where(y: 0): set text(weight: "bold")',
        "#let th(..cells) = table.header(..cells.pos().map(c =>"
        ' table.cell(fill: rgb("#dce6f0"), c)))',
        f'#v(70mm)\n#text(size: 24pt, weight: "bold", {quoted(report.title)})\n',
        f"#text(size: 13pt, {quoted(report.subtitle)})\n\n#{quoted(report.summary)}\n#pagebreak()",
        "#outline(depth: 3)",
        f"== {labels.overview}",
    ]
    for table in report.overview:
        out.append(f"=== {table.theme_field}")
        if not table.rows:
            continue
        out.append("#set text(size: 8.5pt)")
        out.append("#table(columns: (5%, 19%, 24%, 18%, 18%, 8%, 8%),")
        out.append("  th(" + ", ".join(quoted(c) for c in labels.overview_columns) + "),")
        for row in table.rows:
            cells = []
            if row.goal_rows:
                fill = ', fill: rgb("#f1f5fa")' if row.is_priority else ""
                mark = f"[*{labels.priority}* ] + " if row.is_priority else ""
                cells.append(f"table.cell(rowspan: {row.goal_rows}{fill}, {quoted(row.nr)})")
                cells.append(
                    f"table.cell(rowspan: {row.goal_rows}{fill}, {mark}{quoted(row.goal)})"
                )
            cells += [quoted(row.recommendation), quoted(row.indicator), quoted(row.responsible)]
            cells.append(f"align(right, {quoted(row.card_dots)})")
            if row.goal_rows:
                cells.append(
                    f"table.cell(rowspan: {row.goal_rows},"
                    f" align(right, strong({quoted(row.goal_points)})))"
                )
            out.append("  " + ", ".join(cells) + ",")
        out.append(")\n#set text(size: 10pt)")
    out.append(f"== {labels.part_2}")
    for number, goal in enumerate(report.priorities, 1):
        out.append(f"=== {number}. {goal.goal.text}")
        heads = (
            labels.recommendation,
            labels.indicator,
            labels.responsible,
            labels.points_for_recommendation,
        )
        out.append(
            "#block(breakable: false, table(columns: (36%, 30%, 22%, 12%), th("
            + ", ".join(map(quoted, heads))
            + "),"
        )
        for card in goal.cards:
            out.append(
                f"  {quoted(report.card_text(card))}, {quoted(card.indicator)},"
                f" {quoted(card.responsible)}, align(right, {quoted(card.dots)}),"
            )
        out.append("))")
    out.append(f"== {labels.topic_store}")
    for section in report.topic_store:
        out.append(f"=== {section.theme_field}")
        if not section.entries:
            continue
        heads = (labels.recommendation, labels.goal, labels.reason)
        out.append("#table(columns: (50%, 28%, 22%), th(" + ", ".join(map(quoted, heads)) + "),")
        for entry in section.entries:
            goal_text = entry.goal.text if entry.goal and entry.card.text else ""
            out.append(
                f"  {quoted(entry.text)}, {quoted(goal_text)}, {quoted(report.reason_text(entry))},"
            )
        out.append(")")
    out.append(f"== {labels.explanation}")
    for table in report.explanation.goals:
        heads = (
            labels.overview_columns[0],
            labels.goal,
            labels.points,
            labels.status,
            labels.margin,
            labels.other_ways,
        )
        out.append(f"=== {table.theme_field}\n#set text(size: 8pt)")
        out.append(
            "#table(columns: (5%, 36%, 8%, 15%, 19%, 17%), th("
            + ", ".join(map(quoted, heads))
            + "),"
        )
        for row in table.rows:
            out.append(
                f"  {quoted(row.nr)}, {quoted(row.goal)}, align(right, {quoted(row.points)}),"
                f" {quoted(row.status)}, {quoted(row.margin)},"
                f" {quoted(chr(10).join(row.other_ways_lines))},"
            )
        out.append(")\n#set text(size: 10pt)")
    return "\n".join(out)


def cpu(make: Any) -> tuple[float, Any]:
    start = time.process_time()
    result = make()
    return time.process_time() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    arguments = parser.parse_args()
    record = generated_process(arguments.cards)
    evaluation = evaluate(record.tally, record.rules)
    seconds, analysis = cpu(lambda: analyse(record.tally, evaluation=evaluation))
    print(f"analyse: {seconds:.2f} s CPU")
    report = build_report(
        evaluation,
        translator("de"),
        title=record.title,
        subtitle=record.body,
        record=record,
        analysis=analysis,
    )
    try:
        import typst
    except ImportError:
        print("typst: not installed (uv pip install typst)")
    else:
        markup = typst_markup(report).encode()
        seconds, pdf = cpu(lambda: typst.compile(markup, pdf_standards=["ua-1"]))
        print(f"typst (PDF/UA-1): {seconds:.2f} s CPU, {len(pdf):,} bytes")
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from klebepunkt.reports.pdf import report_html

    html = report_html(report)
    fetcher = URLFetcher(allowed_protocols=())
    seconds, document = cpu(
        lambda: HTML(string=html, url_fetcher=fetcher).render(pdf_variant="pdf/ua-1")
    )
    written, pdf = cpu(lambda: document.write_pdf(pdf_variant="pdf/ua-1"))
    print(
        f"weasyprint (PDF/UA-1): {seconds:.2f} s layout + {written:.2f} s writing CPU,"
        f" {len(document.pages)} pages, {len(pdf):,} bytes"
    )


if __name__ == "__main__":
    main()
