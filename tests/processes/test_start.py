"""A start that fits the seed: rules and the seed's composition on the "new process" form,
and a new member taking the voting right of their stakeholder group."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from klebepunkt.domain.process import SEED_COMPOSITION
from klebepunkt.processes import models

pytestmark = pytest.mark.django_db


def start_data(**changes: object) -> dict[str, object]:
    """What the browser sends for the form as it is offered, with ``changes``."""
    data: dict[str, object] = {
        "title": "AG Sozialplanung 2027",
        "body": "Sozialausschuss",
        "dots_per_voter": "8",
        "goal_threshold": "3",
        "cap_per_card": "",
        "theme_fields": "Pflege\r\nWohnen\r\n",
    }
    for row, group in enumerate(SEED_COMPOSITION):
        data[f"group-{row}-name"] = group.name
        if group.voting:
            data[f"group-{row}-voting"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_new_process_form_asks_for_the_rules_and_offers_the_seeds_composition(
    facilitator_client,
):
    page = facilitator_client.get(reverse("processes:create")).content.decode()
    for label in ("Punkte je Mitglied", "Schwelle für Ziele", "Obergrenze je Karte", "Auftrag"):
        assert label.lower() in page.lower(), label
    names = re.findall(r'name="group-\d+-name"[^>]*value="([^"]*)"', page)
    assert names == [
        "Politik",
        "Freie Träger",
        "Interessenvertretungen",
        "Verwaltung",
        "Expertinnen und Experten",
    ]
    ticked = re.findall(r'name="group-(\d+)-voting"[^>]*checked', page)
    assert ticked[:3] == ["0", "1", "2"]  # Verwaltung (3) and the experts (4): no vote
    assert "3" not in ticked and "4" not in ticked


def test_a_process_starts_with_its_rules_groups_and_theme_fields(facilitator_client, facilitator):
    response = facilitator_client.post(
        reverse("processes:create"),
        start_data(
            dots_per_voter="5",
            goal_threshold="4",
            cap_per_card="2",
            **{
                "group-2-name": "Beiräte",
                "group-4-name": "",
                "group-5-name": "Bürgerschaft",
                "group-5-voting": "on",
            },
        ),
    )
    process = models.Process.objects.get(title="AG Sozialplanung 2027")
    assert response["Location"] == reverse("processes:detail", args=[process.pk])
    assert (process.dots_per_voter, process.goal_threshold, process.cap_per_card) == (5, 4, 2)
    assert process.body == "Sozialausschuss"
    groups = [(g.name, g.voting) for g in process.stakeholder_groups.order_by("position")]
    assert groups == [
        ("Politik", True),
        ("Freie Träger", True),
        ("Beiräte", True),
        ("Verwaltung", False),
        ("Bürgerschaft", True),
    ]
    assert list(process.theme_fields.values_list("name", flat=True)) == ["Pflege", "Wohnen"]
    assert process.roles.get().user == facilitator


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cap_per_card": "9"}, "cap_per_card", "Obergrenze"),
        ({"dots_per_voter": "0"}, "dots_per_voter", "größer oder gleich 1"),
        ({"group-1-name": "Politik"}, "group-1-name", "gibt es schon"),
        ({"theme_fields": "Pflege\nPflege"}, "theme_fields", "zweimal"),
    ],
)
def test_a_wrong_start_creates_nothing_and_names_the_field(
    facilitator_client, changes, field, message
):
    response = facilitator_client.post(reverse("processes:create"), start_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not models.Process.objects.exists()
    assert not models.StakeholderGroup.objects.exists()


def test_only_a_title_is_needed(facilitator_client):
    facilitator_client.post(reverse("processes:create"), {"title": "Kurz"})
    process = models.Process.objects.get(title="Kurz")
    assert (process.dots_per_voter, process.goal_threshold, process.cap_per_card) == (8, 3, None)


@pytest.mark.parametrize(("group", "voting"), [("Verwaltung", False), ("Politik", True)])
def test_a_new_member_takes_the_voting_right_of_their_group(
    koblenz, facilitator_client, group, voting
):
    add = reverse("processes:member_add", args=[koblenz.pk])
    page = facilitator_client.get(add).content.decode()
    assert not re.search(r'<input[^>]*name="voting"[^>]*checked', page)  # nothing pre-ticked
    assert re.search(r'<option value="" selected>', page)  # "as its stakeholder group"
    stakeholder_group = koblenz.stakeholder_groups.get(name=group)
    response = facilitator_client.post(
        add, {"name": "Neu", "stakeholder_group": stakeholder_group.pk, "voting": ""}
    )
    assert response.status_code == 302
    assert models.Member.objects.get(process=koblenz, name="Neu").voting is voting


def test_the_facilitator_can_still_decide_otherwise(koblenz, facilitator_client):
    verwaltung = koblenz.stakeholder_groups.get(name="Verwaltung")
    facilitator_client.post(
        reverse("processes:member_add", args=[koblenz.pk]),
        {"name": "Gast mit Stimme", "stakeholder_group": verwaltung.pk, "voting": "True"},
    )
    member = models.Member.objects.get(name="Gast mit Stimme")
    assert member.voting is True
    edit = reverse("processes:member_edit", args=[koblenz.pk, member.pk])
    assert re.search(
        r'<option value="True" selected>', facilitator_client.get(edit).content.decode()
    )
    facilitator_client.post(
        edit, {"name": "Gast mit Stimme", "stakeholder_group": verwaltung.pk, "voting": "False"}
    )
    member.refresh_from_db()
    assert member.voting is False
