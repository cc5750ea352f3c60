"""Writes of the monitoring: status history, indicators and their series, taking an entry over."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from klebepunkt.domain.monitoring import Light, Status
from klebepunkt.monitoring import models, selectors, services
from klebepunkt.processes import selectors as process_selectors
from klebepunkt.processes import services as process_services
from klebepunkt.processes.models import Card, Goal
from tests.factories import UserFactory
from tests.monitoring.conftest import at

pytestmark = pytest.mark.django_db


def says(msgid: str) -> str:
    """The message in the active language, as a pattern for pytest.raises."""
    return re.escape(gettext(msgid))


def fields(status: str, **more) -> services.StatusFields:
    return services.StatusFields(status=status, **more)


# --- status history ----------------------------------------------------------------------------


def test_a_priority_starts_open_with_the_responsible_body_of_its_card(koblenz, campaign):
    item = selectors.monitoring_of(koblenz).item(models.card_key(campaign.pk))
    state = item.state()
    assert (state.status, state.change, state.due_date) == (Status.OPEN, None, None)
    assert state.responsible == campaign.responsible
    assert not item.tracked


def test_every_status_change_is_kept_with_who_and_when(koblenz, goal, facilitator):
    colleague = UserFactory(username="sozialplanung")
    services.record_status(
        process=koblenz,
        goal=goal,
        user=facilitator,
        fields=fields("planned", due_date=date(2026, 6, 30), comment="Konzept in Arbeit"),
        at=at(2025, 3, 1),
    )
    services.record_status(
        process=koblenz,
        goal=goal,
        user=colleague,
        fields=fields("in_progress", due_date=date(2026, 12, 31), contact="Tel. 129-0"),
        at=at(2025, 9, 15),
    )
    item = selectors.monitoring_of(koblenz).item(models.goal_key(goal.pk))
    assert [(c.status, c.changed_by, c.changed_on) for c in item.changes] == [
        (Status.PLANNED, "moderation", date(2025, 3, 1)),
        (Status.IN_PROGRESS, "sozialplanung", date(2025, 9, 15)),
    ]
    assert item.state().status is Status.IN_PROGRESS
    assert item.state().contact == "Tel. 129-0"
    assert item.state().comment == ""  # each record is the whole state
    assert item.state(date(2025, 6, 1)).status is Status.PLANNED
    assert item.state(date(2025, 6, 1)).comment == "Konzept in Arbeit"
    assert item.state(date(2025, 2, 28)).status is Status.OPEN
    assert models.StatusChange.objects.filter(implementation__goal=goal).count() == 2


def test_history_survives_the_user_being_deleted(koblenz, goal):
    user = UserFactory(username="ehemalig")
    services.record_status(process=koblenz, goal=goal, user=user, fields=fields("planned"))
    user.delete()
    [change] = selectors.monitoring_of(koblenz).item(models.goal_key(goal.pk)).changes
    assert change.changed_by == "ehemalig"


def test_saving_the_same_state_again_changes_nothing(koblenz, goal, housing, facilitator):
    with pytest.raises(ValidationError, match=says(services.NOTHING_CHANGED)):
        services.record_status(
            process=koblenz, goal=housing, user=facilitator, fields=fields("open")
        )
    services.record_status(process=koblenz, goal=goal, user=facilitator, fields=fields("planned"))
    item = selectors.monitoring_of(koblenz).item(models.goal_key(goal.pk))
    with pytest.raises(ValidationError, match=says(services.NOTHING_CHANGED)):
        services.record_status(
            process=koblenz,
            goal=goal,
            user=facilitator,
            # naming the working group's responsible body is the same as leaving it empty
            fields=fields("planned", responsible=item.default_responsible),
        )
    assert models.StatusChange.objects.count() == 1


def test_a_stale_form_is_refused(koblenz, goal, facilitator):
    first = services.record_status(
        process=koblenz, goal=goal, user=facilitator, fields=fields("planned"), based_on=0
    )
    with pytest.raises(ValidationError, match=says(services.STALE)):
        services.record_status(
            process=koblenz, goal=goal, user=facilitator, fields=fields("rejected"), based_on=0
        )
    services.record_status(
        process=koblenz,
        goal=goal,
        user=facilitator,
        fields=fields("in_progress"),
        based_on=first.pk,
    )
    assert models.StatusChange.objects.count() == 2


def test_only_priorities_and_their_cards_are_monitored(koblenz, facilitator):
    below = Goal.objects.get(theme_field__process=koblenz, text__startswith="Die Zusammenarbeit")
    zero_dot = Card.objects.get(theme_field__process=koblenz, text="Duales System Pflege")
    for target in ({"goal": below}, {"card": zero_dot}):
        with pytest.raises(ValidationError, match=says(services.NOT_A_PRIORITY)):
            services.record_status(
                process=koblenz, user=facilitator, fields=fields("planned"), **target
            )
    assert not models.Implementation.objects.exists()


def test_unknown_status_is_refused(koblenz, goal, facilitator):
    with pytest.raises(ValidationError):
        services.record_status(process=koblenz, goal=goal, user=facilitator, fields=fields("done"))


def test_history_stays_when_the_goal_is_merged_away(koblenz, goal, facilitator):
    services.record_status(process=koblenz, goal=goal, user=facilitator, fields=fields("planned"))
    other = process_services.create_goal(theme_field=goal.theme_field, text="Neues Ziel")
    process_services.merge_goals(target=other, sources=[goal])
    monitoring = selectors.monitoring_of(koblenz)
    [detached] = monitoring.detached
    assert detached.text == goal.text
    assert detached.state().status is Status.PLANNED


# --- indicators and their series ---------------------------------------------------------------


def test_indicator_series_in_date_order_and_one_value_per_date(koblenz, campaign, facilitator):
    indicator = services.create_indicator(
        process=koblenz,
        card=campaign,
        fields=services.IndicatorFields(
            name="Bewerbungen",
            unit="Bewerbungen",
            baseline_value=Decimal(120),
            baseline_date=date(2024, 1, 1),
            target_value=Decimal(180),
            target_date=date(2026, 12, 31),
        ),
    )
    for day, value in [(date(2025, 12, 31), "150.5"), (date(2024, 12, 31), "139")]:
        services.record_measurement(
            indicator=indicator, day=day, value=Decimal(value), source="Schulen", user=facilitator
        )
    with pytest.raises(ValidationError):
        services.record_measurement(
            indicator=indicator, day=date(2024, 12, 31), value=Decimal(1), user=facilitator
        )
    item = selectors.monitoring_of(koblenz).item(models.card_key(campaign.pk))
    [tracked] = item.indicators
    assert [(m.date, m.value, m.source) for m in tracked.series.ordered()] == [
        (date(2024, 12, 31), Decimal(139), "Schulen"),
        (date(2025, 12, 31), Decimal("150.5"), "Schulen"),
    ]
    assert [pair[1].date for pair in tracked.values()] == [date(2024, 12, 31), date(2025, 12, 31)]
    assert item.tracked


def test_indicator_needs_baseline_and_target_complete_and_in_order(koblenz, goal):
    with pytest.raises(ValidationError) as error:
        services.create_indicator(
            process=koblenz,
            goal=goal,
            fields=services.IndicatorFields(name="x", baseline_value=Decimal(1)),
        )
    assert "baseline_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_indicator(
            process=koblenz,
            goal=goal,
            fields=services.IndicatorFields(
                name="x",
                baseline_value=Decimal(1),
                baseline_date=date(2026, 1, 1),
                target_value=Decimal(2),
                target_date=date(2025, 1, 1),
            ),
        )
    assert "target_date" in error.value.message_dict


def test_a_priority_shows_the_worst_light_of_its_followed_items(
    koblenz, goal, campaign, facilitator
):
    services.record_status(
        process=koblenz,
        goal=goal,
        user=facilitator,
        fields=fields("in_progress", due_date=date(2030, 1, 1)),
        at=at(2025, 1, 1),
    )
    priority = next(
        p for p in selectors.monitoring_of(koblenz).priorities if p.goal.object_id == goal.pk
    )
    assert priority.light(date(2026, 1, 1)).light is Light.GREEN  # unfollowed cards do not count
    services.record_status(
        process=koblenz,
        card=campaign,
        user=facilitator,
        fields=fields("rejected"),
        at=at(2025, 2, 1),
    )
    priority = next(
        p for p in selectors.monitoring_of(koblenz).priorities if p.goal.object_id == goal.pk
    )
    assert priority.light(date(2026, 1, 1)).light is Light.RED


# --- taking a topic store entry into a new process ---------------------------------------------


def test_an_entry_is_taken_into_a_new_process_with_its_provenance(koblenz, facilitator):
    source = Card.objects.get(
        theme_field__process=koblenz, text="Die Regionale Pflegekonferenz stärken"
    )
    target = process_services.create_process(
        title="Sozialplanung 2026", user=facilitator, year=2026
    )
    card = services.take_into_process(source_card=source, target=target, user=facilitator)
    assert card.theme_field.process == target
    assert card.theme_field.name == "Pflege"
    assert (card.text, card.indicator, card.responsible, card.dots) == (
        source.text,
        source.indicator,
        source.responsible,
        0,
    )
    provenance = card.provenance
    assert provenance.source_card == source
    assert provenance.source_process == koblenz
    assert (provenance.source_process_title, provenance.source_year) == (koblenz.title, 2017)
    assert (provenance.original_points, provenance.original_goal_points) == (2, 2)
    assert provenance.source_reason == "goal_below_threshold"
    assert provenance.taken_by == facilitator
    # the new card is in the new process's topic store (no dot yet)
    [entry] = process_selectors.evaluate_process(target).topic_store
    assert entry.card.id == str(card.pk)
    with pytest.raises(ValidationError, match=says(services.ALREADY_TAKEN)):
        services.take_into_process(source_card=source, target=target, user=facilitator)


def test_only_topic_store_entries_of_another_process_can_be_taken(koblenz, campaign, facilitator):
    target = process_services.create_process(title="2026", user=facilitator)
    with pytest.raises(ValidationError, match=says(services.NOT_IN_TOPIC_STORE)):
        services.take_into_process(source_card=campaign, target=target, user=facilitator)
    zero = Card.objects.get(theme_field__process=koblenz, text="Duales System Pflege")
    with pytest.raises(ValidationError, match=says(services.SAME_PROCESS)):
        services.take_into_process(source_card=zero, target=koblenz, user=facilitator)
    assert not Card.objects.filter(theme_field__process=target).exists()


# --- progress reports ----------------------------------------------------------------------------


def test_issued_report_dates_start_the_next_report(koblenz, facilitator):
    services.issue_progress_report(
        process=koblenz, as_of=date(2025, 6, 30), since=None, user=facilitator
    )
    services.issue_progress_report(
        process=koblenz, as_of=date(2025, 12, 31), since=date(2025, 6, 30), user=facilitator
    )
    assert selectors.previous_report_date(koblenz, date(2026, 3, 1)) == date(2025, 12, 31)
    assert selectors.previous_report_date(koblenz, date(2025, 12, 31)) == date(2025, 6, 30)
    assert selectors.previous_report_date(koblenz, date(2025, 6, 30)) is None
    with pytest.raises(ValidationError):
        services.issue_progress_report(
            process=koblenz, as_of=date(2025, 1, 1), since=date(2025, 1, 1), user=facilitator
        )
