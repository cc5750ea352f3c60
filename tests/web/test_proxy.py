"""Behind the city's reverse proxy: the real client counts, forwarded headers only from it."""

from __future__ import annotations

import pytest

from klebepunkt.web.proxy import client_address, parse_networks

PROXIES = parse_networks("127.0.0.1, 10.0.0.0/24")


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the client lied about 198…
        ("127.0.0.1", "203.0.113.7, 10.0.0.5", "203.0.113.7"),  # two proxies in a row
        ("198.51.100.9", "203.0.113.7", "198.51.100.9"),  # not from a proxy: header ignored
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_last_hop_that_is_no_proxy(remote, forwarded, client):
    assert client_address(remote, forwarded, PROXIES) == client


def test_a_bad_proxy_setting_names_the_entry():
    with pytest.raises(ValueError, match="not-a-network"):
        parse_networks("127.0.0.1, not-a-network")


def _echo(request):
    from django.http import JsonResponse

    return JsonResponse(
        {
            "remote": request.META["REMOTE_ADDR"],
            "secure": request.is_secure(),
            "absolute": request.build_absolute_uri("/v/"),
        }
    )


@pytest.fixture
def behind_proxy(settings):
    """The settings a trusted proxy switches on (web/settings.py), and a request factory."""
    from django.test import RequestFactory

    settings.TRUSTED_PROXIES = PROXIES
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True
    return RequestFactory()


def answer(request) -> dict:
    import json

    from klebepunkt.web.proxy import TrustedProxyMiddleware

    return json.loads(TrustedProxyMiddleware(_echo)(request).content)


def test_from_the_proxy_the_forwarded_client_scheme_and_host_count(behind_proxy, settings):
    settings.ALLOWED_HOSTS = ["klebepunkt.koblenz.example"]
    request = behind_proxy.get(
        "/",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_HOST="klebepunkt.koblenz.example",
    )
    assert answer(request) == {
        "remote": "203.0.113.7",
        "secure": True,
        "absolute": "https://klebepunkt.koblenz.example/v/",
    }


def test_from_anybody_else_the_forwarded_headers_are_dropped(behind_proxy, settings):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    request = behind_proxy.get(
        "/",
        REMOTE_ADDR="198.51.100.9",
        HTTP_X_FORWARDED_FOR="127.0.0.1",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_HOST="evil.example",
    )
    assert answer(request) == {
        "remote": "198.51.100.9",
        "secure": False,
        "absolute": "http://testserver/v/",
    }
