"""Role × view: every process URL as another facilitator, an observer, anonymous; CSRF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from klebepunkt.monitoring.models import Indicator
from klebepunkt.process_document import dumps
from klebepunkt.processes import models, selectors
from klebepunkt.processes.models import Role
from tests.factories import MeetingFactory, RoleFactory, UserFactory
from tests.monitoring.helpers import monitoring_fingerprint
from tests.urlconf import process_routes

pytestmark = pytest.mark.django_db

ROUTES = process_routes()


def test_every_process_view_is_enumerated():
    names = {route.name for route in ROUTES}
    assert {
        "processes:detail",
        "processes:board",
        "processes:result",
        "processes:export_report",
    } <= names
    assert len(names) >= 30


def url_for(route, process: models.Process) -> str:
    values = {"pk": process.pk}
    for parameter in route.parameters:
        if parameter == "member_id":
            values[parameter] = process.members.first().pk
        elif parameter == "group_id":
            values[parameter] = process.stakeholder_groups.first().pk
        elif parameter == "meeting_id":
            values[parameter] = process.meetings.first().pk
        elif parameter == "card_id":
            values[parameter] = models.Card.objects.filter(theme_field__process=process).first().pk
        elif parameter == "field_id":
            values[parameter] = process.theme_fields.first().pk
        elif parameter == "goal_id":
            values[parameter] = models.Goal.objects.filter(theme_field__process=process).first().pk
        elif parameter == "user_id":
            values[parameter] = process.roles.first().user_id
        elif parameter == "indicator_id":
            values[parameter] = monitored_indicator(process).pk
        elif parameter == "measurement_id":
            values[parameter] = monitored_indicator(process).measurements.first().pk
        elif parameter == "fmt":
            values[parameter] = "xlsx" if route.name == "monitoring:sheet_export" else "md"
        elif parameter == "round_id":
            values[parameter] = voting_round_of(process).pk
        elif parameter == "job_id":
            values[parameter] = report_job_of(process).pk
        elif parameter == "voter_id":
            values[parameter] = voting_round_of(process).voters.first().pk
        elif parameter == "collection_id":
            values[parameter] = collection_of(process).pk
        elif parameter == "entry_id":
            values[parameter] = collection_of(process).cards.first().pk
        elif parameter == "key":
            values[parameter] = "introduction"
        elif parameter == "decision_id":
            values[parameter] = decision_of(process).pk
        elif parameter == "version_id":
            values[parameter] = version_of(process).pk
        elif parameter != "pk":
            values[parameter] = 1
    return reverse(route.name, kwargs=values)


def collection_of(process: models.Process):
    """An open card collection with one card, created the first time it is asked for."""
    from klebepunkt.collection import services as collection_services
    from klebepunkt.collection.models import Collection

    collection = Collection.objects.filter(meeting__process=process).first()
    if collection is None:
        meeting = process.meetings.first() or MeetingFactory(process=process)
        collection = collection_services.open_collection(
            meeting=meeting,
            question="Was wollen wir erreichen?",
            theme_fields=[process.theme_fields.first()],
        )
        collection_services.submit_card(
            collection=collection,
            author=None,
            theme_field_id=process.theme_fields.first().pk,
            fields=collection_services.CardFields(text="Karte"),
            idempotency_key="k",
        )
    return collection


def decision_of(process: models.Process):
    """An open vote on the priority list at the first meeting, everybody present."""
    from klebepunkt.decisions import services
    from klebepunkt.decisions.models import Presence

    if process.decisions.exists():
        return process.decisions.first()
    meeting = process.meetings.first()
    services.record_attendance(
        meeting=meeting, presence={m.pk: Presence.PRESENT for m in process.members.all()}
    )
    return services.open_decision(process=process, meeting=meeting)


def version_of(process: models.Process):
    """An issued version of the report (its stored files stand in for a rendering)."""
    from django.utils import timezone

    from klebepunkt.decisions.models import ReportVersion, ReportVersionFile

    version = process.report_versions.first()
    if version is None:
        version = ReportVersion.objects.create(
            process=process,
            label="Entwurf",
            issued_at=timezone.now(),
            snapshot="{}",
            sha256="0" * 64,
        )
        ReportVersionFile.objects.create(version=version, fmt="md", content=b"# Entwurf\n")
    return version


def monitored_indicator(process: models.Process):
    """An indicator with a value on the first priority, created the first time it is asked for."""
    from klebepunkt.monitoring import services as monitoring_services

    indicator = Indicator.objects.filter(implementation__process=process).first()
    if indicator is None:
        goal = models.Goal.objects.get(pk=selectors.evaluate_process(process).priorities[0].goal.id)
        indicator = monitoring_services.create_indicator(
            process=process, goal=goal, fields=monitoring_services.IndicatorFields(name="Plätze")
        )
        monitoring_services.record_measurement(
            indicator=indicator, day=date(2026, 1, 1), value=Decimal(5), user=None
        )
    return indicator


def report_job_of(process: models.Process):
    """A finished job of the process's result report (a cached Markdown file)."""
    job, _created = models.ReportJob.objects.get_or_create(
        key=f"test-{process.pk}",
        defaults={
            "process": process,
            "slot": f"test-{process.pk}",
            "kind": "result",
            "fmt": "md",
            "language": "de",
            "state": models.ReportJob.State.DONE,
            "content": b"# Bericht\n",
            "filename": "klebepunkt.md",
            "media_type": "text/markdown; charset=utf-8",
        },
    )
    return job


def voting_round_of(process: models.Process):
    from klebepunkt.voting import services as voting_services

    return process.voting_rounds.first() or voting_services.open_round(
        voting_round=voting_services.create_round(process=process, title="Runde")
    )


def fingerprint(process: models.Process) -> tuple:
    process.refresh_from_db()
    return (
        dumps(
            selectors.process_record(
                process, tally=selectors.tally_of(process, include_rounds=False)
            )
        ),
        tuple(process.roles.values_list("user_id", "role")),
        process.is_public,
        monitoring_fingerprint(process),
    )


@pytest.fixture
def other_client(client):
    """A facilitator of a different process."""
    user = UserFactory(username="nachbarstadt")
    RoleFactory(user=user)
    client.force_login(user)
    return client


@pytest.fixture
def observer_client(koblenz):
    user = UserFactory(username="beobachtung")
    RoleFactory(process=koblenz, user=user, role=Role.OBSERVER)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_another_facilitators_process_is_404_for_every_view(route, koblenz, other_client):
    MeetingFactory(process=koblenz)
    url = url_for(route, koblenz)
    voting_round_of(koblenz)
    before = fingerprint(koblenz)
    assert other_client.get(url).status_code in (404, 405)
    assert other_client.post(
        url, {"title": "x", "text": "x", "confirm_title": koblenz.title}
    ).status_code in (404, 405)
    assert fingerprint(koblenz) == before


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_observer_sees_but_cannot_change(route, koblenz, observer_client):
    url = url_for(route, koblenz)
    before = fingerprint(koblenz)
    get = observer_client.get(url)
    assert get.status_code in (200, 302, 403, 405)  # 302: e.g. a preview without a pending upload
    post = observer_client.post(
        url, {"title": "x", "text": "x", "name": "x", "confirm_title": koblenz.title}
    )
    assert post.status_code in (403, 405)
    assert fingerprint(koblenz) == before


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_is_sent_to_login(route, koblenz, client):
    response = client.get(url_for(route, koblenz))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


def test_csrf_is_enforced_on_writes(koblenz, facilitator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    before = fingerprint(koblenz)
    response = client.post(reverse("processes:settings", args=[koblenz.pk]), {"title": "Geändert"})
    assert response.status_code == 403
    response = client.post(reverse("processes:theme_field_add", args=[koblenz.pk]), {"name": "Neu"})
    assert response.status_code == 403
    assert fingerprint(koblenz) == before


def test_process_list_shows_only_own_processes(koblenz, other_client):
    response = other_client.get(reverse("processes:list"))
    assert koblenz.title not in response.content.decode()


def test_facilitator_can_change(koblenz, facilitator_client):
    response = facilitator_client.post(
        reverse("processes:theme_field_add", args=[koblenz.pk]), {"name": "Kultur"}
    )
    assert response.status_code == 302
    assert koblenz.theme_fields.filter(name="Kultur").exists()
