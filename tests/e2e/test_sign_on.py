"""Sign-on with the city's identity provider: a real OpenID Connect provider (the npm package
oidc-provider on the machine's Node.js) on loopback, driven in Chromium.

``./run test`` installs the provider's package (``npm ci --prefix tests/oidc``); without
Node.js or the package the tests are skipped with the reason.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, assert_accessible, save_screenshot
from tests.factories import UserFactory
from tests.server import free_port

pytestmark = pytest.mark.django_db(transaction=True)
PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc"


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed: the OpenID provider of the sign-on tests cannot run"
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return "oidc-provider is not installed: run `npm ci --prefix tests/oidc` (./run test does)"
    return None


@pytest.fixture
def provider(live_server, settings):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    port = free_port()
    process = subprocess.Popen(
        ["node", "provider.mjs", str(port), f"{live_server.url}/accounts/sign-on/callback/"],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the OpenID provider did not start: {process.stdout.read()}")
            time.sleep(0.1)
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "klebepunkt"
    settings.OIDC_RP_CLIENT_SECRET = "test-only-client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
    settings.OIDC_CREATOR_GROUP = "klebepunkt-moderation"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "klebepunkt.web.oidc.SignOnBackend",
    ]
    yield issuer
    process.terminate()
    process.wait(timeout=10)


def sign_on(page, live_server, login: str, *, cancel: bool = False) -> None:
    """From klebepunkt's login page through the provider's pages, by keyboard where ours."""
    page.goto(f"{live_server.url}/accounts/login/")
    button = page.get_by_role("link", name="Mit dem Konto der Stadt anmelden")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/interaction/**")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/interaction/**")
    if cancel:
        page.get_by_role("link", name="Cancel").click()
    else:
        page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/**")


def test_staff_with_the_group_sign_on_and_may_create_processes(page, live_server, provider):
    sign_on(page, live_server, "planung.mueller")
    expect(page.get_by_role("heading", name="Neues Verfahren")).to_be_visible()
    user = get_user_model().objects.get(username="planung.mueller")
    assert user.email == "planung.mueller@koblenz.example"
    assert not user.has_usable_password()
    assert user.has_perm("processes.add_process")
    page.get_by_role("link", name="Neues Verfahren beginnen").click()
    page.get_by_label("Titel").fill("Sozialplanung 2027")
    page.get_by_role("button", name="Verfahren anlegen").click()
    expect(page.locator("h1")).to_contain_text("Sozialplanung 2027")


def test_staff_without_the_group_sign_on_but_create_nothing(page, live_server, provider):
    sign_on(page, live_server, "rathaus.schmidt")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("heading", name="Neues Verfahren")).to_have_count(0)
    response = page.request.get(f"{live_server.url}/processes/new/")
    assert response.status == 403
    user = get_user_model().objects.get(username="rathaus.schmidt")
    assert not user.has_perm("processes.add_process")


def test_a_refused_sign_on_says_so_on_the_login_page(page, live_server, provider):
    sign_on(page, live_server, "planung.mueller", cancel=True)
    expect(page.get_by_role("alert")).to_contain_text("Anmeldung über das Konto der Stadt")
    assert not get_user_model().objects.filter(username="planung.mueller").exists()
    assert_accessible(page)
    save_screenshot(page, "login-sign-on-failed")


def test_the_provider_cannot_take_over_a_local_account(page, live_server, provider):
    UserFactory(username="planung.local")
    sign_on(page, live_server, "planung.local")
    expect(page.get_by_role("alert")).to_contain_text("Anmeldung über das Konto der Stadt")
    local = get_user_model().objects.get(username="planung.local")
    assert local.has_usable_password() and local.check_password(PASSWORD)
    assert not local.groups.exists()


def test_without_settings_sign_on_is_not_offered(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name="Mit dem Konto der Stadt anmelden")).to_have_count(0)
    response = page.request.get(f"{live_server.url}/accounts/sign-on/")
    assert response.status == 404
