"""CSRF on every state-changing request, enumerated from the URL configuration.

A route changes state if it accepts POST: every route is tried with POST (with a
valid token) and kept unless it answers 405. Each of them is then posted without a
token, as the logged-in facilitator of the process (the member's routes as a member
who joined the open round): Django refuses with 403 and nothing is written. A new
view that takes POST is covered without anybody listing it.
"""

from __future__ import annotations

import copy

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.database import rolled_back
from tests.security.test_roles import post_data
from tests.security.world import (
    FACILITATOR,
    VOTER,
    VOTER_ROUTES,
    build_world,
    url_for,
    writes,
)
from tests.urlconf import routes

pytestmark = pytest.mark.django_db


def _csrf_client(world, role: str) -> Client:
    """The role's session and cookies in a client that checks CSRF like a browser."""
    client = Client(enforce_csrf_checks=True)
    client.cookies = copy.deepcopy(world.clients[role].cookies)
    return client


def post_routes(world) -> list[tuple[str, str, str]]:
    """(route, role, URL) of every route that accepts POST, found by trying it."""
    found = []
    data = post_data(world)
    for route in routes():
        role = VOTER if route.name in VOTER_ROUTES else FACILITATOR
        url = url_for(route, world)
        client = world.clients[role]
        cookies = copy.deepcopy(client.cookies)
        with rolled_back():
            status = client.post(url, data).status_code
        client.cookies = cookies
        if status != 405:
            found.append((route.name, role, url))
    return found


def test_every_post_without_a_token_is_refused_and_changes_nothing():
    world = build_world()
    found = post_routes(world)
    names = {name for name, _role, _url in found}
    assert len(found) >= 40
    assert {
        "voting:dot",
        "voting:join",
        "privacy:process_delete",
        "processes:import",
        "logout",
    } <= names
    assert not names & {"processes:detail", "processes:result", "voting:ballot"}  # GET only
    clients = {role: _csrf_client(world, role) for role in (FACILITATOR, VOTER)}
    data = post_data(world)
    problems = []
    for name, role, url in found:
        client = clients[role]
        cookies = copy.deepcopy(client.cookies)
        with rolled_back(), writes() as written:
            plain = client.post(url, data)
            htmx = client.post(url, data, HTTP_HX_REQUEST="true")
        client.cookies = cookies
        for kind, response in (("form", plain), ("htmx", htmx)):
            if response.status_code != 403:
                problems.append(f"{name} ({kind}, as {role}): {response.status_code}, expected 403")
        if written:
            problems.append(f"{name} (as {role}) wrote: {written[0]}")
    assert not problems, "\n".join(problems)


def test_with_the_token_the_same_posts_go_through():
    """The control: the 403 above is the missing token, not the request."""
    world = build_world()
    data = post_data(world)
    for role, url in (
        (FACILITATOR, reverse("processes:theme_field_add", args=[world.process.pk])),
        (VOTER, reverse("voting:dot")),
    ):
        client = _csrf_client(world, role)
        client.get(reverse("voting:join"))  # a page sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        with rolled_back():
            assert client.post(url, data).status_code == 403
            assert client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
            htmx = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
            assert htmx.status_code in (200, 204, 302)


def test_every_page_with_a_form_carries_the_token_for_htmx():
    """htmx sends the token from the body's hx-headers; every page that posts has it."""
    world = build_world()
    pages = [
        reverse("processes:board", args=[world.process.pk]),
        reverse("processes:cards", args=[world.process.pk]),
    ]
    for url in pages:
        page = world.clients[FACILITATOR].get(url).content.decode()
        assert 'hx-headers=\'{"X-CSRFToken": "' in page, url
    ballot = world.clients[VOTER].get(reverse("voting:ballot")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in ballot
