"""The browser tests' pages are handed from test to test (``PagePool`` in ``conftest.py``):
whatever one test leaves in its page, the next must not find."""

from __future__ import annotations

import warnings

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, _page, _pool

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
    dark: matchMedia("(prefers-color-scheme: dark)").matches,
    print: matchMedia("print").matches,
    width: innerWidth,
    touch: navigator.maxTouchPoints > 0,
})"""

# where the next mouse event lands: a page of a context of its own has its mouse at 0, 0
MOUSE_AT = """() => { window.__wheel = new Promise((resolve) => {
    addEventListener("wheel", (event) => resolve([event.clientX, event.clientY]), {once: true});
}); }"""


# each case makes new contexts (about 1.5 CPU s each): the device matters for the reset
# itself, so that test runs on both; the cases of pages that are replaced run on a desktop


@pytest.fixture(params=["desktop"])
def pool(browser, request):
    yield from _pool(browser, request.param)


def fresh_page_finds(pool, url: str) -> dict:
    """What a page of a context of its own, made as the pool makes its, finds at ``url``."""
    context, page = _page(pool.browser, pool.viewport, **pool.options)
    try:
        page.goto(url)
        return page.evaluate(FOUND)
    finally:
        context.close()


@pytest.mark.parametrize("pool", ["desktop", "phone"], indirect=True)
def test_what_one_test_leaves_the_next_does_not_find(pool, live_server):
    url = f"{live_server.url}/accounts/login/"
    # the same server under its other name: an origin of its own for the browser
    other_origin = (
        url.replace("localhost", "127.0.0.1")
        if "//localhost" in url
        else url.replace("127.0.0.1", "localhost")
    )
    assert other_origin != url
    page = pool.take()
    page.goto(other_origin)  # an origin the page has left by the end of the test
    page.evaluate(LEAVE_EVERYTHING)
    page.goto(url)
    page.evaluate(LEAVE_EVERYTHING)
    context = page.context
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"latitude": 50.36, "longitude": 7.59})
    context.set_extra_http_headers({"X-Left": "1"})
    page.set_extra_http_headers({"X-Left-Page": "1"})
    page.emulate_media(media="print", color_scheme="dark")
    page.mouse.move(300, 400)
    page.mouse.down()
    page.keyboard.down("Shift")
    context.add_cookies([{"name": "left", "value": "1", "url": "http://elsewhere.invalid/"}])
    page.route("**/accounts/login/", lambda route: route.abort())
    context.route("**/nothing-here/", lambda route: route.abort())
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    context.on("request", lambda request: console.append(request.url))
    page.set_viewport_size({"width": 500, "height": 500})
    context.new_page()
    context.set_offline(True)
    # a function, not an expression: Playwright evaluates an expression again at every poll,
    # and the app's policy (script-src 'self') refuses that eval once the first check is false
    page.wait_for_function("() => window.__ticks > 2")

    pool.give_back()
    again = pool.take()

    assert again is page and pool.made == 1  # the same page, not a new context
    ticks = again.evaluate("window.__ticks")
    again.wait_for_timeout(200)
    assert again.evaluate("window.__ticks") == ticks  # the last document was silenced
    assert context.pages == [again]
    assert context.cookies() == []
    assert again.viewport_size == pool.viewport
    sent: list[dict] = []
    again.on("request", lambda request: sent.append(request.headers))
    response = again.goto(url)  # not offline, not routed away, within the usual timeout
    assert response.status == 200
    assert not any("x-left" in headers or "x-left-page" in headers for headers in sent)
    again.evaluate("console.log('after the reset')")
    assert console == []
    found = again.evaluate(FOUND)
    assert found == fresh_page_finds(pool, url)
    assert found["local"] is found["session"] is None and found["databases"] == []
    assert not found["dark"] and not found["print"]
    assert "left" not in found["cookies"]
    again.goto(other_origin)
    assert again.evaluate(FOUND) == found
    assert again.goto(f"{live_server.url}/nothing-here/").status == 404
    again.evaluate(MOUSE_AT)
    again.mouse.wheel(0, 10)
    assert again.evaluate("window.__wheel") == [0, 0]
    pool.give_back()
    assert pool.take() is page and pool.made == 1


def test_the_page_of_a_failed_test_is_not_handed_out_again(pool, live_server):
    page = pool.take()
    page.goto(f"{live_server.url}/accounts/login/")
    pool.give_back(failed=True)
    assert pool.take() is not page and page.is_closed() and pool.made == 2


def test_a_page_busy_for_ever_is_given_up_on_and_replaced(pool, live_server):
    page = pool.take()
    page.goto(f"{live_server.url}/accounts/login/")
    pool.reset_timeout_ms = 500  # the busy page burns a core while the pool waits
    page.evaluate("setTimeout(() => { while (true) {} }, 0)")
    with pytest.warns(UserWarning, match="reset failed"):
        pool.give_back()
    again = pool.take()
    assert again is not page and pool.made == 2
    assert again.goto(f"{live_server.url}/accounts/login/").status == 200


def test_a_page_with_the_fake_clock_is_not_handed_out_again(pool, live_server):
    page = pool.take()
    page.clock.install()
    page.goto(f"{live_server.url}/accounts/login/")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # found at once, not after the busy page's 5 s
        pool.give_back()
    assert pool.take() is not page and pool.made == 2


UNDOABLE = {
    "add_init_script": lambda page: page.add_init_script("window.__left = 1;"),
    "expose_function": lambda page: page.expose_function("leftBehind", lambda: 1),
    "context.add_init_script": lambda page: page.context.add_init_script("window.__left = 1;"),
    "context.expose_binding": lambda page: page.context.expose_binding(
        "leftBehind", lambda source: 1
    ),
    "set_default_timeout": lambda page: page.set_default_timeout(1),
    "context.set_default_navigation_timeout": lambda page: (
        page.context.set_default_navigation_timeout(1)
    ),
}


def test_a_page_given_what_cannot_be_taken_back_is_not_handed_out_again(pool, live_server):
    handed_on = []
    for name, undoable in UNDOABLE.items():
        page = pool.take()
        undoable(page)
        pool.give_back()
        again = pool.take()
        if again is page or not page.is_closed():
            handed_on.append(name)
    assert handed_on == [] and pool.made == len(UNDOABLE) + 1
    again.goto(f"{live_server.url}/accounts/login/")
    assert again.evaluate("typeof window.__left + typeof window.leftBehind") == "undefinedundefined"


def test_a_closed_page_is_replaced(pool, live_server):
    page = pool.take()
    page.close()
    pool.give_back()
    again = pool.take()
    assert again is not page and pool.made == 2
    assert again.goto(f"{live_server.url}/accounts/login/").status == 200


def test_the_fixtures_hand_out_pooled_pages(page, phone, desktop_pages, phone_pages):
    assert desktop_pages.current.page is page and phone_pages.current.page is phone
    assert page.viewport_size == DESKTOP and phone.viewport_size == PHONE
