"""Sign-on for staff through the city's identity provider (OpenID Connect).

Off unless ``KLEBEPUNKT_OIDC_CLIENT_ID`` and the provider's endpoints are set; local logins
stay as they are. The protocol is mozilla-django-oidc's (authorization code flow with PKCE,
ID token signature checked against the provider's keys, state and nonce). Our part: who a
user is here and what they may do.

- A user is found by the provider's ``preferred_username`` (or e-mail) among the users who
  came through sign-on before; a local account of the same name is never taken over: that
  login is refused and the log says why.
- Every sign-on user is in the group ``klebepunkt: sign-on``. The groups claim
  (``KLEBEPUNKT_OIDC_GROUPS_CLAIM``, default ``groups``) decides at every login whether they
  may create processes (``KLEBEPUNKT_OIDC_CREATOR_GROUP``); without it they see the
  processes a facilitator gave them a role in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from klebepunkt.processes.permissions import CREATE_PERMISSION, SIGN_ON_GROUP

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


class SignOnBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def username_from(self, claims: dict[str, Any]) -> str:
        name = claims.get("preferred_username") or claims.get("email") or claims.get("sub", "")
        return str(name)[:150]

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(self.username_from(claims))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        username = self.username_from(claims)
        users = self.UserModel.objects.filter(username=username)
        if users.exclude(groups__name=SIGN_ON_GROUP).exists():
            logger.warning(
                "sign-on refused: %r is a local account; the identity provider may not take it over",
                username,
            )
            return self.UserModel.objects.none().filter(pk__in=[])  # and create_user refuses
        return users

    def create_user(self, claims: dict[str, Any]) -> Any:
        username = self.username_from(claims)
        if self.UserModel.objects.filter(username=username).exists():
            return None  # a local account of that name: refused (see filter_users_by_claims)
        user = self.UserModel.objects.create_user(username, email=claims.get("email", ""))
        user.set_unusable_password()  # signs on through the provider only
        user.save(update_fields=["password"])
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        group, _created = Group.objects.get_or_create(name=SIGN_ON_GROUP)
        user.groups.add(group)
        app_label, codename = CREATE_PERMISSION.split(".")
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        if isinstance(groups, str):
            groups = [groups]
        if settings.OIDC_CREATOR_GROUP and settings.OIDC_CREATOR_GROUP in groups:
            user.user_permissions.add(permission)
        else:
            user.user_permissions.remove(permission)
        email = claims.get("email")
        if email and user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        return user

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not enabled():
            return None
        return super().authenticate(request, **kwargs)


def _only_when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


sign_on = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
callback = _only_when_enabled(OIDCAuthenticationCallbackView.as_view())
