"""The printable code sheet: eight code cards to an A4 page, each with its code and link."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from klebepunkt.voting import codes
from klebepunkt.voting.services import create_round

pytestmark = pytest.mark.django_db


def test_the_code_sheet_has_eight_cards_to_a_page_with_every_code(koblenz, facilitator_client):
    from pypdf import PdfReader

    voting_round = create_round(process=koblenz, title="Punktabfrage")
    voters = list(voting_round.voters.filter(revoked_at=None))
    assert len(voters) == 19  # the Koblenz members with a voting right

    response = facilitator_client.get(
        reverse("voting:code_sheet", args=[koblenz.pk, voting_round.pk])
    )

    assert response["Content-Type"] == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) == 3  # 8 + 8 + 3: the cards sit side by side, two to a row
    assert [page.count("QR-Code scannen") for page in pages] == [8, 8, 3]
    text = "".join(pages).replace("\n", "")
    for voter in voters:
        assert codes.format_code(voter.code) in text
