"""The public page: switched on by the facilitator, read-only, without member names or contacts."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from klebepunkt.monitoring import services
from klebepunkt.processes.services import (
    ProcessSettings,
    create_member,
    create_stakeholder_group,
    update_process,
)
from tests.factories import UserFactory
from tests.monitoring.conftest import FACHKRAEFTE, IMAGEKAMPAGNE, at

pytestmark = pytest.mark.django_db


def public_url(process) -> str:
    return reverse("monitoring:public", args=[process.pk])


def test_public_page_is_404_until_switched_on(koblenz, client, facilitator_client):
    assert client.get(public_url(koblenz)).status_code == 404
    assert facilitator_client.get(public_url(koblenz)).status_code == 404
    settings = reverse("processes:settings", args=[koblenz.pk])
    form = {
        "title": koblenz.title,
        "body": koblenz.body,
        "year": koblenz.year,
        "description": koblenz.description,
        "dots_per_voter": 8,
        "goal_threshold": 3,
        "aggregation": "sum",
        "is_public": "on",
    }
    assert facilitator_client.post(settings, form).status_code == 302
    assert client.get(public_url(koblenz)).status_code == 200
    assert public_url(koblenz) in facilitator_client.get(settings).content.decode()
    form.pop("is_public")
    facilitator_client.post(settings, form)
    assert client.get(public_url(koblenz)).status_code == 404


def test_unknown_process_is_404(client):
    assert client.get(reverse("monitoring:public", args=[999999])).status_code == 404


@pytest.fixture
def published(koblenz, goal, campaign, facilitator):
    update_process(
        process=koblenz,
        settings=replace(ProcessSettings.of(koblenz), is_public=True),
        by=facilitator,
    )
    services.record_status(
        process=koblenz,
        goal=goal,
        user=UserFactory(username="sachbearbeitung.mueller"),
        fields=services.StatusFields(
            status="in_progress",
            due_date=date(2026, 12, 31),
            contact="Frau Müller, 0261 129-0, mueller@stadt.example",
            comment="Intern: Rücksprache mit Herrn Schmidt",
        ),
        at=at(2025, 9, 15),
    )
    indicator = services.create_indicator(
        process=koblenz,
        card=campaign,
        fields=services.IndicatorFields(
            name="Bewerbungen",
            unit="Bewerbungen",
            baseline_value=Decimal(120),
            baseline_date=date(2024, 1, 1),
            target_value=Decimal(180),
            target_date=date(2026, 12, 31),
        ),
    )
    services.record_measurement(
        indicator=indicator, day=date(2025, 6, 30), value=Decimal(146), user=facilitator
    )
    return koblenz


def test_public_page_shows_priorities_monitoring_and_topic_store(
    published, client, koblenz_expected
):
    page = unescape(client.get(public_url(published)).content.decode())
    for _field, goal, _points in koblenz_expected["teil_ii"]:
        assert goal in page
    assert IMAGEKAMPAGNE in page
    assert "Duales System Pflege" in page  # topic store
    assert "kein Punkt" in page  # the reason an entry is in the topic store …
    assert f"Ziel unter der Schwelle (2 von {published.goal_threshold})" in page  # … with points
    assert "31.12.2026" in page  # due date
    assert "<svg" in page  # the indicator's chart …
    assert "Bewerbungen: " in page  # … with its text alternative
    assert "<form" not in page.split('id="main"')[1]  # read-only: no form in the content


def test_public_page_has_no_member_name_contact_comment_or_user(published, client):
    group = create_stakeholder_group(process=published, name="Bürgerschaft")
    create_member(
        process=published,
        name="Erika Mustermann",
        stakeholder_group=group,
        contact="erika.mustermann@example.org",
    )
    html = client.get(public_url(published)).content.decode()
    for secret in (
        "Erika Mustermann",
        "erika.mustermann@example.org",
        "Frau Müller",
        "mueller@stadt.example",
        "Herrn Schmidt",
        "sachbearbeitung.mueller",
        "moderation",
        "Bürgerschaft",
    ):
        assert secret not in unescape(html), secret


def test_public_page_has_none_of_the_koblenz_member_names(published, client):
    """The sample's members are named by role; "Sozialplanung" is also in the process's own
    title, which the page shows on purpose: names are looked for outside the title texts."""
    html = unescape(client.get(public_url(published)).content.decode())
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    for text in (published.title, published.body, published.description):
        main = main.replace(text, "")
    names = list(published.members.values_list("name", flat=True))
    assert len(names) == 22
    for name in names:
        assert not re.search(rf"\b{re.escape(name)}\b", main), name


def test_public_page_links_nothing_that_needs_a_login(published, client):
    html = client.get(public_url(published)).content.decode()
    assert f"/p/{published.pk}/" not in html
    assert FACHKRAEFTE in unescape(html)
