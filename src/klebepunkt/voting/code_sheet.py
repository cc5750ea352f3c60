"""The printable sheet of personal codes: one card per voter on A4, with a QR code to join."""

from __future__ import annotations

from collections.abc import Callable

import segno
from django.template.loader import render_to_string

from klebepunkt.voting import codes
from klebepunkt.voting.models import VotingRound


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, dark="#000", light="#fff", omitsize=False)


def code_sheet_pdf(
    voting_round: VotingRound, *, join_base: str, code_url: Callable[[str], str]
) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    entries = []
    for voter in (
        voting_round.voters.filter(revoked_at=None)
        .select_related("member", "stakeholder_group")
        .order_by("stakeholder_group__position", "member__position", "id")
    ):
        url = code_url(voter.code)
        entries.append(
            {
                "name": "" if voting_round.secret or voter.member is None else voter.member.name,
                "group": voter.stakeholder_group.name if voter.stakeholder_group else "",
                "code": codes.format_code(voter.code),
                "qr": qr_svg(url),
                "url": url,
            }
        )
    html = render_to_string(
        "voting/code_sheet.html",
        {"voting_round": voting_round, "entries": entries, "join_base": join_base},
    )
    fetcher = URLFetcher(allowed_protocols=())  # inline only: names never fetch a thing
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
    return pdf
