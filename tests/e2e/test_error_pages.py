"""The "not found" page in a real browser, as a signed-in member meets it after a stale link:
read and left with the keyboard, axe-clean, on a desktop and on a 375 px phone. It answers
without the session (tests/web/test_error_pages.py), so its header has the brand and the
language switch but not the account links."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, assert_fits_the_screen, login, save_screenshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("device", ["page", "phone"])
def test_a_stale_link_leads_back_to_the_start_by_keyboard(request, device, live_server):
    page = request.getfixturevalue(device)
    UserFactory(username="moderation")
    login(page, live_server, "moderation")
    response = page.goto(f"{live_server.url}/p/999999/cards/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Nicht gefunden", level=1)).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    save_screenshot(page, f"not-found-{device}")

    # Tab from the top: skip link, brand, language switch, then the way back in the page
    reached = []
    for _ in range(6):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "Zur Startseite":
            break
    assert reached == ["Zum Inhalt springen", "klebepunkt", "English", "Zur Startseite"], reached
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verfahren")
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()  # still signed in
