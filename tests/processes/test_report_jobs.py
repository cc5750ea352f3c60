"""Reports made in the background: the queue (django-tasks' database backend and its real
worker), the progress page, the cache of made reports, a job that fails."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from klebepunkt.processes.models import ReportJob

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

pytestmark = [
    # committed for real: the worker opens and closes its own connections, as in production
    pytest.mark.django_db(transaction=True),
    # the queue as in production; no worker runs until the test runs it; no waiting
    pytest.mark.usefixtures("database_queue"),
]


@pytest.fixture
def database_queue():
    with override_settings(TASKS=DATABASE_QUEUE, REPORT_WAIT_SECONDS=0):
        yield


def run_worker() -> None:
    """django-tasks-db's worker, as ``db_worker --batch`` runs it: every queued job, then stop."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def queued_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()


def job_of(response) -> ReportJob:
    match = re.search(r"/reports/([0-9a-f-]{36})/", response["Location"])
    assert match, response["Location"]
    return ReportJob.objects.get(pk=match.group(1))


@pytest.fixture
def thousand_cards(facilitator):
    from klebepunkt.bench.reports import generated_process
    from klebepunkt.processes.services import import_process

    return import_process(record=generated_process(1000), user=facilitator)


@pytest.mark.slow
def test_a_1000_card_pdf_shows_progress_at_once_then_the_file_then_comes_from_the_cache(
    thousand_cards, facilitator_client
):
    url = reverse("processes:export_report", args=[thousand_cards.pk, "pdf"])

    response = facilitator_client.get(url)

    # at once: the progress page, not a PDF made in the request
    assert response.status_code == 302
    job = job_of(response)
    assert job.state == ReportJob.State.QUEUED
    page = facilitator_client.get(response["Location"])
    assert page.status_code == 200
    assert "application/pdf" not in page["Content-Type"]
    assert "Der Bericht wartet darauf, erstellt zu werden" in page.content.decode()
    assert queued_tasks() == 1

    run_worker()

    page = facilitator_client.get(response["Location"])
    file_url = reverse("processes:report_job_file", args=[thousand_cards.pk, job.pk])
    assert "Der Bericht ist fertig." in page.content.decode()
    assert f'href="{file_url}"' in page.content.decode()
    made = facilitator_client.get(file_url)
    assert made["Content-Type"] == "application/pdf"
    assert made.content.startswith(b"%PDF")
    assert "klebepunkt-" in made["Content-Disposition"]

    # the same report of the same state again: served from the cache, made once
    again = facilitator_client.get(url)
    assert again.status_code == 200
    assert again["Content-Type"] == "application/pdf"
    assert again.content == made.content
    assert queued_tasks() == 1
    job.refresh_from_db()
    assert job.runs == 1


def test_the_progress_page_polls_while_the_report_is_made(koblenz, facilitator_client):
    response = facilitator_client.get(reverse("processes:export_report", args=[koblenz.pk, "docx"]))
    job = job_of(response)

    page = facilitator_client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<meta http-equiv="refresh"' in page  # inside <noscript>: without JavaScript
    fragment = facilitator_client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content
    assert b'id="report-job-status"' in fragment.content

    run_worker()

    done = facilitator_client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"hx-trigger" not in done.content  # ready: the page stops asking
    assert reverse("processes:report_job_file", args=[koblenz.pk, job.pk]).encode() in done.content


def test_a_changed_process_makes_a_new_report_and_forgets_the_old(koblenz, facilitator_client):
    from klebepunkt.processes.models import Card

    url = reverse("processes:export_report", args=[koblenz.pk, "md"])
    first = job_of(facilitator_client.get(url))
    run_worker()
    assert facilitator_client.get(url).status_code == 200  # cached

    card = Card.objects.filter(theme_field__process=koblenz).order_by("pk").first()
    card.text = "Ein neuer Text für die Karte"
    card.save()
    response = facilitator_client.get(url)

    assert response.status_code == 302
    second = job_of(response)
    assert second.pk != first.pk
    run_worker()
    assert "Ein neuer Text für die Karte" in facilitator_client.get(url).content.decode()
    assert not ReportJob.objects.filter(pk=first.pk).exists()  # replaced by the newer file


def test_the_same_report_in_another_format_or_language_is_another_job(koblenz, facilitator_client):
    md = job_of(facilitator_client.get(reverse("processes:export_report", args=[koblenz.pk, "md"])))
    json = job_of(
        facilitator_client.get(reverse("processes:export_report", args=[koblenz.pk, "json"]))
    )
    facilitator_client.post(reverse("set_language"), {"language": "en"})
    english = job_of(
        facilitator_client.get(reverse("processes:export_report", args=[koblenz.pk, "md"]))
    )
    assert len({md.key, json.key, english.key}) == 3
    assert english.language == "en"


def test_a_failing_job_says_so_in_german_and_can_be_tried_again(koblenz, facilitator_client):
    from klebepunkt.voting.services import create_round

    voting_round = create_round(process=koblenz, title="Punktabfrage")
    response = facilitator_client.get(
        reverse("voting:code_sheet", args=[koblenz.pk, voting_round.pk])
    )
    job = job_of(response)
    voting_round.delete()  # gone before the worker gets to the sheet

    run_worker()

    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    page = facilitator_client.get(response["Location"]).content.decode()
    assert "Der Bericht konnte nicht erstellt werden." in page
    assert 'role="alert"' in page
    assert "Erneut versuchen" in page

    retried = facilitator_client.post(
        reverse("processes:report_job_retry", args=[koblenz.pk, job.pk])
    )
    assert retried.status_code == 302
    job.refresh_from_db()
    assert job.state == ReportJob.State.QUEUED
    assert queued_tasks() == 2


def test_only_the_facilitator_sees_a_code_sheet_job(koblenz, facilitator_client, client):
    from django.contrib.auth import get_user_model

    from klebepunkt.processes.models import Role
    from klebepunkt.processes.services import grant_role
    from klebepunkt.voting.services import create_round

    voting_round = create_round(process=koblenz, title="Punktabfrage")
    job = job_of(
        facilitator_client.get(reverse("voting:code_sheet", args=[koblenz.pk, voting_round.pk]))
    )
    observer = get_user_model().objects.create_user(username="beobachtung", password="x" * 12)
    grant_role(process=koblenz, user=observer, role=Role.OBSERVER, by=None)
    client.force_login(observer)

    assert client.get(reverse("processes:report_job", args=[koblenz.pk, job.pk])).status_code == 403
    assert (
        client.get(reverse("processes:report_job_file", args=[koblenz.pk, job.pk])).status_code
        == 403
    )


def test_the_job_counts_by_state(koblenz, facilitator_client):
    from klebepunkt.processes.report_jobs import report_job_counts

    facilitator_client.get(reverse("processes:export_report", args=[koblenz.pk, "md"]))
    facilitator_client.get(reverse("processes:export_report", args=[koblenz.pk, "csv"]))
    assert report_job_counts() == {"queued": 2, "running": 0, "done": 0, "failed": 0}
    run_worker()
    assert report_job_counts() == {"queued": 0, "running": 0, "done": 2, "failed": 0}


def test_the_progress_report_goes_the_same_way(koblenz, facilitator_client):
    url = reverse("monitoring:report_download", args=[koblenz.pk, "pdf"])
    response = facilitator_client.get(url, {"as_of": "2025-12-31"})
    job = job_of(response)
    assert (job.kind, job.params["as_of"]) == ("progress", "2025-12-31")
    page = facilitator_client.get(response["Location"]).content.decode()
    assert "Sachstandsbericht (PDF)" in page

    run_worker()

    made = facilitator_client.get(url, {"as_of": "2025-12-31"})
    assert made["Content-Type"] == "application/pdf"
    assert "sachstandsbericht-" in made["Content-Disposition"]
    other_day = facilitator_client.get(url, {"as_of": "2025-06-30"})
    assert other_day.status_code == 302  # another report: another job
    assert queued_tasks() == 2
