"""Attendance and the decision by show of hands in a real browser: keyboard, phone, axe."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from klebepunkt.decisions.models import Decision
from klebepunkt.processes.services import import_process
from klebepunkt.samples import load_sample
from tests.e2e.conftest import assert_accessible, assert_fits_the_screen, login, save_screenshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def de(msgid: str) -> str:
    with translation.override("de"):
        return translation.gettext(msgid)


@pytest.fixture
def koblenz(transactional_db):
    user = UserFactory(username="moderation")
    return import_process(record=load_sample("koblenz-2017"), user=user)


def test_attendance_and_a_vote_by_show_of_hands_with_the_keyboard(page, live_server, koblenz):
    login(page, live_server, "moderation")
    meeting = koblenz.meetings.order_by("-date").first()
    page.goto(f"{live_server.url}/p/{koblenz.pk}/meetings/")
    page.get_by_role("link", name=f"{de('Attendance')} {meeting.date:%d.%m.%Y}").click()
    members = list(koblenz.members.order_by("position", "id"))
    for member in members:
        page.get_by_label(member.name, exact=True).select_option("present")
    page.get_by_label(members[0].name, exact=True).select_option("excused")
    assert_accessible(page)
    save_screenshot(page, "attendance-1280")
    page.get_by_role("button", name=de("Save attendance")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(de("Attendance saved."))).to_be_visible()
    expect(page.locator("#present-voting")).to_contain_text("18 von 19")

    page.get_by_role("navigation", name="Verfahren").get_by_role(
        "link", name=de("Decision")
    ).click()
    expect(
        page.get_by_role("heading", name=de("Decision on the priorities"), level=1)
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=de("Open the vote")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(de("The vote is open."))).to_be_visible()
    politik = page.get_by_role("group", name="Politik")
    politik.get_by_label(de("yes").capitalize(), exact=True).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("7")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    page.keyboard.press("Enter")  # submits the form
    expect(page.get_by_text(de("Counts saved."))).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "decision-open-1280")
    page.get_by_role("button", name=de("Close the vote and record the result (final)")).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#result")).to_contain_text(de("carried").capitalize())
    expect(page.locator("#result")).to_contain_text("7 Ja, 1 Nein, 0 Enthaltungen")
    assert_accessible(page)
    save_screenshot(page, "decision-closed-1280")
    decision = Decision.objects.get()
    assert (decision.yes, decision.no, decision.outcome) == (7, 1, "passed")
    page.get_by_role("link", name=de("All decisions")).click()
    # the day in Berlin, as the page shows it (from 23:00 UTC in winter it is tomorrow there)
    decided_on = f"{timezone.localtime(decision.decided_at):%d.%m.%Y}"
    expect(page.get_by_text(de("decided on %(date)s") % {"date": decided_on}).first).to_be_visible()
    save_screenshot(page, "decisions-1280")


def test_decision_pages_on_a_phone(phone, live_server, koblenz):
    from klebepunkt.decisions import services
    from klebepunkt.decisions.models import Presence

    meeting = koblenz.meetings.order_by("-date").first()
    services.record_attendance(
        meeting=meeting, presence={m.pk: Presence.PRESENT for m in koblenz.members.all()}
    )
    decision = services.open_decision(process=koblenz, meeting=meeting)
    login(phone, live_server, "moderation")
    for name, path in (
        ("attendance", f"/p/{koblenz.pk}/meetings/{meeting.pk}/attendance/"),
        ("decisions", f"/p/{koblenz.pk}/decisions/"),
        ("decision-open", f"/p/{koblenz.pk}/decisions/{decision.pk}/"),
    ):
        phone.goto(live_server.url + path)
        assert_fits_the_screen(phone)
        assert_accessible(phone)
        save_screenshot(phone, f"{name}-375")
    politik = phone.get_by_role("group", name="Politik")
    politik.get_by_label(de("yes").capitalize(), exact=True).tap()
    politik.get_by_label(de("yes").capitalize(), exact=True).fill("9")
    phone.get_by_role("button", name=de("Save counts")).tap()
    expect(phone.get_by_text(de("Counts saved."))).to_be_visible()


def test_the_text_editor_with_preview_by_keyboard_and_on_a_phone(page, phone, live_server, koblenz):
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{koblenz.pk}/texts/")
    expect(page.get_by_role("heading", name=de("Texts of the report"), level=1)).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "texts-1280")
    page.get_by_role("link", name=de("Introduction")).click()
    editor = page.get_by_label(de("text").capitalize())
    editor.focus()
    page.keyboard.type("Die AG hat **drei** Sitzungen gehabt. <script>alert(1)</script>")
    page.keyboard.press("Tab")  # to Save
    page.keyboard.press("Tab")  # to Preview
    page.keyboard.press("Enter")
    preview = page.locator(".richtext")
    expect(preview.locator("strong")).to_have_text("drei")
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as text
    assert_accessible(page)
    save_screenshot(page, "text-preview-1280")
    page.get_by_role("button", name=de("Save"), exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(de("Text saved."))).to_be_visible()

    login(phone, live_server, "moderation")
    for name, path in (
        ("texts", f"/p/{koblenz.pk}/texts/"),
        ("text-editor", f"/p/{koblenz.pk}/texts/method/"),
    ):
        phone.goto(live_server.url + path)
        assert_fits_the_screen(phone)
        assert_accessible(phone)
        save_screenshot(phone, f"{name}-375")


def test_versions_page_issue_and_compare(page, phone, live_server, koblenz):
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{koblenz.pk}/versions/")
    for label in ("Entwurf", "Fassung für den Sozialausschuss"):
        page.get_by_label(de("name of the version").capitalize()).fill(label)
        page.get_by_role("button", name=de("Issue"), exact=True).focus()
        page.keyboard.press("Enter")
        # the tests' task queue makes the files at once, the PDF too: give it time
        expect(page.get_by_text(de("Version issued."))).to_be_visible(timeout=120_000)
    expect(page.get_by_role("link", name="PDF Fassung für den Sozialausschuss")).to_be_visible()
    page.get_by_role("button", name=de("Compare")).click()
    expect(page.locator("#changes")).to_contain_text(de("No difference."))
    assert_accessible(page)
    save_screenshot(page, "versions-1280")
    login(phone, live_server, "moderation")
    phone.goto(f"{live_server.url}/p/{koblenz.pk}/versions/")
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    save_screenshot(phone, "versions-375")


def test_versions_whose_files_are_being_made_or_failed(
    page, phone, live_server, koblenz, monkeypatch
):
    """The list says so (polling while they are made); a failure is tried again by keyboard."""
    from klebepunkt.decisions import versions
    from klebepunkt.decisions.models import FilesState, ReportVersion

    pending = ReportVersion.objects.create(
        process=koblenz,
        label="Entwurf",
        issued_at=koblenz.created_at,
        snapshot="{}",
        sha256="0" * 64,
        files_state=FilesState.PENDING,
    )
    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{koblenz.pk}/versions/")
    expect(page.get_by_text(de("The files are being made …"))).to_be_visible()
    assert page.locator("#versions-table[hx-trigger]").count() == 1
    assert_accessible(page)
    save_screenshot(page, "versions-pending-1280")
    pending.delete()

    def broken(report, fmt):
        raise OSError("font missing")

    monkeypatch.setattr(versions, "render_report", broken)
    page.reload()
    page.get_by_label(de("name of the version").capitalize()).fill("Fassung")
    page.get_by_role("button", name=de("Issue"), exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(de("The files could not be made."))).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "versions-failed-1280")
    login(phone, live_server, "moderation")
    phone.goto(f"{live_server.url}/p/{koblenz.pk}/versions/")
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    save_screenshot(phone, "versions-failed-375")

    monkeypatch.setattr(versions, "render_report", lambda report, fmt: fmt.encode())
    page.get_by_role("button", name=f"{de('Try again')} Fassung").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="PDF Fassung")).to_be_visible()


def _member_phone(browser, live_server, code: str):
    """A member's phone (375 px, touch) that joins on /v/ with the dot vote's personal code."""
    from tests.e2e.conftest import own_page

    context, phone = own_page(browser, "phone")
    phone.goto(f"{live_server.url}/v/")
    phone.get_by_label(de("your personal code").capitalize()).fill(code)
    phone.get_by_role("button", name=de("Join"), exact=True).first.tap()
    phone.wait_for_url(lambda url: url.endswith("/v/vote/"))
    return context, phone


def test_a_vote_on_the_phones_with_touch_and_keyboard(browser, page, live_server, koblenz):
    """Three phones vote (two by touch, one by keyboard) while the facilitator sees only
    how many have voted; an absent member is told so; the close shows the counts."""
    from klebepunkt.decisions import services
    from klebepunkt.decisions.models import Presence
    from klebepunkt.voting import codes
    from klebepunkt.voting import services as voting_services

    voting_round = voting_services.create_round(process=koblenz, title="Punktabfrage")
    voting_services.open_round(voting_round=voting_round)
    voting_services.close_round(voting_round=voting_round)
    meeting = koblenz.meetings.order_by("-date").first()
    voting = list(koblenz.members.filter(voting=True).order_by("position", "id"))
    presence = {m.pk: Presence.PRESENT for m in koblenz.members.all()}
    presence[voting[-1].pk] = Presence.EXCUSED
    services.record_attendance(meeting=meeting, presence=presence)

    login(page, live_server, "moderation")
    page.goto(f"{live_server.url}/p/{koblenz.pk}/decisions/")
    page.get_by_label(de("on their phones, open (who voted what is kept for the minutes)")).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name=de("Open the vote")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(de("The vote is open."))).to_be_visible()
    expect(page.locator("#phone-progress")).to_contain_text("0 von 18")

    code_of = {
        m.pk: codes.format_code(v.code) for v in voting_round.voters.all() for m in [v.member]
    }
    contexts = []
    try:
        phones = []
        for member in (voting[0], voting[1], voting[2], voting[-1]):
            context, phone = _member_phone(browser, live_server, code_of[member.pk])
            contexts.append(context)
            phones.append(phone)
        first, second, third, absent = phones
        expect(first.get_by_role("heading", level=1)).to_contain_text(
            "Prioritätenliste (7 Prioritäten)"
        )
        assert_fits_the_screen(first)
        assert_accessible(first)
        save_screenshot(first, "phone-vote-375")
        first.get_by_role("button", name=de("yes").capitalize(), exact=True).tap()
        expect(first.locator("#own-vote")).to_be_visible()
        second.get_by_role("button", name=de("no").capitalize(), exact=True).tap()
        second.get_by_role("button", name=de("yes").capitalize(), exact=True).tap()  # changed
        expect(second.locator("#own-vote")).to_contain_text(de("yes").capitalize())
        third.get_by_role("button", name=de("no").capitalize(), exact=True).focus()
        third.keyboard.press("Enter")
        expect(third.locator("#own-vote")).to_be_visible()
        assert_accessible(third)
        save_screenshot(third, "phone-voted-375")
        expect(absent.locator("#refusal")).to_be_visible()
        expect(absent.get_by_role("button", name=de("yes").capitalize(), exact=True)).to_have_count(
            0
        )
        assert_accessible(absent)
        save_screenshot(absent, "phone-absent-375")

        expect(page.locator("#phone-progress")).to_contain_text("3 von 18", timeout=10_000)
        expect(page.locator("#result")).to_have_count(0)
        assert_accessible(page)
        save_screenshot(page, "decision-phones-open-1280")
        page.get_by_role("button", name=de("Close the vote and record the result (final)")).focus()
        page.keyboard.press("Enter")
        expect(page.locator("#result")).to_contain_text("2 Ja, 1 Nein, 0 Enthaltungen")
        assert_accessible(page)
        save_screenshot(page, "decision-phones-closed-1280")
        first.reload()
        expect(first.get_by_role("heading", level=1)).to_have_text(de("No vote is open"))

        # a secret vote: the phone says it voted, never what; the close shows the counts
        page.goto(f"{live_server.url}/p/{koblenz.pk}/decisions/")
        page.get_by_label(de("on their phones, secret (no member is stored with a vote)")).focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name=de("Open the vote")).focus()
        page.keyboard.press("Enter")
        expect(page.locator("#phone-progress")).to_contain_text("0 von 18")
        # the waiting phone shows the new vote by itself (it looks every three seconds)
        expect(first.get_by_role("heading", level=1)).to_contain_text("Prioritätenliste")
        first.get_by_role("button", name=de("abstention").capitalize(), exact=True).tap()
        expect(first.locator("#own-vote")).to_have_text(
            de("You have voted. Your vote is secret and cannot be changed.")
        )
        expect(first.get_by_role("button", name=de("yes").capitalize())).to_have_count(0)
        assert_accessible(first)
        save_screenshot(first, "phone-secret-voted-375")
        expect(page.locator("#phone-progress")).to_contain_text("1 von 18", timeout=10_000)
        page.get_by_role("button", name=de("Close the vote and record the result (final)")).focus()
        page.keyboard.press("Enter")
        expect(page.locator("#result")).to_contain_text("0 Ja, 0 Nein, 1 Enthaltungen")
        expect(page.locator("#ballots")).to_have_count(0)  # nobody's vote to list
    finally:
        for context in contexts:
            context.close()
    decision, secret = Decision.objects.order_by("pk")
    assert (decision.yes, decision.no, decision.abstain, decision.outcome) == (2, 1, 0, "passed")
    assert (secret.yes, secret.no, secret.abstain, secret.marker_salt) == (0, 0, 1, "")
