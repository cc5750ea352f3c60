"""A report made in the background, in Chromium against ``klebepunkt serve`` (gunicorn and
the job queue's worker it starts): the download button leads to the progress page, which
asks again by itself and offers the file when the worker has made it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from klebepunkt.processes.models import ReportJob
from klebepunkt.samples import load_sample
from tests.e2e.conftest import (
    PASSWORD,
    assert_accessible,
    assert_fits_the_screen,
    own_page,
    save_screenshot,
    tab_to,
)
from tests.factories import UserFactory
from tests.server import running_server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def koblenz_process(transactional_db):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from klebepunkt.processes.services import import_process

    user = UserFactory(username="moderation")
    # a hash the server's own settings check (the test settings hash with MD5 only)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000)
    user.save()
    return import_process(record=load_sample("koblenz-2017"), user=user)


def log_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Benutzername").fill("moderation")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_label("Passwort").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_pdf_is_made_by_the_servers_worker_while_the_page_shows_progress(
    browser, koblenz_process, tmp_path
):
    # no waiting in the request: every report goes by the progress page, made by the worker
    with running_server(tmp_path, workers=1, extra_env={"KLEBEPUNKT_REPORT_WAIT": "0"}) as (
        base,
        _server,
    ):
        context, page = own_page(browser, accept_downloads=True)
        log_in(page, base)
        page.goto(f"{base}/p/{koblenz_process.pk}/result/")
        page.get_by_role("link", name="PDF", exact=True).click()

        page.wait_for_url(re.compile(r"/reports/[0-9a-f-]{36}/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Ergebnisbericht (PDF)")
        assert_accessible(page)  # while it waits or is made
        save_screenshot(page, "report-job-waiting-desktop")
        link = page.get_by_role("link", name="Herunterladen (PDF)")
        expect(link).to_be_visible(timeout=120_000)  # htmx asked until the worker was done
        expect(page.get_by_role("status")).to_have_text("Der Bericht ist fertig.")
        assert_accessible(page)
        save_screenshot(page, "report-job-desktop")

        # keyboard only: from the top of the page to the link, Enter downloads the file
        page.locator("body").focus()
        tab_to(page, link)
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        assert download.value.suggested_filename == f"klebepunkt-{koblenz_process.pk}.pdf"
        assert download.value.path().read_bytes()[:5] == b"%PDF-"
        job_url = page.url
        context.close()

        phone_context, phone = own_page(browser, "phone")
        log_in(phone, base)
        phone.goto(job_url)
        expect(phone.get_by_role("link", name="Herunterladen (PDF)")).to_be_visible()
        assert_accessible(phone)
        assert_fits_the_screen(phone)
        save_screenshot(phone, "report-job-phone")
        phone_context.close()

    job = ReportJob.objects.get()
    assert (job.state, job.runs) == (ReportJob.State.DONE, 1)
