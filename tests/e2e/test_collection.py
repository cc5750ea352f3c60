"""The meeting itself: six phones in two groups write 30 cards while the wall and the projector
fill; a phone that is offline keeps its card and sends it later; the facilitator decides by
keyboard alone; the round that follows holds exactly the accepted cards."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from klebepunkt.collection import services
from klebepunkt.collection.models import CardState, CollectedCard
from klebepunkt.processes.models import Card, Member
from klebepunkt.samples import load_sample
from klebepunkt.voting import codes
from klebepunkt.voting import selectors as voting_selectors
from klebepunkt.voting import services as voting_services
from tests.e2e.conftest import (
    assert_accessible,
    assert_fits_the_screen,
    login,
    own_page,
    save_screenshot,
    tab_to,
)
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONES = 6
CARDS_PER_PHONE = 5
THEMES = ["Schulweg", "Quartierstreff", "Ehrenamt", "Sprachkurs", "Nachbarschaft", "Radweg"]
VERBS = ["ausbauen", "fördern", "sichern", "verbessern", "bekannt machen"]


@pytest.fixture
def collection(transactional_db):
    from klebepunkt.processes.services import import_process

    user = UserFactory(username="moderation")
    process = import_process(record=load_sample("koblenz-2017"), user=user)
    meeting = MeetingFactory(process=process)
    fields = [process.theme_fields.get(name="Wohnen"), process.theme_fields.get(name="Bildung")]
    return services.open_collection(
        meeting=meeting, question="Was wollen wir erreichen?", theme_fields=fields
    )


def join(phone, base: str, code: str, field: str) -> None:
    phone.goto(f"{base}/v/")
    phone.get_by_label("Ihr persönlicher Code").fill(codes.format_code(code))
    phone.get_by_role("button", name="Teilnehmen").tap()
    phone.get_by_role("link", name=field).tap()
    expect(phone.get_by_role("heading", name=f"Neue Karte in „{field}“")).to_be_visible()


def write(phone, text: str, indicator: str = "") -> None:
    phone.get_by_label("Handlungsempfehlung").fill(text)
    if indicator:
        phone.get_by_label("Indikator").fill(indicator)
    phone.get_by_role("button", name="Karte an die Wand").tap()


def named(action: str, text: str) -> re.Pattern:
    """A button's accessible name: the action, then the card's text (read out after a colon)."""
    return re.compile(rf"^{action}\s*:\s*{re.escape(text)}$")


def test_a_meeting_writes_its_cards_on_phones_and_votes_on_the_accepted(
    browser, live_server, collection
):
    base = live_server.url
    process = collection.meeting.process
    participants = list(
        collection.meeting.participants.select_related("member").order_by("member__position", "id")
    )
    assert any(not p.member.voting for p in participants)
    writers = [p for p in participants if not p.member.voting][:1] + [
        p for p in participants if p.member.voting
    ][: PHONES - 1]  # an expert without voting right writes too

    wall_context, wall = own_page(browser)
    login(wall, live_server, "moderation")
    wall.goto(f"{base}/p/{process.pk}/collections/{collection.pk}/")
    projector_context, projector = own_page(browser)
    projector.goto(f"{base}/k/wall/{collection.wall_token}/")
    assert_accessible(projector)

    phones = []
    try:
        for index, participant in enumerate(writers):
            context, phone = own_page(browser, "phone")
            phones.append((context, phone))
            join(phone, base, participant.code, "Wohnen" if index < 3 else "Bildung")
        first = phones[0][1]
        assert_fits_the_screen(first)
        assert_accessible(first)

        # while typing, look-alike cards already there are shown
        first.get_by_label("Handlungsempfehlung").fill("Mehr Wohnraum für Studierende schaffen")
        expect(first.locator("#similar")).to_contain_text("Wohnraum für Studierende")
        first.get_by_label("Handlungsempfehlung").fill("")

        # six phones, two groups, 30 cards, in turns
        for round_ in range(CARDS_PER_PHONE):
            for index, (_context, phone) in enumerate(phones):
                write(
                    phone,
                    f"{THEMES[index]} {VERBS[round_]} (Karte {index + 1}.{round_ + 1})",
                    indicator="Zahl der Teilnehmenden" if round_ == 0 else "",
                )
                expect(phone.locator(".messages")).to_contain_text("Ihre Karte hängt an der Wand")
        expect(wall.locator("#wall .collected-card")).to_have_count(30)
        expect(projector.locator(".collected-card")).to_have_count(30)
        expect(phones[0][1].locator("#group-heading")).to_contain_text("(15)")  # the group, live
        group_name = writers[1].member.stakeholder_group.name
        expect(projector.locator("main")).to_contain_text(group_name)
        for participant in writers:
            expect(projector.locator("main")).not_to_contain_text(participant.member.name)
        assert_accessible(projector)  # with its cards
        assert_accessible(wall)
        save_screenshot(first, "collection-phone-375")
        save_screenshot(wall, "collection-wall-1280")
        save_screenshot(projector, "collection-projector-1280")

        # offline: the card waits on the phone and arrives when the connection returns
        offline_context, offline = phones[4]
        offline_context.set_offline(True)
        write(offline, "Offline geschriebene Karte: Lernpaten gewinnen")
        expect(offline.locator("#outbox-status")).to_contain_text("offline")
        assert not CollectedCard.objects.filter(text__startswith="Offline").exists()
        offline_context.set_offline(False)
        expect(wall.locator("#wall")).to_contain_text("Lernpaten gewinnen")
        expect(offline.locator("#outbox-status")).to_contain_text("gesendet")
        assert CollectedCard.objects.filter(text__startswith="Offline").count() == 1

        # the facilitator decides, with the keyboard only
        wall.reload()
        assert_accessible(wall)
        to_accept = ["Schulweg ausbauen (Karte 1.1)", "Ehrenamt ausbauen (Karte 3.1)"]
        for text in to_accept:
            button = wall.get_by_role("button", name=named("Übernehmen", text))
            tab_to(wall, button, presses=600)
            wall.keyboard.press("Enter")
            expect(wall.locator(".messages")).to_contain_text("Karte übernommen")
        # merge a look-alike into an accepted card
        merge = wall.locator("#merge-" + str(card_id("Schulweg fördern (Karte 1.2)")))
        tab_to(wall, merge, presses=600)
        wall.keyboard.press("Enter")
        wall.keyboard.press("Tab")  # the select: its first option is the first card, accepted
        expect(wall.locator(f"#target-{card_id('Schulweg fördern (Karte 1.2)')}")).to_be_focused()
        wall.keyboard.press("Tab")
        wall.keyboard.press("Enter")
        expect(wall.locator(".messages")).to_contain_text("Karte zusammengeführt")
        # send one back with a reason
        back = wall.locator("#back-" + str(card_id("Quartierstreff sichern (Karte 2.3)")))
        tab_to(wall, back, presses=600)
        wall.keyboard.press("Enter")
        wall.keyboard.press("Tab")
        wall.keyboard.type("Bitte konkreter: welcher Stadtteil?")
        wall.keyboard.press("Enter")
        expect(wall.locator(".messages")).to_contain_text("zurückgegeben")
        sent_back = CollectedCard.objects.get(text="Quartierstreff sichern (Karte 2.3)")
        assert sent_back.state == CardState.SENT_BACK
        assert sent_back.reason == "Bitte konkreter: welcher Stadtteil?"
        merged = CollectedCard.objects.get(text="Schulweg fördern (Karte 1.2)")
        assert merged.state == CardState.MERGED
        # a member of the group supports a card on the wall instead of writing a look-alike
        supporter = phones[1][1]
        supporter.reload()
        supporter.get_by_role(
            "button", name=named("Unterstützen", "Ehrenamt ausbauen (Karte 3.1)")
        ).tap()
        expect(supporter.locator(".messages")).to_contain_text("Sie unterstützen diese Karte")
        expect(wall.locator("#wall")).to_contain_text("1 Person hat es unterstützt")

        # a paper card typed in at the wall, accepted too
        wall.get_by_label("Handlungsempfehlung").fill("Von der Pinnwand: Elterncafé einrichten")
        wall.get_by_role("button", name="Papierkarte hinzufügen").click()
        expect(wall.locator(".messages")).to_contain_text("Papierkarte hinzugefügt")
        wall.get_by_role(
            "button", name=named("Übernehmen", "Von der Pinnwand: Elterncafé einrichten")
        ).click()
        expect(wall.locator(".messages")).to_contain_text("Karte übernommen")

        # close, and straight into the vote over exactly the accepted cards
        wall.get_by_role("button", name="Kartenabfrage schließen").click()
        expect(wall.locator(".messages")).to_contain_text("geschlossen")
        write_refused = phones[2][1]
        write_refused.reload()
        expect(write_refused.locator("main")).to_contain_text("Kartenabfrage ist geschlossen")
        save_screenshot(wall, "collection-wall-closed-1280")
        wall.get_by_role("button", name="Runde vorbereiten").click()
        expect(wall.get_by_role("heading", level=1)).to_contain_text("Punktabfrage")
        collection.refresh_from_db()
        voting_round = collection.voting_round
        accepted = set(
            Card.objects.filter(
                collected_as__collection=collection, collected_as__state=CardState.ACCEPTED
            ).values_list("pk", flat=True)
        )
        assert len(accepted) == 3
        assert set(voting_selectors.round_cards(voting_round).values_list("pk", flat=True)) == (
            accepted
        )
        voting_services.open_round(voting_round=voting_round)
        voter_phone = phones[1][1]  # a member with a voting right: the same join carries on
        voter_phone.goto(f"{base}/k/")
        voter_phone.get_by_role("button", name="Zur Punktabfrage").tap()
        expect(voter_phone.locator("article.ballot-card")).to_have_count(3)
        expert_phone = phones[0][1]  # no voting right: no dots
        expert_phone.goto(f"{base}/k/")
        expect(expert_phone.get_by_role("button", name="Zur Punktabfrage")).to_have_count(0)
        assert not Member.objects.get(pk=writers[0].member_id).voting
    finally:
        for context, _phone in phones:
            context.close()
        wall_context.close()
        projector_context.close()


def card_id(text: str) -> int:
    return CollectedCard.objects.get(text=text).pk


def test_phone_and_wall_fit_a_375_px_screen(browser, live_server, collection):
    participant = collection.meeting.participants.order_by("id").first()
    services.submit_card(
        collection=collection,
        author=participant,
        theme_field_id=collection.theme_fields.get(name="Wohnen").pk,
        fields=services.CardFields(
            text="Bezahlbaren Wohnraum für junge Familien schaffen",
            goal_text="Familien bleiben in der Stadt",
            indicator="Zahl der geförderten Wohnungen",
            responsible="Amt für Wohnungswesen",
        ),
        idempotency_key="fits",
    )
    context, phone = own_page(browser, "phone")
    try:
        login(phone, live_server, "moderation")
        phone.goto(
            f"{live_server.url}/p/{collection.meeting.process_id}/collections/{collection.pk}/"
        )
        assert_fits_the_screen(phone)
        assert_accessible(phone)
        save_screenshot(phone, "collection-wall-375")
        phone.goto(
            f"{live_server.url}/p/{collection.meeting.process_id}/meetings/"
            f"{collection.meeting_id}/collections/"
        )
        assert_accessible(phone)
        save_screenshot(phone, "collection-open-375")
        phone.goto(
            f"{live_server.url}/p/{collection.meeting.process_id}/collections/"
            f"{collection.pk}/codes/"
        )
        assert_accessible(phone)
        save_screenshot(phone, "collection-codes-375")
    finally:
        context.close()
