"""Each class of hostile value, in every place of every route: never a 500, never stored.

The random fuzzers (``test_fuzz_forms.py``) draw values at random; this file makes sure
that each class found by the probe of issue 18 reaches every route, every time:

* digits of other scripts ("²", "٣", "１２") and ids too large for any column, in
  every path parameter, every query parameter and every form field;
* NUL, in the same places (a 400 before any view, the same on SQLite and PostgreSQL);
* dates at the calendar's ends (0001-01-01, 9999-12-31) and just outside the range
  (1899-12-31, 2201-01-01) in every date field of every form, the rest of the form
  filled in so that only the date can be wrong: refused, and no such date is stored.

The field names are collected from the pages themselves (every ``name=""`` of every
GET page, with its prefix), so a new form is covered without a list to update.
Run on both databases.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import re
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.db import models
from django.urls import resolve

from klebepunkt.domain.limits import EARLIEST_DATE, LATEST_DATE
from tests.security.database import rolled_back
from tests.security.test_fuzz_forms import ANSWERS, GET_ROUTES, POST_ROUTES, ROUTES, once
from tests.security.test_roles import post_data
from tests.security.world import (
    FACILITATOR,
    MULTIPART_ROUTES,
    OBSERVER,
    OTHER,
    build_world,
    post_as_sent,
    role_for,
    url_for,
)

pytestmark = pytest.mark.django_db

UNICODE_DIGITS = ("²", "٣", "１２", "߁٣")
HUGE = ("9" * 19, "9" * 40)
NUL = ("\x00", "a\x00b")
EXTREME_DATES = ("0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01")
PATH_VALUES = (*UNICODE_DIGITS, *HUGE, *NUL, "-1", "0")
NAME = re.compile(r'\bname="([^"]+)"')


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for the module's tests, built once per worker (with the field names of its
    pages about 1.2 CPU s, eleven times before): every request of these tests is undone
    (``send``), and each test runs in a savepoint of its own (``db``), so each finds the world
    as it was built. Undone at the module's end (``rolled_back``)."""
    with django_db_blocker.unblock(), rolled_back():
        yield build_world()


@pytest.fixture
def world(db, shared_world):
    # the shared world's people are still signed in: their sessions are the world's
    from django.conf import settings
    from django.contrib.sessions.models import Session

    for role in (FACILITATOR, OBSERVER, OTHER):
        key = shared_world.clients[role].cookies[settings.SESSION_COOKIE_NAME].value
        assert Session.objects.filter(session_key=key).exists(), role
    return shared_world


def field_names(world) -> tuple[str, ...]:
    """Every form field name on every GET page of the app (prefixed names included), once per
    world (the names hold the world's primary keys, ``paper-<card>``, ``member-<member>``)."""
    return once(world, "field_names", lambda: _field_names(world))


def _field_names(world) -> tuple[str, ...]:
    found: set[str] = set()
    for name in GET_ROUTES:
        response = send(world, name, "get", url_for(ROUTES[name], world))
        if "text/html" in response.get("Content-Type", ""):
            found.update(NAME.findall(response.content.decode()))
    found.discard("csrfmiddlewaretoken")
    return tuple(sorted(found))


FORM_TAG = re.compile(r"<form\b[^>]*>")
ACTION = re.compile(r'\baction="([^"]*)"')


def test_the_forms_that_send_a_file_are_the_multipart_routes(world):
    """The fuzz tests post each route as a browser sends its form (``post_as_sent``): the set
    of routes sent as multipart/form-data is the set of forms with that encoding on the pages."""
    found = set()
    for name in GET_ROUTES:
        url = url_for(ROUTES[name], world)
        response = send(world, name, "get", url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for tag in FORM_TAG.findall(response.content.decode()):
            if 'enctype="multipart/form-data"' in tag:
                action = ACTION.search(tag)
                target = html.unescape(action[1]) if action and action[1] else url
                found.add(resolve(urlsplit(target).path).view_name)
    assert found == MULTIPART_ROUTES


def _pattern(name: str) -> str:
    """The route's path with its parameters as ``<name>``, e.g. ``/p/<pk>/rounds/<round_id>/``."""
    from django.urls import get_resolver

    def walk(patterns, prefix, namespace):
        from django.urls import URLPattern, URLResolver

        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and entry.name:
                full = f"{namespace}:{entry.name}" if namespace else entry.name
                yield full, prefix + str(entry.pattern)

    for full, pattern in walk(get_resolver().url_patterns, "", ""):
        if full == name:
            return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", pattern)
    raise LookupError(name)


def hostile_paths(world, name: str):
    """The route's URL with each parameter in turn replaced by each hostile value."""
    real = resolve(url_for(ROUTES[name], world).split("?")[0]).kwargs
    pattern = _pattern(name)
    for parameter in real:
        for value in PATH_VALUES:
            path = re.sub(
                r"<(\w+)>",
                lambda m, p=parameter, v=value: quote(v, safe="") if m[1] == p else str(real[m[1]]),
                pattern,
            )
            yield parameter, value, path


def send(
    world,
    route: str,
    method: str,
    url: str,
    data: dict | None = None,
    *,
    dates: bool = False,
    multipart: bool | None = None,
):
    """One request in a savepoint that is undone, the client's cookies kept (a logout or a
    password change in one case must not log the facilitator out for the next).

    A POST is encoded as a browser sends the route's form (``post_as_sent``; ``multipart``
    chooses the encoding instead). ``dates``: also look, before the undo, for dates outside
    the range that the request stored (``response.stored_dates``); only the date test reads
    them."""
    client = world.clients[role_for(route)]
    cookies = copy.deepcopy(client.cookies)
    try:
        with rolled_back():
            if method == "post":
                response = post_as_sent(client, route, url, data or {}, multipart=multipart)
            else:
                response = client.get(url, data)
            response.stored_dates = stored_dates_out_of_range() if dates else []
    finally:
        client.cookies = cookies
    return response


def stored_dates_out_of_range() -> list[tuple[str, str, dt.date]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                outside = model.objects.exclude(**{f"{field.name}__isnull": True}).exclude(
                    **{f"{field.name}__range": (EARLIEST_DATE, LATEST_DATE)}
                )
                found += [
                    (model._meta.label, field.name, day)
                    for day in outside.values_list(field.name, flat=True)
                ]
    return found


# --- path parameters ----------------------------------------------------------------------------


def test_hostile_path_parameters_on_every_route(world):
    failures = []
    form = post_data(world)  # the same before each request: each one is undone
    for name in sorted(set(GET_ROUTES) | set(POST_ROUTES)):
        if not ROUTES[name].parameters:
            continue
        for parameter, value, path in hostile_paths(world, name):
            for method in ("get", "post"):
                data = {**form} if method == "post" else None
                response = send(world, name, method, path, data)
                refused_nul = value not in NUL or response.status_code == 400
                if response.status_code not in ANSWERS or not refused_nul:
                    failures.append((name, method, parameter, repr(value), response.status_code))
    assert not failures, failures[:20]


# --- query parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values", [UNICODE_DIGITS, HUGE, NUL, EXTREME_DATES], ids=["digits", "huge", "nul", "dates"]
)
def test_each_class_in_every_query_parameter_of_every_page(world, values):
    names = (*field_names(world), "year", "process", "field", "theme_field", "q", "as_of", "since")
    failures = []
    for route in GET_ROUTES:
        url = url_for(ROUTES[route], world)
        for index, value in enumerate(values):
            query = {name: values[(index + n) % len(values)] for n, name in enumerate(names)}
            response = send(world, route, "get", url, query)
            expected = {400} if values is NUL else ANSWERS
            if response.status_code not in expected:
                failures.append((route, repr(value), response.status_code))
    assert not failures, failures[:20]


# --- form fields ----------------------------------------------------------------------------------


def refused_naming_a_date(response) -> bool:
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    if "text/html" in response.get("Content-Type", ""):
        texts.append(response.content.decode())
    return any("Bitte ein Datum zwischen dem 01.01.1900 und dem 31.12.2200" in t for t in texts)


# the routes whose forms take a date: each must refuse it, not be skipped by a login page
DATE_FORMS = {
    "monitoring:indicator",
    "monitoring:indicator_add_to_goal",
    "monitoring:measurement_add",
    "monitoring:status_of_goal",
    "monitoring:report",
    "processes:meeting_add",
    "processes:meeting_edit",
}


def _plausible(name: str) -> str | None:
    """A value that fits a field known by its name, so that only the hostile field is wrong."""
    base = name.rsplit("-", 1)[-1]
    return {
        "name": "Plätze",
        "status": "planned",
        "value": "3",
        "baseline_value": "3",
        "target_value": "9",
        "text": "Text",
        "title": "Titel",
        "unit": "Plätze",
        "nr": "1",
    }.get(base)


def _is_date(name: str) -> bool:
    base = name.rsplit("-", 1)[-1]
    return base in {"date", "as_of", "since"} or base.endswith("_date")


@pytest.mark.parametrize("values", [UNICODE_DIGITS, HUGE, NUL], ids=["digits", "huge", "nul"])
def test_each_class_in_every_field_of_every_form(world, values):
    names = field_names(world)
    form = post_data(world)  # the same before each request: each one is undone
    failures = []
    # NUL is refused before any form reads it, in either encoding: both are sent
    encodings = (False, True) if values is NUL else (None,)
    for route in POST_ROUTES:
        url = url_for(ROUTES[route], world)
        for index, value in enumerate(values):
            data = {**form}
            data.update({n: values[(index + i) % len(values)] for i, n in enumerate(names)})
            for multipart in encodings:
                response = send(world, route, "post", url, data, multipart=multipart)
                expected = {400} if values is NUL else ANSWERS
                if response.status_code not in expected:
                    failures.append((route, repr(value), multipart, response.status_code))
    assert not failures, failures[:20]


@pytest.mark.parametrize("day", EXTREME_DATES)
def test_an_extreme_date_in_every_date_field_of_every_form_is_refused(world, day):
    names = field_names(world)
    dates = [n for n in names if _is_date(n)]
    assert len(dates) >= 6, dates  # meeting, due, baseline, target, value, report dates
    failures = []
    answered = set()
    form = post_data(world)  # the same before each request: each one is undone
    for route in POST_ROUTES:
        data = {**form}
        data.update({n: v for n in names if (v := _plausible(n)) is not None})
        data.update(dict.fromkeys(dates, day))
        response = send(world, route, "post", url_for(ROUTES[route], world), data, dates=True)
        if response.status_code not in ANSWERS or response.stored_dates:
            failures.append((route, response.status_code, response.stored_dates))
        if route in DATE_FORMS and refused_naming_a_date(response):
            answered.add(route)  # the form was reached (not a login page) and said why
    assert not failures, failures[:20]
    assert answered == DATE_FORMS
