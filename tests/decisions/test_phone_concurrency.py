"""Two phones at once, one phone clicking twice: exactly one ballot per member.

Real threads, each with its own database connection, on SQLite and (in the PostgreSQL
pass) on PostgreSQL: every voting member of the Koblenz sample sends their vote twice
at the same moment as all the others."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from klebepunkt.decisions import services
from klebepunkt.decisions.models import Decision, PhoneVote, VoteMarker
from tests.decisions.conftest import attend, final_meeting

pytestmark = pytest.mark.django_db(transaction=True)

CLICKS = 2  # a double click on every phone


def vote_all_at_once(decision: Decision, members, choice_of) -> Counter:
    outcomes: Counter = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(len(members) * CLICKS)

    def click(member, choice: str) -> None:
        try:
            barrier.wait(timeout=60)
            services.cast_phone_vote(decision_id=decision.pk, member=member, choice=choice)
            outcome = "recorded"
        except services.PhoneVoteError as refusal:
            outcome = refusal.code
        except Exception as error:  # a server error would be a failure
            outcome = f"error {error.__class__.__name__}: {error}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [
        threading.Thread(target=click, args=(member, choice_of(index)))
        for index, member in enumerate(members)
        for _click in range(CLICKS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_an_open_vote_keeps_one_ballot_per_member(koblenz):
    attend(koblenz, present_voting=19)
    members = list(koblenz.members.filter(voting=True))
    decision = services.open_decision(process=koblenz, meeting=final_meeting(koblenz), phone=True)
    outcomes = vote_all_at_once(decision, members, lambda i: "yes" if i % 3 else "no")
    assert outcomes == {"recorded": 19 * CLICKS}  # the second click changes nothing
    assert PhoneVote.objects.filter(decision=decision).count() == 19
    closed = services.close_decision(decision=decision)
    assert (closed.yes, closed.no, closed.abstain) == (12, 7, 0)


def test_a_secret_vote_counts_every_member_once(koblenz):
    attend(koblenz, present_voting=19)
    members = list(koblenz.members.filter(voting=True))
    decision = services.open_decision(
        process=koblenz, meeting=final_meeting(koblenz), phone=True, secret=True
    )
    outcomes = vote_all_at_once(decision, members, lambda i: "yes" if i % 3 else "abstain")
    assert outcomes == {"recorded": 19, "already_voted": 19}
    assert VoteMarker.objects.filter(decision=decision).count() == 19
    closed = services.close_decision(decision=decision)
    assert (closed.yes, closed.no, closed.abstain) == (12, 0, 7)
