"""Big processes: the cards page a page at a time, a number of queries that does not grow with
the cards, and cached analyses that follow every change at once."""

from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klebepunkt.processes import memo, models, presenters, services
from klebepunkt.processes.models import Role


def _text(field: int, n: int) -> str:
    """A card text unlike every other (no look-alikes unless a test makes them)."""
    letters = hashlib.sha256(f"{field}-{n}".encode()).hexdigest()
    return f"{letters[:7]} {letters[7:14]} {letters[14:21]}"


def _big(user, cards: int, *, fields: int = 2) -> models.Process:
    process = services.create_process(title="Groß", user=user)
    services.grant_role(process=process, user=user, role=Role.FACILITATOR, by=None)
    for f in range(fields):
        field = services.create_theme_field(process=process, name=f"Feld {f + 1}")
        goals = [services.create_goal(theme_field=field, text=f"Ziel {f + 1}.{n}") for n in (1, 2)]
        for n in range(cards // fields):
            services.create_card(
                theme_field=field,
                goal=goals[n % 2] if n % 3 else None,
                fields=services.CardFields(text=_text(f + 1, n), indicator=f"I{n}", dots=n % 4),
            )
    return process


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr id="card-(\d+)"', html)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_cards_page_shows_fifty_cards_a_page_and_a_theme_field_on_its_own(
    facilitator, facilitator_client
):
    process = _big(facilitator, 120)
    url = reverse("processes:cards", args=[process.pk])
    first = facilitator_client.get(url).content.decode()
    assert len(_rows(first)) == presenters.CARDS_PAGE_SIZE == 50
    assert "Seite 1 von 3" in first
    assert "Feld 1 (60)" in first and "Feld 2 (60)" in first
    last = facilitator_client.get(url, {"page": 3}).content.decode()
    assert len(_rows(last)) == 20
    assert _text(2, 59) in last
    field = process.theme_fields.get(name="Feld 2")
    only = facilitator_client.get(url, {"field": field.pk}).content.decode()
    shown = set(map(int, _rows(only)))
    assert len(shown) == 50
    assert shown <= set(field.cards.values_list("pk", flat=True))
    assert f'href="?field={field.pk}&amp;page=2"' in only  # the pager keeps the theme field
    assert "Seite 1 von 2" in only
    every = set()
    for page in (1, 2, 3):
        every |= set(_rows(facilitator_client.get(url, {"page": page}).content.decode()))
    assert len(every) == 120  # no card left out


@pytest.mark.django_db
def test_a_saved_card_leads_back_to_the_page_it_is_on(facilitator, facilitator_client):
    process = _big(facilitator, 120)
    card = models.Card.objects.get(text=_text(1, 55))
    response = facilitator_client.post(
        reverse("processes:card_edit", args=[process.pk, card.pk]),
        {"theme_field": card.theme_field_id, "text": card.text, "dots": 2},
    )
    assert response.status_code == 302
    page = facilitator_client.get(response["Location"]).content.decode()
    assert str(card.pk) in _rows(page)


@pytest.mark.django_db
def test_the_look_alike_list_follows_a_changed_card_at_once(facilitator, facilitator_client):
    process = _big(facilitator, 20)
    url = reverse("processes:cards", args=[process.pk])
    assert "Mögliche Doppelungen" not in facilitator_client.get(url).content.decode()
    card = models.Card.objects.get(text=_text(1, 3))
    twin = "Barrierefreie Wege zum Quartierstreff schaffen"
    for target in (card, models.Card.objects.get(text=_text(2, 4))):
        services.update_card(
            card=target,
            fields=services.CardFields(text=twin),
            theme_field=target.theme_field,
            by=None,
        )
    page = facilitator_client.get(url).content.decode()
    assert "Mögliche Doppelungen (1)" in page
    field_1 = card.theme_field
    field_only = facilitator_client.get(url, {"field": field_1.pk}).content.decode()
    assert "Mögliche Doppelungen (1)" in field_only  # a pair with one card in the field
    services.update_card(
        card=card,
        fields=services.CardFields(text="Etwas ganz anderes"),
        theme_field=card.theme_field,
        by=None,
    )
    assert "Mögliche Doppelungen" not in facilitator_client.get(url).content.decode()


@pytest.mark.django_db
def test_the_queries_of_the_big_pages_do_not_grow_with_the_cards(
    facilitator, facilitator_client, client
):
    small = _big(facilitator, 10)
    large = _big(facilitator, 80)
    models.Process.objects.filter(pk__in=[small.pk, large.pk]).update(is_public=True)

    def urls(process: models.Process) -> list[str]:
        field = process.theme_fields.order_by("position", "id").first()
        assert field is not None
        return [
            reverse("processes:cards", args=[process.pk]),
            f"{reverse('processes:board', args=[process.pk])}?field={field.pk}",
            reverse("processes:result", args=[process.pk]),
        ]

    for small_url, large_url in zip(urls(small), urls(large), strict=True):
        assert _queries(facilitator_client, small_url) == _queries(facilitator_client, large_url), (
            large_url
        )
    public = [reverse("monitoring:public", args=[p.pk]) for p in (small, large)]
    assert _queries(client, public[0]) == _queries(client, public[1])


def _total(html: str) -> str:
    found = re.search(r"Insgesamt (\d+) Punkte", html)
    assert found is not None
    return found.group(1)


@pytest.mark.django_db
def test_the_result_and_the_public_page_show_a_changed_dot_and_goal_at_once(
    facilitator, facilitator_client, client
):
    process = _big(facilitator, 20)
    models.Process.objects.filter(pk=process.pk).update(is_public=True)
    result = reverse("processes:result", args=[process.pk])
    public = reverse("monitoring:public", args=[process.pk])
    before = _total(facilitator_client.get(result).content.decode())
    assert _total(client.get(public).content.decode()) == before
    card = models.Card.objects.filter(theme_field__process=process, goal__isnull=False).first()
    assert card is not None
    own_dots = card.dots
    services.update_card(
        card=card,
        fields=services.CardFields(text=card.text, dots=own_dots + 5),
        theme_field=card.theme_field,
        by=None,
    )
    after = str(int(before) + 5)
    assert _total(facilitator_client.get(result).content.decode()) == after
    assert _total(client.get(public).content.decode()) == after
    models.Card.objects.filter(pk=card.pk).update(dots=0)  # a write around the services
    assert _total(facilitator_client.get(result).content.decode()) == str(int(before) - own_dots)
    goal = card.goal
    assert goal is not None
    services.update_goal(goal=goal, text="Ein neuer Zielname", nr="")
    assert "Ein neuer Zielname" in facilitator_client.get(result).content.decode()


@pytest.mark.django_db
def test_a_move_on_the_board_shows_at_once(facilitator, facilitator_client):
    process = _big(facilitator, 20)
    field = process.theme_fields.order_by("position", "id").first()
    assert field is not None
    board = f"{reverse('processes:board', args=[process.pk])}?field={field.pk}"
    goal = field.goals.order_by("id").first()
    assert goal is not None
    card = field.cards.filter(goal__isnull=True, dots__gt=0).first()
    assert card is not None
    facilitator_client.get(board)
    points_before = _goal_points(facilitator_client.get(board).content.decode(), goal)
    services.assign_card(card=card, goal=goal)
    assert _goal_points(facilitator_client.get(board).content.decode(), goal) == (
        points_before + card.dots
    )


def _goal_points(html: str, goal: models.Goal) -> int:
    found = re.search(rf'id="goal-{goal.pk}".*?(\d+) Punkt', html, re.S)
    assert found is not None
    return int(found.group(1))


def test_a_remembered_result_is_computed_once_for_the_same_inputs_and_anew_for_others(db):
    calls: list[tuple[int, ...]] = []

    def compute(values: tuple[int, ...]) -> int:
        calls.append(values)
        return sum(values)

    stamp = uuid.uuid4().hex  # no other run's entries
    assert memo.remembered("test", (stamp, (1, 2)), lambda: compute((1, 2))) == 3
    assert memo.remembered("test", (stamp, (1, 2)), lambda: compute((1, 2))) == 3
    assert memo.remembered("test", (stamp, (1, 3)), lambda: compute((1, 3))) == 4
    assert calls == [(1, 2), (1, 3)]


def test_the_remembered_results_key_follows_the_domains_source(tmp_path):
    """The key holds a digest of the domain's source: any change of a module, a new module
    or a subpackage's gives other keys; a copy of the same source, the same."""
    import shutil
    from importlib import resources

    source = Path(str(resources.files("klebepunkt.domain")))
    copy = tmp_path / "domain"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert memo.code_digest(copy) == memo.CODE
    assert memo.PREFIX.endswith(f":{memo.CODE}:")
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "model.cpython-311.pyc").write_bytes(b"compiled")
    assert memo.code_digest(copy) == memo.CODE  # compiled files are not the source
    similarity = copy / "similarity.py"
    similarity.write_text(similarity.read_text() + "\n# another shape\n")
    changed = memo.code_digest(copy)
    assert changed != memo.CODE
    (copy / "extra").mkdir()
    (copy / "extra" / "module.py").write_text("VALUE = 1\n")
    assert memo.code_digest(copy) not in {changed, memo.CODE}


def test_a_result_kept_by_other_code_is_not_read(db, monkeypatch):
    """After an upgrade the shared cache still holds the old code's results (pickled objects
    of its classes, which may lack what the new code reads): they are computed anew."""
    stamp = uuid.uuid4().hex
    monkeypatch.setattr(memo, "PREFIX", "memo:v1:0ldc0de0ldc0de00:")
    assert memo.remembered("test", (stamp,), lambda: "old shape") == "old shape"
    monkeypatch.setattr(memo, "_local", memo.Lru(memo.LOCAL_SIZE))  # another process
    monkeypatch.setattr(memo, "PREFIX", f"memo:v1:{memo.CODE}:")
    assert memo.remembered("test", (stamp,), lambda: "new shape") == "new shape"


@pytest.mark.django_db
def test_the_topic_store_search_finds_a_changed_card_at_once(facilitator, facilitator_client):
    process = _big(facilitator, 20)
    result = reverse("processes:result", args=[process.pk])
    card = models.Card.objects.filter(theme_field__process=process, dots=0).first()
    assert card is not None

    def search(query: str) -> str:
        return facilitator_client.get(
            result, {"q": query}, headers={"HX-Request": "true"}
        ).content.decode()

    old_text = card.text
    assert old_text in search("")
    assert "Einen Quartiersgarten anlegen" not in search("Quartiersgarten")
    services.update_card(
        card=card,
        fields=services.CardFields(text="Einen Quartiersgarten anlegen"),
        theme_field=card.theme_field,
        by=None,
    )
    assert "Einen Quartiersgarten anlegen" in search("Quartiersgarten")
    assert old_text not in search("")
    page = facilitator_client.get(result, {"q": "Quartiersgarten"}).content.decode()
    assert "Einen Quartiersgarten anlegen" in page
