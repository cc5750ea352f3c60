"""The process's history ("Verlauf") in a real browser: reached and read with the keyboard,
axe-clean, on a desktop and on a 375 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from klebepunkt.processes.models import ChangeRecord
from klebepunkt.samples import load_sample
from tests.e2e.conftest import (
    assert_accessible,
    assert_fits_the_screen,
    login,
    save_screenshot,
    tab_to,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stored_koblenz(transactional_db):
    from klebepunkt.processes.services import import_process

    return import_process(
        record=load_sample("koblenz-2017"), user=UserFactory(username="moderation")
    )


def test_a_threshold_change_is_in_the_history_by_keyboard(page, live_server, stored_koblenz):
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{stored_koblenz.pk}/settings/")
    threshold = page.get_by_label(re.compile(r"^Schwelle für Ziele"))
    tab_to(page, threshold)
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    page.keyboard.press("Enter")  # submits the settings form
    expect(page.get_by_text("Einstellungen gespeichert")).to_be_visible()
    assert ChangeRecord.objects.filter(process=stored_koblenz).count() == 1

    history = page.get_by_role("navigation", name="Verfahren").get_by_role("link", name="Verlauf")
    tab_to(page, history, presses=60)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Verlauf", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Regeln geändert")
    expect(row).to_contain_text("moderation")
    expect(row).to_contain_text("Schwelle für Ziele: 3")
    expect(row).to_contain_text("Schwelle für Ziele: 4")
    assert_accessible(page)
    save_screenshot(page, "history-1280")


def test_the_history_fits_a_phone(phone, live_server, stored_koblenz):
    from dataclasses import replace

    from klebepunkt.processes.services import ProcessSettings, update_process

    user = stored_koblenz.roles.get().user
    settings = replace(ProcessSettings.of(stored_koblenz), goal_threshold=4, cap_per_card=2)
    update_process(process=stored_koblenz, settings=settings, by=user)
    login(phone, live_server, "moderation")
    phone.goto(f"{live_server.url}/p/{stored_koblenz.pk}/history/")
    expect(phone.get_by_text("Obergrenze je Karte: 2")).to_be_visible()
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    save_screenshot(phone, "history-375")
