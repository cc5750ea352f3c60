"""Logging in, with a limit on wrong passwords.

At most ``WRONG_PASSWORDS`` wrong passwords per client address and per user name in
ten minutes; then every further attempt is refused, the right password too, until
the window has passed. The limit sits in the authentication backend, so that every
way in (``/accounts/login/``, the admin's login) counts and is refused alike; the
login page says so in words (HTTP 429). The counters live in the shared cache
(Redis or the database), so every app process sees the same counts.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

WRONG_PASSWORDS = 10  # per client address and per user name, in ten minutes
WRONG_PASSWORD_RATE = f"{WRONG_PASSWORDS}/10m"


def _usages(request: HttpRequest, username: str, *, count: bool) -> list[dict[str, Any] | None]:
    name = username.strip().casefold()
    return [
        get_usage(
            request, group="login-client", key="ip", rate=WRONG_PASSWORD_RATE, increment=count
        ),
        get_usage(
            request,
            group="login-user",
            key=lambda _group, _request: name,
            rate=WRONG_PASSWORD_RATE,
            increment=count,
        ),
    ]


def login_limited(request: HttpRequest, username: str) -> bool:
    """Has this client, or this user name, had too many wrong passwords lately?"""
    return any(
        usage is not None and usage["count"] >= WRONG_PASSWORDS
        for usage in _usages(request, username, count=False)
    )


def count_wrong_password(request: HttpRequest, username: str) -> None:
    _usages(request, username, count=True)


class RateLimitedModelBackend(ModelBackend):
    """Django's user and password check, refused once the limit is reached."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if request is None:  # the command line: no client to limit
            return super().authenticate(request, username, password, **kwargs)
        name = username or ""
        if login_limited(request, name):
            raise PermissionDenied  # authenticate() stops here: nobody gets in
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            count_wrong_password(request, name)
        return user


class RateLimitedLoginView(LoginView):
    """The login page; after too many wrong passwords it says so (HTTP 429)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django.conf import settings

        context = super().get_context_data(**kwargs)
        context["sign_on"] = settings.OIDC_ENABLED
        context["sign_on_failed"] = self.request.GET.get("sign-on") == "failed"
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if login_limited(request, request.POST.get("username", "")):
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                _(
                    "Too many wrong passwords from this device or for this user name. "
                    "Please wait ten minutes, then try again."
                ),
            )
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)
