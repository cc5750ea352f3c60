"""How long the reports take: the Koblenz PDF and a 1,000-card PDF, each against the
Markdown of the same process in the same run.

    uv run python -m klebepunkt.bench.reports [--cards 1000] [--repeat 3] [--docx] [--json]

``--json`` prints one JSON object instead of the table (``klebepunkt bench`` reads it):
per process its cards and per format the first and best seconds.

Each figure is the whole way from the process to the file's bytes: evaluate, analyse, build the
report, render. "first" is a format's first run for that process and "best" the fastest of
``--repeat`` runs. The Koblenz sample goes first, so only its first runs are cold: its first
PDF pays for loading Typst and the fonts, its first Word file for loading python-docx. The
1,000-card process comes after them, so its "first" is warm (what a server that has made one
report before pays), not a cold start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from klebepunkt.domain import Card, Goal, Rules, Tally, analyse, evaluate
from klebepunkt.domain.process import Meeting, Member, ProcessRecord, StakeholderGroup
from klebepunkt.i18n import translator
from klebepunkt.reports import build_report, render_report
from klebepunkt.samples import load_sample

THEME_FIELDS = ("Pflege", "Wohnen", "Soziale Belastung", "Bildung")
WORDS = [
    "Angebote",
    "Beratung",
    "Quartier",
    "Stadtteil",
    "Kinderbetreuung",
    "Pflegekräfte",
    "Wohnraum",
    "Teilhabe",
    "Bildungsberatung",
    "Ehrenamt",
    "Vernetzung",
    "Jugendhilfe",
    "Seniorenarbeit",
    "Barrierefreiheit",
    "Integration",
    "Sprachförderung",
    "Familienzentrum",
    "Gesundheitsprävention",
    "Mobilität",
    "Schulen",
    "werden",
    "ausgebaut",
    "gestärkt",
    "gefördert",
    "geprüft",
    "verbessert",
    "für",
    "alle",
    "Menschen",
    "in",
    "Koblenz",
]


def generated_process(cards: int, seed: int = 2017) -> ProcessRecord:
    """A process of about ``cards`` cards in four theme fields, four cards to a goal."""
    rng = random.Random(seed)
    groups = (
        StakeholderGroup("Politik", "Vertreter der Fraktionen"),
        StakeholderGroup("Freie Träger", "Wohlfahrtsverbände"),
        StakeholderGroup("Interessenvertreter", "Beiräte"),
        StakeholderGroup("Verwaltung", "Fachämter", voting=False),
    )
    members = tuple(
        Member(f"Mitglied {n}", groups[n % 4].name, voting=groups[n % 4].voting)
        for n in range(1, 81)
    )

    def sentence(low: int, high: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()

    goals: list[Goal] = []
    tally_cards: list[Card] = []
    for index in range(cards):
        field = THEME_FIELDS[index % len(THEME_FIELDS)]
        if index % 16 < 4:  # a new goal every fourth card of a theme field
            goals.append(
                Goal(f"g{len(goals)}", field, sentence(4, 12), nr=str(len(goals) // 4 + 1))
            )
        field_goals = [goal for goal in goals[-4:] if goal.theme_field == field]
        dots = rng.choice((0, 0, 0, 1, 1, 1, 2, 3, 5))
        tally_cards.append(
            Card(
                f"c{index}",
                field,
                sentence(3, 30),
                dots=dots,
                goal_id=field_goals[-1].id if field_goals and dots else None,
                indicator=sentence(0, 15),
                responsible=sentence(0, 5),
            )
        )
    meetings = tuple(
        Meeting(dt.date(2026, 3, day), dt.time(16), dt.time(18), "Rathaus", sentence(4, 10))
        for day in (3, 17, 31)
    )
    return ProcessRecord(
        title=f"Benchmark: {cards} Karten",
        body="AG Sozialplanung (generiert)",
        rules=Rules(),
        stakeholder_groups=groups,
        members=members,
        meetings=meetings,
        tally=Tally(goals=tuple(goals), cards=tuple(tally_cards), theme_fields=THEME_FIELDS),
    )


@dataclass(frozen=True)
class Timing:
    first: float
    best: float
    size: int


def _time(make: Callable[[], bytes], repeat: int) -> Timing:
    times: list[float] = []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(make())
        times.append(time.perf_counter() - start)
    return Timing(times[0], min(times), size)


def _producer(record: ProcessRecord, fmt: str) -> Callable[[], bytes]:
    translate = translator("de")

    def produce() -> bytes:
        evaluation = evaluate(record.tally, record.rules)
        report = build_report(
            evaluation,
            translate,
            title=record.title,
            subtitle=record.body,
            record=record,
            analysis=analyse(record.tally, evaluation=evaluation),
        )
        return render_report(report, fmt)

    return produce


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--docx", action="store_true", help="also time the Word file")
    parser.add_argument("--json", action="store_true", help="one JSON object, no table")
    arguments = parser.parse_args()
    processes = {
        "Koblenz 2017": load_sample("koblenz-2017"),
        f"{arguments.cards} Karten": generated_process(arguments.cards),
    }
    formats = ["md", "pdf", *(["docx"] if arguments.docx else [])]
    if arguments.json:
        figures = {
            ("koblenz" if name.startswith("Koblenz") else f"generated_{arguments.cards}"): {
                "cards": len(record.tally.cards),
                **{
                    f"{fmt}_{kind}_s": round(value, 3)
                    for fmt in formats
                    for timing in [_time(_producer(record, fmt), arguments.repeat)]
                    for kind, value in (("first", timing.first), ("best", timing.best))
                },
            }
            for name, record in processes.items()
        }
        print(json.dumps(figures))
        return
    print(
        f"{'Verfahren':<16} {'Karten':>6} {'Format':<6} {'erstes':>9} {'bestes':>9} "
        f"{'× Markdown':>11} {'Größe':>10}"
    )
    for name, record in processes.items():
        timings = {fmt: _time(_producer(record, fmt), arguments.repeat) for fmt in formats}
        markdown = timings["md"].best
        for fmt, timing in timings.items():
            ratio = timing.best / markdown if markdown else float("inf")
            print(
                f"{name:<16} {len(record.tally.cards):>6} {fmt:<6} {timing.first:>8.3f}s "
                f"{timing.best:>8.3f}s {ratio:>10.0f}× {timing.size:>9,d}B"
            )


if __name__ == "__main__":
    main()
