"""A process with everybody around it, and a URL for every route of the app.

The Koblenz process with its facilitator, an observer, the facilitator of another
city's process, an open voting round with a member who joined on their phone, and
somebody anonymous. ``url_for`` fills in every parameter of every route from the
URL configuration, so that a new view is requested without anybody writing its URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klebepunkt.processes import models
from klebepunkt.processes.models import Role
from klebepunkt.samples import load_sample
from klebepunkt.voting import codes
from klebepunkt.voting import services as voting_services
from klebepunkt.voting.models import Voter, VotingRound
from tests.factories import MeetingFactory, RoleFactory, UserFactory
from tests.urlconf import Route

FACILITATOR = "facilitator"  # of this process
OTHER = "other facilitator"  # of another city's process
OBSERVER = "observer"
VOTER = "voter"  # a member who joined the open round on their phone (no account)
ANONYMOUS = "anonymous"
ROLES = (FACILITATOR, OTHER, OBSERVER, VOTER, ANONYMOUS)
# the routes the voter posts to (the others are the facilitator's)
VOTER_ROUTES = {"voting:join", "voting:code", "voting:pick", "voting:dot", "voting:leave"}


def role_for(name: str) -> str:
    """The role a request to the route is sent as: the voter for the voter's routes and their
    ballot, else the facilitator."""
    return VOTER if name in VOTER_ROUTES or name == "voting:ballot" else FACILITATOR


# the routes whose forms send a file (enctype="multipart/form-data"): a browser sends every other
# form, and htmx every request, urlencoded (test_fuzz_classes checks this set against the pages)
MULTIPART_ROUTES = frozenset(
    {
        "monitoring:sheet_upload",
        "processes:import",
        "processes:member_sheet_upload",
        "processes:sheet_upload",
    }
)


@dataclass
class World:
    process: models.Process
    facilitator: object
    observer: object
    other: object
    voting_round: VotingRound
    voter: Voter
    clients: dict[str, Client]
    collection: object = None  # a card collection in the meeting, the voter joined it too
    participant: object = None  # the voter's code for the meeting


def post_as_sent(
    client: Client,
    route: str,
    url: str,
    data: dict,
    *,
    multipart: bool | None = None,
    **headers: str,
):
    """POST ``data`` encoded as a browser sends the route's form: multipart/form-data for the
    forms that send a file, urlencoded for the rest (``multipart`` chooses one instead)."""
    if route in MULTIPART_ROUTES if multipart is None else multipart:
        return client.post(url, data, **headers)
    body = urlencode(data, doseq=True)
    return client.post(url, body, content_type="application/x-www-form-urlencoded", **headers)


def join(client: Client, voter: Voter) -> Client:
    response = client.post(reverse("voting:join"), {"code": codes.format_code(voter.code)})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def build_world(
    record=None, *, round_title: str = "Punktabfrage", **client_options: object
) -> World:
    """Everybody, each with a client of their own (``enforce_csrf_checks`` and the like).

    The process is the Koblenz sample, or ``record`` (a ProcessRecord).
    """
    from klebepunkt.processes.services import import_process

    facilitator = UserFactory(username="moderation")
    process = import_process(record=record or load_sample("koblenz-2017"), user=facilitator)
    if not process.meetings.exists():
        MeetingFactory(process=process)
    observer = UserFactory(username="beobachtung")
    RoleFactory(process=process, user=observer, role=Role.OBSERVER)
    other = UserFactory(username="nachbarstadt")
    RoleFactory(user=other)
    voting_round = voting_services.open_round(
        voting_round=voting_services.create_round(process=process, title=round_title)
    )
    voter = voting_round.voters.order_by("id").first()
    _follow_a_priority(process, facilitator)
    _put_to_the_vote(process)
    clients = {role: Client(**client_options) for role in ROLES}
    clients[FACILITATOR].force_login(facilitator)
    clients[OBSERVER].force_login(observer)
    clients[OTHER].force_login(other)
    join(clients[VOTER], voter)
    collection, participant = _collect_cards(process, voter)
    join_collection(clients[VOTER], participant)
    return World(
        process, facilitator, observer, other, voting_round, voter, clients, collection, participant
    )


def join_collection(client: Client, participant) -> Client:
    response = client.post(reverse("voting:join"), {"code": codes.format_code(participant.code)})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _collect_cards(process: models.Process, voter: Voter):
    """An open card collection in the first meeting, with a card by a member other than the voter."""
    from klebepunkt.collection import services as collection_services

    meeting = process.meetings.order_by("pk").first()
    collection = collection_services.open_collection(
        meeting=meeting,
        question="Was wollen wir erreichen?",
        theme_fields=list(process.theme_fields.all()),
    )
    participant = meeting.participants.get(member=voter.member)
    other = meeting.participants.exclude(pk=participant.pk).order_by("pk").first()
    collection_services.submit_card(
        collection=collection,
        author=other,
        theme_field_id=process.theme_fields.order_by("pk").first().pk,
        fields=collection_services.CardFields(text="Eine Karte von jemand anderem"),
        idempotency_key="world-card",
    )
    return collection, participant


def _follow_a_priority(process: models.Process, user) -> None:
    """Monitoring: an indicator with one value on the process's first priority."""
    import datetime as dt
    from decimal import Decimal

    from klebepunkt.monitoring import services as monitoring_services

    goal = models.Goal.objects.filter(theme_field__process=process).order_by("pk").first()
    indicator = monitoring_services.create_indicator(
        process=process, goal=goal, fields=monitoring_services.IndicatorFields(name="Bewerbungen")
    )
    monitoring_services.record_measurement(
        indicator=indicator, day=dt.date(2018, 1, 1), value=Decimal(12), user=user
    )


def _put_to_the_vote(process: models.Process) -> None:
    """Decisions: attendance at the first meeting and an open vote on the priority list."""
    from klebepunkt.decisions import services as decision_services
    from klebepunkt.decisions.models import Presence

    meeting = process.meetings.order_by("pk").first()
    decision_services.record_attendance(
        meeting=meeting, presence={m.pk: Presence.PRESENT for m in process.members.all()}
    )
    decision_services.open_decision(process=process, meeting=meeting)
    from django.utils import timezone

    from klebepunkt.decisions.models import ReportVersion, ReportVersionFile

    version = ReportVersion.objects.create(
        process=process, label="Entwurf", issued_at=timezone.now(), snapshot="{}", sha256="0" * 64
    )
    ReportVersionFile.objects.create(version=version, fmt="md", content=b"# Entwurf\n")


# --- a URL for every route ---------------------------------------------------------------------


def _admin_object(route: Route, world: World) -> int:
    # admin:<app label>_<model>_<view>; an app label may hold "_" (django_tasks_database)
    found_models = [
        model
        for model in apps.get_models()
        if route.name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_")
    ]
    assert len(found_models) == 1, route.name
    model = found_models[0]
    if model._meta.label_lower == "auth.user":
        return world.facilitator.pk
    found = model.objects.filter(pk__in=_objects_of(world.process, model)).order_by("pk").first()
    return found.pk if found else 1  # none there: the admin answers before it looks


def _objects_of(process: models.Process, model) -> list[int]:
    lookups = {
        models.Process: {"pk": process.pk},
        models.ProcessRole: {"process": process},
        models.StakeholderGroup: {"process": process},
        models.Member: {"process": process},
        models.Meeting: {"process": process},
        models.ThemeField: {"process": process},
        models.Goal: {"theme_field__process": process},
        models.Card: {"theme_field__process": process},
    }
    if model not in lookups:
        return list(model.objects.values_list("pk", flat=True)[:1])
    return list(model.objects.filter(**lookups[model]).values_list("pk", flat=True))


def url_for(route: Route, world: World, *, fmt: str = "md") -> str:
    from klebepunkt.monitoring.models import Indicator, Measurement

    process, voting_round = world.process, world.voting_round
    if route.name == "admin:app_list":  # a regular expression: no converters to read
        return reverse(route.name, kwargs={"app_label": "processes"})
    cards = models.Card.objects.filter(theme_field__process=process).order_by("pk")
    values = {
        "pk": lambda: process.pk,
        "member_id": lambda: process.members.order_by("pk").first().pk,
        "group_id": lambda: process.stakeholder_groups.order_by("pk").first().pk,
        "meeting_id": lambda: process.meetings.order_by("pk").first().pk,
        "card_id": lambda: cards.first().pk,
        "field_id": lambda: process.theme_fields.order_by("pk").first().pk,
        "goal_id": lambda: (
            models.Goal.objects.filter(theme_field__process=process).order_by("pk").first().pk
        ),
        "user_id": lambda: world.observer.pk,
        "fmt": lambda: fmt,
        "round_id": lambda: voting_round.pk,
        "voter_id": lambda: world.voter.pk,
        "code": lambda: world.voter.code,
        "short_code": lambda: voting_round.short_code,
        "token": lambda: voting_round.projector_token,
        "object_id": lambda: (
            process.pk if route.name == "admin:view_on_site" else _admin_object(route, world)
        ),
        "id": lambda: world.facilitator.pk,
        "content_type_id": lambda: ContentType.objects.get_for_model(models.Process).pk,
        "key": lambda: "introduction",
        "version_id": lambda: process.report_versions.order_by("pk").first().pk,
        "decision_id": lambda: process.decisions.order_by("pk").first().pk,
        "indicator_id": lambda: (
            Indicator.objects.filter(implementation__process=process).order_by("pk").first().pk
        ),
        "collection_id": lambda: world.collection.pk,
        "entry_id": lambda: world.collection.cards.order_by("pk").first().pk,
        "wall_token": lambda: world.collection.wall_token,
        "meeting_code": lambda: world.collection.short_code,
        "personal_code": lambda: world.participant.code,
        "job_id": lambda: _report_job(world),
        "measurement_id": lambda: (
            Measurement.objects.filter(indicator__implementation__process=process)
            .order_by("pk")
            .first()
            .pk
        ),
    }
    if route.name == "monitoring:sheet_export":
        fmt = "csv"
    kwargs = {}
    for parameter in route.parameters:
        assert parameter in values, f"{route.name}: no value for the parameter {parameter!r}"
        kwargs[parameter] = values[parameter]()
    return reverse(route.name, kwargs=kwargs)


def _report_job(world: World) -> str:
    """A finished job of the world's result report (a cached Markdown file)."""
    job, _created = models.ReportJob.objects.get_or_create(
        key="world-report",
        defaults={
            "process": world.process,
            "slot": "world-report",
            "kind": "result",
            "fmt": "md",
            "language": "de",
            "state": models.ReportJob.State.DONE,
            "content": b"# Bericht\n",
            "filename": "klebepunkt.md",
            "media_type": "text/markdown; charset=utf-8",
        },
    )
    return str(job.pk)


# --- did a request write anything? --------------------------------------------------------------

# tables a refused request may still write: the session (messages), the cache (rate limits);
# a download may write the cache of made reports and the job queue (processes/report_jobs.py)
VOLATILE_TABLES = (
    "django_session",
    "klebepunkt_cache",
    "processes_reportjob",
    "django_tasks_database_dbtaskresult",
)
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@contextmanager
def writes() -> Iterator[list[str]]:
    """The statements that changed the database while the block ran (sessions and cache aside)."""
    found: list[str] = []
    with CaptureQueriesContext(connection) as context:
        yield found
    for query in context.captured_queries:
        sql = query["sql"]
        if _WRITE.match(sql) and not any(table in sql for table in VOLATILE_TABLES):
            found.append(sql[:200])
