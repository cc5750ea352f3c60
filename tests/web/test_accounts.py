"""The demo's login is written through the one login service (``processes.services.save_login``,
tested in tests/processes/test_logins.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from klebepunkt.processes.models import ChangeRecord, ProcessRole, Role
from klebepunkt.web import server

pytestmark = pytest.mark.django_db


def test_the_demo_login_and_its_process_are_kept_across_runs(tmp_path):
    name, password, process_id = server.ensure_demo(tmp_path)
    assert authenticate(username=name, password=password) is not None
    assert ProcessRole.objects.get(process_id=process_id, user__username=name).role == (
        Role.FACILITATOR
    )
    assert server.ensure_demo(tmp_path) == (name, password, process_id)
    assert not ChangeRecord.objects.exists()  # the demo's own facilitator role is no change
