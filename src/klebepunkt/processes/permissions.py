"""Who may see and who may change a process, named and in one place.

A facilitator sees and changes the processes they are a facilitator of; an
observer sees them and changes nothing; anybody else gets a 404, so that the
existence of another city's process is not revealed. Superusers act as
facilitators everywhere (they also have the Django admin).
"""

from __future__ import annotations

from django.contrib.auth import models as auth
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from klebepunkt.processes.models import Process, ProcessRole, Role

User = auth.User | auth.AnonymousUser


class LoggedInRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user has logged in.

    Only a type (django-stubs' way to say so): a view annotated with it gets no other object.
    """

    user: auth.User


def role_of(user: User, process: Process) -> Role | None:
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Role.FACILITATOR
    value = (
        ProcessRole.objects.filter(process=process, user=user)
        .values_list("role", flat=True)
        .first()
    )
    return Role(value) if value else None


SIGN_ON_GROUP = "klebepunkt: sign-on"  # users who came through the city's identity provider
CREATE_PERMISSION = "processes.add_process"


def may_create_processes(user: User) -> bool:
    """Local logins may (the administrator created them for that); a user who signs on
    through the city's identity provider only with the group the provider names
    (``KLEBEPUNKT_OIDC_CREATOR_GROUP``, mapped to the ``add_process`` permission)."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    signed_on = user.groups.filter(name=SIGN_ON_GROUP).exists()
    return not signed_on or user.has_perm(CREATE_PERMISSION)


def can_view(user: User, process: Process) -> bool:
    return role_of(user, process) is not None


def can_change(user: User, process: Process) -> bool:
    return role_of(user, process) is Role.FACILITATOR


def visible_processes(user: User) -> QuerySet[Process]:
    if not user.is_authenticated:
        return Process.objects.none()
    if getattr(user, "is_superuser", False):
        return Process.objects.all()
    return Process.objects.filter(roles__user=user).distinct()


def process_for(user: User, pk: int, *, change: bool = False) -> tuple[Process, Role]:
    """The process if the user may see it (else 404), and their role.

    With ``change=True`` an observer gets 403: they know the process exists.
    """
    process = Process.objects.filter(pk=pk).first()
    role = role_of(user, process) if process else None
    if process is None or role is None:
        raise Http404
    if change and role is not Role.FACILITATOR:
        raise PermissionDenied
    return process, role
