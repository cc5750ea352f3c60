"""Facilitator logins are created and given new passwords through one service (``save_login``),
used by ``klebepunkt createuser`` and the demo."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from klebepunkt.processes.selectors import user_named
from klebepunkt.processes.services import save_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_login_is_created_with_its_password():
    user = save_login(username="anna", password="Sommerfest im Park 2026")
    assert user_named("anna") == user
    assert user.check_password("Sommerfest im Park 2026")


def test_saving_an_existing_login_sets_a_new_password_and_creates_nobody():
    existing = UserFactory(username="anna")
    save_login(username="anna", password="Herbstlaub am Rhein 2026")
    existing.refresh_from_db()
    assert existing.check_password("Herbstlaub am Rhein 2026")
    assert get_user_model().objects.filter(username="anna").count() == 1


@pytest.mark.parametrize("weak", ["kurz", "1234567890123", "password123"])
def test_a_weak_password_is_refused_and_nothing_is_saved(weak):
    existing = UserFactory(username="bernd")
    with pytest.raises(ValidationError):
        save_login(username="bernd", password=weak)
    with pytest.raises(ValidationError):
        save_login(username="anna-anna", password=weak)
    existing.refresh_from_db()
    assert existing.check_password("correct horse battery staple")
    assert user_named("anna-anna") is None


def test_nobody_has_a_name_that_was_never_saved():
    assert user_named("niemand") is None
