"""The topic store across processes: search (SQLite and PostgreSQL), filters, access, taking over."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from klebepunkt.monitoring import selectors
from klebepunkt.processes.models import Card, Role
from klebepunkt.processes.services import create_process, import_process
from klebepunkt.samples import load_sample
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

STRENGTHEN = "Die Regionale Pflegekonferenz stärken"
CULTURE = '"Kultursensible Pflege in Pflegeheimen" wird als Thema in der Regionalen Pflegekonferenz aufgegriffen'


def texts(archive) -> list[str]:
    return [entry.text for entry in archive.entries]


def test_archive_holds_every_topic_store_entry(koblenz, facilitator):
    archive = selectors.archive_for(facilitator)
    assert len(archive.entries) == 51
    assert archive.years == (2017,)
    assert archive.theme_fields == ("Bildung", "Pflege", "Soziale Belastung", "Wohnen")


@pytest.mark.parametrize(
    "query",
    ["Pflegekonferenz", "pflegekonferenzen", "Regionale Pflegekonferenz", "Pflegekonfernz"],
)
def test_search_finds_inflected_compound_and_misspelt_words(koblenz, facilitator, query):
    found = texts(selectors.archive_for(facilitator, query=query))
    assert STRENGTHEN in found  # in its text and its responsible body
    assert CULTURE in found
    assert "Duales System Pflege" not in found


def test_search_over_indicator_and_responsible_body(koblenz, facilitator):
    # only the indicator mentions the Tagesordnung
    assert set(texts(selectors.archive_for(facilitator, query="Tagesordnung"))) == {
        STRENGTHEN,
        CULTURE,
    }
    by_body = texts(selectors.archive_for(facilitator, query="Verkehrsverbund"))
    assert by_body == [
        "ÖPNV attraktiver gestalten und Kriterien wie Alterszusammensetzung und soziale "
        "Belastung im Stadtteil für Ausbau/Abbau von Haltestellen berücksichtigen"
    ]


def test_search_with_umlauts_either_way(koblenz, facilitator):
    with_umlaut = texts(selectors.archive_for(facilitator, query="Gebärdensprache"))
    spelt_out = texts(selectors.archive_for(facilitator, query="Gebaerdensprache"))
    assert with_umlaut == spelt_out
    assert len(with_umlaut) == 1


def test_filters_by_theme_field_year_and_process(koblenz, facilitator):
    later = create_process(title="Sozialplanung 2026", user=facilitator, year=2026)
    Card.objects.create(
        theme_field=later.theme_fields.create(name="Pflege", position=1),
        text="Pflegestützpunkt im Stadtteil",
    )
    assert len(selectors.archive_for(facilitator).entries) == 52
    # Pflege: 10 cards without a dot, 6 of goals below the threshold, and the new card
    assert len(selectors.archive_for(facilitator, theme_field="pflege").entries) == 10 + 6 + 1
    assert texts(selectors.archive_for(facilitator, year=2026)) == ["Pflegestützpunkt im Stadtteil"]
    assert len(selectors.archive_for(facilitator, process_id=koblenz.pk).entries) == 51
    assert texts(selectors.archive_for(facilitator, query="Pflege Stadtteil", year=2026)) == [
        "Pflegestützpunkt im Stadtteil"
    ]


def test_archive_shows_only_processes_the_user_may_see(koblenz, facilitator):
    stranger = UserFactory(username="nachbarstadt")
    own = import_process(record=load_sample("koblenz-2017"), user=stranger)
    assert {e.process.pk for e in selectors.archive_for(stranger).entries} == {own.pk}
    observer = UserFactory(username="beobachtung")
    RoleFactory(process=koblenz, user=observer, role=Role.OBSERVER)
    archive = selectors.archive_for(observer)
    assert {e.process.pk for e in archive.entries} == {koblenz.pk}
    assert archive.changeable == frozenset()


def test_archive_page_search_and_partial(koblenz, facilitator_client):
    url = reverse("monitoring:archive")
    page = facilitator_client.get(url, {"q": "Pflegekonferenz"}).content.decode()
    assert STRENGTHEN in page
    assert "Duales System Pflege" not in page
    assert "2 Punkte; Ziel unter der Schwelle (2 von 3)" in page  # the reason, from the domain
    partial = facilitator_client.get(
        url, {"q": "Pflegekonferenz"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert STRENGTHEN in partial
    assert "<html" not in partial


def test_archive_needs_a_login(client):
    for url in (reverse("monitoring:archive"), reverse("monitoring:archive_take")):
        response = client.get(url)
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("monitoring:archive_take"), {"card": 1, "target": 1})
    assert response["Location"].startswith(reverse("login"))


# --- taking an entry into a new process --------------------------------------------------------


@pytest.fixture
def target(facilitator):
    return create_process(title="Sozialplanung 2026", user=facilitator, year=2026)


def source_card(koblenz) -> Card:
    return Card.objects.get(theme_field__process=koblenz, text=STRENGTHEN)


def take(client, card, target):
    return client.post(
        reverse("monitoring:archive_take"),
        {"card": card.pk, "target": target.pk, "next": "/topic-store/?q=Pflege"},
    )


def test_taking_an_entry_shows_its_provenance_on_both_sides(
    koblenz, target, facilitator_client, facilitator
):
    card = source_card(koblenz)
    response = take(facilitator_client, card, target)
    assert response["Location"] == "/topic-store/?q=Pflege"
    new = Card.objects.get(theme_field__process=target)
    archive = selectors.archive_for(facilitator, query="Pflegekonferenz stärken")
    by_process = {e.process.pk: e for e in archive.entries}
    source_side, target_side = by_process[koblenz.pk], by_process[target.pk]
    assert [(t.process_title, t.card_id) for t in source_side.taken_into] == [
        (target.title, new.pk)
    ]
    assert target_side.came_from.source_process_title == koblenz.title
    assert (target_side.came_from.source_year, target_side.came_from.original_points) == (2017, 2)
    page = facilitator_client.get(reverse("monitoring:archive"), {"q": "Pflegekonferenz stärken"})
    html = page.content.decode()
    assert target.title in html
    assert koblenz.title in html


def test_taking_needs_sight_of_the_source_and_change_of_the_target(koblenz, target):
    card = source_card(koblenz)
    stranger = UserFactory(username="nachbarstadt")
    RoleFactory(process=target, user=stranger, role=Role.FACILITATOR)
    client = Client()
    client.force_login(stranger)
    assert take(client, card, target).status_code == 404  # cannot see the source
    observer = UserFactory(username="beobachtung")
    RoleFactory(process=koblenz, user=observer, role=Role.OBSERVER)
    RoleFactory(process=target, user=observer, role=Role.OBSERVER)
    client.force_login(observer)
    assert take(client, card, target).status_code == 403  # sees the target, may not change it
    outsider = UserFactory(username="aussen")
    RoleFactory(process=koblenz, user=outsider, role=Role.FACILITATOR)
    client.force_login(outsider)
    assert take(client, card, target).status_code == 404  # cannot see the target
    assert not Card.objects.filter(theme_field__process=target).exists()


def test_taking_a_card_twice_is_refused_politely(koblenz, target, facilitator_client):
    card = source_card(koblenz)
    take(facilitator_client, card, target)
    response = take(facilitator_client, card, target)
    assert response.status_code == 302
    assert Card.objects.filter(theme_field__process=target).count() == 1


def test_the_new_card_shows_its_provenance_among_the_cards(koblenz, target, facilitator_client):
    take(facilitator_client, source_card(koblenz), target)
    html = facilitator_client.get(reverse("processes:cards", args=[target.pk])).content.decode()
    assert STRENGTHEN in html
    assert koblenz.title in html
    assert "(2017)" in html
