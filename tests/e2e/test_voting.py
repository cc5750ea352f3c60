"""A member votes on a 375 px phone by touch and by keyboard; the projector follows by itself."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from klebepunkt.processes.models import Card
from klebepunkt.samples import load_sample
from klebepunkt.voting import codes, services
from klebepunkt.voting.models import Ballot
from tests.e2e.conftest import assert_accessible, assert_fits_the_screen, login, tab_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_round(transactional_db):
    from klebepunkt.processes.services import import_process

    user = UserFactory(username="moderation")
    process = import_process(record=load_sample("koblenz-2017"), user=user)
    Card.objects.filter(theme_field__process=process).update(dots=0)
    wohnen = process.theme_fields.get(name="Wohnen")
    voting_round = services.create_round(
        process=process, title="Punktabfrage Wohnen", theme_field=wohnen, cap_per_card=2
    )
    return services.open_round(voting_round=voting_round)


def card_article(page, text):
    return page.locator("article.ballot-card").filter(has=page.get_by_text(text, exact=True))


def test_phone_voter_places_moves_and_takes_back_dots(phone, live_server, open_round):
    voter = open_round.voters.order_by("id").first()
    phone.goto(f"{live_server.url}/v/")
    assert_accessible(phone)
    phone.get_by_label("Ihr persönlicher Code").fill(codes.format_code(voter.code).lower())
    phone.get_by_role("button", name="Teilnehmen").tap()
    expect(phone.get_by_role("heading", name="Punktabfrage Wohnen")).to_be_visible()
    expect(phone.locator("#dots-left")).to_contain_text("8 Punkte übrig")
    assert_fits_the_screen(phone)
    assert_accessible(phone)

    gardening = card_article(phone, "Urban Gardening-Projekte werden unterstützt")
    gardening.get_by_role("button", name=re.compile("Punkt kleben auf")).tap()
    expect(gardening).to_contain_text("Ihre Punkte hier: 1")
    expect(phone.locator("#dots-left")).to_contain_text("7 Punkte übrig")
    expect(phone.locator("#voter-status")).to_contain_text("Punkt geklebt")
    gardening.get_by_role("button", name=re.compile("Punkt kleben auf")).tap()
    gardening.get_by_role("button", name=re.compile("Punkt kleben auf")).tap()
    expect(phone.locator("#voter-status")).to_contain_text("so viele Punkte")  # the cap of 2
    expect(gardening).to_contain_text("Ihre Punkte hier: 2")

    # move one dot: take it back here, place it on another card
    gardening.get_by_role("button", name=re.compile("Punkt zurücknehmen von")).tap()
    students = card_article(phone, "Wohnraum für Studierende")
    students.get_by_role("button", name=re.compile("Punkt kleben auf")).tap()
    expect(students).to_contain_text("Ihre Punkte hier: 1")
    expect(phone.locator("#dots-left")).to_contain_text("6 Punkte übrig")
    assert_accessible(phone)
    held = dict(Ballot.objects.filter(voter=voter).values_list("card__text", "dots"))
    assert held == {"Urban Gardening-Projekte werden unterstützt": 1, "Wohnraum für Studierende": 1}


def test_keyboard_voter(page, live_server, open_round):
    voter = open_round.voters.order_by("id").first()
    page.goto(f"{live_server.url}/v/c/{voter.code}/")
    page.get_by_role("button", name="Teilnehmen").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#dots-left")).to_contain_text("8 Punkte übrig")
    add = page.get_by_role("button", name="+ Punkt kleben auf: Wohnraum für Studierende")
    tab_to(page, add, presses=60)
    page.keyboard.press("Enter")
    expect(page.locator("#voter-status")).to_contain_text("Noch 7 von 8")
    expect(add).to_be_focused()  # the focus stays on the button after the update
    page.keyboard.press("Enter")
    expect(page.locator("#dots-left")).to_contain_text("6 Punkte übrig")
    expect(add).to_be_focused()
    page.keyboard.press("Shift+Tab")  # the − button of the same card
    expect(
        page.get_by_role("button", name="− Punkt zurücknehmen von: Wohnraum für Studierende")
    ).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#dots-left")).to_contain_text("7 Punkte übrig")
    assert Ballot.objects.get(voter=voter, card__text="Wohnraum für Studierende").dots == 1


def test_projector_updates_by_itself(page, browser, live_server, open_round):
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{open_round.process_id}/rounds/{open_round.pk}/projector/")
    expect(page.locator(".projector-figures")).to_contain_text("0 von 19 Mitgliedern")
    assert_accessible(page)
    voter = open_round.voters.order_by("id").first()
    card = Card.objects.get(theme_field=open_round.theme_field, text="Wohnraum für Studierende")
    services.place_dot(voter_id=voter.pk, card_id=card.pk)
    expect(page.locator(".projector-figures")).to_contain_text("1 von 19 Mitgliedern", timeout=2500)
    expect(page.locator(".projector-figures")).to_contain_text("1 von 152 Punkten")
    expect(page.locator(".projector-results")).to_have_count(0)  # hidden until revealed
    services.close_round(voting_round=open_round)
    services.reveal_round(voting_round=open_round)
    expect(page.locator(".projector-results li")).to_have_count(1, timeout=2500)
    expect(page.locator(".projector-results")).to_contain_text("Wohnraum für Studierende")


def test_facilitator_round_pages_are_accessible(page, live_server, open_round):
    login(page, live_server, "moderation")
    base = f"{live_server.url}/p/{open_round.process_id}"
    for path in ["/rounds/", f"/rounds/{open_round.pk}/", f"/rounds/{open_round.pk}/verify/"]:
        page.goto(base + path)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
    page.goto(f"{base}/rounds/{open_round.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Codebogen (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_self_pickup_on_a_phone(phone, live_server, open_round):
    phone.goto(f"{live_server.url}/v/")
    phone.get_by_label("Rundencode").fill(open_round.short_code)
    phone.get_by_role("button", name="Weiter").tap()
    expect(phone.get_by_role("heading", name="Punktabfrage Wohnen")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("Seniorenbeirat").check()
    phone.get_by_role("button", name="Meinen Code abholen").tap()
    expect(phone.get_by_role("heading", name="Ihr persönlicher Code")).to_be_visible()
    code = phone.locator(".code-display").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", code)
    phone.get_by_role("link", name="Zur Abstimmung").tap()
    expect(phone.locator("#dots-left")).to_contain_text("8 Punkte übrig")


ACCENT = "rgb(154, 52, 18)"


def test_on_a_phone_the_dots_left_stay_slim_and_plus_greys_out_when_all_are_spent(
    phone, live_server, open_round
):
    voter = open_round.voters.order_by("id").first()
    phone.goto(f"{live_server.url}/v/c/{voter.code}/")
    phone.get_by_role("button", name="Teilnehmen").tap()
    box = phone.locator("#dots-left-box")
    plus = phone.get_by_role("button", name=re.compile("Punkt kleben auf"))
    assert plus.first.evaluate("b => getComputedStyle(b).backgroundColor") == ACCENT
    cards = phone.locator("article.ballot-card")
    for n in range(8):  # the cap is 2: two dots on each of four cards
        cards.nth(n // 2).get_by_role("button", name=re.compile("Punkt kleben auf")).tap()
        expect(phone.locator("#dots-left")).to_contain_text(f"{7 - n} Punkt")
    phone.mouse.wheel(0, 900)
    height = box.evaluate("b => b.getBoundingClientRect().height")
    assert height <= 0.1 * 812, f"the sticky box takes {height}px of an 812px screen"
    colours = plus.evaluate_all("bs => bs.map(b => getComputedStyle(b).backgroundColor)")
    assert ACCENT not in colours  # every "+" looks disabled once no dot is left
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    phone.reload()  # the same after a reload (rendered by the server, not the click)
    colours = plus.evaluate_all("bs => bs.map(b => getComputedStyle(b).backgroundColor)")
    assert ACCENT not in colours


def test_closing_by_keyboard_asks_first_and_the_latecomer_is_told(
    page, browser, live_server, open_round
):
    login(page, live_server, "moderation")
    base = f"{live_server.url}/p/{open_round.process_id}/rounds/{open_round.pk}"
    projector = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
    projector.goto(f"{live_server.url}/projector/{open_round.projector_token}/")
    expect(projector.locator(".projector-join")).to_contain_text(open_round.short_code)

    page.goto(base + "/")
    close = page.get_by_role("link", name="Runde schließen …")
    close.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Runde schließen?")).to_be_visible()
    assert_accessible(page)
    open_round.refresh_from_db()
    assert open_round.state == "open"
    page.get_by_role("button", name="Ja, Runde schließen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Die Runde ist geschlossen: Es kann nichts mehr")).to_be_visible()
    open_round.refresh_from_db()
    assert open_round.state == "closed"
    # the projector stops inviting without a reload
    expect(projector.locator(".projector-join")).to_have_count(0, timeout=2500)
    expect(projector.locator(".projector-hint")).to_contain_text("Die Runde ist geschlossen")
    projector.close()

    latecomer = browser.new_page(viewport={"width": 375, "height": 812}, locale="de-DE")
    latecomer.goto(f"{live_server.url}/v/r/{open_round.short_code}/")
    expect(latecomer.get_by_role("heading", name="Die Runde ist geschlossen")).to_be_visible()
    expect(latecomer.get_by_role("link", name="Neuen Code eingeben")).to_be_visible()
    assert_fits_the_screen(latecomer)
    assert_accessible(latecomer)
    latecomer.close()


def test_the_round_and_its_close_question_fit_a_phone(phone, live_server, open_round):
    login(phone, live_server, "moderation")
    base = f"{live_server.url}/p/{open_round.process_id}/rounds/{open_round.pk}"
    for path in ("/", "/close/"):
        phone.goto(base + path)
        expect(phone.locator("h1")).to_be_visible()
        assert_fits_the_screen(phone)  # the long projector link wraps
        assert_accessible(phone)
