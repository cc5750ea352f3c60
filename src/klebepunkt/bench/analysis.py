"""Benchmark of the explanation: leave-one-voter-out and near-duplicate search.

    uv run python -m klebepunkt.bench.analysis

Generates (seeded, so every run sees the same data) 1,000 voters with 8 dots
each, spread over 2,000 and over 4,000 cards in 4 theme fields (5 cards per goal,
some paper dots without a ballot), and prints the time of leave-one-voter-out for
each size, the ratio 4,000 : 2,000, and for comparison the estimated time of the
naive way (evaluating the whole tally again without each voter). Then the time
of the near-duplicate search and of goal suggestions for 2,000 German card texts.
Times are the best of seven runs (three for the slower parts).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial

from klebepunkt.domain import Aggregation, Ballot, Card, Goal, Rules, Tally, evaluate
from klebepunkt.domain.similarity import GoalSuggester, similar_cards
from klebepunkt.domain.stability import stability
from klebepunkt.samples import load_sample

VOTERS = 1_000
DOTS_PER_VOTER = 8
CARDS_PER_GOAL = 5
FIELDS = ("Pflege", "Wohnen", "Soziale Belastung", "Bildung")
GROUPS = ("Politik", "Freie Träger", "Interessenvertreter")
SEED = 2017


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def vote(cards: int, seed: int = SEED) -> tuple[Tally, tuple[Ballot, ...]]:
    """A tally of ``cards`` cards and the ballots of 1,000 voters (plus some paper dots)."""
    rng = random.Random(seed)
    goals = [
        Goal(id=f"g{index}", theme_field=FIELDS[index % len(FIELDS)], text=f"Ziel {index}")
        for index in range(cards // CARDS_PER_GOAL)
    ]
    card_goal = [goals[index // CARDS_PER_GOAL] for index in range(cards)]
    ballots: list[Ballot] = []
    dots: dict[int, int] = defaultdict(int)
    for voter in range(VOTERS):
        group = GROUPS[voter % len(GROUPS)]
        chosen: dict[int, int] = defaultdict(int)
        for _ in range(DOTS_PER_VOTER):  # stacking allowed: the same card may come up twice
            chosen[rng.randrange(cards)] += 1
        for card, count in chosen.items():
            ballots.append(Ballot(f"m{voter}", group, f"c{card}", count))
            dots[card] += count
    for _ in range(cards // 10):  # paper dots, entered as totals
        dots[rng.randrange(cards)] += 1
    tally = Tally(
        goals=tuple(goals),
        cards=tuple(
            Card(
                id=f"c{index}",
                theme_field=card_goal[index].theme_field,
                text=f"Karte {index}",
                dots=dots[index],
                goal_id=card_goal[index].id,
            )
            for index in range(cards)
        ),
    )
    return tally, tuple(ballots)


def german_cards(count: int, seed: int = SEED) -> Tally:
    """``count`` cards of German text built from the words of the Koblenz cards,
    one in twenty a near copy of an earlier one (a word dropped or a letter lost)."""
    rng = random.Random(seed)
    sample = load_sample("koblenz-2017").tally
    words = sorted({word for card in sample.cards for word in card.text.split() if len(word) > 2})
    goals = sample.goals
    texts: list[str] = []
    for index in range(count):
        if texts and index % 20 == 0:
            copied = rng.choice(texts).split()
            position = rng.randrange(len(copied))
            word = copied[position]
            copied[position] = word[:-1] if len(word) > 4 else word
            texts.append(" ".join(copied))
        else:
            texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(4, 12))))
    cards = []
    for index, text in enumerate(texts):
        goal = goals[index % len(goals)]
        cards.append(
            Card(
                id=f"c{index}",
                theme_field=goal.theme_field,
                text=text,
                dots=1,
                goal_id=goal.id if index % 4 else None,
            )
        )
    return Tally(goals=goals, cards=tuple(cards))


def main() -> None:
    print(
        f"Leave-one-voter-out, {VOTERS:,} voters × {DOTS_PER_VOTER} dots "
        "(best of 7; the naive estimate best of 3)"
    )
    rows: dict[tuple[str, int], float] = {}
    for aggregation in (Aggregation.SUM, Aggregation.BEST_CARD):
        rules = Rules(aggregation=aggregation)
        for cards in (2_000, 4_000):
            tally, ballots = vote(cards)
            evaluation = evaluate(tally, rules)
            seconds = best_of(7, partial(stability, evaluation, ballots))
            unstable = len(stability(evaluation, ballots).unstable)
            rows[(aggregation.value, cards)] = seconds
            naive = best_of(3, partial(evaluate, tally, rules)) * VOTERS
            print(
                f"  {aggregation.value:<9} {cards:>5,} cards, {len(ballots):>5,} ballots: "
                f"{seconds * 1000:7.1f} ms   ({unstable} goals hang on one voter; "
                f"evaluating again without each voter would take ≈ {naive:.1f} s)"
            )
        ratio = rows[(aggregation.value, 4_000)] / rows[(aggregation.value, 2_000)]
        print(f"  {aggregation.value:<9} ratio 4,000 : 2,000 cards = {ratio:.2f} (quadratic: 4)")

    tally = german_cards(2_000)
    print("Clustering help, 2,000 German card texts (best of 3)")
    seconds = best_of(3, lambda: similar_cards(tally))
    pairs = len(similar_cards(tally))
    print(f"  near duplicates: {seconds * 1000:7.1f} ms ({pairs} pairs)")
    suggester_seconds = best_of(3, lambda: GoalSuggester(tally))
    suggester = GoalSuggester(tally)
    unclustered = [card for card in tally.cards if card.goal_id is None][:100]
    suggest_seconds = best_of(3, lambda: [suggester.suggest_for(card) for card in unclustered])
    print(
        f"  goal suggestions: index {suggester_seconds * 1000:.1f} ms, "
        f"{len(unclustered)} cards {suggest_seconds * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
