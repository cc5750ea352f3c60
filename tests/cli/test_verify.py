"""``klebepunkt verify PROCESS``: a clean process passes; a change behind the app's back fails.

Each tampering is a plain SQL statement on the database, as somebody with access to the
database file or server (not the app) would make it. ``verify`` recomputes every tally
from the audit log, checks the chains and the seal, prints every discrepancy and exits
with 1.
"""

from __future__ import annotations

import pytest
from django.db import connection
from typer.testing import CliRunner

from klebepunkt import cli
from klebepunkt.domain.audit import event_hash, event_mac
from klebepunkt.processes.models import Card
from klebepunkt.voting import audit_keys, selectors, services
from klebepunkt.voting.models import Ballot, DotEvent, PaperTally, Voter

pytestmark = pytest.mark.django_db

_ = cli.base._


@pytest.fixture
def voted(koblenz_blank, facilitator):
    """An open round with dots of three voters and paper dots, and a closed round."""
    process = koblenz_blank
    cards = list(Card.objects.filter(theme_field__process=process).order_by("id")[:4])
    voting_round = services.open_round(
        voting_round=services.create_round(process=process, title="Pflege-Runde")
    )
    voters = list(voting_round.voters.order_by("id")[:3])
    for voter in voters:
        for card in (cards[0], cards[1], cards[0], cards[2]):
            services.place_dot(voter_id=voter.pk, card_id=card.pk)
        services.take_back_dot(voter_id=voter.pk, card_id=cards[1].pk)
    services.set_paper_total(voting_round=voting_round, card=cards[3], dots=4, actor=facilitator)
    closed = services.open_round(
        voting_round=services.create_round(process=process, title="Abschluss-Runde")
    )
    services.place_dot(voter_id=closed.voters.first().pk, card_id=cards[1].pk)
    closed = services.close_round(voting_round=closed)
    voting_round.refresh_from_db()
    return process, voting_round, closed, voters, cards


def verify(process_id: int):
    result = CliRunner().invoke(cli.app, ["verify", str(process_id)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        assert cursor.rowcount == 1


def test_a_clean_process_passes(voted):
    process, _voting_round, closed, _voters, _cards = voted
    result = verify(process.pk)
    assert result.exit_code == 0, result.output
    assert _("consistent") in result.stdout
    assert "Pflege-Runde" in result.stdout and "Abschluss-Runde" in result.stdout
    closed.refresh_from_db()
    assert closed.seal in result.stdout  # to compare with the seal written down in the room


def test_a_process_without_rounds_passes_and_says_so(koblenz):
    result = verify(koblenz.pk)
    assert result.exit_code == 0
    assert _("The process has no voting rounds: there is nothing to check.") in result.stdout


def test_an_unknown_process_is_a_user_error():
    result = verify(99999)
    assert result.exit_code == 2
    assert "99999" in result.stderr


def _first_event(voter: Voter, sequence: int) -> DotEvent:
    return DotEvent.objects.get(voter=voter, sequence=sequence)


def change_a_ballot(voting_round, voters, cards):
    ballot = Ballot.objects.get(voter=voters[0], card=cards[0])
    sql("UPDATE voting_ballot SET dots = dots + 1 WHERE id = %s", [ballot.pk])
    return {"ballot"}, f"{voters[0].pseudonym}"


def delete_an_event(voting_round, voters, cards):
    event = _first_event(voters[1], 2)
    sql("DELETE FROM voting_dotevent WHERE id = %s", [event.pk])
    return {"chain", "ballot", "used"}, voters[1].pseudonym


def change_an_events_card(voting_round, voters, cards):
    event = _first_event(voters[2], 1)
    sql("UPDATE voting_dotevent SET card_id = %s WHERE id = %s", [cards[3].pk, event.pk])
    return {"chain", "ballot"}, voters[2].pseudonym


def forge_an_event(voting_round, voters, cards):
    """A dot that was never placed, chained correctly to the voter's last record, with a
    correctly computed hash; the ballot and the voter's row are left alone."""
    voter = Voter.objects.get(pk=voters[0].pk)
    sequence = voter.events + 1
    created_at = "2026-01-01T12:00:00+00:00"
    forged = event_hash(
        previous_hash=voter.chain_head,
        round_id=voting_round.pk,
        chain=voter.pseudonym,
        sequence=sequence,
        card_id=cards[2].pk,
        delta=1,
        source="digital",
        created_at=created_at,
    )
    sql(
        "INSERT INTO voting_dotevent (voting_round_id, voter_id, card_id, delta, source,"
        " created_at, sequence, previous_hash, hash) VALUES (%s, %s, %s, 1, 'digital', %s, %s, %s, %s)",
        [voting_round.pk, voter.pk, cards[2].pk, created_at, sequence, voter.chain_head, forged],
    )
    return {"chain", "ballot", "used"}, voter.pseudonym


def change_a_voters_used_dots(voting_round, voters, cards):
    sql("UPDATE voting_voter SET used = used - 1 WHERE id = %s", [voters[1].pk])
    return {"used"}, voters[1].pseudonym


def change_a_paper_tally(voting_round, voters, cards):
    tally = PaperTally.objects.get(voting_round=voting_round, card=cards[3])
    sql("UPDATE voting_papertally SET dots = 9 WHERE id = %s", [tally.pk])
    return {"paper"}, str(cards[3].pk)


@pytest.mark.parametrize(
    "tamper",
    [
        change_a_ballot,
        delete_an_event,
        change_an_events_card,
        forge_an_event,
        change_a_voters_used_dots,
        change_a_paper_tally,
    ],
)
def test_a_change_behind_the_apps_back_fails_loudly(voted, tamper):
    process, voting_round, _closed, voters, cards = voted
    assert selectors.verify_round(voting_round) == []
    kinds, named = tamper(voting_round, voters, cards)
    problems = selectors.verify_round(voting_round)
    assert {problem.what for problem in problems} == kinds, problems
    result = verify(process.pk)
    assert result.exit_code == 1
    assert "Pflege-Runde" in result.stderr
    assert named in result.stderr
    (check,) = [check for check in selectors.check_rounds(process) if check.discrepancies]
    cards = cli.verify._shortened(check.card_labels)
    for problem in problems:  # every discrepancy is named, in the reader's language
        text = cli.verify._discrepancy_text(problem, cards)
        assert " ".join(text.split()) in " ".join(result.stderr.split())
    assert "Abschluss-Runde" in result.stdout  # the other round is still reported as consistent


def test_a_consistent_forgery_in_a_closed_round_breaks_its_seal(voted):
    """Somebody who knows the algorithm and holds the audit key appends a dot and updates
    ballot, voter and chain head so that chain and tally agree: only the seal written when
    the round closed tells (without the key, the event's MAC tells too: test_audit_key.py)."""
    process, _voting_round, closed, _voters, cards = voted
    voter = Voter.objects.filter(voting_round=closed).order_by("id")[1]
    created_at = "2026-01-01T12:00:00+00:00"
    forged = event_hash(
        previous_hash=voter.chain_head or "0" * 64,
        round_id=closed.pk,
        chain=voter.pseudonym,
        sequence=voter.events + 1,
        card_id=cards[0].pk,
        delta=1,
        source="digital",
        created_at=created_at,
    )
    key_id, key = audit_keys.current()
    sql(
        "INSERT INTO voting_dotevent (voting_round_id, voter_id, card_id, delta, source,"
        " created_at, sequence, previous_hash, hash, key_id, mac)"
        " VALUES (%s, %s, %s, 1, 'digital', %s, %s, %s, %s, %s, %s)",
        [
            closed.pk,
            voter.pk,
            cards[0].pk,
            created_at,
            voter.events + 1,
            voter.chain_head or "0" * 64,
            forged,
            key_id,
            event_mac(key, forged),
        ],
    )
    sql(
        "INSERT INTO voting_ballot (voter_id, card_id, dots) VALUES (%s, %s, 1)",
        [voter.pk, cards[0].pk],
    )
    sql(
        "UPDATE voting_voter SET used = used + 1, events = events + 1, chain_head = %s WHERE id = %s",
        [forged, voter.pk],
    )
    problems = selectors.verify_round(closed)
    assert [problem.what for problem in problems] == ["seal"]
    result = verify(process.pk)
    assert result.exit_code == 1
    assert cli.verify._discrepancy_text(problems[0]) in " ".join(result.stderr.split())
