"""Attendance and the decision on the Koblenz priorities, through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from klebepunkt.decisions import selectors, services
from klebepunkt.decisions.models import Attendance, Decision, GroupCount, Presence
from klebepunkt.domain.decision import DecisionRule, Outcome, Votes
from klebepunkt.processes import models
from klebepunkt.processes import services as process_services
from klebepunkt.processes.selectors import evaluate_process
from klebepunkt.samples import load_sample
from tests.decisions.conftest import attend, final_meeting

pytestmark = pytest.mark.django_db


def groups(process):
    return {g.name: g.pk for g in process.stakeholder_groups.all()}


def test_koblenz_has_seven_priorities_and_nineteen_voting_members(koblenz):
    assert len(evaluate_process(koblenz).priorities) == 7
    assert selectors.voting_members(koblenz) == 19


def test_attendance_counts_only_present_voting_members(koblenz):
    meeting = attend(koblenz, present_voting=12)
    by_group = selectors.present_voting_by_group(meeting)
    assert sum(by_group.values()) == 12  # the three advisory members present do not count
    assert by_group[groups(koblenz)["Politik"]] == 9


def test_attendance_of_a_stranger_is_refused_and_nothing_saved(koblenz, db):
    other = process_services.import_process(record=load_sample("koblenz-2017"), user=None)
    meeting = final_meeting(koblenz)
    stranger = other.members.first()
    own = koblenz.members.first()
    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting=meeting, presence={own.pk: Presence.PRESENT, stranger.pk: Presence.PRESENT}
        )
    assert not Attendance.objects.filter(meeting=meeting).exists()


def decide(process, counts: dict[str, Votes], *, goal=None) -> Decision:
    decision = services.open_decision(process=process, meeting=final_meeting(process), goal=goal)
    ids = groups(process)
    services.record_counts(
        decision=decision, counts={ids[name]: votes for name, votes in counts.items()}
    )
    return services.close_decision(decision=decision)


def test_koblenz_decides_the_seven_priorities_by_majority(koblenz):
    attend(koblenz, present_voting=17)  # Politik 9, Freie Träger 5, Interessenvertreter 3
    decision = decide(
        koblenz,
        {
            "Politik": Votes(7, 1, 1),
            "Freie Träger": Votes(4, 0, 1),
            "Interessenvertreter": Votes(2, 1, 0),
        },
    )
    assert decision.outcome == Outcome.PASSED
    assert (decision.yes, decision.no, decision.abstain) == (13, 2, 2)
    assert (decision.present_voting, decision.voting_members) == (17, 19)
    assert decision.decided_at is not None
    assert decision.items.count() == 7
    status = selectors.priority_decisions(koblenz, evaluate_process(koblenz))
    assert len(status) == 7
    assert not any(s.changed for s in status.values())


def test_koblenz_failed_quorum(koblenz):
    attend(koblenz, present_voting=9)
    decision = decide(koblenz, {"Politik": Votes(9, 0, 0)})
    assert decision.outcome == Outcome.NO_QUORUM
    assert selectors.priority_decisions(koblenz, evaluate_process(koblenz)) == {}


def test_koblenz_abstentions_and_a_tie(koblenz):
    attend(koblenz, present_voting=19)
    carried = decide(
        koblenz,
        {
            "Politik": Votes(2, 1, 6),
            "Freie Träger": Votes(0, 0, 5),
            "Interessenvertreter": Votes(0, 0, 5),
        },
    )
    assert carried.outcome == Outcome.PASSED  # 2 : 1, 16 abstentions
    tie = decide(koblenz, {"Politik": Votes(4, 4, 1), "Freie Träger": Votes(2, 2, 1)})
    assert tie.outcome == Outcome.FAILED


def test_absolute_majority_as_the_process_rule(koblenz):
    services.set_decision_rule(process=koblenz, rule=DecisionRule.ABSOLUTE)
    attend(koblenz, present_voting=19)
    decision = decide(koblenz, {"Politik": Votes(9, 0, 0), "Freie Träger": Votes(0, 1, 4)})
    assert decision.rule == DecisionRule.ABSOLUTE
    assert decision.outcome == Outcome.FAILED  # 9 of 19 is not more than half
    assert decide(koblenz, {"Politik": Votes(9, 0, 0), "Freie Träger": Votes(1, 0, 0)}).outcome == (
        Outcome.PASSED
    )


def test_a_change_after_the_decision_is_marked_until_decided_again(koblenz):
    attend(koblenz, present_voting=19)
    decide(koblenz, {"Politik": Votes(9, 0, 0)})
    priority = evaluate_process(koblenz).priorities[2]
    goal = models.Goal.objects.get(pk=int(priority.goal.id))
    process_services.update_goal(goal=goal, text=goal.text + " (überarbeitet)", nr=goal.nr)
    status = selectors.priority_decisions(koblenz, evaluate_process(koblenz))
    assert [goal_id for goal_id, s in status.items() if s.changed] == [priority.goal.id]
    again = decide(koblenz, {"Politik": Votes(9, 0, 0)}, goal=goal)
    assert again.items.get().text.startswith(f"{goal.nr} {goal.text}".strip())
    status = selectors.priority_decisions(koblenz, evaluate_process(koblenz))
    assert not any(s.changed for s in status.values())
    assert status[priority.goal.id].decision == again


def test_a_change_of_a_card_counts_as_a_change(koblenz):
    attend(koblenz, present_voting=19)
    decide(koblenz, {"Politik": Votes(9, 0, 0)})
    priority = evaluate_process(koblenz).priorities[0]
    card = models.Card.objects.get(pk=int(priority.cards[0].id))
    card.responsible = "Jugendamt"
    card.save()
    status = selectors.priority_decisions(koblenz, evaluate_process(koblenz))
    assert status[priority.goal.id].changed


def test_more_hands_than_members_present_are_refused_with_nothing_saved(koblenz):
    attend(koblenz, present_voting=17)  # Interessenvertreter: 3 present
    decision = services.open_decision(process=koblenz, meeting=final_meeting(koblenz))
    ids = groups(koblenz)
    with pytest.raises(ValidationError, match="Interessenvertreter"):
        services.record_counts(
            decision=decision,
            counts={ids["Politik"]: Votes(9, 0, 0), ids["Interessenvertreter"]: Votes(2, 1, 1)},
        )
    assert not GroupCount.objects.filter(decision=decision).exists()


def test_a_closed_vote_cannot_be_counted_again(koblenz):
    attend(koblenz, present_voting=19)
    decision = decide(koblenz, {"Politik": Votes(9, 0, 0)})
    with pytest.raises(ValidationError):
        services.record_counts(
            decision=decision, counts={groups(koblenz)["Politik"]: Votes(0, 9, 0)}
        )
    with pytest.raises(ValidationError):
        services.close_decision(decision=decision)
    decision.refresh_from_db()
    assert (decision.yes, decision.no) == (9, 0)


def test_a_vote_needs_recorded_attendance(koblenz):
    with pytest.raises(ValidationError) as error:
        services.open_decision(process=koblenz, meeting=final_meeting(koblenz))
    assert "meeting" in error.value.message_dict
    assert not Decision.objects.exists()


def test_a_meeting_with_a_vote_stays_but_goes_with_its_process(koblenz):
    attend(koblenz, present_voting=19)
    decision = decide(koblenz, {"Politik": Votes(9, 0, 0)})
    with pytest.raises(ValidationError, match="abgestimmt"):
        process_services.delete_meeting(meeting=decision.meeting)
    assert models.Meeting.objects.filter(pk=decision.meeting_id).exists()
    from klebepunkt.privacy import delete_process

    delete_process(process=koblenz)
    assert not Decision.objects.exists()
    assert not Attendance.objects.exists()
