"""Convert the seed's transcription (koblenz-2017.yaml) into the shipped sample process.

Usage: uv run python tools/convert_seed.py ../shared/seed/koblenz-2017.yaml

Members: the seed gives the composition (who and how many), not names; the sample
names each member by role ("Fraktion 1", "Seniorenbeirat", …). The seed's own
Themenspeicher is kept as ``stated_in_topic_store`` so that a consistency check can
compare the hand-made table with the rule.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml

from klebepunkt.domain import Card, Goal, Rules, Tally
from klebepunkt.domain.process import (
    ORIGIN_MEETING,
    Meeting,
    Member,
    ProcessRecord,
    StakeholderGroup,
)
from klebepunkt.process_document import dumps

OUT = Path(__file__).resolve().parents[1] / "src/klebepunkt/samples/koblenz-2017.json"

# The one card of a below-threshold goal that the seed's Themenspeicher does not list.
LOST = "Eine integrierte Kinderbetreuung bei Sprachbildung wird sichergestellt."

MEMBER_NAMES = {
    "Politik": [f"Fraktionsvertretung {i}" for i in range(1, 10)],
    "Freie Träger": [f"Wohlfahrtsverband {i}" for i in range(1, 6)],
}


def main(path: str) -> None:
    seed = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    groups, members = [], []
    for row in seed["composition"]:
        who = row["who"]
        description = ", ".join(who) if isinstance(who, list) else who
        if row["count"] is None:
            description = "Expertinnen und Experten aus der Verwaltung (nur zweite Sitzung)"
        groups.append(
            StakeholderGroup(
                name=row["area"],
                description=description,
                count_text=row.get("count_text") or "",
                voting=row["voting"],
            )
        )
        names = MEMBER_NAMES.get(row["area"]) or (who if isinstance(who, list) else [])
        for name in names[: row["count"] or 0]:
            members.append(Member(name=name, stakeholder_group=row["area"], voting=row["voting"]))

    meetings = []
    for row in seed["meetings"]:
        start, end = row["time"].split("-")
        meetings.append(
            Meeting(
                date=row["date"]
                if isinstance(row["date"], dt.date)
                else dt.date.fromisoformat(row["date"]),
                start=dt.time.fromisoformat(start),
                end=dt.time.fromisoformat(end),
                place=row["place"],
                focus=row["focus"],
            )
        )

    threshold = seed["process"]["rules"]["goal_threshold"]
    goals, cards = [], []
    for field in seed["theme_fields"]:
        for goal in field["goals"]:
            goal_id = f"g{len(goals) + 1}"
            goals.append(
                Goal(
                    id=goal_id,
                    theme_field=field["name"],
                    text=goal["goal"],
                    nr=str(goal["nr"]),
                    stated_points=goal["seed_goal_points"],
                )
            )
            for card in goal["cards"]:
                text = card.get("text") or ""
                stored = goal["seed_goal_points"] < threshold and bool(text) and text != LOST
                cards.append(
                    Card(
                        id=f"c{len(cards) + 1}",
                        theme_field=field["name"],
                        text=text,
                        dots=card["dots"],
                        goal_id=goal_id,
                        indicator=card.get("indicator") or "",
                        responsible=card.get("responsible") or "",
                        stated_in_topic_store=stored,
                        origin=ORIGIN_MEETING,
                    )
                )
        for text in seed["zero_dot_cards"][field["name"]]:
            cards.append(
                Card(
                    id=f"c{len(cards) + 1}",
                    theme_field=field["name"],
                    text=text,
                    stated_in_topic_store=True,
                    origin=ORIGIN_MEETING,
                )
            )

    rules = seed["process"]["rules"]
    record = ProcessRecord(
        title=seed["process"]["title"],
        body=seed["process"]["body"],
        year=2017,
        description=(
            "Handlungsempfehlungen der AG Sozialplanung zum Bericht zur sozialen Lage 2015; "
            "Gewichtung mit Klebepunkten in der zweiten Sitzung am 07.09.2017."
        ),
        rules=Rules(dots_per_voter=rules["dots_per_voter"], goal_threshold=rules["goal_threshold"]),
        stakeholder_groups=tuple(groups),
        members=tuple(members),
        meetings=tuple(meetings),
        tally=Tally(
            goals=tuple(goals),
            cards=tuple(cards),
            theme_fields=tuple(field["name"] for field in seed["theme_fields"]),
        ),
    )
    OUT.write_bytes(dumps(record))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/seed/koblenz-2017.yaml")
