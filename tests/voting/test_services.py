"""The voting rules, enforced by the services: budget, cap, round state, revocation, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from klebepunkt.processes import selectors as process_selectors
from klebepunkt.processes.models import Card
from klebepunkt.voting import codes, selectors, services
from klebepunkt.voting.models import DotEvent, RoundState, Voter
from klebepunkt.voting.services import VotingError

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(koblenz_blank):
    voting_round = services.create_round(
        process=koblenz_blank, title="Punktabfrage", cap_per_card=2
    )
    return services.open_round(voting_round=voting_round)


def cards(process, n=3):
    return list(Card.objects.filter(theme_field__process=process).order_by("id")[:n])


def test_a_round_gives_a_code_to_every_voting_member_only(koblenz_blank):
    voting_round = services.create_round(process=koblenz_blank, title="R")
    voters = list(voting_round.voters.select_related("member"))
    assert len(voters) == 19
    assert all(v.member.voting for v in voters)
    assert {v.stakeholder_group.name for v in voters} == {
        "Politik",
        "Freie Träger",
        "Interessenvertreter",
    }
    assert all(v.budget == 8 for v in voters)
    assert all(
        len(v.code) == codes.PERSONAL_CODE_LENGTH and set(v.code) <= set(codes.ALPHABET)
        for v in voters
    )
    assert len({v.code for v in voters}) == 19
    assert codes.PERSONAL_CODE_BITS >= 40


def test_codes_have_no_ambiguous_characters():
    for _ in range(200):
        assert not set(codes.personal_code()) & set("0O1lI")


def test_budget_is_enforced(open_round):
    voter = open_round.voters.first()
    card = cards(open_round.process, 1)[0]
    other = cards(open_round.process, 6)
    for target in [card, card, *other[1:6], other[5]]:
        services.place_dot(voter_id=voter.pk, card_id=target.pk)
    with pytest.raises(VotingError) as raised:
        services.place_dot(voter_id=voter.pk, card_id=other[2].pk)
    assert raised.value.code == "budget_exhausted"
    voter.refresh_from_db()
    assert voter.used == 8


def test_cap_per_card_is_enforced(open_round):
    voter = open_round.voters.first()
    card = cards(open_round.process, 1)[0]
    services.place_dot(voter_id=voter.pk, card_id=card.pk)
    services.place_dot(voter_id=voter.pk, card_id=card.pk)
    with pytest.raises(VotingError) as raised:
        services.place_dot(voter_id=voter.pk, card_id=card.pk)
    assert raised.value.code == "cap_reached"
    voter.refresh_from_db()
    assert voter.used == 2  # the refused dot left nothing behind
    assert DotEvent.objects.filter(voter=voter).count() == 2


def test_take_back_and_move_a_dot(open_round):
    voter = open_round.voters.first()
    a, b = cards(open_round.process, 2)
    services.place_dot(voter_id=voter.pk, card_id=a.pk)
    result = services.take_back_dot(voter_id=voter.pk, card_id=a.pk)
    assert (result.card_dots, result.used, result.left) == (0, 0, 8)
    with pytest.raises(VotingError) as raised:
        services.take_back_dot(voter_id=voter.pk, card_id=a.pk)
    assert raised.value.code == "nothing_to_take_back"
    assert services.place_dot(voter_id=voter.pk, card_id=b.pk).card_dots == 1
    assert list(DotEvent.objects.filter(voter=voter).values_list("card_id", "delta")) == [
        (a.pk, 1),
        (a.pk, -1),
        (b.pk, 1),
    ]


@pytest.mark.parametrize("state", [RoundState.PREPARED, RoundState.CLOSED, RoundState.REVEALED])
def test_nothing_changes_in_a_round_that_is_not_open(koblenz_blank, state):
    voting_round = services.create_round(process=koblenz_blank, title="R")
    voter = voting_round.voters.first()
    card = cards(koblenz_blank, 1)[0]
    if state != RoundState.PREPARED:
        services.open_round(voting_round=voting_round)
        services.place_dot(voter_id=voter.pk, card_id=card.pk)
        services.close_round(voting_round=voting_round)
    if state == RoundState.REVEALED:
        services.reveal_round(voting_round=voting_round)
    for change in (services.place_dot, services.take_back_dot):
        with pytest.raises(VotingError) as raised:
            change(voter_id=voter.pk, card_id=card.pk)
        assert raised.value.code == "round_not_open"
    with pytest.raises(ValidationError):
        services.set_paper_total(voting_round=voting_round, card=card, dots=3, actor=None)


def test_a_closed_round_cannot_be_reopened(open_round):
    services.close_round(voting_round=open_round)
    with pytest.raises(ValidationError):
        services.open_round(voting_round=open_round)


def test_card_of_another_theme_field_is_not_in_a_field_round(koblenz_blank):
    pflege = koblenz_blank.theme_fields.get(name="Pflege")
    voting_round = services.open_round(
        voting_round=services.create_round(
            process=koblenz_blank, title="Pflege", theme_field=pflege
        )
    )
    wohnen_card = Card.objects.filter(
        theme_field__name="Wohnen", theme_field__process=koblenz_blank
    ).first()
    with pytest.raises(VotingError) as raised:
        services.place_dot(voter_id=voting_round.voters.first().pk, card_id=wohnen_card.pk)
    assert raised.value.code == "card_not_in_round"


def test_revoked_code_cannot_vote_but_its_dots_stay(open_round):
    voter = open_round.voters.first()
    card = cards(open_round.process, 1)[0]
    services.place_dot(voter_id=voter.pk, card_id=card.pk)
    services.revoke_code(voter=voter, by=None)
    with pytest.raises(VotingError) as raised:
        services.place_dot(voter_id=voter.pk, card_id=card.pk)
    assert raised.value.code == "code_revoked"
    assert services.voter_for_code(voter.code) is None
    voter.refresh_from_db()
    assert voter.used == 1


def test_reissued_code_replaces_the_old_one(open_round):
    voter = open_round.voters.first()
    old_code = voter.code
    old_print = services.code_fingerprint(old_code)
    voter = services.reissue_code(voter=voter, by=None)
    assert voter.code != old_code
    assert services.voter_for_code(old_code) is None
    assert services.voter_for_code(codes.format_code(voter.code).lower()).pk == voter.pk
    with pytest.raises(VotingError):
        services.place_dot(
            voter_id=voter.pk, card_id=cards(open_round.process, 1)[0].pk, code_check=old_print
        )


def test_pick_up_works_once(open_round):
    voter = open_round.voters.first()
    services.pick_up_code(voting_round=open_round, voter_id=voter.pk)
    with pytest.raises(ValidationError):
        services.pick_up_code(voting_round=open_round, voter_id=voter.pk)


def test_hidden_results_are_not_counted_or_shown_before_the_reveal(open_round):
    voter = open_round.voters.first()
    card = cards(open_round.process, 1)[0]
    services.place_dot(voter_id=voter.pk, card_id=card.pk)
    with pytest.raises(selectors.ResultsHidden):
        selectors.round_results(open_round)
    assert selectors.round_summary(open_round).results is None
    assert process_selectors.evaluate_process(open_round.process).total_dots == 0
    services.close_round(voting_round=open_round)
    assert process_selectors.evaluate_process(open_round.process).total_dots == 0
    open_round.refresh_from_db()
    services.reveal_round(voting_round=open_round)
    open_round.refresh_from_db()
    assert next((r.card.pk, r.digital, r.paper) for r in selectors.round_results(open_round)) == (
        card.pk,
        1,
        0,
    )
    assert process_selectors.evaluate_process(open_round.process).total_dots == 1


def test_paper_totals_and_paper_ballots_join_the_digital_dots(open_round, facilitator):
    a, b = cards(open_round.process, 2)
    voter = open_round.voters.first()
    services.place_dot(voter_id=voter.pk, card_id=a.pk)
    services.set_paper_total(voting_round=open_round, card=a, dots=4, actor=facilitator)
    services.set_paper_total(voting_round=open_round, card=a, dots=3, actor=facilitator)
    other = open_round.voters.all()[1]
    services.set_paper_ballot(voter=other, card=b, dots=2, actor=facilitator)
    with pytest.raises(ValidationError):
        services.set_paper_ballot(
            voter=other, card=b, dots=3, actor=facilitator
        )  # over the cap of 2
    other.refresh_from_db()
    assert other.used == 2
    services.close_round(voting_round=open_round)
    services.reveal_round(voting_round=open_round)
    open_round.refresh_from_db()
    results = {
        r.card.pk: (r.digital, r.paper, r.total) for r in selectors.round_results(open_round)
    }
    assert results[a.pk] == (1, 3, 4)
    assert results[b.pk] == (0, 2, 2)
    assert selectors.verify_round(open_round) == []
    points = process_selectors.card_dots(open_round.process)
    assert (points[a.pk], points[b.pk]) == (4, 2)


def test_paper_totals_cannot_exceed_everyones_budget(open_round):
    card = cards(open_round.process, 1)[0]
    with pytest.raises(ValidationError):
        services.set_paper_total(voting_round=open_round, card=card, dots=19 * 8 + 1, actor=None)


def test_verify_detects_a_change_behind_the_apps_back(open_round):
    voter = open_round.voters.first()
    a, b = cards(open_round.process, 2)
    services.place_dot(voter_id=voter.pk, card_id=a.pk)
    services.place_dot(voter_id=voter.pk, card_id=b.pk)
    services.close_round(voting_round=open_round)
    open_round.refresh_from_db()
    assert selectors.verify_round(open_round) == []
    with connection.cursor() as cursor:  # an administrator edits the database directly
        cursor.execute(
            "UPDATE voting_dotevent SET card_id = %s WHERE voter_id = %s AND card_id = %s",
            [a.pk, voter.pk, b.pk],
        )
    problems = selectors.verify_round(open_round)
    assert {p.what for p in problems} >= {"chain", "ballot"}


def test_verify_detects_a_deleted_event_and_a_forged_ballot(open_round):
    voter = open_round.voters.first()
    a = cards(open_round.process, 1)[0]
    services.place_dot(voter_id=voter.pk, card_id=a.pk)
    services.place_dot(voter_id=voter.pk, card_id=a.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM voting_dotevent WHERE id = (SELECT MAX(id) FROM voting_dotevent)"
        )
    assert {p.what for p in selectors.verify_round(open_round)} >= {"chain", "ballot", "used"}


def test_secret_round_stores_no_member(koblenz_blank):
    voting_round = services.create_round(process=koblenz_blank, title="Geheim", secret=True)
    assert not Voter.objects.filter(voting_round=voting_round, member__isnull=False).exists()
    assert voting_round.voters.filter(stakeholder_group__name="Politik").count() == 9


def test_ballots_for_analysis_carry_pseudonyms_and_groups(open_round):
    voter = open_round.voters.select_related("stakeholder_group").first()
    card = cards(open_round.process, 1)[0]
    services.place_dot(voter_id=voter.pk, card_id=card.pk)
    services.close_round(voting_round=open_round)
    services.reveal_round(voting_round=open_round)
    [ballot] = selectors.ballots_of(open_round.process)
    assert ballot.voter_id.endswith(voter.pseudonym)
    assert ballot.stakeholder_group == voter.stakeholder_group.name
    assert (ballot.card_id, ballot.dots) == (str(card.pk), 1)
