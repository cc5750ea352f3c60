"""The clustering wall on a desktop: goals side by side, cards dragged between them, the sums
and the priority badge follow at once; the select box stays for the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from klebepunkt.processes import models
from klebepunkt.samples import load_sample
from tests.e2e.conftest import assert_accessible, assert_fits_the_screen, login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def koblenz(transactional_db):
    from klebepunkt.processes.services import import_process

    user = UserFactory(username="moderation")
    return import_process(record=load_sample("koblenz-2017"), user=user)


def goal_column(page, name):
    return page.locator("article.goal").filter(
        has=page.get_by_role("heading", name=re.compile(name))
    )


def test_drag_a_card_from_one_goal_to_another(page, live_server, koblenz):
    pflege = koblenz.theme_fields.get(name="Pflege")
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{koblenz.pk}/board/?field={pflege.pk}")
    source = goal_column(page, "Fachkräfteakquise")
    target = goal_column(page, "Zusammenarbeit von Pflegeheimen")
    expect(source.locator(".goal-points")).to_have_text("6 Punkte")
    expect(target.locator(".goal-points")).to_have_text("2 Punkte")
    expect(target.locator(".badge")).to_have_text("Themenspeicher")
    # goals stand side by side on a desktop: a wall, not a list
    boxes = [
        goal_column(page, name).bounding_box() for name in ("Fachkräfteakquise", "Zusammenarbeit")
    ]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 5 and boxes[1]["x"] > boxes[0]["x"]
    assert_accessible(page)

    card = models.Card.objects.get(theme_field=pflege, text="Fachkräfteakquise")
    page.locator(f"#card-{card.pk}").drag_to(target, target_position={"x": 20, "y": 20})
    expect(target.locator(f"#card-{card.pk}")).to_be_visible()
    expect(target.locator(".goal-points")).to_have_text("5 Punkte")
    expect(target.locator(".badge")).to_have_text("Priorität")
    expect(source.locator(".goal-points")).to_have_text("3 Punkte")
    expect(page.get_by_role("status").filter(has_text="zugeordnet")).to_have_count(1)
    card.refresh_from_db()
    assert card.goal.text.startswith("Die Zusammenarbeit von Pflegeheimen")
    assert_accessible(page)


def test_move_a_placed_card_with_the_keyboard(page, live_server, koblenz):
    pflege = koblenz.theme_fields.get(name="Pflege")
    card = models.Card.objects.get(theme_field=pflege, text="Fachkräfteakquise")
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{koblenz.pk}/board/?field={pflege.pk}")
    move = page.locator(f"#card-{card.pk} summary")
    move.focus()
    page.keyboard.press("Enter")
    select = page.get_by_label("Ziel für „Fachkräfteakquise“")
    select.focus()
    select.select_option(label="– kein Ziel –")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Karten ohne Ziel (1)")).to_be_visible()
    card.refresh_from_db()
    assert card.goal is None


def test_the_wall_on_a_phone_is_one_column(phone, live_server, koblenz):
    login(phone, live_server, "moderation")
    phone.goto(f"{live_server.url}/p/{koblenz.pk}/board/")
    expect(phone.locator("article.goal").first).to_be_visible()
    assert_fits_the_screen(phone)
    assert_accessible(phone)
