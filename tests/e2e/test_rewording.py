"""Working out a priority in a real browser: keyboard only, the difference word by word,
desktop and phone (375 px), axe-clean."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from klebepunkt.processes.models import ChangeRecord, Goal
from klebepunkt.processes.selectors import evaluate_process
from klebepunkt.processes.services import import_process
from klebepunkt.samples import load_sample
from tests.e2e.conftest import assert_accessible, assert_fits_the_screen, login, save_screenshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def de(msgid: str) -> str:
    with translation.override("de"):
        return translation.gettext(msgid)


@pytest.fixture
def koblenz(transactional_db):
    user = UserFactory(username="moderation")
    return import_process(record=load_sample("koblenz-2017"), user=user)


def first_goal(process) -> Goal:
    return Goal.objects.get(pk=int(evaluate_process(process).priorities[0].goal.id))


def test_rewording_a_priority_with_the_keyboard_shows_the_difference(page, live_server, koblenz):
    goal = first_goal(koblenz)
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{koblenz.pk}/decisions/")
    link = page.get_by_role("link", name=de("Working out and history")).first
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(de("Working out"))
    assert_accessible(page)
    field = page.get_by_label(de("goal").capitalize(), exact=True)
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Es werden mehr Menschen für Pflegeberufe gewonnen (bis 2025)")
    button = page.get_by_role("button", name=de("Save the wording"))
    button.focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text(de("Wording saved; the change is kept in the history."))
    ).to_be_visible()
    diff = page.locator(".word-diff").first
    expect(diff.locator("ins").first).to_contain_text("mehr")
    expect(diff.locator("del")).to_contain_text("(Fachkräfteakquise)")
    expect(diff.locator("ins .visually-hidden").first).to_have_text(f"{de('inserted:')} ")
    assert_accessible(page)
    save_screenshot(page, "rewording-1280")
    record = ChangeRecord.objects.get(kind="reworded")
    assert record.goal_id == goal.pk and record.actor_name == "moderation"


def test_the_working_out_page_on_a_phone(phone, live_server, koblenz):
    goal = first_goal(koblenz)
    from klebepunkt.processes.services import reword_priority

    card = goal.cards.exclude(text="").first()
    reword_priority(
        goal=goal,
        goal_text=goal.text + " " + "sehr langes Wort" * 30,
        cards={card.pk: {"responsible": "Amt für Jugend, Familie, Senioren und Soziales"}},
        by=None,
    )
    login(phone, live_server, "moderation")
    phone.goto(f"{live_server.url}/p/{koblenz.pk}/priorities/{goal.pk}/working-out/")
    expect(phone.locator(".word-diff ins").first).to_be_visible()
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    save_screenshot(phone, "rewording-375")
