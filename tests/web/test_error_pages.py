"""The "not found" and "bad request" pages answer without the session or the database: a
signed-in member who follows a stale link, a scanner or a fuzzer costs no query, and the
pages still answer while the database is slow. They keep the site's header (brand, language)
and a way back to the start; the account links and any waiting messages are left for the
next real page."""

from __future__ import annotations

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.session import SessionStorage
from django.test import Client

pytestmark = pytest.mark.django_db

NOT_FOUND = (
    "/nothing/here/",  # no route
    "/p/%C2%B2/cards/",  # a route whose parameter is no number
    "/p/99999999999999999999/cards/",  # one too large for any column
)


@pytest.mark.parametrize("path", NOT_FOUND)
def test_not_found_costs_no_query_for_a_signed_in_member(
    facilitator_client, django_assert_num_queries, path
):
    with django_assert_num_queries(0):
        response = facilitator_client.get(path)
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Nicht gefunden</h1>" in page
    assert "Diese Seite gibt es nicht, oder Sie haben keinen Zugriff darauf." in page
    assert '<a href="/">Zur Startseite</a>' in page
    assert 'class="brand"' in page
    assert ">English</button>" in page  # the language switch stays
    assert "Abmelden" not in page  # the account links wait for the next page


def test_not_found_in_english(facilitator_client):
    facilitator_client.cookies["django_language"] = "en"
    response = facilitator_client.get("/nothing/here/")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.content.decode()


@pytest.mark.parametrize("before", ["de", "en"])
def test_bad_request_costs_no_query_and_speaks_the_members_language(
    facilitator_client, django_assert_num_queries, before
):
    """A NUL is refused before ``LocaleMiddleware`` chooses a language: the page must not
    take the language of the request the thread served before (here: another client's)."""
    other = Client()
    other.cookies["django_language"] = before
    other.get("/accounts/login/")  # the thread now speaks ``before``
    with django_assert_num_queries(0):
        response = facilitator_client.get("/processes/", {"q": "a\x00b"})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="de">' in page
    assert "<h1>Ungültige Anfrage</h1>" in page
    facilitator_client.cookies["django_language"] = "en"
    english = facilitator_client.get("/processes/", {"q": "a\x00b"}).content.decode()
    assert "<h1>Bad request</h1>" in english


def test_a_waiting_message_is_shown_on_the_next_real_page(rf, facilitator_client):
    """A message queued before a 404 (in the session, as this app keeps them) is neither shown
    nor used up by the 404: the next real page shows it."""
    session = facilitator_client.session
    request = rf.get("/")
    request.session = session
    storage = SessionStorage(request)
    session[storage.session_key] = storage.serialize_messages(
        [Message(constants.SUCCESS, "Gespeichert: die Karte")]
    )
    session.save()
    not_found = facilitator_client.get("/nothing/")
    assert not_found.status_code == 404
    assert "Gespeichert: die Karte" not in not_found.content.decode()
    page = facilitator_client.get("/processes/").content.decode()
    assert "Gespeichert: die Karte" in page
    assert "Gespeichert: die Karte" not in facilitator_client.get("/processes/").content.decode()


def test_the_400_page_reads_no_session_even_after_sign_in(
    rf, facilitator_client, django_assert_num_queries
):
    """Every 400 of the app comes before the session is opened (the NUL guard, a host or a
    form Django refuses); should one ever come from a view, the page still reads neither the
    signed-in member nor the waiting messages."""
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.core.exceptions import SuspiciousOperation

    from klebepunkt.web.request_guard import bad_request

    request = rf.get("/processes/")
    request.COOKIES["sessionid"] = facilitator_client.cookies["sessionid"].value
    for middleware in (SessionMiddleware, AuthenticationMiddleware, MessageMiddleware):
        middleware(lambda r: None).process_request(request)
    with django_assert_num_queries(0):
        response = bad_request(request, SuspiciousOperation("from a view"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Ungültige Anfrage</h1>" in page
    assert "Abmelden" not in page
    assert request.user.is_authenticated  # signed in after all: the page just did not ask
