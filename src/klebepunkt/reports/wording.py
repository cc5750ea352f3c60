"""Sentences the terminal and the web pages share: the short explanation of a result and
the discrepancies of an audit check, worded once in the reader's language.

The result report words its long explanation in ``reports.explanation``; the CLI's
``explain`` view and the web's audit check word theirs here, so the same finding
reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from klebepunkt.domain import Analysis, FindingCode, gettext_noop
from klebepunkt.domain.audit import PAPER_CHAIN
from klebepunkt.i18n import Translate


@dataclass(frozen=True, slots=True)
class ExplanationPoint:
    """One heading of the short explanation with its items."""

    title: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ShortExplanation:
    heading: str  # "Explanation"
    points: tuple[ExplanationPoint, ...]
    no_support: str  # why support and stability are missing, with a hint; "" when present
    nothing: str  # "Nothing stands out." (shown when there are no points)


def short_explanation(analysis: Analysis, translate: Translate) -> ShortExplanation:
    """Near duplicates, departures from the rule, priorities carried by or hanging on one voter."""
    t = translate
    headed = (  # a heading with its items; one without items is left out
        (
            gettext_noop("Similar recommendations (possibly entered twice)"),
            tuple(
                t(gettext_noop("“%(first)s” and “%(second)s” (%(score)s %% alike)"))
                % {
                    "first": pair.first.text,
                    "second": pair.second.text,
                    "score": round(pair.score * 100),
                }
                for pair in analysis.similar_cards
            ),
        ),
        (
            gettext_noop("Where the table departs from the rule"),
            tuple(
                finding.message.render(t)
                for finding in analysis.consistency
                if finding.code is not FindingCode.STATED_POINTS_DIFFER  # among the warnings
            ),
        ),
        (
            gettext_noop("Priorities carried by a single voter"),
            tuple(
                t(gettext_noop("%(goal)s (%(points)s points, all from one voter)"))
                % {"goal": goal.goal.goal.text, "points": goal.goal.points}
                for goal in analysis.support.single_supporter_priorities
            ),
        ),
        (
            gettext_noop("Priorities that hang on a single voter"),
            tuple(
                t(gettext_noop("%(goal)s (voters whose absence alone would drop it: %(voters)s)"))
                % {"goal": goal.goal.goal.text, "voters": goal.changes_without}
                for goal in analysis.stability.unstable
            ),
        ),
    )
    points = [ExplanationPoint(t(title), items) for title, items in headed if items]
    no_support = ""
    if not analysis.support.available and analysis.support.reason is not None:
        hint = t(gettext_noop("Support and stability need a ballots sheet (--ballots)."))
        no_support = f"{analysis.support.reason.render(t)} {hint}"
    return ShortExplanation(
        heading=t(gettext_noop("Explanation")),
        points=tuple(points),
        no_support=no_support,
        nothing=t(gettext_noop("Nothing stands out.")),
    )


# --- the audit check -------------------------------------------------------------------------


class Discrepancy(Protocol):
    """What ``voting.selectors.verify_round`` reports, as far as the wording needs it."""

    @property
    def what(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def chain(self) -> str: ...
    @property
    def card_id(self) -> int | None: ...
    @property
    def stored(self) -> int | None: ...
    @property
    def log(self) -> int | None: ...
    @property
    def sequence(self) -> int | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def limit(self) -> int | None: ...


CHAIN_BREAKS = {
    "hash": gettext_noop("its checksum does not match its content (the record was changed)"),
    "link": gettext_noop(
        "it does not link to the record before it (a record was removed or inserted)"
    ),
    "sequence": gettext_noop("its number is out of sequence (a record was removed or inserted)"),
    "head": gettext_noop("the chain ends elsewhere than the voter's stored state says"),
    "mac": gettext_noop(
        "its MAC does not match under any known audit key (the chain was recomputed without"
        " the key)"
    ),
}
SEAL_WITHOUT_MAC = gettext_noop(
    "the seal has no valid MAC under a known audit key (it was recomputed)"
)

DISCREPANCIES = {
    "ballot": gettext_noop(
        "dots of %(chain)s on card %(card)s: %(stored)s stored, %(log)s in the audit log"
    ),
    "used": gettext_noop("dots used by %(chain)s: %(stored)s stored, %(log)s in the audit log"),
    "budget": gettext_noop("%(chain)s holds %(stored)s dots, more than the budget of %(limit)s"),
    "cap": gettext_noop(
        "%(chain)s holds %(log)s dots on card %(card)s, more than the cap of %(limit)s"
    ),
    "paper": gettext_noop(
        "paper dots on card %(card)s: %(stored)s stored, %(log)s in the audit log"
    ),
    "seal": gettext_noop(
        "the chains no longer end where they ended when the round was closed (seal broken)"
    ),
}


def discrepancy_text(
    problem: Discrepancy, translate: Translate, cards: dict[int, str] | None = None
) -> str:
    """One discrepancy of an audit check in the reader's language; ``cards`` names cards by id."""
    t = translate
    chain = t(gettext_noop("paper entries")) if problem.chain == PAPER_CHAIN else problem.chain
    card = str(problem.card_id)
    if cards and problem.card_id in cards:
        card += f" („{cards[problem.card_id]}“)"
    values = {
        "chain": chain,
        "card": card,
        "stored": problem.stored,
        "log": problem.log,
        "limit": problem.limit,
        "sequence": problem.sequence,
    }
    if problem.what == "chain":
        reason = t(CHAIN_BREAKS.get(problem.reason, problem.reason))
        return t(gettext_noop("audit chain %(chain)s, record %(sequence)s: %(reason)s")) % (
            values | {"reason": reason}
        )
    if problem.what == "seal" and problem.reason == "mac":
        return t(SEAL_WITHOUT_MAC)
    if problem.what in DISCREPANCIES:
        return t(DISCREPANCIES[problem.what]) % values
    return f"{problem.what}: {problem.detail}"
