"""The facilitator mails the invitations by keyboard alone, on a desktop and a 375 px phone;
a real SMTP server on loopback receives them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from klebepunkt.processes.models import Member
from klebepunkt.samples import load_sample
from klebepunkt.voting import services
from tests.e2e.conftest import (
    PHONE,
    assert_accessible,
    assert_fits_the_screen,
    login,
    save_screenshot,
)
from tests.factories import UserFactory
from tests.voting.test_invitations import mailbox  # noqa: F401  (the SMTP server fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def prepared_round(transactional_db):
    from klebepunkt.processes.services import import_process

    user = UserFactory(username="moderation")
    process = import_process(record=load_sample("koblenz-2017"), user=user)
    for index, member in enumerate(Member.objects.filter(process=process, voting=True)[:2]):
        member.contact = f"mitglied{index}@koblenz.example"
        member.save()
    return services.create_round(process=process, title="Punktabfrage Wohnen")


def test_invitations_by_keyboard_on_desktop_and_phone(page, live_server, prepared_round, mailbox):  # noqa: F811
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{prepared_round.process_id}/rounds/{prepared_round.pk}/")
    link = page.get_by_role("link", name="Einladungen per E-Mail")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Einladungen per E-Mail")
    assert_accessible(page)
    save_screenshot(page, "invitations-desktop")

    page.get_by_label("Sitzung, die in der E-Mail genannt wird (Datum und Ort)").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="2 Einladungen verschicken")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("2 Einladungen verschickt")
    assert sorted(message["To"] for message in mailbox.messages) == [
        "mitglied0@koblenz.example",
        "mitglied1@koblenz.example",
    ]
    expect(page.get_by_role("cell", name="verschickt am", exact=False)).to_have_count(2)
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    page.reload()
    assert_fits_the_screen(page)
    assert_accessible(page)
    save_screenshot(page, "invitations-phone")
