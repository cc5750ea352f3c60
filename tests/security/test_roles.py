"""Every URL of the app × every role: no access beyond the role.

Every route of the URL configuration (process pages, voting, the projector by its
token, accounts, i18n, the Django admin) is requested with GET and with POST by the
facilitator of the process, the facilitator of another city's process, an observer,
a member who joined the open round on their phone, and somebody anonymous. Each
route has an entry in ``EXPECTED`` below: a new route without one fails
``test_every_route_has_an_expectation``, so a new view is covered from the day it
is added. A refused request writes nothing, and no GET writes anything.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.security.database import rolled_back
from tests.security.world import (
    ANONYMOUS,
    FACILITATOR,
    OBSERVER,
    OTHER,
    ROLES,
    VOTER,
    build_world,
    url_for,
    writes,
)
from tests.urlconf import routes

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Outcome:
    statuses: frozenset[int]
    to: str | None = None  # the route a redirect must lead to
    refused: bool = False  # the request must not change anything

    def __str__(self) -> str:
        return "/".join(map(str, sorted(self.statuses))) + (f" → {self.to}" if self.to else "")


def outcome(*statuses: int, to: str | None = None, refused: bool = False) -> Outcome:
    return Outcome(frozenset(statuses), to, refused)


OK = outcome(200)
ANSWERED = outcome(200, 302, 400)  # done, or the form again with its errors
EDITED = outcome(200, 302, 400, 409)  # as ANSWERED, or: changed meanwhile, both texts shown
REDIRECT = outcome(302)
LOGIN = outcome(302, to="login", refused=True)
ADMIN_LOGIN = outcome(302, to="admin:login", refused=True)
JOIN = outcome(302, to="voting:join", refused=True)
NOT_FOUND = outcome(404, refused=True)
FORBIDDEN = outcome(403, refused=True)
NO_METHOD = outcome(405, refused=True)


@dataclass(frozen=True)
class Kind:
    """What each role gets from a kind of route: (GET, POST) per role."""

    name: str
    get: dict[str, Outcome]
    post: dict[str, Outcome]


def roles(facilitator, other, observer, voter, anonymous) -> dict[str, Outcome]:
    return {
        FACILITATOR: facilitator,
        OTHER: other,
        OBSERVER: observer,
        VOTER: voter,
        ANONYMOUS: anonymous,
    }


# pages of one process: everybody with a role sees them; strangers get "not found"
PROCESS_PAGE = Kind(
    "a page of the process",
    get=roles(OK, NOT_FOUND, OK, LOGIN, LOGIN),
    post=roles(NO_METHOD, NO_METHOD, NO_METHOD, LOGIN, LOGIN),
)
PROCESS_FORM = Kind(
    "a page of the process with a form that changes it",
    get=roles(OK, NOT_FOUND, OK, LOGIN, LOGIN),
    post=roles(ANSWERED, NOT_FOUND, FORBIDDEN, LOGIN, LOGIN),
)
PROCESS_ACTION = Kind(
    "a change of the process (POST only)",
    get=roles(NO_METHOD, NO_METHOD, NO_METHOD, LOGIN, LOGIN),
    post=roles(ANSWERED, NOT_FOUND, FORBIDDEN, LOGIN, LOGIN),
)
PROCESS_CHANGE_PAGE = Kind(
    "a page only the facilitator sees (it prepares a change)",
    get=roles(ANSWERED, NOT_FOUND, FORBIDDEN, LOGIN, LOGIN),
    post=roles(ANSWERED, NOT_FOUND, FORBIDDEN, LOGIN, LOGIN),
)
PROCESS_CHANGE_FILE = Kind(
    "a file only the facilitator may download (the personal codes)",
    get=roles(OK, NOT_FOUND, FORBIDDEN, LOGIN, LOGIN),
    post=roles(NO_METHOD, NO_METHOD, NO_METHOD, LOGIN, LOGIN),
)
ACCOUNT_PAGE = Kind(
    "a page for everybody logged in",
    get=roles(OK, OK, OK, LOGIN, LOGIN),
    post=roles(NO_METHOD, NO_METHOD, NO_METHOD, LOGIN, LOGIN),
)
ACCOUNT_FORM = Kind(
    "a form for everybody logged in (their own account, a new process of their own)",
    get=roles(OK, OK, OK, LOGIN, LOGIN),
    post=roles(ANSWERED, ANSWERED, ANSWERED, LOGIN, LOGIN),
)
ACCOUNT_ACTION = Kind(
    "a change for everybody logged in, POST only (import a process of their own)",
    get=roles(NO_METHOD, NO_METHOD, NO_METHOD, LOGIN, LOGIN),
    post=roles(ANSWERED, ANSWERED, ANSWERED, LOGIN, LOGIN),
)
LOGIN_PAGE = Kind(
    "the login: who is logged in is sent on",
    get=roles(REDIRECT, REDIRECT, REDIRECT, OK, OK),
    post=roles(REDIRECT, REDIRECT, REDIRECT, OK, OK),
)
LOGOUT = Kind(
    "the logout (POST only)",
    get=roles(NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD),
    post=roles(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
)
EVERYBODY_REDIRECT = Kind(
    "a redirect for everybody (the start page, the language switch)",
    get=roles(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    post=roles(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
)
VOTER_ENTRY = Kind(
    "the entry for members: open to everybody",
    get=roles(OK, OK, OK, OK, OK),
    post=roles(OK, OK, OK, OK, OK),
)
VOTER_CODE = Kind(
    "the link of a QR code: the personal code is the key",
    get=roles(OK, OK, OK, OK, OK),
    post=roles(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
)
VOTER_PICK = Kind(
    "picking up one's code with the round code: the round code is the key",
    get=roles(OK, OK, OK, OK, OK),
    post=roles(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
)
VOTER_BALLOT = Kind(
    "the member's ballot: only with the voter cookie",
    get=roles(JOIN, JOIN, JOIN, OK, JOIN),
    post=roles(NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD),
)
VOTER_DOT = Kind(
    "a click on + or −: only with the voter cookie",
    get=roles(NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD),
    post=roles(JOIN, JOIN, JOIN, REDIRECT, JOIN),
)
VOTER_DECISION = Kind(
    "the member's vote on a decision: only with the voter cookie (a refused vote: a message)",
    get=roles(JOIN, JOIN, JOIN, OK, JOIN),
    post=roles(JOIN, JOIN, JOIN, REDIRECT, JOIN),
)
VOTER_LEAVE = Kind(
    "leaving the round on this device",
    get=roles(NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD),
    post=roles(JOIN, JOIN, JOIN, JOIN, JOIN),
)
PROJECTOR_TOKEN = Kind(
    "the projector by its secret link: the token is the key",
    get=roles(OK, OK, OK, OK, OK),
    post=roles(NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD),
)
PROCESS_EDIT_FORM = Kind(
    "a form that edits a card someone else may be editing too (409: both texts shown)",
    get=roles(OK, NOT_FOUND, OK, LOGIN, LOGIN),
    post=roles(EDITED, NOT_FOUND, FORBIDDEN, LOGIN, LOGIN),
)
PARTICIPANT_PAGE = Kind(
    "the member's card collection on their phone: only with the meeting's cookie",
    get=roles(JOIN, JOIN, JOIN, OK, JOIN),
    post=roles(NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD),
)
PARTICIPANT_WRITE = Kind(
    "a card written on the phone: only with the meeting's cookie",
    get=roles(NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD),
    post=roles(JOIN, JOIN, JOIN, REDIRECT, JOIN),
)
PARTICIPANT_OTHERS_CARD = Kind(
    "another member's card: not found even for a member of the meeting",
    get=roles(JOIN, JOIN, JOIN, NOT_FOUND, JOIN),
    post=roles(JOIN, JOIN, JOIN, NOT_FOUND, JOIN),
)
PARTICIPANT_OTHERS_CARD_ACTION = Kind(
    "withdrawing another member's card (POST only): not found",
    get=roles(NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD),
    post=roles(JOIN, JOIN, JOIN, NOT_FOUND, JOIN),
)
ARCHIVE_TAKE = Kind(
    "taking an archived entry into one's own process (POST only; without a valid entry: not found)",
    get=roles(NO_METHOD, NO_METHOD, NO_METHOD, LOGIN, LOGIN),
    post=roles(NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN, LOGIN),
)
PUBLIC_PAGE = Kind(
    "the public page of a process: nobody sees it until the facilitator switches it on",
    get=roles(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    post=roles(NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD),
)
ADMIN = Kind(
    "the Django admin: staff only (nobody here is staff)",
    get=roles(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN),
    post=roles(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN),
)
ADMIN_LOGIN_PAGE = Kind(
    "the admin's login: a form for everybody, it lets only staff in",
    get=roles(OK, OK, OK, OK, OK),
    post=roles(OK, OK, OK, OK, OK),
)
ADMIN_LOGOUT = Kind(
    "the admin's logout: who is not staff is sent to the admin's start, then its login",
    get=roles(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    post=roles(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
)
HEALTH = Kind(
    "health, readiness and metrics for the city's IT: no login (metrics only from the "
    "configured addresses, which the test client's 127.0.0.1 is)",
    get=roles(OK, OK, OK, OK, OK),
    post=roles(NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD, NO_METHOD),
)
SIGN_ON_OFF = Kind(
    "sign-on through the city's identity provider: not found while it is not configured "
    "(tests/e2e/test_sign_on.py tests it switched on)",
    get=roles(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    post=roles(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
)

ADMIN_MODELS = (
    "auth_group",
    "auth_user",
    "processes_card",
    "processes_goal",
    "processes_meeting",
    "processes_member",
    "processes_process",
    "processes_processrole",
    "processes_stakeholdergroup",
    "processes_themefield",
    "django_tasks_database_dbtaskresult",  # the job queue (django-tasks-db)
)

EXPECTED: dict[str, Kind] = {
    # accounts, start page, language
    "home": EVERYBODY_REDIRECT,
    "login": LOGIN_PAGE,
    "logout": LOGOUT,
    "oidc_authentication_init": SIGN_ON_OFF,
    "oidc_callback": SIGN_ON_OFF,
    "healthz": HEALTH,
    "readyz": HEALTH,
    "metrics": HEALTH,
    "password_change": ACCOUNT_FORM,
    "password_change_done": ACCOUNT_PAGE,
    "set_language": EVERYBODY_REDIRECT,
    # the list of one's processes; a new one, created or imported
    "processes:list": ACCOUNT_PAGE,
    "processes:create": ACCOUNT_FORM,
    "processes:import": ACCOUNT_ACTION,
    # one process
    "processes:detail": PROCESS_PAGE,
    "processes:settings": PROCESS_FORM,
    "processes:grant": PROCESS_ACTION,
    "processes:revoke": PROCESS_ACTION,
    "privacy:process_delete": PROCESS_ACTION,
    "processes:members": PROCESS_PAGE,
    "processes:member_add": PROCESS_FORM,
    "processes:member_edit": PROCESS_FORM,
    "processes:member_delete": PROCESS_ACTION,
    "processes:group_add": PROCESS_FORM,
    "processes:group_edit": PROCESS_FORM,
    "processes:group_delete": PROCESS_ACTION,
    "processes:meetings": PROCESS_PAGE,
    "processes:meeting_add": PROCESS_FORM,
    "processes:meeting_edit": PROCESS_FORM,
    "processes:meeting_delete": PROCESS_ACTION,
    "processes:cards": PROCESS_PAGE,
    "processes:card_add": PROCESS_FORM,
    "processes:card_edit": PROCESS_FORM,
    "processes:card_similar": PROCESS_PAGE,
    "processes:card_delete": PROCESS_ACTION,
    "processes:theme_field_add": PROCESS_ACTION,
    "processes:theme_field_edit": PROCESS_FORM,
    "processes:sheet_upload": PROCESS_ACTION,
    "processes:sheet_preview": PROCESS_CHANGE_PAGE,
    # members from a sheet: paste or upload, then the preview that applies it
    "processes:member_sheet_upload": PROCESS_CHANGE_PAGE,
    "processes:member_sheet_preview": PROCESS_CHANGE_PAGE,
    "processes:board": PROCESS_PAGE,
    "processes:board_assign": PROCESS_ACTION,
    "processes:goal_add": PROCESS_ACTION,
    "processes:goal_edit": PROCESS_ACTION,
    "processes:goal_merge": PROCESS_ACTION,
    "processes:goal_split": PROCESS_ACTION,
    "processes:goal_delete": PROCESS_ACTION,
    "processes:result": PROCESS_PAGE,
    "processes:history": PROCESS_PAGE,
    "processes:export_process": PROCESS_PAGE,
    "processes:export_report": PROCESS_PAGE,
    # a report made in the background: its progress page, its file, trying again
    "processes:report_job": PROCESS_PAGE,
    "processes:report_job_file": PROCESS_PAGE,
    "processes:report_job_retry": PROCESS_ACTION,
    # voting rounds of a process
    "voting:rounds": PROCESS_FORM,
    "voting:round": PROCESS_PAGE,
    "voting:round_state": PROCESS_ACTION,
    "voting:round_close": PROCESS_CHANGE_PAGE,
    "voting:voter_code": PROCESS_ACTION,
    "voting:paper_totals": PROCESS_ACTION,
    "voting:paper_ballot": PROCESS_ACTION,
    "voting:projector": PROCESS_PAGE,
    "voting:projector_live": PROCESS_PAGE,
    "voting:code_sheet": PROCESS_CHANGE_FILE,
    "voting:verify": PROCESS_PAGE,
    "voting:invitations": PROCESS_CHANGE_PAGE,
    # data protection: a member's data out, or erased (personal data: the facilitator only)
    "privacy:member_export": PROCESS_ACTION,  # a POST: the export is recorded
    "privacy:member_erase": PROCESS_CHANGE_PAGE,
    # monitoring of a process
    "monitoring:overview": PROCESS_PAGE,
    "monitoring:priority": PROCESS_PAGE,
    "monitoring:status_of_goal": PROCESS_ACTION,
    "monitoring:status_of_card": PROCESS_ACTION,
    "monitoring:indicator_add_to_goal": PROCESS_ACTION,
    "monitoring:indicator_add_to_card": PROCESS_ACTION,
    "monitoring:indicator": PROCESS_FORM,
    "monitoring:indicator_delete": PROCESS_ACTION,
    "monitoring:measurement_add": PROCESS_ACTION,
    "monitoring:measurement_delete": PROCESS_ACTION,
    "monitoring:sheet_export": PROCESS_PAGE,
    "monitoring:sheet_upload": PROCESS_CHANGE_PAGE,
    "monitoring:sheet_preview": PROCESS_CHANGE_PAGE,
    "monitoring:report": PROCESS_FORM,
    "monitoring:report_download": PROCESS_PAGE,
    # attendance per meeting and the decision on the priorities
    "decisions:attendance": PROCESS_FORM,
    "decisions:decisions": PROCESS_FORM,
    "decisions:rule": PROCESS_ACTION,
    "decisions:decision": PROCESS_FORM,
    "decisions:decision_close": PROCESS_ACTION,
    "decisions:progress": PROCESS_PAGE,
    "decisions:phone": VOTER_DECISION,
    "decisions:texts": PROCESS_PAGE,
    "decisions:text": PROCESS_FORM,
    "decisions:rewording": PROCESS_FORM,
    "decisions:versions": PROCESS_FORM,
    "decisions:version_download": PROCESS_PAGE,
    # the topic store archive across processes; the public page
    "monitoring:archive": ACCOUNT_PAGE,
    "monitoring:archive_take": ARCHIVE_TAKE,
    "monitoring:public": PUBLIC_PAGE,
    # members on their phones, the projector at the beamer
    "voting:join": VOTER_ENTRY,
    "voting:code": VOTER_CODE,
    "voting:pick": VOTER_PICK,
    "voting:ballot": VOTER_BALLOT,
    "voting:dot": VOTER_DOT,
    "voting:leave": VOTER_LEAVE,
    "voting:shared_projector": PROJECTOR_TOKEN,
    "voting:shared_projector_live": PROJECTOR_TOKEN,
    # the card collection of a meeting: the facilitator's wall, the members' phones
    "collection:collections": PROCESS_FORM,
    "collection:wall": PROCESS_PAGE,
    "collection:wall_live": PROCESS_PAGE,
    "collection:wall_edit": PROCESS_EDIT_FORM,
    "collection:accept": PROCESS_ACTION,
    "collection:send_back": PROCESS_ACTION,
    "collection:merge": PROCESS_ACTION,
    "collection:paper": PROCESS_ACTION,
    "collection:close": PROCESS_ACTION,
    "collection:round": PROCESS_ACTION,
    "collection:participants": PROCESS_CHANGE_FILE,
    "collection:projector": PROJECTOR_TOKEN,
    "collection:projector_live": PROJECTOR_TOKEN,
    "collection:code": VOTER_CODE,
    "collection:pick": VOTER_PICK,
    "collection:phone": PARTICIPANT_PAGE,
    "collection:phone_live": PARTICIPANT_PAGE,
    "collection:similar": PARTICIPANT_PAGE,
    "collection:submit": PARTICIPANT_WRITE,
    "collection:vote": PARTICIPANT_WRITE,
    "collection:edit": PARTICIPANT_OTHERS_CARD,
    "collection:withdraw": PARTICIPANT_OTHERS_CARD_ACTION,
    "collection:support": PARTICIPANT_WRITE,  # another member's card: supporting it is the point
    "collection:leave": VOTER_LEAVE,
    # the Django admin
    "admin:login": ADMIN_LOGIN_PAGE,
    "admin:logout": ADMIN_LOGOUT,
    "admin:index": ADMIN,
    "admin:app_list": ADMIN,
    "admin:password_change": ADMIN,
    "admin:password_change_done": ADMIN,
    "admin:autocomplete": ADMIN,
    "admin:jsi18n": ADMIN,
    "admin:view_on_site": ADMIN,
    "admin:auth_user_password_change": ADMIN,
    **{
        f"admin:{model}_{action}": ADMIN
        for model in ADMIN_MODELS
        for action in ("changelist", "add", "change", "delete", "history")
    },
}


def post_data(world) -> dict[str, object]:
    """What a request sends: every field a form of the app reads, with a value that fits."""
    from klebepunkt.processes.models import Card

    card = Card.objects.filter(theme_field=world.process.theme_fields.first()).first()
    goal = card.theme_field.goals.exclude(pk=card.goal_id).first()
    return {
        "title": "x",
        "text": "x",
        "name": "x",
        "username": "x",
        "password": "x",
        "code": "AAA-AAA-AAA",
        "round_code": "x",
        "action": "x",
        "card": card.pk,
        "theme_field": card.theme_field_id,
        "target": goal.pk,
        "voter": world.voter.pk,
        "dots": "1",
        "goal": "",
        "language": "de",
        "confirm_title": world.process.title,
        "key": "role-matrix-card",
    }


def check(response, expected: Outcome) -> str | None:
    """What is wrong with the response, or None."""
    if response.status_code not in expected.statuses:
        return f"{response.status_code}, expected {expected}"
    if expected.to:
        target = reverse(expected.to)
        if not response["Location"].startswith(target):
            return f"redirect to {response['Location']}, expected {target}"
    return None


def test_every_route_has_an_expectation():
    names = {route.name for route in routes()}
    missing = sorted(names - EXPECTED.keys())
    assert not missing, (
        f"routes without an entry in EXPECTED (add what each role may do): {missing}"
    )
    assert not sorted(EXPECTED.keys() - names), "entries in EXPECTED for routes that do not exist"
    for area in ("processes:", "voting:", "admin:", "login", "set_language", "voting:shared"):
        assert any(name.startswith(area) for name in names), area


@pytest.mark.parametrize("role", ROLES)
def test_every_route_as_every_role(role):
    world = build_world()
    client = world.clients[role]
    data = post_data(world)
    problems: list[str] = []
    for route in routes():
        kind = EXPECTED[route.name]
        url = url_for(route, world)
        for method, expected in (("GET", kind.get[role]), ("POST", kind.post[role])):
            cookies = copy.deepcopy(client.cookies)  # a logout must not end the next request's
            with rolled_back(), writes() as written:
                try:
                    response = client.get(url) if method == "GET" else client.post(url, data)
                except Exception as error:  # a 500: the test client raises it
                    problems.append(f"{method} {route.name} ({url}): {error!r}")
                    continue
                finally:
                    client.cookies = cookies
            problem = check(response, expected)
            if problem:
                problems.append(f"{method} {route.name} ({url}): {problem}")
            elif written and (expected.refused or method == "GET"):
                problems.append(f"{method} {route.name} ({url}) wrote: {written[0]}")
    assert not problems, f"as {role}:\n" + "\n".join(problems)


def test_the_facilitators_changes_do_happen():
    """The table's baseline: the facilitator's POSTs reach the views (and are not all refused)."""
    world = build_world()
    client = world.clients[FACILITATOR]
    response = client.post(
        reverse("processes:theme_field_add", args=[world.process.pk]), {"name": "Kultur"}
    )
    assert response.status_code == 302
    assert world.process.theme_fields.filter(name="Kultur").exists()


# --- deleting: a whole process goes, a card with dots of a round stays ------------------------


def test_the_facilitator_deletes_a_process_with_rounds_and_their_audit_logs():
    from klebepunkt.processes.models import Card, Process
    from klebepunkt.voting import services as voting_services
    from klebepunkt.voting.models import DotEvent

    world = build_world()
    card = Card.objects.filter(theme_field__process=world.process).first()
    voting_services.place_dot(voter_id=world.voter.pk, card_id=card.pk)
    response = world.clients[FACILITATOR].post(
        reverse("privacy:process_delete", args=[world.process.pk]),
        {"confirm_title": world.process.title},
    )
    assert response.status_code == 302
    assert not Process.objects.filter(pk=world.process.pk).exists()
    assert not DotEvent.objects.exists()
    assert Process.objects.count() == 1  # the other city's process is still there


def test_a_card_with_dots_of_a_round_is_not_deleted_and_says_why():
    from klebepunkt.processes.models import Card
    from klebepunkt.voting import services as voting_services

    world = build_world()
    card = Card.objects.filter(theme_field__process=world.process).first()
    voting_services.place_dot(voter_id=world.voter.pk, card_id=card.pk)
    response = world.clients[FACILITATOR].post(
        reverse("processes:card_delete", args=[world.process.pk, card.pk]), follow=True
    )
    assert response.status_code == 200
    assert "Prüfprotokoll" in response.content.decode()
    assert Card.objects.filter(pk=card.pk).exists()


def test_only_the_facilitator_sees_the_personal_codes():
    from klebepunkt.voting import codes

    world = build_world()
    url = reverse("voting:round", args=[world.process.pk, world.voting_round.pk])
    code = codes.format_code(world.voter.code)
    assert code in world.clients[FACILITATOR].get(url).content.decode()
    observed = world.clients[OBSERVER].get(url)
    assert observed.status_code == 200
    page = observed.content.decode()
    for voter in world.voting_round.voters.all():
        assert codes.format_code(voter.code) not in page
        assert voter.code not in page
