"""The facilitator in a real browser: login, create, import, cluster by keyboard, result, phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from klebepunkt.processes import models, selectors
from klebepunkt.samples import load_sample
from klebepunkt.sheets import write_sheet
from tests.e2e.conftest import assert_accessible, assert_fits_the_screen, login, tab_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def user(transactional_db):
    return UserFactory(username="moderation")


@pytest.fixture
def stored_koblenz(user):
    from klebepunkt.processes.services import import_process

    return import_process(record=load_sample("koblenz-2017"), user=user)


def test_login_wrong_then_right(page, live_server, user):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)
    page.get_by_label("Benutzername").fill("moderation")
    page.get_by_label("Passwort").fill("falsch")
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page.locator(".form-errors")).to_be_visible()
    login(page, live_server, "moderation")
    expect(page.get_by_role("heading", name="Verfahren", exact=True)).to_be_visible()
    assert_accessible(page)


def test_create_process_and_import_the_koblenz_sheet(
    page, live_server, user, tmp_path, koblenz_expected
):
    sheet = tmp_path / "koblenz.xlsx"
    write_sheet(load_sample("koblenz-2017").tally, sheet)
    login(page, live_server, "moderation")
    page.get_by_role("link", name="Neues Verfahren beginnen").click()
    page.get_by_label("Titel").fill("AG Sozialplanung Koblenz")
    page.get_by_role("button", name="Verfahren anlegen").click()
    expect(page.get_by_role("heading", name="AG Sozialplanung Koblenz", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Verfahren").get_by_role("link", name="Karten").click()
    page.locator("input[name=sheet]").set_input_files(str(sheet))
    page.get_by_role("button", name="Vorschau zeigen").click()
    expect(page.get_by_role("heading", name="Vorschau des Imports")).to_be_visible()
    expect(page.get_by_text("66 neue Karten")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Alle Änderungen übernehmen").click()
    expect(page.get_by_text("Liste importiert: 66 Karten hinzugefügt")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ergebnis").click()
    expect(page.get_by_role("heading", name="Prioritäten (7)")).to_be_visible()
    for _field, goal, _points in koblenz_expected["teil_ii"]:
        expect(page.get_by_role("heading", name=goal)).to_be_visible()
    assert_accessible(page)


def test_cluster_a_card_with_the_keyboard_only(page, live_server, stored_koblenz):
    card = models.Card.objects.get(
        theme_field__process=stored_koblenz, text="Wohnraum für Studierende"
    )
    card.goal = None
    card.save()
    wohnen = card.theme_field
    login(page, live_server, "moderation")
    board = page.goto(f"{live_server.url}/p/{stored_koblenz.pk}/board/?field={wohnen.pk}")
    assert board is not None and board.header_value("content-encoding") == "gzip"
    expect(page.get_by_role("heading", name="Karten ohne Ziel (1)")).to_be_visible()
    assert_accessible(page)

    select = page.get_by_label("Ziel für „Wohnraum für Studierende“")
    tab_to(page, select, presses=30)  # from the top of the page to the card's select box
    page.keyboard.press(
        "ArrowDown"
    )  # "1. In Koblenz wird genügend Wohnraum zur Verfügung gestellt"
    page.keyboard.press("Tab")  # the Assign button
    focused = page.evaluate("document.activeElement.textContent")
    assert "Zuordnen" in focused
    with page.expect_response(lambda response: response.url.endswith("/board/assign/")) as moved:
        page.keyboard.press("Enter")
    assert moved.value.header_value("content-encoding") == "gzip"  # the board, compressed

    expect(page.get_by_role("status").filter(has_text="zugeordnet")).to_have_count(1)
    expect(page.get_by_role("heading", name="Karten ohne Ziel (0)")).to_be_visible()
    goal = page.locator("article.goal").filter(
        has=page.get_by_role("heading", name=re.compile("genügend Wohnraum"))
    )
    expect(goal.get_by_text("7 Punkte")).to_be_visible()
    card.refresh_from_db()
    assert card.goal.text == "In Koblenz wird genügend Wohnraum zur Verfügung gestellt"
    assert_accessible(page)


def test_drag_and_drop_assigns_a_card(page, live_server, stored_koblenz):
    card = models.Card.objects.get(
        theme_field__process=stored_koblenz, text="Urban Gardening-Projekte werden unterstützt"
    )
    card.goal = None
    card.save()
    login(page, live_server, "moderation")
    page.set_viewport_size({"width": 1280, "height": 2400})  # source and target on one screen
    page.goto(f"{live_server.url}/p/{stored_koblenz.pk}/board/?field={card.theme_field_id}")
    target = page.locator("article.goal").filter(
        has=page.get_by_role("heading", name=re.compile("Wohnunglose"))
    )
    page.locator(f"#card-{card.pk}").drag_to(target, source_position={"x": 12, "y": 12})
    expect(page.get_by_role("heading", name="Karten ohne Ziel (0)")).to_be_visible()
    expect(target.get_by_text("2 Punkte")).to_be_visible()
    card.refresh_from_db()
    assert card.goal.text == "Es gibt ausreichend Angebote für Wohnunglose"


def test_merge_goals_updates_the_sum_and_the_threshold(page, live_server, stored_koblenz):
    login(page, live_server, "moderation")
    wohnen = stored_koblenz.theme_fields.get(name="Wohnen")
    page.goto(f"{live_server.url}/p/{stored_koblenz.pk}/board/?field={wohnen.pk}")
    source = page.locator("article.goal").filter(
        has=page.get_by_role("heading", name=re.compile("Wohnunglose"))
    )
    source.locator(".goal-tools > summary").click()
    source.get_by_label("Zusammenführen mit").select_option(
        label="2. Wohnumfeld-/Sozialraumverbesserung"
    )
    source.get_by_role("button", name="Zusammenführen").click()
    merged = page.locator("article.goal").filter(
        has=page.get_by_role("heading", name=re.compile("Wohnumfeld"))
    )
    expect(merged.get_by_text("2 Punkte")).to_be_visible()
    assert len(selectors.evaluate_process(stored_koblenz).theme_fields[1].goals) == 2


PAGES = [
    "/processes/",
    "/p/{pk}/",
    "/p/{pk}/members/",
    "/p/{pk}/meetings/",
    "/p/{pk}/cards/",
    "/p/{pk}/board/",
    "/p/{pk}/result/",
    "/p/{pk}/settings/",
]


def test_every_page_on_a_phone_is_accessible_and_fits(phone, live_server, stored_koblenz):
    login(phone, live_server, "moderation")
    for path in PAGES:
        phone.goto(live_server.url + path.format(pk=stored_koblenz.pk))
        expect(phone.locator("h1")).to_be_visible()
        assert_fits_the_screen(phone)
        assert_accessible(phone)


def test_every_page_on_a_desktop_is_accessible(page, live_server, stored_koblenz):
    login(page, live_server, "moderation")
    for path in [*PAGES, "/p/{pk}/cards/add/", "/p/{pk}/members/add/", "/accounts/password/"]:
        page.goto(live_server.url + path.format(pk=stored_koblenz.pk))
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)


def test_english_interface_in_the_browser(page, live_server, stored_koblenz):
    login(page, live_server, "moderation")
    page.get_by_role("button", name="English").click()
    page.goto(f"{live_server.url}/p/{stored_koblenz.pk}/result/")
    expect(page.get_by_role("heading", name="Priorities (7)")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
