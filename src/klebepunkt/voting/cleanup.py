"""What goes when a whole process is deleted: its voting rounds, with their audit logs.

The audit log protects a card from being deleted on its own (its dots must stay
accountable); when the facilitator deletes the whole process, the rounds go with
it, records first, in the transaction of ``processes.services.delete_process``.
"""

from __future__ import annotations

from klebepunkt.processes.models import Process
from klebepunkt.voting.models import Ballot, DotEvent, PaperTally, Voter, VotingRound


def delete_rounds_of(process: Process) -> None:
    rounds = VotingRound.objects.filter(process=process)
    DotEvent.objects.filter(voting_round__in=rounds).delete()
    Ballot.objects.filter(voter__voting_round__in=rounds).delete()
    PaperTally.objects.filter(voting_round__in=rounds).delete()
    Voter.objects.filter(voting_round__in=rounds).delete()
    rounds.delete()
