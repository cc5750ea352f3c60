"""Monitoring, the topic store archive and the public page in a real browser (axe-core, phone).

Words are looked up in the German catalogue the server uses (``de``), so these tests hold
before and after the monitoring's German texts are merged into it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import expect

from klebepunkt.monitoring import services
from klebepunkt.processes.models import Goal
from klebepunkt.processes.services import create_process, import_process
from klebepunkt.samples import load_sample
from tests.e2e.conftest import assert_accessible, assert_fits_the_screen, login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

FACHKRAEFTE = "Es werden Menschen für Pflegeberufe gewonnen (Fachkräfteakquise)"


def de(msgid: str) -> str:
    with translation.override("de"):
        return translation.gettext(msgid)


def field(msgid: str) -> re.Pattern[str]:
    """A form field's label as the page shows it (capitalised, maybe with a * for required)."""
    return re.compile(rf"^{re.escape(de(msgid))}\s*\*?$", re.IGNORECASE)


@pytest.fixture
def user(transactional_db):
    return UserFactory(username="moderation")


@pytest.fixture
def stored_koblenz(user):
    return import_process(record=load_sample("koblenz-2017"), user=user)


@pytest.fixture
def followed(stored_koblenz, user):
    """The Koblenz sample with a status and an indicator with values on its first priority."""
    goal = Goal.objects.get(theme_field__process=stored_koblenz, text=FACHKRAEFTE)
    services.record_status(
        process=stored_koblenz,
        goal=goal,
        user=user,
        fields=services.StatusFields(
            "in_progress",
            due_date=date(2030, 12, 31),
            contact="Frau Beispiel, beispiel@stadt.example",
            comment="Intern: Rücksprache mit Herrn Schmidt",
        ),
    )
    indicator = services.create_indicator(
        process=stored_koblenz,
        goal=goal,
        fields=services.IndicatorFields(
            name="Bewerbungen",
            unit="Bewerbungen",
            baseline_value=Decimal(120),
            baseline_date=date(2024, 1, 1),
            target_value=Decimal(180),
            target_date=date(2030, 12, 31),
        ),
    )
    for day, value in [(date(2024, 12, 31), 131), (date(2025, 12, 31), 139)]:
        services.record_measurement(indicator=indicator, day=day, value=Decimal(value), user=user)
    return stored_koblenz


def test_monitoring_pages_status_indicator_and_values(page, live_server, stored_koblenz):
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{stored_koblenz.pk}/")
    page.get_by_role("navigation", name="Verfahren").get_by_role(
        "link", name=de("Monitoring")
    ).click()
    expect(page.get_by_role("heading", name=de("Monitoring"), level=1)).to_be_visible()
    expect(page.get_by_role("link", name=FACHKRAEFTE)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=FACHKRAEFTE).click()
    expect(page.get_by_role("heading", name=FACHKRAEFTE, level=1)).to_be_visible()
    assert_accessible(page)
    whole = page.locator("section#Z" + str(Goal.objects.get(text=FACHKRAEFTE).pk))
    whole.locator("summary", has_text=de("Change the status")).click()
    whole.get_by_label(field("status")).select_option(label=de("being implemented"))
    whole.get_by_label(field("comment")).fill("Imagekampagne gestartet")
    whole.get_by_role("button", name=de("Save the status")).click()
    expect(page.get_by_text(de("Status saved."))).to_be_visible()
    whole = page.locator("section#Z" + str(Goal.objects.get(text=FACHKRAEFTE).pk))
    expect(whole.locator(".status")).to_have_text(de("being implemented"))

    whole.locator("summary", has_text=de("Add an indicator")).click()
    whole.get_by_label(field("indicator")).fill("Ausbildungsplätze")
    whole.get_by_label(field("unit")).fill("Plätze")
    whole.get_by_label(field("baseline value")).fill("40")
    whole.get_by_label(field("baseline date")).fill("2024-01-01")
    whole.get_by_label(field("target value")).fill("60")
    whole.get_by_label(field("target date")).fill("2030-12-31")
    whole.get_by_role("button", name=de("Add the indicator")).click()
    expect(page.get_by_text(de("Indicator added."))).to_be_visible()
    indicator = page.locator(".indicator", has_text="Ausbildungsplätze")
    indicator.locator("summary").first.click()
    indicator.get_by_label(field("date")).fill("2025-06-30")
    indicator.get_by_label(field("value")).fill("44,5")
    indicator.get_by_role("button", name=de("Save the value")).click()
    expect(page.get_by_text(de("Value saved."))).to_be_visible()
    indicator = page.locator(".indicator", has_text="Ausbildungsplätze")
    expect(indicator.get_by_role("img")).to_be_visible()  # the chart
    expect(indicator.locator("figcaption")).to_contain_text("44,5 Plätze")  # its text alternative
    expect(indicator.get_by_role("cell", name="44,5")).to_be_visible()  # and its table
    assert_accessible(page)


def test_progress_report_and_sheet_pages(page, live_server, followed):
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{followed.pk}/monitoring/report/")
    expect(page.get_by_role("heading", name=de("Progress report"), level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Bewerbungen")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/p/{followed.pk}/monitoring/import/")
    assert_accessible(page)
    page.locator("input[name=sheet]").set_input_files(
        files=[
            {
                "name": "falsch.csv",
                "mimeType": "text/csv",
                "buffer": b"Kennung;Status\r\nZ999999;offen\r\n",
            }
        ]
    )
    page.locator("main").get_by_role("button", name=de("Show preview")).click()
    expect(page.locator(".error")).to_contain_text("falsch.csv, Zeile 2, Spalte „Kennung“ (A)")
    assert_accessible(page)


def test_monitoring_on_a_phone(phone, live_server, followed):
    login(phone, live_server, "moderation")
    goal = Goal.objects.get(theme_field__process=followed, text=FACHKRAEFTE)
    for path in (
        f"/p/{followed.pk}/monitoring/",
        f"/p/{followed.pk}/monitoring/goals/{goal.pk}/",
        f"/p/{followed.pk}/monitoring/report/",
        "/topic-store/",
    ):
        phone.goto(live_server.url + path)
        assert_fits_the_screen(phone)
        assert_accessible(phone)


def test_archive_search_and_take_an_entry(page, live_server, stored_koblenz, user):
    create_process(title="Sozialplanung 2026", user=user, year=2026)
    login(page, live_server, "moderation")
    page.get_by_role("link", name=de("Topic store archive")).click()
    expect(page.get_by_role("heading", name=de("Topic store archive"))).to_be_visible()
    page.get_by_label(
        re.compile(re.escape(de("Search (recommendation, indicator, responsible body, goal)")))
    ).fill("Pflegekonferenz")
    results = page.locator("#results")
    expect(results.get_by_text("Die Regionale Pflegekonferenz stärken", exact=True)).to_be_visible()
    expect(results.get_by_text("Duales System Pflege")).to_have_count(0)
    assert_accessible(page)
    row = results.get_by_role("row").filter(has_text="Die Regionale Pflegekonferenz stärken")
    row.get_by_role("button", name=de("Take")).click()
    expect(page.get_by_text("Sozialplanung 2026", exact=False).first).to_be_visible()
    row = page.locator("#results").get_by_role("row").filter(has_text="Sozialplanung 2026")
    expect(row.first).to_be_visible()
    assert_accessible(page)
    # the filters update the results as they change (HTMX), the search text stays
    page.get_by_label(field("Year")).select_option("2026")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Die Regionale Pflegekonferenz stärken")
    expect(page.locator("#results")).to_contain_text("Sozialplanung 2026 (2026)")


def test_public_page_switched_on_is_accessible_and_names_no_member(
    browser, page, live_server, followed
):
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{followed.pk}/settings/")
    page.get_by_label(re.compile("öffentliche Seite", re.IGNORECASE)).check()
    page.locator("main").get_by_role("button", name="Speichern").click()
    public = f"{live_server.url}/public/{followed.pk}/"
    expect(page.locator("main").get_by_role("link", name=public)).to_be_visible()

    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 812}):
        context = browser.new_context(viewport=viewport, locale="de-DE")  # nobody logged in
        visitor = context.new_page()
        visitor.goto(public)
        expect(visitor.get_by_role("heading", name=followed.title, level=1)).to_be_visible()
        expect(visitor.get_by_role("heading", name=FACHKRAEFTE)).to_be_visible()
        expect(visitor.get_by_role("img", name="Bewerbungen")).to_be_visible()
        expect(visitor.get_by_text("Duales System Pflege")).to_be_visible()  # topic store
        assert_accessible(visitor)
        assert_fits_the_screen(visitor)
        html = visitor.content()
        for secret in ("beispiel@stadt.example", "Frau Beispiel", "Herrn Schmidt", "moderation"):
            assert secret not in html
        text = visitor.locator("main").inner_text()
        for own in (followed.title, followed.body, followed.description):
            text = text.replace(own, "")
        for name in followed.members.values_list("name", flat=True):
            assert not re.search(rf"\b{re.escape(name)}\b", text), name
        context.close()
