"""Small tallies and ballots for the explanation tests, written out by hand."""

from __future__ import annotations

from klebepunkt.domain import Ballot, Card, Goal, Tally


def goal(gid: str, field: str = "Pflege", nr: str = "", stated: int | None = None) -> Goal:
    return Goal(id=gid, theme_field=field, text=f"Ziel {gid}", nr=nr, stated_points=stated)


def card(
    cid: str,
    dots: int,
    goal_id: str | None = None,
    field: str = "Pflege",
    text: str | None = None,
    stated_in_topic_store: bool | None = None,
) -> Card:
    return Card(
        id=cid,
        theme_field=field,
        text=f"Karte {cid}" if text is None else text,
        dots=dots,
        goal_id=goal_id,
        stated_in_topic_store=stated_in_topic_store,
    )


def ballot(voter: str, card_id: str, dots: int, group: str = "Politik") -> Ballot:
    return Ballot(voter_id=voter, stakeholder_group=group, card_id=card_id, dots=dots)


def four_goals() -> tuple[Tally, tuple[Ballot, ...]]:
    """Threshold 3, sum. g1: c1 (A 2, B 1) + c2 (B 1) = 4; g2: c3 (C 3) = 3;
    g3: c4 = 5 of which 3 paper dots and D 2; g4: c5 (A 1) = 1, below."""
    tally = Tally(
        goals=(goal("g1"), goal("g2"), goal("g3"), goal("g4")),
        cards=(
            card("c1", 3, "g1"),
            card("c2", 1, "g1"),
            card("c3", 3, "g2"),
            card("c4", 5, "g3"),
            card("c5", 1, "g4"),
        ),
    )
    ballots = (
        ballot("A", "c1", 2, "Politik"),
        ballot("B", "c1", 1, "Freie Träger"),
        ballot("B", "c2", 1, "Freie Träger"),
        ballot("C", "c3", 3, "Interessenvertreter"),
        ballot("D", "c4", 2, "Politik"),
        ballot("A", "c5", 1, "Politik"),
    )
    return tally, ballots
