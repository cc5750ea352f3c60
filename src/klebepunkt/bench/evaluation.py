"""The evaluation benchmark: a generated sheet of 100,000 cards in 10,000 goals.

``read_s`` is the time to read the CSV into a tally; ``evaluate_s`` the time of the
evaluation alone, on the same tally, in the same run.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from klebepunkt.domain import evaluate
from klebepunkt.sheets import read_sheet
from klebepunkt.sheets.writer import csv_bytes

FIELDS = ("Pflege", "Wohnen", "Soziale Belastung", "Bildung", "Gesundheit")


def generated_sheet(path: Path, cards: int = 100_000, goals: int = 10_000, seed: int = 3) -> None:
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for index in range(cards):
        goal = index % goals
        field = FIELDS[goal % len(FIELDS)]
        rows.append(
            [
                field,
                str(goal + 1),
                f"Ziel {goal + 1} im Themenfeld {field}",
                f"Handlungsempfehlung {index + 1}: Angebote werden ausgebaut",
                "Anzahl der Angebote steigt",
                "Amt für Jugend, Familie, Senioren und Soziales",
                rng.choice((0, 0, 0, 1, 1, 2, 3)),
            ]
        )
    header = [
        "Themenfeld",
        "Nr",
        "Ziel",
        "Handlungsempfehlung",
        "Indikator",
        "Zuständigkeit",
        "Punkte",
    ]
    path.write_bytes(csv_bytes(header, rows))


def run(cards: int = 100_000, goals: int = 10_000, repeat: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "gross.csv"
        generated_sheet(path, cards, goals)
        read_times, evaluate_times = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            tally = read_sheet(path).tally
            read_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = evaluate(tally)
            evaluate_times.append(time.perf_counter() - started)
        assert len(result.goals) == goals or len(result.goals) <= goals
    return {
        "cards": cards,
        "goals": goals,
        "read_s": round(min(read_times), 3),
        "evaluate_s": round(min(evaluate_times), 3),
    }


if __name__ == "__main__":
    print(run())
