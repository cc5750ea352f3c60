"""Fuzzing every form of the app: random values in every field, and random query parameters.

The POST routes are enumerated from the URL configuration (every route that does
not answer POST with 405); each case posts random values (texts with markup and
NUL, huge and negative numbers, digits of other scripts, ids that exist and ids that
do not, lists) to one of them, as the facilitator, or as the member for the
member's routes. The answer is a page, a redirect or a refusal, never a 500; a form
that is refused shows its errors in German next to its fields. The GET pages get
random query parameters the same way. The Django admin is left out: nobody here is
staff, and its forms are Django's own.
"""

from __future__ import annotations

import html
import re
from functools import cache

import polib
import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from klebepunkt.processes.models import Card, Goal
from tests.security.database import rolled_back
from tests.security.fuzzing import fuzz
from tests.security.test_roles import EXPECTED, post_data
from tests.security.world import (
    FACILITATOR,
    VOTER,
    VOTER_ROUTES,
    build_world,
    post_as_sent,
    role_for,
    url_for,
)
from tests.test_locale import LOCALE
from tests.urlconf import routes

pytestmark = pytest.mark.django_db

FIELDS = [
    *("title", "body", "year", "description", "is_public", "aggregation"),
    *("dots_per_voter", "cap_per_card", "goal_threshold", "hide_results", "shuffle", "secret"),
    *("name", "count_text", "voting", "stakeholder_group", "contact"),
    *("date", "start", "end", "place", "focus"),
    *("theme_field", "text", "indicator", "responsible", "dots", "origin", "nr"),
    *("username", "role", "confirm_title", "delete", "save_and_add", "cancel", "remove_missing"),
    *("card", "goal", "new_goal", "target", "cards", "action", "voter", "code", "round_code"),
    *("language", "next", "password", "old_password", "new_password1", "new_password2"),
    *("q", "field", "fmt"),
]
PAYLOADS = st.sampled_from(
    [
        "",
        " ",
        "0",
        "1",
        "-1",
        "2147483648",
        "9" * 30,
        "1e9",
        "1.5",
        "²",
        "٣",
        "１２",
        "abc",
        "a\x00b",
        "\x00",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "{{7*7}}",
        "=1+1",
        "on",
        "true",
        "add",
        "remove",
        "open",
        "close",
        "reveal",
        "delete",
        "sync",
        "revoke",
        "reissue",
        "new",
        "sum",
        "best_card",
        "facilitator",
        "observer",
        "administration",
        "2017-05-03",
        "2017-13-45",
        "18:00",
        "25:61",
        "x" * 5000,
        "https://example.org/",
        "//example.org/",
    ]
)
TEXT = st.text(max_size=40)


@cache
def existing_ids() -> list[str]:
    return [str(pk) for pk in Card.objects.values_list("pk", flat=True)[:3]] + [
        str(pk) for pk in Goal.objects.values_list("pk", flat=True)[:3]
    ]


VALUE = st.one_of(PAYLOADS, TEXT, st.integers(min_value=-(10**12), max_value=10**12).map(str))
# every field the app reads, each present or not, with a random value or several
DATA = st.fixed_dictionaries(
    {},
    optional={
        **{field: st.one_of(VALUE, VALUE, st.lists(VALUE, max_size=3)) for field in FIELDS},
        "goal": st.one_of(st.just("new"), VALUE),  # "new" reads the free text of new_goal
        "paper-1": VALUE,
        "": VALUE,
        "x\x00": VALUE,
    },
)

POST_ROUTES = sorted(
    name
    for name, kind in EXPECTED.items()
    if not name.startswith("admin:") and kind.post[FACILITATOR].statuses != {405}
)
GET_ROUTES = sorted(
    name
    for name, kind in EXPECTED.items()
    if not name.startswith("admin:")
    and kind.get[FACILITATOR].statuses != {405}
    and name != "voting:code_sheet"  # a PDF of two seconds that reads no parameter
)
ROUTES = {route.name: route for route in routes()}
# 409: a card on the collection's wall changed meanwhile (both texts are shown, nothing lost)
ANSWERS = {200, 204, 302, 304, 400, 403, 404, 405, 409, 429}


@cache
def english_phrases() -> tuple[str, ...]:
    """The beginnings of our English msgids that have a different German text."""
    phrases = []
    for entry in polib.pofile(str(LOCALE / "django.po")):
        start = re.split(r"%\(|\{|“", entry.msgid)[0].strip()
        if len(start) >= 16 and entry.msgstr and entry.msgstr != entry.msgid:
            phrases.append(start)
    return (
        *phrases,
        "This field is required",
        "Enter a valid",
        "Ensure this value",
        "Select a valid choice",
        "Null characters are not allowed",
    )


ERROR = re.compile(r'<p class="error" id="(?P<field>[^"]+)_error">(?P<text>[^<]*)</p>')


def assert_german_errors(page: str, submitted: dict) -> None:
    """Every form error next to its field, in German (what was typed may be quoted in it)."""
    typed = sorted(
        (
            str(v)
            for value in submitted.values()
            for v in (value if isinstance(value, list) else [value])
        ),
        key=len,
        reverse=True,
    )
    for match in ERROR.finditer(page):
        assert match["field"].startswith("id_"), match["field"]  # next to its field
        text = html.unescape(match["text"])
        assert text.strip()
        for value in typed:
            if value.strip():
                text = text.replace(value, "")
        for phrase in english_phrases():
            assert phrase not in text, f"English in an error: {text!r}"


@pytest.fixture
def world(db):
    existing_ids.cache_clear()
    return build_world()


def once(world, key, make):
    """``make()``, made once per world: each case is undone, so the URLs of the routes and
    the fitting form data are the same for every case."""
    made = world.__dict__.setdefault("fuzz_memo", {})
    if key not in made:
        made[key] = make()
    return made[key]


def post_case(world, name: str, fields: dict, base: bool, multipart: bool):
    role = VOTER if name in VOTER_ROUTES else FACILITATOR
    client = world.clients[role]
    data = {**(once(world, "post_data", lambda: post_data(world)) if base else {}), **fields}
    data = {key: value for key, value in data.items() if key}
    url = once(world, name, lambda: url_for(ROUTES[name], world))
    headers = {"HTTP_HX_REQUEST": "true"} if base and fields.get("htmx") else {}
    import copy

    cookies = copy.deepcopy(client.cookies)
    try:
        with rolled_back():
            response = post_as_sent(client, name, url, data, multipart=multipart, **headers)
    finally:
        client.cookies = cookies
    assert response.status_code in ANSWERS, (name, response.status_code)
    if response.status_code in (200, 400) and "text/html" in response.get("Content-Type", ""):
        assert_german_errors(response.content.decode(), data)


@fuzz("forms: random field sets posted to every POST route", 12, each=len(POST_ROUTES))
@given(
    fields=DATA,
    base=st.booleans(),
    ids=st.lists(st.sampled_from(range(6)), max_size=3),
    multipart=st.booleans(),  # urlencoded, as a browser sends a form without a file, or not
)
@example(fields={"origin": "responsible body"}, base=False, ids=[], multipart=False)  # quoted back
def test_random_values_in_every_form(world, fields, base, ids, multipart):
    for index in ids:  # ids of cards and goals that exist, in the fields that take ids
        known = existing_ids()
        key = ("card", "goal", "target", "cards", "theme_field")[index % 5]
        fields = {**fields, key: known[index % len(known)]}
    for name in POST_ROUTES:
        post_case(world, name, fields, base, multipart)


@fuzz("forms: random query parameters on every GET page", 10, each=len(GET_ROUTES))
@given(params=DATA)
def test_random_query_parameters_on_every_page(world, params):
    query = {key: value for key, value in params.items() if key}
    for name in GET_ROUTES:
        url = once(world, name, lambda name=name: url_for(ROUTES[name], world))
        with rolled_back():
            response = world.clients[role_for(name)].get(url, query)
        assert response.status_code in ANSWERS, (name, response.status_code)


def test_text_fields_read_without_a_form_refuse_null_characters(world):
    """Found by the fuzzer on PostgreSQL, which refuses NUL in text: a 500 before. Since
    issue 18 the request is refused as a whole (400) before any view reads it."""
    card = Card.objects.filter(theme_field__process=world.process, goal__isnull=False).first()
    client = world.clients[FACILITATOR]
    for url, data in (
        (
            reverse("processes:board_assign", args=[world.process.pk]),
            {"card": card.pk, "goal": "new", "new_goal": "a\x00b"},
        ),
        (
            reverse("processes:goal_split", args=[world.process.pk, card.goal_id]),
            {"cards": [card.pk], "text": "a\x00b"},
        ),
        (
            reverse("processes:goal_edit", args=[world.process.pk, card.goal_id]),
            {"text": "a\x00b", "nr": "1"},
        ),
    ):
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 400
        assert "Ungültige Anfrage" in response.content.decode()
    assert not any("\x00" in text for text in Goal.objects.values_list("text", flat=True))


def test_the_fuzzed_routes_are_the_forms_of_the_app():
    from tests.security.fuzzing import CASES

    assert CASES["forms: random field sets posted to every POST route"][1] == len(POST_ROUTES)
    assert CASES["forms: random query parameters on every GET page"][1] == len(GET_ROUTES)
    assert {"processes:card_add", "voting:dot", "processes:board_assign"} <= set(POST_ROUTES)
    assert {"processes:board", "processes:card_add", "voting:ballot"} <= set(GET_ROUTES)
    assert reverse("voting:join")
