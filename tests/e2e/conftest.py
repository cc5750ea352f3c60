"""Browser tests: Playwright for Python driving Debian's Chromium (no browser download), axe-core."""

from __future__ import annotations

import contextlib
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

# Debian's Chromium; ./run test gives the PostgreSQL pass Debian's headless shell of the same
# Chromium (/usr/bin/chromium-headless-shell: the same pages, about a third less CPU)
CHROMIUM = os.environ.get("KLEBEPUNKT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Site isolation keeps other sites' pages out of a page's process; the tests show only their
    # own servers on 127.0.0.1. Without it /usr/bin/chromium started 23 renderer processes for
    # the card collection test instead of 68, and the browser tests took about 9 % less CPU
    # (BENCHMARKS.md, thirteenth round); the headless shell is the same either way
    "--disable-site-isolation-trials",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# the viewport and context options of each device the pools (and their test) make pages for
DEVICES = {"desktop": (DESKTOP, {}), "phone": (PHONE, {"is_mobile": True, "has_touch": True})}
PASSWORD = "correct horse battery staple"
# a directory: the browser tests save the pages they visit there as PNG, to be looked at (a
# desktop and a 375 px phone); unset, none is taken (a full-page one costs Chromium ~0.6 s CPU)
SCREENSHOTS = os.environ.get("KLEBEPUNKT_SCREENSHOTS", "")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Chromium for the worker's browser tests. It asks for the test database first, so that
    it closes before the database is dropped: its open pages keep their connections to the
    live server alive, and each such connection holds a database session in its thread (on
    PostgreSQL the drop then waited 10 s for them and ended them with a warning)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium and"
            " chromium-headless-shell (./run test does)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


TIMEOUT_MS = 15_000


def _page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="de-DE", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    return context, page


def tab_to(page, locator, presses: int = 40) -> None:
    """Tab from where the focus is until ``locator`` has it; fails after ``presses`` Tabs."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{locator} cannot be reached with Tab")


def own_page(browser, device: str = "desktop", **extra):
    """(context, page) of a context of the test's own, for a test that needs several devices at
    once: the device's viewport and options (``DEVICES``) with the test's ``extra`` context
    options, German, the tests' timeout. The test closes the context."""
    viewport, options = DEVICES[device]
    return _page(browser, viewport, **options, **extra)


# Stops what the last test's document still does (htmx polling, the outbox's timer, a load
# under way) and empties it; the next test's first navigation replaces it. Timers and
# intervals share one id counter in Chromium, so a new timeout's id bounds every id in use;
# an id beyond any real count means Playwright's fake clock is installed: not reusable.
_QUIET = """() => {
    window.stop();
    const last = window.setTimeout(() => {}, 0);
    if (last > 10000000) { return "fake clock"; }
    for (let id = 0; id <= last; id++) { window.clearTimeout(id); window.clearInterval(id); }
    try { window.sessionStorage.clear(); } catch (error) {}
    document.documentElement.replaceChildren();
    return "quiet";
}"""
RESET_TIMEOUT_MS = 5_000  # a document busy in a loop is given up on, not waited for
MODIFIERS = ("Alt", "Control", "Meta", "Shift")


class PagePool:
    """One browser context with its page per worker and device, handed from test to test with
    nothing of the last test left in it.

    A new context costs Chromium about 1.5 s of CPU for its first page (a renderer process
    for the page, a spare one, and a third that the first navigation swaps to), more than
    most browser tests spend on their own pages; the ``page`` and ``phone`` fixtures were
    46 of the 72 pages the browser tests opened. Between two tests the pool takes back what a
    test can leave: cookies, local and session storage, IndexedDB, cache storage and service
    workers of every origin the page has shown, permissions, geolocation, offline mode,
    extra headers (page and context), emulated media, routes, the listeners a test added,
    other pages of the context, the viewport, the mouse (back to 0, 0, buttons and modifier
    keys released), and it silences the last document. Not handed out again — their context is
    closed and the next test gets a new one: the page of a failed test, a closed page, a page
    the reset fails on or that stays busy for 5 s, a page with Playwright's fake clock, and a
    page or context given what cannot be taken back (``UNDOABLE``: a script for every later
    document, a locator handler, WebSocket or HAR routes, other default timeouts).
    ``tests/e2e/test_page_pool.py`` checks each of these but two that a page cannot show it:
    the HTTP cache (the renderer keeps the page's static files in its memory cache) and the
    geolocation (without the permission, which is taken back, no position is given).
    """

    UNDOABLE = (
        "add_init_script",
        "expose_function",
        "expose_binding",
        "add_locator_handler",
        "route_web_socket",
        "route_from_har",
        "set_default_timeout",
        "set_default_navigation_timeout",
    )

    def __init__(self, browser, viewport: dict, **options) -> None:
        self.browser = browser
        self.viewport = viewport
        self.options = options
        self.current = None
        self.made = 0  # contexts made, for the pool's own test
        self.reset_timeout_ms = RESET_TIMEOUT_MS

    def take(self):
        if self.current is None:
            self.current = self._new()
        return self.current.page

    def give_back(self, *, failed: bool = False) -> None:
        """Resets the page for the next test, or closes it (``failed``: the test failed, and
        what it left half done must not confuse the next one)."""
        entry, self.current = self.current, None
        if entry is None:
            return
        try:
            if not failed and not entry.tainted and entry.reset():
                self.current = entry
                return
        except Exception as error:  # the test closed it, it stayed busy, the browser broke …
            warnings.warn(f"a browser page was replaced, its reset failed: {error}", stacklevel=2)
        entry.close()

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None

    def _new(self) -> _PooledPage:
        self.made += 1
        return _PooledPage(self)


class _PooledPage:
    def __init__(self, pool: PagePool) -> None:
        self.pool = pool
        self.context, self.page = _page(pool.browser, pool.viewport, **pool.options)
        context, page = self.context, self.page
        self.tainted = False
        self.origins: set[str] = set()
        page.on("framenavigated", self._navigated)
        # the listeners Playwright and the pool hold; any other was a test's
        self.own = {owner: _listeners(owner) for owner in (page._impl_obj, context._impl_obj)}
        for owner in (page, context):
            for name in PagePool.UNDOABLE:
                if hasattr(owner, name):
                    setattr(owner, name, self._tainting(getattr(owner, name)))
        self.cdp = context.new_cdp_session(page)

    def _navigated(self, frame) -> None:
        origin = _origin(frame.url)
        if origin:
            self.origins.add(origin)

    def _tainting(self, method):
        def tainting(*args, **kwargs):
            self.tainted = True
            return method(*args, **kwargs)

        return tainting

    def reset(self) -> bool:
        """Takes back what the test left; False when the page cannot be used again."""
        if self.page.is_closed():
            return False
        for other in self.context.pages:
            if other != self.page:
                other.close()
        for owner, own in self.own.items():  # first: a test's dialog handler might answer late
            for event, listeners in _listeners(owner).items():
                for listener in listeners - own.get(event, set()):
                    owner.remove_listener(event, listener)
        # evaluate() would wait for a busy document for ever; this gives up after 5 s
        quiet = self.page.wait_for_function(_QUIET, timeout=self.pool.reset_timeout_ms).json_value()
        if quiet != "quiet":
            return False
        # every origin the page has shown, the one it shows and those it has left (another
        # server, a sign-on provider, an iframe): what clearDataForOrigin clears includes the
        # tab's session storage of the origin (DOMStorage.clear, called here before, refuses an
        # origin that no frame shows any more, "Frame not found for the given storage id", and
        # the page was replaced after every sign-on test)
        self.origins.add(_origin(self.page.url) or "")
        for origin in sorted(self.origins - {""}):
            self.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        self.origins.clear()
        # a new context starts with an empty HTTP cache (the renderer keeps the page's static
        # files in its memory cache, the same files under the same names)
        self.cdp.send("Network.clearBrowserCache")
        self.context.clear_cookies()
        self.context.clear_permissions()
        self.context.set_offline(False)
        self.context.set_geolocation(None)
        self.context.set_extra_http_headers({})
        self.page.set_extra_http_headers({})
        self.page.emulate_media(
            media="null", color_scheme="null", reduced_motion="null", forced_colors="null"
        )
        self.context.unroute_all(behavior="ignoreErrors")
        self.page.unroute_all(behavior="ignoreErrors")
        if self.page.viewport_size != self.pool.viewport:
            self.page.set_viewport_size(self.pool.viewport)
        self.page.mouse.up()
        self.page.mouse.move(0, 0)
        for key in MODIFIERS:
            self.page.keyboard.up(key)
        return True

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already closed, or the browser is gone
            self.context.close()


def _listeners(owner) -> dict[str, set]:
    return {event: set(owner.raw_listeners(event)) for event in owner.event_names()}


def _origin(url: str) -> str | None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


def _pool(browser, device: str) -> Iterator[PagePool]:
    viewport, options = DEVICES[device]
    pool = PagePool(browser, viewport, **options)
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def desktop_pages(browser) -> Iterator[PagePool]:
    yield from _pool(browser, "desktop")


@pytest.fixture(scope="session")
def phone_pages(browser) -> Iterator[PagePool]:
    yield from _pool(browser, "phone")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """Keeps whether the test itself failed on the item, for the page pools' fixtures."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_FAILED] = report.failed


_FAILED = pytest.StashKey[bool]()


def _lent(pool: PagePool, request) -> Iterator:
    """The pool's page for one test; taken back after it, or replaced if the test failed."""
    yield pool.take()
    pool.give_back(failed=request.node.stash.get(_FAILED, True))


@pytest.fixture
def page(desktop_pages, request) -> Iterator:
    """A desktop page (1280 × 900), as new to the test as a new context's (``PagePool``)."""
    yield from _lent(desktop_pages, request)


@pytest.fixture
def phone(phone_pages, request) -> Iterator:
    """A 375 px phone with touch, as new to the test as a new context's (``PagePool``)."""
    yield from _lent(phone_pages, request)


def save_screenshot(page, name: str) -> None:
    """The whole page as ``<name>.png`` in ``KLEBEPUNKT_SCREENSHOTS``, when it names a directory."""
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in {"serious", "critical"}
    ]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in violations
    ]
    assert not violations, f"{page.url}:\n" + "\n".join(details)


OVERFLOWING = """() => Array.from(document.querySelectorAll('main *')).filter(element => {
    if (element.closest('.table-wrap, .visually-hidden, details:not([open])')) { return false; }
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > window.innerWidth + 1;
}).slice(0, 3).map(element => element.tagName + '.' + element.className + ' → ' + Math.round(element.getBoundingClientRect().right))"""


def assert_fits_the_screen(page) -> None:
    """No horizontal scrolling of the page itself, and no element running off the screen's right
    edge (tables scroll inside their own box)."""
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the screen"
    # a phone browser widens its layout viewport (and zooms out) for content that does not fit
    layout = page.evaluate("window.innerWidth")
    assert layout <= page.viewport_size["width"], f"{page.url} is laid out {layout}px wide"
    outside = page.evaluate(OVERFLOWING)
    assert not outside, f"{page.url}: elements beyond the screen's edge: {outside}"
