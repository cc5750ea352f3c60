"""A new facilitator, keyboard only, from an empty database to the first placed dot: the
start form with the seed's template, the members pasted from Excel, two cards, a round, a
member's phone.
Every form submission is counted; the issue's budget is twelve."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from klebepunkt.processes.models import Member, Process
from klebepunkt.voting.models import Ballot
from tests.e2e.conftest import assert_accessible, assert_fits_the_screen, own_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET = 12


class Submissions:
    """Counts what the browser sends: every POST of a page (forms, and the dot's HTMX post)."""

    def __init__(self) -> None:
        self.posts: list[str] = []

    def watch(self, page) -> None:
        page.on("request", lambda r: self.posts.append(r.url) if r.method == "POST" else None)


def press(page, locator) -> None:
    """Move the keyboard focus to a control and press Enter, as a keyboard user does."""
    locator.focus()
    page.keyboard.press("Enter")


def type_into(page, locator, text: str) -> None:
    locator.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_from_an_empty_database_to_the_first_dot(browser, live_server, transactional_db):
    assert not Process.objects.exists()
    UserFactory(username="moderation")
    sent = Submissions()
    context, page = own_page(browser)
    sent.watch(page)

    # 1: log in
    page.goto(f"{live_server.url}/")
    type_into(page, page.get_by_label("Benutzername"), "moderation")
    type_into(page, page.get_by_label("Passwort"), "correct horse battery staple")
    page.keyboard.press("Enter")
    press(page, page.get_by_role("link", name="Neues Verfahren beginnen"))

    # 2: the start: title, rules, the seed's groups as they are, one theme field
    expect(page.get_by_role("heading", name="Neues Verfahren")).to_be_visible()
    assert_accessible(page)
    type_into(page, page.get_by_label("Titel"), "AG Sozialplanung 2027")
    type_into(page, page.get_by_label("Punkte je Mitglied"), "5")
    type_into(page, page.get_by_label("Themenfelder"), "Pflege")
    press(page, page.get_by_role("button", name="Verfahren anlegen"))
    expect(page.get_by_role("heading", name="Nächster Schritt: Mitglieder")).to_be_visible()
    assert_accessible(page)

    # 3, 4: the members pasted from Excel (preview, then import); the one from the
    # administration gets no vote without a click: his group's default
    press(
        page,
        page.get_by_role("navigation", name="Verfahren").get_by_role("link", name="Mitglieder"),
    )
    press(page, page.get_by_role("link", name="Mitglieder aus einer Tabelle importieren"))
    page.get_by_label("Aus Excel einfügen").focus()
    page.keyboard.insert_text(
        "Name\tBereich\nFrau Politik\tPolitik\nHerr Verwaltung\tVerwaltung\n"
        "Frau Träger\tFreie Träger\n"
    )
    press(page, page.get_by_role("button", name="Vorschau zeigen"))
    expect(page.get_by_role("heading", name="Vorschau des Imports")).to_be_visible()
    assert_accessible(page)
    press(page, page.get_by_role("button", name="Mitglieder importieren"))
    expect(page.get_by_text("Mitglieder importiert: 3 hinzugefügt", exact=False)).to_be_visible()
    assert_accessible(page)
    assert dict(Member.objects.values_list("name", "voting")) == {
        "Frau Politik": True,
        "Herr Verwaltung": False,
        "Frau Träger": True,
    }

    # 5, 6: two cards (the guide's next step after the optional meeting)
    press(
        page, page.get_by_role("navigation", name="Verfahren").get_by_role("link", name="Übersicht")
    )
    expect(page.get_by_role("heading", name="Nächster Schritt: Sitzung")).to_be_visible()
    press(page, page.get_by_role("link", name="Karten", exact=True).first)
    press(page, page.get_by_role("link", name="Karte hinzufügen").first)
    for text in ("Mehr Kurzzeitpflegeplätze", "Pflegestützpunkt im Stadtteil"):
        type_into(page, page.get_by_label("Handlungsempfehlung"), text)
        press(page, page.get_by_role("button", name="Speichern und weitere hinzufügen"))
        expect(page.get_by_role("heading", name="Karte hinzufügen")).to_be_visible()
    assert_accessible(page)

    # 7, 8: prepare and open the round
    press(
        page,
        page.get_by_role("navigation", name="Verfahren").get_by_role("link", name="Punktabfrage"),
    )
    press(page, page.get_by_role("button", name="Runde vorbereiten"))
    press(page, page.get_by_role("button", name="Runde öffnen"))
    expect(page.get_by_role("link", name="Runde schließen …")).to_be_visible()
    assert_accessible(page)
    code = page.get_by_role("row").filter(has_text="Frau Politik").locator("code").inner_text()

    # 9, 10: the member joins on a phone and places the first dot
    phone_context, phone = own_page(browser, "phone")
    sent.watch(phone)
    phone.goto(f"{live_server.url}/v/")
    type_into(phone, phone.get_by_label("Ihr persönlicher Code"), code)
    phone.keyboard.press("Enter")
    expect(phone.locator("#dots-left")).to_contain_text("5 Punkte übrig")
    press(phone, phone.get_by_role("button", name="+ Punkt kleben auf: Mehr Kurzzeitpflegeplätze"))
    expect(phone.locator("#dots-left")).to_contain_text("4 Punkte übrig")
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    assert Ballot.objects.get().dots == 1

    print(f"\nform submissions to the first dot: {len(sent.posts)}")
    assert len(sent.posts) <= BUDGET, sent.posts
    phone_context.close()
    context.close()
