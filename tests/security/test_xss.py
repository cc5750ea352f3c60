"""XSS through every text field into every page and every export.

A process whose every text field carries one of the payloads (a script tag, an
attribute break-out with an event handler, a ``javascript:`` URL, a template
expression, a spreadsheet formula) — each payload in each kind of field — is
shown on every GET page of the app (enumerated from the URL configuration) to the
facilitator, on the member's pages, on the projector before and after the reveal,
and exported in every format. In HTML nothing of it becomes markup: no script, no
event handler, no ``javascript:`` link, no evaluated template; in the exports it
is text (CSV and Excel without a formula, Markdown escaped, PDF and Word as text).
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse

from klebepunkt.domain import Card, Goal, Rules, Tally
from klebepunkt.domain.process import Meeting, Member, ProcessRecord, StakeholderGroup
from klebepunkt.voting import services as voting_services
from tests.reports.conftest import docx_text, pdf_text, squash, xlsx_workbook
from tests.security.test_roles import EXPECTED
from tests.security.world import FACILITATOR, VOTER, build_world, url_for
from tests.urlconf import routes

pytestmark = pytest.mark.django_db

PAYLOADS = (
    "<script>alert({n})</script>",
    '"><img src=x onerror=alert({n})>',
    "javascript:alert({n})",
    "x{{{{7*7}}}}y{n}",
    '=HYPERLINK("http://evil.example/{n}","y")',
    "[klick](javascript:alert({n})) ![b](http://evil.example/{n}.png) `x` <https://evil.example>",
)
SHORT = ("<b onclick=alert(1)>", "'><b>x</b>", "javascript:x", "{{7*7}}", "=1+1", "[a](b)")  # nr


def payload(kind: int, n: int) -> str:
    return PAYLOADS[kind].format(n=n)


def hostile_record() -> ProcessRecord:
    """Every text field of a process, each kind of field with each payload."""
    groups, members, meetings, fields, goals, cards = [], [], [], [], [], []
    for k in range(len(PAYLOADS)):
        p = lambda n, k=k: payload(k, n)  # noqa: E731 - a number per field, to see which leaks
        groups.append(StakeholderGroup(name=p(1), description=p(2), count_text=p(3)))
        members.append(Member(name=p(4), stakeholder_group=p(1), contact=p(5)))
        meetings.append(Meeting(date=dt.date(2017, 5, 3 + k), place=p(6), focus=p(7)))
        field = p(8)
        fields.append(field)
        goals.append(Goal(id=f"g{k}", theme_field=field, text=p(9), nr=SHORT[k]))
        cards.append(
            Card(
                id=f"c{k}",
                theme_field=field,
                text=p(10),
                indicator=p(11),
                responsible=p(12),
                dots=3,
                goal_id=f"g{k}",
            )
        )
        cards.append(Card(id=f"z{k}", theme_field=field, text=p(13), dots=0))  # topic store
    return ProcessRecord(
        title=" ".join(payload(k, 0) for k in range(len(PAYLOADS))),
        body=payload(0, 14) + payload(1, 14),
        description=payload(0, 15) + payload(3, 15),
        rules=Rules(),
        stakeholder_groups=tuple(groups),
        members=tuple(members),
        meetings=tuple(meetings),
        tally=Tally(goals=tuple(goals), cards=tuple(cards), theme_fields=tuple(fields)),
    )


ROUND_TITLE = payload(0, 16) + payload(1, 16)


def test_the_hostile_process_is_a_valid_process_file():
    """Every payload fits its field: the process file reader takes it as it is."""
    from klebepunkt.process_document import dumps, loads

    record = hostile_record()
    assert loads(dumps(record)).title == record.title


class _Markup(html.parser.HTMLParser):
    """Tags, attributes and script bodies of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>: an event handler")
            if name in {"href", "src", "action", "formaction", "hx-get", "hx-post", "data"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>: a javascript: URL")
            if name == "style" and "url(" in (value or ""):
                self.problems.append(f"<{tag} style={value!r}>")
        if tag in {"img", "svg", "b", "iframe", "object", "embed"} and self._came_from_payload(
            attrs
        ):
            self.problems.append(f"<{tag} {attrs}>: markup from a payload")

    def _came_from_payload(self, attrs) -> bool:
        return any(value in {"x"} for _name, value in attrs)

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"an inline script: {data[:80]!r}")
        self.text.append(data)


def assert_inert_html(page: str, where: str) -> str:
    parser = _Markup()
    parser.feed(page)
    assert not parser.problems, f"{where}: " + "; ".join(parser.problems)
    for raw in ("<script>alert(", "<img src=x", "<b onclick", "<b>x</b>"):
        assert raw not in page, f"{where}: {raw} unescaped"
    text = "".join(parser.text)
    assert not re.search(r"x49y\d", text), f"{where}: a template expression was evaluated"
    return text


def test_payloads_are_text_on_every_page_of_the_facilitator():
    world = build_world(hostile_record(), round_title=ROUND_TITLE)
    client = world.clients[FACILITATOR]
    shown: set[str] = set()
    pages = 0
    # a pending sheet with payloads of its own, so that its preview is shown as well
    sheet = "Themenfeld;Ziel;Handlungsempfehlung;Punkte\n" + "".join(
        f'"{payload(k, 8)}";"{payload(k, 9)}x";"{payload(k, 10)}x";1\n'.replace('""', '"')
        for k in (0, 1, 3)
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = client.post(
        reverse("processes:sheet_upload", args=[world.process.pk]),
        {"sheet": SimpleUploadedFile("liste.csv", sheet.encode())},
    )
    assert upload.status_code == 302, upload.content.decode()[-3000:]
    # and a pending member sheet with payloads as names, so that its preview is shown too
    names = [payload(k, 8) for k in (0, 1, 3)]
    pasted = "Name\tBereich\n" + "".join(
        f"{name}\tSeniorenbeirat\n" for name in names if not {"\t", "\n", "\r", '"'} & set(name)
    )
    members = client.post(
        reverse("processes:member_sheet_upload", args=[world.process.pk]), {"pasted": pasted}
    )
    assert members.status_code == 302, members.content.decode()[-3000:]
    for route in routes():
        kind = EXPECTED[route.name]
        if route.name.startswith("admin:") or 200 not in kind.get[FACILITATOR].statuses:
            continue
        if route.name in {"voting:code_sheet", "processes:export_report"}:
            continue  # files: see the exports below
        if route.name == "monitoring:sheet_preview":
            continue  # needs an uploaded status sheet: tests/monitoring/test_sheets.py
        url = url_for(route, world)
        response = client.get(url)
        assert response.status_code == 200, url
        if "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        text = assert_inert_html(response.content.decode(), f"GET {route.name}")
        shown |= {p for p in _all_payloads() if p in text}
    # the board's page shows one theme field at a time: the others through ?field=
    for field in world.process.theme_fields.all():
        url = reverse("processes:board", args=[world.process.pk]) + f"?field={field.pk}"
        text = assert_inert_html(client.get(url).content.decode(), url)
        shown |= {p for p in _all_payloads() if p in text}
    assert pages >= 25
    missing = sorted(set(_all_payloads()) - shown - _NOT_ON_A_PAGE)
    assert not missing, f"payloads never shown (so never checked): {missing}"


# the member's contact is kept for the facilitator's records and shown on no page
_NOT_ON_A_PAGE = {payload(k, 5) for k in range(len(PAYLOADS))}


def _all_payloads() -> list[str]:
    """Every payload as it sits in the process: n is the field (see hostile_record)."""
    per_field = [payload(k, n) for k in range(len(PAYLOADS)) for n in range(14)]
    return [
        *per_field,
        payload(0, 14),
        payload(1, 14),
        payload(0, 15),
        payload(3, 15),
        payload(0, 16),
        payload(1, 16),
    ]


def test_payloads_are_text_on_the_members_pages_and_the_projector():
    world = build_world(hostile_record(), round_title=ROUND_TITLE)
    voter, voting_round = world.voter, world.voting_round
    anonymous = world.clients["anonymous"]
    pages = {
        "ballot": world.clients[VOTER].get(reverse("voting:ballot")),
        "join": anonymous.get(reverse("voting:join")),
        "code": anonymous.get(reverse("voting:code", args=[voter.code])),
        "pick": anonymous.get(reverse("voting:pick", args=[voting_round.short_code])),
    }
    other = voting_round.voters.exclude(pk=voter.pk).filter(joined_at=None).first()
    pages["picked"] = anonymous.post(
        reverse("voting:pick", args=[voting_round.short_code]), {"voter": other.pk}
    )
    card = world.process.theme_fields.first().cards.first()
    pages["dot"] = world.clients[VOTER].post(
        reverse("voting:dot"), {"card": card.pk, "action": "add"}, HTTP_HX_REQUEST="true"
    )
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_inert_html(response.content.decode(), name)
    assert ROUND_TITLE in assert_inert_html(pages["ballot"].content.decode(), "ballot")
    assert payload(0, 10) in pages["ballot"].content.decode().replace("&lt;", "<").replace(
        "&gt;", ">"
    )
    for state in ("open", "revealed"):
        if state == "revealed":
            voting_services.close_round(voting_round=voting_round)
            voting_services.reveal_round(voting_round=voting_round)
        for url in (
            reverse("voting:shared_projector", args=[voting_round.projector_token]),
            reverse("voting:shared_projector_live", args=[voting_round.projector_token]),
            reverse("voting:projector", args=[world.process.pk, voting_round.pk]),
            reverse("voting:projector_live", args=[world.process.pk, voting_round.pk]),
        ):
            client = (
                anonymous
                if "/projector/" in url and "/p/" not in url
                else world.clients[FACILITATOR]
            )
            response = client.get(url)
            assert response.status_code == 200, url
            text = assert_inert_html(response.content.decode(), f"{url} ({state})")
            if state == "revealed" and "live" in url:
                assert "<script>alert(10)</script>"[:20] in text  # the card's label, as text


# --- exports -------------------------------------------------------------------------------------


def test_every_export_keeps_the_payloads_inert():
    """One hostile process, exported in every format once, each file checked below."""
    files = exports()
    check_csv_has_no_formula(files)
    check_xlsx_stores_text_as_text(files)
    check_markdown_escapes_markup_and_links(files)
    check_json_keeps_every_text_exactly(files)
    for name in ("pdf", "codes.pdf"):
        check_pdf_shows_the_payloads_as_text_without_links_or_scripts(files, name)
    check_word_shows_the_payloads_as_text(files)


def exports() -> dict[str, bytes]:
    world = build_world(hostile_record(), round_title=ROUND_TITLE)
    client = world.clients[FACILITATOR]
    files = {
        fmt: client.get(reverse("processes:export_report", args=[world.process.pk, fmt]))
        for fmt in ("md", "csv", "xlsx", "json", "pdf", "docx")
    }
    files["process.json"] = client.get(reverse("processes:export_process", args=[world.process.pk]))
    files["codes.pdf"] = client.get(
        reverse("voting:code_sheet", args=[world.process.pk, world.voting_round.pk])
    )
    for name, response in files.items():
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith("attachment;"), name
        assert response["X-Content-Type-Options"] == "nosniff"
    return {name: response.content for name, response in files.items()}


def check_csv_has_no_formula(exports):
    text = exports["csv"].decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    assert "'" + payload(4, 10) in cells  # neutralised, and still all there
    assert payload(0, 10) in cells


def check_xlsx_stores_text_as_text(exports):
    workbook = xlsx_workbook(exports["xlsx"])
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert payload(4, 10) in values
    assert payload(0, 11) in values


def check_markdown_escapes_markup_and_links(exports):
    text = exports["md"].decode()
    for raw in ("<script", "<img", "<svg", "<b>"):
        assert raw not in text
    assert not re.search(r"(?<!\\)\]\(\s*javascript:", text)  # a link
    assert not re.search(r"!\[[^\]]*\]\(", text)  # an image fetched when the file is opened
    assert "<https://evil.example>" not in text  # an autolink
    assert "&lt;script>alert(10)&lt;/script>" in text
    assert "\\[klick\\](javascript:alert(10))" in text  # escaped: shown as typed


def _strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(inner) for inner in value.values()), set())
    if isinstance(value, list):
        return set().union(*(_strings(inner) for inner in value), set())
    return set()


def check_json_keeps_every_text_exactly(exports):
    texts = _strings(json.loads(exports["json"]))
    assert payload(0, 10) in texts
    assert payload(4, 12) in texts
    document = json.loads(exports["process.json"])
    assert document["process"]["title"] == hostile_record().title


def check_pdf_shows_the_payloads_as_text_without_links_or_scripts(exports, name):
    from pypdf import PdfReader

    content = exports[name]
    reader = PdfReader(io.BytesIO(content))
    assert "/JavaScript" not in str(reader.trailer["/Root"])
    assert b"/JavaScript" not in content and b"/JS " not in content
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            assert "javascript" not in uri.lower() and "evil.example" not in uri
    text = squash(pdf_text(content))
    expected = payload(0, 10) if name == "pdf" else payload(0, 4)  # a card; a member's name
    assert squash(expected) in text


def check_word_shows_the_payloads_as_text(exports):
    text = docx_text(exports["docx"])
    assert payload(0, 10) in text
    assert payload(4, 12) in text
    with zipfile.ZipFile(io.BytesIO(exports["docx"])) as archive:
        rels = " ".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".rels")
        )
    assert "javascript:" not in rels
    assert "evil.example" not in rels


# --- URLs from the request go nowhere else ---------------------------------------------------


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "//evil.example/", "https://evil.example/", "/\\evil.example"]
)
def test_login_and_language_switch_never_redirect_off_the_site(client, facilitator, target):
    login = client.post(
        reverse("login") + "?next=x",
        {
            "username": facilitator.username,
            "password": "correct horse battery staple",
            "next": target,
        },
    )
    assert login.status_code == 302
    assert login["Location"] == reverse("processes:list")
    switch = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert switch.status_code == 302
    assert "evil" not in switch["Location"] and "javascript" not in switch["Location"]
    page = client.get(reverse("login") + "?next=" + target.replace("/", "%2F"))
    assert_inert_html(page.content.decode(), "login with next")
