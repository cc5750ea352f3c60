"""Writes of logins: the one place where a login is created or given a new password."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.db import transaction


@transaction.atomic
def save_login(*, username: str, password: str) -> User:
    """A facilitator's login, created or given a new password.

    A password Django's validators refuse raises ``ValidationError`` and changes nothing.
    """
    users = get_user_model()
    user = users.objects.select_for_update().filter(username=username).first()
    if user is None:
        user = users(username=username)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user
