"""Members from a sheet in a real browser: paste from Excel, preview, import, by keyboard alone,
on a desktop and a 375 px phone, axe-clean; a bad row is named in German."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from klebepunkt.processes.models import Member
from klebepunkt.processes.services import import_process
from klebepunkt.samples import load_sample
from tests.e2e.conftest import assert_accessible, assert_fits_the_screen, login, save_screenshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


PASTED = (
    "Name\tBereich\tStimmberechtigt\tKontakt\n"
    "Anna Schmidt\tPolitik\t\tanna@example.org\n"
    "Bernd Weber\tVerwaltung\t\t\n"
    "Cem Aydin\tSeniorenbeirat\tja\t\n"
)


@pytest.fixture
def stored_koblenz(transactional_db):
    return import_process(
        record=load_sample("koblenz-2017"), user=UserFactory(username="moderation")
    )


def _keyboard_to(page, name: str, limit: int = 60) -> None:
    """Tab until the element named ``name`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.labels && e.labels[0] ? e.labels[0].innerText : '') + ' ' +"
            " (e.innerText || e.value || ''); }"
        )
        if name in focused:
            return
    raise AssertionError(f"no element named {name!r} reached by Tab")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_members_pasted_from_excel_by_keyboard_alone(
    request, viewport, live_server, stored_koblenz
):
    page = request.getfixturevalue("page" if viewport == "desktop" else "phone")
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{stored_koblenz.pk}/members/")
    _keyboard_to(page, "Mitglieder aus einer Tabelle importieren")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Mitglieder aus einer Tabelle importieren")
    ).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)

    _keyboard_to(page, "Aus Excel einfügen")
    page.keyboard.insert_text(PASTED)
    _keyboard_to(page, "Vorschau zeigen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Vorschau des Imports")).to_be_visible()
    expect(page.get_by_role("cell", name="Seniorenbeirat")).to_be_visible()
    expect(page.get_by_text("1 neuer Bereich")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    save_screenshot(page, f"member-sheet-preview-{viewport}")

    _keyboard_to(page, "Mitglieder importieren")
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Mitglieder importiert: 3 hinzugefügt; neue Bereiche: 1.")
    ).to_be_visible()
    assert Member.objects.filter(process=stored_koblenz, name="Cem Aydin").exists()
    assert not Member.objects.get(process=stored_koblenz, name="Bernd Weber").voting


def test_a_bad_row_is_named_next_to_the_field(page, live_server, stored_koblenz):
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{stored_koblenz.pk}/members/import/")
    page.get_by_label("Aus Excel einfügen").fill("Name\tBereich\nAnna\tFreie Traeger\n")
    page.get_by_role("button", name="Vorschau zeigen").click()
    expect(
        page.get_by_text(
            "eingefügte Tabelle, Zeile 2, Spalte „Bereich“ (B): Es gibt keinen Bereich "
            "„Freie Traeger“. Meinten Sie „Freie Träger“?"
        )
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "member-sheet-error-desktop")
    assert Member.objects.filter(process=stored_koblenz, name="Anna").count() == 0
