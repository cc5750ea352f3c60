"""The audit key: a chain or seal recomputed without it is found; rotation keeps old rounds valid.

The chain's hashes alone have no key, so whoever can write the database and knows the
algorithm could recompute an open round's chain after changing it. Every event and
every seal also carries an HMAC under the audit key, which lives outside the database
(``KLEBEPUNKT_AUDIT_KEY`` or ``data/audit_key``). Found by the previous round's notes;
issue 18.
"""

from __future__ import annotations

import importlib
import stat

import pytest
from django.apps import apps
from django.db import connection
from typer.testing import CliRunner

from klebepunkt import cli
from klebepunkt.domain.audit import GENESIS, event_hash, seal
from klebepunkt.voting import audit_keys, selectors, services
from klebepunkt.voting.models import DotEvent, Voter, VotingRound
from tests.cli.test_verify import voted  # noqa: F401  (the fixture: rounds with dots)

pytestmark = pytest.mark.django_db


def recompute_without_the_key(voting_round: VotingRound, voter: Voter, *, card_id: int) -> None:
    """What an attacker with write access to the database does: move the voter's first dot
    to another card and recompute the whole chain with the published algorithm."""
    events = list(DotEvent.objects.filter(voter=voter).order_by("sequence"))
    events[0].card_id = card_id
    previous = GENESIS
    for event in events:
        event.previous_hash = previous
        event.hash = event_hash(
            previous_hash=previous,
            round_id=voting_round.pk,
            chain=voter.pseudonym,
            sequence=event.sequence,
            card_id=event.card_id,
            delta=event.delta,
            source=event.source,
            created_at=event.created_at.isoformat(),
        )
        previous = event.hash
    DotEvent.objects.bulk_update(events, ["card_id", "previous_hash", "hash"])
    with connection.cursor() as cursor:  # the tally follows the log, so that the two agree
        cursor.execute("DELETE FROM voting_ballot WHERE voter_id = %s", [voter.pk])
        totals: dict[int, int] = {}
        for event in events:
            totals[event.card_id] = totals.get(event.card_id, 0) + event.delta
        for card_id, dots in totals.items():
            if dots:
                cursor.execute(
                    "INSERT INTO voting_ballot (voter_id, card_id, dots) VALUES (%s, %s, %s)",
                    [voter.pk, card_id, dots],
                )
        cursor.execute(
            "UPDATE voting_voter SET chain_head = %s WHERE id = %s", [previous, voter.pk]
        )


def test_a_chain_recomputed_without_the_key_fails_verify(voted):  # noqa: F811
    process, voting_round, _closed, voters, cards = voted
    assert selectors.verify_round(voting_round) == []
    recompute_without_the_key(voting_round, voters[0], card_id=cards[3].pk)
    problems = selectors.verify_round(voting_round)
    assert problems, "a recomputed chain passed"
    assert {(p.what, p.reason) for p in problems} == {("chain", "mac")}
    assert {p.chain for p in problems} == {voters[0].pseudonym}
    result = CliRunner().invoke(cli.app, ["verify", str(process.pk)])
    assert result.exit_code == 1
    assert "zu keinem bekannten Audit-Schlüssel" in " ".join(result.stderr.split())
    assert voters[0].pseudonym in result.stderr


def test_macs_made_with_another_key_or_blanked_fail_verify(voted):  # noqa: F811
    _process, voting_round, _closed, voters, _cards = voted
    from klebepunkt.domain.audit import event_mac

    forged_key = b"an attacker's own key of at least thirty-two bytes"
    event = DotEvent.objects.filter(voter=voters[1]).order_by("sequence").first()
    DotEvent.objects.filter(pk=event.pk).update(mac=event_mac(forged_key, event.hash))
    DotEvent.objects.filter(voter=voters[2], sequence=2).update(key_id="", mac="")
    problems = selectors.verify_round(voting_round)
    assert {(p.chain, p.sequence, p.reason) for p in problems} == {
        (voters[1].pseudonym, 1, "mac"),
        (voters[2].pseudonym, 2, "mac"),
    }


def test_a_seal_recomputed_without_the_key_fails_verify(voted):  # noqa: F811
    _process, _voting_round, closed, _voters, _cards = voted
    assert selectors.verify_round(closed) == []
    heads = [(v.pseudonym, v.chain_head) for v in closed.voters.all()]
    heads.append(("paper", closed.paper_chain_head))
    VotingRound.objects.filter(pk=closed.pk).update(seal="f" * 64)
    closed.refresh_from_db()
    assert [p.what for p in selectors.verify_round(closed)] == ["seal"]
    VotingRound.objects.filter(pk=closed.pk).update(seal=seal(heads), seal_mac="0" * 64)
    closed.refresh_from_db()
    problems = selectors.verify_round(closed)
    assert [(p.what, p.reason) for p in problems] == [("seal", "mac")]
    assert "Siegel hat keinen gültigen MAC" in cli.verify._discrepancy_text(problems[0])


def test_rotation_signs_new_events_with_the_new_key_and_still_verifies_the_old(
    voted,  # noqa: F811
    settings,
    tmp_path,
):
    _process, voting_round, _closed, voters, cards = voted
    old_id = settings.AUDIT_KEY_ID
    new_id = audit_keys.rotate(tmp_path)
    current_id, keys = audit_keys.load(tmp_path, {})
    assert current_id == new_id and list(keys) == [new_id]
    settings.AUDIT_KEY_ID = new_id
    settings.AUDIT_KEYS = {new_id: keys[new_id], old_id: settings.AUDIT_KEYS[old_id]}
    services.place_dot(voter_id=voters[0].pk, card_id=cards[2].pk)
    latest = DotEvent.objects.filter(voter=voters[0]).order_by("-sequence").first()
    assert latest.key_id == new_id
    assert DotEvent.objects.filter(voting_round=voting_round, key_id=old_id).exists()
    assert selectors.verify_round(voting_round) == []  # old and new key, both known
    settings.AUDIT_KEYS = {new_id: keys[new_id]}  # the old key dropped: its events no longer
    problems = selectors.verify_round(voting_round)
    assert problems and {p.reason for p in problems} == {"mac"}
    assert latest.sequence not in {p.sequence for p in problems if p.chain == voters[0].pseudonym}


def test_the_migration_signs_the_events_written_before_the_key(voted):  # noqa: F811
    """Events of an older version have a plain hash and no MAC; the migration gives them theirs."""
    _process, voting_round, closed, _voters, _cards = voted
    DotEvent.objects.update(key_id="", mac="")
    VotingRound.objects.update(seal_key_id="", seal_mac="")
    assert selectors.verify_round(voting_round)
    migration = importlib.import_module("klebepunkt.voting.migrations.0004_audit_key_macs")
    migration.sign_what_exists(apps, None)
    assert selectors.verify_round(voting_round) == []
    closed.refresh_from_db()
    assert selectors.verify_round(closed) == []
    assert not DotEvent.objects.filter(mac="").exists()


# --- where the key comes from ------------------------------------------------------------------


def test_the_key_file_is_made_once_next_to_the_secret_key_and_kept_private(tmp_path):
    current_id, keys = audit_keys.load(tmp_path, {})
    path = tmp_path / audit_keys.FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert audit_keys.load(tmp_path, {}) == (current_id, keys)  # read again, not made anew
    assert keys[current_id].decode() in path.read_text()


def test_the_environment_names_the_current_key_and_the_retired_ones(tmp_path):
    current, retired = "c" * 40, "r" * 40
    current_id, keys = audit_keys.load(
        tmp_path, {"KLEBEPUNKT_AUDIT_KEY": current, "KLEBEPUNKT_AUDIT_KEYS_RETIRED": retired}
    )
    assert keys[current_id] == current.encode()
    assert list(keys.values()) == [current.encode(), retired.encode()]
    assert not (tmp_path / audit_keys.FILE_NAME).exists()  # nothing written when given


def test_a_short_key_is_refused(tmp_path):
    with pytest.raises(audit_keys.AuditKeyError, match="32"):
        audit_keys.load(tmp_path, {"KLEBEPUNKT_AUDIT_KEY": "short"})


def test_rotation_keeps_every_earlier_key(tmp_path):
    first_id, _ = audit_keys.load(tmp_path, {})
    second_id = audit_keys.rotate(tmp_path)
    third_id = audit_keys.rotate(tmp_path)
    current_id, keys = audit_keys.load(tmp_path, {})
    assert current_id == third_id
    assert list(keys) == [third_id, second_id, first_id]


def test_the_rotate_command_writes_a_new_first_key(tmp_path, settings, monkeypatch):
    from django.core.management import call_command

    monkeypatch.delenv("KLEBEPUNKT_AUDIT_KEY", raising=False)
    settings.DATA_DIR = tmp_path
    first_id, _ = audit_keys.load(tmp_path, {})
    call_command("rotate_audit_key")
    current_id, keys = audit_keys.load(tmp_path, {})
    assert current_id != first_id and list(keys)[1] == first_id
