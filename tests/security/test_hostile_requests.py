"""Hostile values in a request: digits of other scripts, huge ids and NUL answer 4xx, never 500.

Found by the probe of issue 18: ``/topic-store/?year=²`` answered 500 (``"²".isdigit()``
is true, ``int("²")`` fails), and ``/projector/%00/`` answered 500 on PostgreSQL (it
refuses NUL in a text value). Every id from a path or a query goes through
``processes.params`` (``<id:…>`` in every route); a NUL anywhere is refused with 400
by ``web.request_guard`` before any view runs. Run on both databases.
"""

from __future__ import annotations

import io
import sys

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import StringConverter, UUIDConverter

from klebepunkt.processes.params import ObjectIdConverter, object_id, year
from klebepunkt.voting import projector_cache
from tests.security.test_headers import assert_secure_headers
from tests.security.world import ANONYMOUS, FACILITATOR, VOTER, build_world

UNICODE_DIGITS = ("²", "٣", "１２", "߁", "𝟗", "³⁴")


def _patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.pattern.converters


def test_every_id_in_a_path_goes_through_the_one_parser():
    ours = [
        (route, converters)
        for route, converters in _patterns(get_resolver().url_patterns)
        if not route.startswith("admin/")
    ]
    assert any(converters for _route, converters in ours)
    for route, converters in ours:
        for name, converter in converters.items():
            if isinstance(converter, StringConverter):  # a code or token, compared as a whole
                continue
            # a database id: the one parser; a job's UUID: Django's strict hex pattern
            assert isinstance(converter, ObjectIdConverter | UUIDConverter), (route, name)


@pytest.mark.parametrize("raw", [*UNICODE_DIGITS, "9" * 19, "-1", "1.0", " ", "", "1\x00"])
def test_the_parser_takes_ascii_digits_of_a_database_id_only(raw):
    assert object_id(raw) is None
    assert year(raw) is None


def test_the_parser_reads_what_a_form_or_link_sends():
    assert object_id("42") == 42
    assert object_id(" 7 ") == 7
    assert year("2017") == 2017
    assert year("0") is None and year("10000") is None


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("parameter", ["year", "process", "theme_field", "q"])
@pytest.mark.parametrize("value", UNICODE_DIGITS)
def test_unicode_digits_in_the_topic_store_filters_are_no_filter(world, parameter, value):
    response = world.clients[FACILITATOR].get(reverse("monitoring:archive"), {parameter: value})
    assert response.status_code == 200


def test_huge_and_foreign_ids_in_a_path_are_not_found(world):
    client = world.clients[FACILITATOR]
    pk = world.process.pk
    for url in (
        f"/p/{'9' * 30}/",
        f"/p/{'9' * 19}/",
        f"/p/{pk}/rounds/{'9' * 25}/",
        f"/p/{pk}/monitoring/goals/{'9' * 19}/",
        "/p/%C2%B2/",
        "/p/%D9%A3/",
        f"/public/{'9' * 20}/",
    ):
        assert client.get(url).status_code == 404, url


NUL_URLS = (
    "/projector/%00/",
    "/projector/%00/live/",
    "/projector/abc%00def/",
    "/projector/abc%00def/live/",
    "/v/c/%00/",
    "/v/r/a%00/",
    "/topic-store/?q=a%00b",
    "/topic-store/?year=%00",
    "/topic-store/?a%00=1",
    "/processes/?q=%00",
)


@pytest.mark.parametrize("url", NUL_URLS)
@pytest.mark.parametrize("role", [FACILITATOR, ANONYMOUS, VOTER])
def test_a_nul_in_the_path_or_query_is_a_bad_request(world, url, role):
    response = world.clients[role].get(url)
    assert response.status_code == 400, (url, response.status_code)
    assert "Ungültige Anfrage" in response.content.decode()
    assert_secure_headers(response, url)


def test_a_nul_in_a_projector_token_is_refused_before_the_database(
    world, django_assert_num_queries
):
    client = world.clients[ANONYMOUS]
    with django_assert_num_queries(0):
        assert client.get("/projector/abc%00def/live/").status_code == 400


def test_a_nul_in_a_form_field_or_its_name_is_a_bad_request_and_nothing_is_written(world):
    from tests.security.database import database_fingerprint

    client = world.clients[FACILITATOR]
    before = database_fingerprint()
    url = reverse("processes:card_add", args=[world.process.pk])
    for data in ({"text": "a\x00b"}, {"te\x00xt": "ok"}, {"text": "ok", "theme_field": "\x00"}):
        assert client.post(url, data).status_code == 400, data
    upload = io.BytesIO(b"x")
    upload.name = "a.csv"
    response = client.post(
        reverse("processes:sheet_upload", args=[world.process.pk]), {"file": upload, "kind": "\x00"}
    )
    assert response.status_code == 400
    voter = world.clients[VOTER]
    assert voter.post(reverse("voting:dot"), {"card": "1\x00", "action": "add"}).status_code == 400
    assert database_fingerprint() == before


def test_a_nul_in_a_cookie_is_a_bad_request(world):
    client = world.clients[ANONYMOUS]
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get(reverse("voting:join")).status_code == 400


# --- the projector's fast path (web.wsgi) carries the same security headers ---------------------


class _Response:
    def __init__(self, status: str, headers: list[tuple[str, str]]) -> None:
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)

    def __getitem__(self, name: str) -> str:
        return self.headers[name]


def _fast_path(token: str, **environ: str) -> _Response:
    from klebepunkt.web import wsgi

    answer: list[_Response] = []

    def start_response(status, headers, exc_info=None):
        answer.append(_Response(status, headers))

    body = wsgi.application(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": f"/projector/{token}/live/",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            **environ,
        },
        start_response,
    )
    assert b"".join(body) is not None
    return answer[0]


@pytest.fixture
def fresh_for_the_test(monkeypatch):
    """A fragment stays fresh for the whole test, so that the fast path answers every poll."""
    monkeypatch.setattr(projector_cache, "FRESH_SECONDS", 3600.0)


def test_the_projector_fast_path_sends_every_security_header(world, fresh_for_the_test):
    token = world.voting_round.projector_token
    projector_cache.forget(token)
    full = world.clients[ANONYMOUS].get(reverse("voting:shared_projector_live", args=[token]))
    assert full.status_code == 200
    assert projector_cache.cached(token) is not None  # the next poll takes the fast path
    fast = _fast_path(token)
    assert fast.status_code == 200
    assert "Content-Language" not in fast.headers  # answered before Django's middleware
    assert_secure_headers(fast, "fast path 200")
    for name in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
        assert fast[name] == full[name], name
    unchanged = _fast_path(token, HTTP_IF_NONE_MATCH=fast["ETag"])
    assert unchanged.status_code == 304
    assert_secure_headers(unchanged, "fast path 304")


def test_the_projector_fast_path_sends_hsts_over_https_in_production(
    world, settings, fresh_for_the_test
):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    token = world.voting_round.projector_token
    world.clients[ANONYMOUS].get(reverse("voting:shared_projector_live", args=[token]))
    fast = _fast_path(token, HTTP_X_FORWARDED_PROTO="https")
    assert fast.status_code == 200
    assert "Content-Language" not in fast.headers
    assert fast["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in _fast_path(token).headers
