"""Browser tests: Playwright for Python driving Debian's Chromium (no browser download), axe-core."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KLEBEPUNKT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
PASSWORD = "correct horse battery staple"
# a directory: the browser tests save the pages they visit there as PNG, to be looked at (a
# desktop and a 375 px phone); unset, none is taken (a full-page one costs Chromium ~0.6 s CPU)
SCREENSHOTS = os.environ.get("KLEBEPUNKT_SCREENSHOTS", "")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (./run test does)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="de-DE", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    return context, page


@pytest.fixture
def page(browser) -> Iterator:
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone(browser) -> Iterator:
    context, page = _page(browser, PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()


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
