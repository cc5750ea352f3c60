"""Benchmark data in a database of its own, and the count of overdrafts afterwards.

Run by the benchmark in a subprocess (Django is set up once per process and per
database):

    python -m klebepunkt.bench.prepare setup --voters 300 OUT.json
    python -m klebepunkt.bench.prepare check ROUND_ID [ROUND_ID …]
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klebepunkt.processes.models import Process

CARDS_PER_FIELD = 15
FIELDS = ("Pflege", "Wohnen", "Soziale Belastung", "Bildung")
GROUPS = ("Politik", "Freie Träger", "Interessenvertreter")
CSRF_SECRET = "benchmarkbenchmarkbenchmark00000"  # 32 characters: a CSRF cookie the app accepts


def add_members(
    process: Process, count: int, groups: Sequence[str], *, voting: Callable[[int], bool]
) -> None:
    """``count`` members "Mitglied 1" … spread over new stakeholder groups named ``groups``."""
    from klebepunkt.processes.models import Member, StakeholderGroup

    made = [
        StakeholderGroup.objects.create(process=process, name=name, position=position)
        for position, name in enumerate(groups)
    ]
    Member.objects.bulk_create(
        Member(
            process=process,
            name=f"Mitglied {i + 1}",
            stakeholder_group=made[i % len(made)],
            voting=voting(i),
            position=i,
        )
        for i in range(count)
    )


def setup(voters: int, out: Path) -> None:
    from django.core import signing

    from klebepunkt.processes import services as process_services
    from klebepunkt.processes.models import Card
    from klebepunkt.voting import identity, services
    from klebepunkt.voting.services import code_fingerprint

    process = process_services.create_process(title="Benchmark", user=None)
    for name in FIELDS:
        field = process_services.create_theme_field(process=process, name=name)
        for index in range(CARDS_PER_FIELD):
            process_services.create_card(
                theme_field=field,
                fields=process_services.CardFields(text=f"{name}: Empfehlung {index + 1}"),
            )
    add_members(process, voters, GROUPS, voting=lambda _i: True)
    cards = list(Card.objects.filter(theme_field__process=process).values_list("id", flat=True))
    signer = signing.get_cookie_signer(salt=identity.COOKIE + identity.SALT)
    rng = random.Random(7)
    plan: dict[str, Any] = {}
    # "warm" and "floor_warm": the warm-up rounds before the measured phases (bench/run.py)
    for name in ("app", "floor", "projector", "open100", "open300", "warm", "floor_warm"):
        voting_round = services.open_round(
            voting_round=services.create_round(
                process=process, title=f"Benchmark {name}", cap_per_card=3
            )
        )
        entries = []
        for voter in voting_round.voters.order_by("id"):
            if not name.startswith("floor"):
                value = signer.sign(f"{voter.pk}:{code_fingerprint(voter.code)}")
                cookie = f"{identity.COOKIE}={value}; csrftoken={CSRF_SECRET}"
            else:
                cookie = f"voter={voter.pk}"
            entries.append({"id": voter.pk, "cookie": cookie, "cards": rng.sample(cards, 12)})
        plan[name] = {
            "round": voting_round.pk,
            "projector_token": voting_round.projector_token,
            "voters": entries,
            "budget": voting_round.dots_per_voter,
            "cap": voting_round.cap_per_card,
        }
    out.write_text(json.dumps(plan), encoding="utf-8")


def check(round_ids: list[int]) -> None:
    from klebepunkt.bench.overdrafts import count_overdrafts
    from klebepunkt.voting.models import Ballot, VotingRound
    from klebepunkt.voting.selectors import verify_round

    result = {}
    for round_id in round_ids:
        voting_round = VotingRound.objects.get(pk=round_id)
        voters = list(voting_round.voters.values_list("id", "used", "budget"))
        ballots = list(
            Ballot.objects.filter(voter__voting_round=voting_round).values_list(
                "voter_id", "card_id", "dots"
            )
        )
        result[str(round_id)] = {
            "overdrafts": count_overdrafts(voters, ballots, voting_round.cap_per_card),
            "audit_discrepancies": len(verify_round(voting_round)),
            "events": voting_round.events.count(),
            "dots_held": sum(dots for _v, _c, dots in ballots),
        }
    print(json.dumps(result))


def main() -> None:
    from klebepunkt.web import server

    server.configure()
    if sys.argv[1] == "setup":
        server.prepare()
        setup(int(sys.argv[3]), Path(sys.argv[4]))
    else:
        check([int(value) for value in sys.argv[2:]])


if __name__ == "__main__":
    main()
