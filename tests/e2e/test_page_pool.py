"""The browser tests' pages are handed from test to test (``PagePool`` in ``conftest.py``):
whatever one test leaves in its page, the next must not find."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import DESKTOP, TIMEOUT_MS, PagePool

pytestmark = pytest.mark.django_db(transaction=True)

LEAVE_EVERYTHING = """async () => {
    localStorage.setItem("left", "1");
    sessionStorage.setItem("left", "1");
    document.cookie = "left=1; path=/";
    await new Promise((resolve, reject) => {
        const opening = indexedDB.open("left", 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore("things");
        opening.onsuccess = () => { opening.result.close(); resolve(); };
        opening.onerror = () => reject(opening.error);
    });
    window.__ticks = 0;
    window.setInterval(() => { window.__ticks += 1; }, 20);
}"""

FOUND = """async () => ({
    local: localStorage.getItem("left"),
    session: sessionStorage.getItem("left"),
    cookies: document.cookie.split("; ").map((pair) => pair.split("=")[0]).sort(),
    databases: (await indexedDB.databases()).map((database) => database.name),
    geolocation: (await navigator.permissions.query({name: "geolocation"})).state,
})"""


@pytest.fixture
def pool(browser):
    pool = PagePool(browser, DESKTOP)
    yield pool
    pool.close()


def test_what_one_test_leaves_the_next_does_not_find(pool, live_server):
    url = f"{live_server.url}/accounts/login/"
    other_origin = url.replace("127.0.0.1", "localhost")
    page = pool.take()
    page.goto(other_origin)  # an origin the page has left by the end of the test
    page.evaluate(LEAVE_EVERYTHING)
    page.goto(url)
    page.evaluate(LEAVE_EVERYTHING)
    context = page.context
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_extra_http_headers({"X-Left": "1"})
    context.add_cookies([{"name": "left", "value": "1", "url": "http://elsewhere.invalid/"}])
    page.route("**/accounts/login/", lambda route: route.abort())
    context.route("**/nothing-here/", lambda route: route.abort())
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.set_viewport_size({"width": 500, "height": 500})
    context.new_page()
    context.set_offline(True)
    page.wait_for_function("window.__ticks > 2")
    context.set_default_timeout(1)
    page.set_default_timeout(1)

    pool.give_back()
    again = pool.take()

    assert again is page and pool.made == 1  # the same page, not a new context
    ticks = again.evaluate("window.__ticks")
    again.wait_for_timeout(200)
    assert again.evaluate("window.__ticks") == ticks  # the last document was silenced
    assert context.pages == [again]
    assert context.cookies() == []
    assert again.viewport_size == DESKTOP
    sent: list[dict] = []
    again.on("request", lambda request: sent.append(request.headers))
    response = again.goto(url)  # not offline, not routed away, within the usual timeout
    assert response.status == 200
    assert not any("x-left" in headers for headers in sent)
    again.evaluate("console.log('after the reset')")
    assert console == []
    # what a page of a context of its own finds there
    fresh_context = page.context.browser.new_context(viewport=DESKTOP, locale="de-DE")
    fresh = fresh_context.new_page()
    fresh.goto(url)
    found = again.evaluate(FOUND)
    assert found == fresh.evaluate(FOUND)
    fresh_context.close()
    assert found["local"] is found["session"] is None and found["databases"] == []
    assert "left" not in found["cookies"]
    again.goto(other_origin)
    assert again.evaluate(FOUND) == found
    assert again.goto(f"{live_server.url}/nothing-here/").status == 404
    another = context.new_page()  # the context's own default timeout is back too
    another.goto(url)
    another.close()
    pool.give_back()
    assert pool.take() is page and pool.made == 1
    assert TIMEOUT_MS == 15_000


@pytest.mark.parametrize("undoable", ["add_init_script", "expose_function", "context"])
def test_a_page_given_a_script_for_every_document_is_not_handed_out_again(
    pool, live_server, undoable
):
    page = pool.take()
    if undoable == "add_init_script":
        page.add_init_script("window.__left = 1;")
    elif undoable == "expose_function":
        page.expose_function("leftBehind", lambda: 1)
    else:
        page.context.add_init_script("window.__left = 1;")

    pool.give_back()
    again = pool.take()

    assert again is not page and page.is_closed() and pool.made == 2
    again.goto(f"{live_server.url}/accounts/login/")
    assert again.evaluate("typeof window.__left + typeof window.leftBehind") == "undefinedundefined"


def test_a_closed_page_is_replaced(pool, live_server):
    page = pool.take()
    page.close()
    pool.give_back()
    again = pool.take()
    assert again is not page and pool.made == 2
    assert again.goto(f"{live_server.url}/accounts/login/").status == 200
