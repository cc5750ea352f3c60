"""Voting over HTTP: joining, clicking, rate limits, and no count leaks before the reveal."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from klebepunkt.processes.models import Card, Member
from klebepunkt.voting import codes, services
from klebepunkt.voting.models import Voter
from tests.urlconf import process_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting_round(koblenz_blank):
    return services.open_round(
        voting_round=services.create_round(process=koblenz_blank, title="Punktabfrage")
    )


def joined_client(voter: Voter) -> Client:
    client = Client()
    response = client.post(reverse("voting:join"), {"code": codes.format_code(voter.code).lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("voting:ballot")
    return client


def click(client: Client, card: Card, action: str = "add", htmx: bool = True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("voting:dot"), {"card": card.pk, "action": action}, **headers)


def test_join_and_vote_with_htmx(voting_round):
    voter = voting_round.voters.first()
    client = joined_client(voter)
    page = client.get(reverse("voting:ballot")).content.decode()
    assert "Duales System Pflege" in page
    assert "8 Punkte übrig" in page
    card = Card.objects.get(theme_field__process=voting_round.process, text="Duales System Pflege")
    fragment = click(client, card).content.decode()
    assert f'id="own-{card.pk}"' in fragment
    assert "Ihre Punkte hier: 1" in fragment
    assert "7 Punkte übrig" in fragment
    assert "Punkt geklebt" in fragment
    voter.refresh_from_db()
    assert voter.used == 1


def test_vote_without_javascript_redirects_back(voting_round):
    client = joined_client(voting_round.voters.first())
    card = Card.objects.filter(theme_field__process=voting_round.process).first()
    response = click(client, card, htmx=False)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#card-{card.pk}")
    assert "Punkt geklebt" in client.get(response["Location"]).content.decode()


def test_clear_message_when_the_budget_is_spent(voting_round):
    client = joined_client(voting_round.voters.first())
    card = Card.objects.filter(theme_field__process=voting_round.process).first()
    for _ in range(8):
        click(client, card)
    fragment = click(client, card).content.decode()
    assert "alle Ihre Punkte" in fragment
    assert 'class="is-error"' in fragment
    assert "dots-left" not in fragment  # nothing changed, so the counter is not sent again


def test_clear_message_when_the_round_is_closed(voting_round):
    client = joined_client(voting_round.voters.first())
    services.close_round(voting_round=voting_round)
    card = Card.objects.filter(theme_field__process=voting_round.process).first()
    assert (
        "nicht geöffnet" in click(client, card).content.decode()
        or "nicht offen" in click(client, card).content.decode()
    )
    assert "geschlossen" in client.get(reverse("voting:ballot")).content.decode()


def test_no_voter_cookie_means_no_vote(voting_round):
    card = Card.objects.filter(theme_field__process=voting_round.process).first()
    response = Client().post(
        reverse("voting:dot"), {"card": card.pk, "action": "add"}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == reverse("voting:join")
    assert not voting_round.events.exists()


def test_forged_cookie_is_refused(voting_round):
    client = Client()
    client.cookies["klebepunkt_voter"] = f"{voting_round.voters.first().pk}:deadbeefdeadbeef"
    assert client.get(reverse("voting:ballot"))["Location"] == reverse("voting:join")


def test_revoked_code_logs_the_device_out(voting_round):
    voter = voting_round.voters.first()
    client = joined_client(voter)
    services.reissue_code(voter=voter, by=None)
    assert client.get(reverse("voting:ballot"))["Location"] == reverse("voting:join")


@pytest.mark.parametrize("way", ["typed code", "QR link", "round code", "round link"])
@pytest.mark.parametrize("state", ["closed", "revealed"])
def test_a_latecomer_with_a_closed_rounds_code_learns_the_round_is_closed(voting_round, way, state):
    voter = voting_round.voters.first()
    services.close_round(voting_round=voting_round)
    if state == "revealed":
        services.reveal_round(voting_round=voting_round)
    client = Client()
    if way == "typed code":
        response = client.post(reverse("voting:join"), {"code": codes.format_code(voter.code)})
    elif way == "QR link":
        response = client.get(reverse("voting:code", args=[voter.code]))
    elif way == "round code":
        response = client.post(reverse("voting:join"), {"round_code": voting_round.short_code})
    else:
        response = client.get(reverse("voting:pick", args=[voting_round.short_code]))
    page = response.content.decode()
    assert response.status_code == 410
    assert "Die Runde ist geschlossen" in page
    assert "Nicht gefunden" not in page
    assert "Was Sie jetzt tun können" in page
    assert reverse("voting:join") in page  # the way to a new round's code
    assert client.get(reverse("voting:ballot"))["Location"] == reverse("voting:join")  # no entry


def test_the_closed_round_page_points_to_the_round_now_running(voting_round):
    services.close_round(voting_round=voting_round)
    running = services.create_round(process=voting_round.process, title="Zweite Runde")
    page = Client().get(reverse("voting:pick", args=[voting_round.short_code])).content.decode()
    assert "Zweite Runde" in page
    assert reverse("voting:pick", args=[running.short_code]) in page


def test_an_unknown_code_is_still_not_valid(voting_round):
    response = Client().post(reverse("voting:join"), {"code": "AAA-AAA-AAA"})
    assert response.status_code == 200
    assert "nicht gültig" in response.content.decode()


def test_another_rounds_card_cannot_be_voted(koblenz_blank):
    pflege = koblenz_blank.theme_fields.get(name="Pflege")
    wohnen = koblenz_blank.theme_fields.get(name="Wohnen")
    round_a = services.open_round(
        voting_round=services.create_round(process=koblenz_blank, title="A", theme_field=pflege)
    )
    services.open_round(
        voting_round=services.create_round(process=koblenz_blank, title="B", theme_field=wohnen)
    )
    client = joined_client(round_a.voters.first())
    wohnen_card = wohnen.cards.first()
    assert "nicht Teil der Runde" in click(client, wohnen_card).content.decode()
    assert wohnen_card.text not in client.get(reverse("voting:ballot")).content.decode()


def test_members_without_voting_right_get_no_code(voting_round):
    administration = Member.objects.filter(process=voting_round.process, voting=False)
    assert administration.count() == 3
    assert not Voter.objects.filter(member__in=administration).exists()


def test_wrong_codes_are_rate_limited_per_client(voting_round, rate_limit_clock):
    from klebepunkt.voting.phone_entry import WRONG_CODES_PER_ADDRESS

    client = Client(REMOTE_ADDR="203.0.113.7")
    right = voting_round.voters.first().code
    others = [c for c in ("AAA", "BBB", "CCC", "DDD", "EEE", "FFF") if not right.startswith(c)]
    for number in range(WRONG_CODES_PER_ADDRESS):  # spread over prefixes: the address counts
        typed = f"{others[number % 5]}-{number:03d}-AAA".replace("0", "A").replace("1", "B")
        response = client.post(reverse("voting:join"), {"code": typed})
        assert response.status_code == 200
    assert client.post(reverse("voting:join"), {"code": right}).status_code == 429
    assert client.get(reverse("voting:code", args=[right])).status_code == 429
    other = Client(REMOTE_ADDR="203.0.113.8")  # another client is not affected
    assert other.post(reverse("voting:join"), {"code": right}).status_code == 302


def test_self_pickup_with_the_round_code(voting_round):
    client = Client()
    response = client.post(reverse("voting:join"), {"round_code": voting_round.short_code.lower()})
    assert response["Location"] == reverse("voting:pick", args=[voting_round.short_code])
    page = client.get(response["Location"]).content.decode()
    assert "Fraktionsvertretung 1" in page
    voter = voting_round.voters.get(member__name="Fraktionsvertretung 1")
    picked = client.post(response["Location"], {"voter": voter.pk}).content.decode()
    assert codes.format_code(voter.code) in picked
    assert client.get(reverse("voting:ballot")).status_code == 200
    again = Client().post(response["Location"], {"voter": voter.pk}, follow=True).content.decode()
    assert "bereits abgeholt" in again
    assert "Fraktionsvertretung 1" not in Client().get(response["Location"]).content.decode()


# --- hidden results leak through no page -------------------------------------------------------


def _normalised(body: str) -> str:
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "", body)
    # the facilitator sees the paper dots they typed in themselves, never the digital ones
    body = re.sub(r'(name="paper-\d+") value="\d+"', r"\1", body)
    return re.sub(r"<!--total-->.*?<!--/total-->", "<!--total-->", body, flags=re.S)


def _url(route, process, voting_round, voter, card) -> str | None:
    values = {"pk": process.pk}
    for parameter in route.parameters:
        known = {"round_id": voting_round.pk, "voter_id": voter.pk, "fmt": "json"}
        if parameter in known:
            values[parameter] = known[parameter]
        elif parameter != "pk":
            return None
    return reverse(route.name, kwargs=values)


def test_counts_are_absent_from_every_page_before_the_reveal(voting_round, facilitator_client):
    process = voting_round.process
    voter, other = voting_round.voters.all()[:2]
    card = Card.objects.filter(theme_field__process=process).first()
    urls = [
        url
        for route in process_routes()
        if (url := _url(route, process, voting_round, voter, card)) and not url.endswith(".pdf")
    ]
    assert len(urls) >= 15
    urls += [
        reverse("voting:shared_projector", args=[voting_round.projector_token]),
        reverse("voting:shared_projector_live", args=[voting_round.projector_token]),
    ]

    def snapshot():
        pages = {url: facilitator_client.get(url) for url in urls}
        return {
            url: _normalised(r.content.decode()) for url, r in pages.items() if r.status_code == 200
        }

    other_client = joined_client(other)
    voter_client = joined_client(voter)
    before = snapshot()
    other_before = _normalised(other_client.get(reverse("voting:ballot")).content.decode())
    for _ in range(8):
        click(voter_client, card)
    services.set_paper_total(voting_round=voting_round, card=card, dots=5, actor=None)
    after = snapshot()
    changed = [url for url in before if before[url] != after[url]]
    if changed:
        import difflib

        diff = "\n".join(
            difflib.unified_diff(
                before[changed[0]].splitlines(), after[changed[0]].splitlines(), lineterm="", n=1
            )
        )
        pytest.fail(f"{changed} changed while the results are hidden:\n{diff}")
    assert _normalised(other_client.get(reverse("voting:ballot")).content.decode()) == other_before

    services.close_round(voting_round=voting_round)
    services.reveal_round(voting_round=voting_round)
    revealed = facilitator_client.get(
        reverse("voting:round", args=[process.pk, voting_round.pk])
    ).content.decode()
    assert 'id="results"' in revealed
    json_report = facilitator_client.get(
        reverse("processes:export_report", args=[process.pk, "json"])
    ).json()
    assert json_report["total_dots"] == 13


def test_projector_link_needs_no_login_but_its_secret(voting_round):
    client = Client()
    live = reverse("voting:shared_projector_live", args=[voting_round.projector_token])
    assert (
        client.get(
            reverse("voting:shared_projector", args=[voting_round.projector_token])
        ).status_code
        == 200
    )
    first = client.get(live)
    assert first.status_code == 200
    etag = first["ETag"]
    assert client.get(live, HTTP_IF_NONE_MATCH=etag).status_code == 304  # unchanged: cheap
    card = Card.objects.filter(theme_field__process=voting_round.process).first()
    services.place_dot(voter_id=voting_round.voters.first().pk, card_id=card.pk)
    time.sleep(1.1)  # the fragment is shared for up to a second
    changed = client.get(live, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert client.get(reverse("voting:shared_projector", args=["guessed-token"])).status_code == 404
    assert (
        client.get(reverse("voting:shared_projector_live", args=["guessed-token"])).status_code
        == 404
    )


@pytest.mark.parametrize("shared", [True, False])
def test_the_projector_stops_inviting_when_the_round_closes(
    voting_round, facilitator_client, shared
):
    """The invitation is in the part that refreshes: it goes without a reload."""
    if shared:
        client = Client()
        live = reverse("voting:shared_projector_live", args=[voting_round.projector_token])
    else:
        client = facilitator_client
        live = reverse("voting:projector_live", args=[voting_round.process.pk, voting_round.pk])
    invitation = "mit dem Rundencode"
    open_fragment = client.get(live).content.decode()
    assert invitation in open_fragment
    assert voting_round.short_code in open_fragment
    services.close_round(voting_round=voting_round)
    closed_fragment = client.get(live).content.decode()
    assert invitation not in closed_fragment
    services.reveal_round(voting_round=voting_round)
    assert invitation not in client.get(live).content.decode()


def test_closing_the_round_shows_at_once_on_the_projector(voting_round):
    client = Client()
    live = reverse("voting:shared_projector_live", args=[voting_round.projector_token])
    assert "Die Runde ist geschlossen" not in client.get(live).content.decode()
    services.close_round(voting_round=voting_round)
    assert "Die Runde ist geschlossen" in client.get(live).content.decode()


def test_every_click_answer_states_its_outcome_in_a_header(voting_round):
    """``X-Klebepunkt-Dot``: placed, taken-back or refused:<code>, with and without HTMX."""
    client = joined_client(voting_round.voters.first())
    cards = list(Card.objects.filter(theme_field__process=voting_round.process)[:2])
    assert click(client, cards[0])["X-Klebepunkt-Dot"] == "placed"
    assert click(client, cards[0], "remove")["X-Klebepunkt-Dot"] == "taken-back"
    assert click(client, cards[0], "remove")["X-Klebepunkt-Dot"] == "refused:nothing_to_take_back"
    assert click(client, cards[1], htmx=False)["X-Klebepunkt-Dot"] == "placed"
    for _ in range(7):
        click(client, cards[1])
    assert click(client, cards[0])["X-Klebepunkt-Dot"] == "refused:budget_exhausted"
    services.close_round(voting_round=voting_round)
    assert click(client, cards[0], htmx=False)["X-Klebepunkt-Dot"] == "refused:round_not_open"
    assert Client().post(reverse("voting:dot"), {"card": cards[0].pk, "action": "add"})[
        "X-Klebepunkt-Dot"
    ] == ("refused:unknown_voter")


def test_closing_a_round_asks_for_confirmation_first(voting_round, facilitator_client):
    process = voting_round.process
    detail = reverse("voting:round", args=[process.pk, voting_round.pk])
    confirm = reverse("voting:round_close", args=[process.pk, voting_round.pk])
    page = facilitator_client.get(detail).content.decode()
    assert 'value="close"' not in page  # no one-click close on the round's page
    assert confirm in page
    # the old one-click post only leads to the question
    response = facilitator_client.post(
        reverse("voting:round_state", args=[process.pk, voting_round.pk]), {"action": "close"}
    )
    assert response["Location"] == confirm
    voting_round.refresh_from_db()
    assert voting_round.state == "open"
    question = facilitator_client.get(confirm).content.decode()
    assert "Runde schließen?" in question
    assert "endgültig" in question
    assert "Bisher haben 0 von" in question
    assert 'method="post"' in question
    assert detail in question  # the way back without closing
    voting_round.refresh_from_db()
    assert voting_round.state == "open"  # asking changes nothing
    assert facilitator_client.post(confirm)["Location"] == detail
    voting_round.refresh_from_db()
    assert voting_round.state == "closed"
    # once closed, the question is not asked again
    assert facilitator_client.get(confirm)["Location"] == detail
