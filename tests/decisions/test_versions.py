"""Issued versions: frozen content with its SHA-256 in every format, identical downloads, and
the difference between two versions lists exactly what changed."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from klebepunkt.decisions import services, versions
from klebepunkt.decisions.version_diff import diff_snapshots
from klebepunkt.processes import models
from tests.reports.conftest import docx_document, pdf_text, squash

pytestmark = pytest.mark.django_db


def issue(process, label):
    with translation.override("de"):
        return versions.issue_version(process=process, label=label, translate=_)


def test_two_versions_with_one_change_and_identical_downloads(client, koblenz):
    first = issue(koblenz, "Entwurf")
    services.save_text(process=koblenz, key="closing", text="Dank an alle.")
    second = issue(koblenz, "Fassung für den Sozialausschuss")

    changes = versions.diff_versions(first, second)
    assert [(c.section, c.removed, c.added) for c in changes] == [
        ("texts", (), ("closing: Dank an alle.",))
    ]
    assert versions.diff_versions(first, first) == []

    assert first.sha256 == hashlib.sha256(first.snapshot.encode()).hexdigest()
    assert first.sha256 != second.sha256

    client.force_login(koblenz.roles.get().user)
    for fmt in ("pdf", "docx", "md", "json", "xlsx", "csv"):
        url = reverse("decisions:version_download", args=[koblenz.pk, second.pk, fmt])
        assert (
            client.get(url).content == client.get(url).content == versions.version_file(second, fmt)
        )

    md = versions.version_file(second, "md").decode()
    assert f"SHA-256 {second.sha256}" in md and "Fassung für den Sozialausschuss" in md
    assert squash(second.sha256) in squash(pdf_text(versions.version_file(second, "pdf")))
    footer = docx_document(versions.version_file(second, "docx")).sections[0].footer
    assert any(second.sha256 in p.text for p in footer.paragraphs)
    assert json.loads(versions.version_file(second, "json"))["version"].endswith(second.sha256)

    # the report goes on changing; the issued version does not
    services.save_text(process=koblenz, key="closing", text="Anders.")
    assert "Dank an alle." in versions.version_file(second, "md").decode()


def test_the_difference_names_priorities_topic_store_and_numbers():
    old = {
        "priorities": [{"nr": "1", "goal": "A", "theme_field": "Pflege", "points": 6}],
        "topic_store": [{"theme_field": "Pflege", "text": "x"}],
        "total_dots": 47,
    }
    new = {
        "priorities": [
            {"nr": "1", "goal": "A", "theme_field": "Pflege", "points": 7},
        ],
        "topic_store": [
            {"theme_field": "Pflege", "text": "x"},
            {"theme_field": "Wohnen", "text": "y"},
        ],
        "total_dots": 48,
    }
    changes = {c.section: (c.removed, c.added) for c in diff_snapshots(old, new)}
    assert changes["priorities"] == (("1 A (Pflege, 6)",), ("1 A (Pflege, 7)",))
    assert changes["topic_store"] == ((), ("Wohnen: y",))
    assert changes["numbers"] == (("total_dots: 47",), ("total_dots: 48",))


def test_versions_page_issues_and_compares(client, koblenz):
    client.force_login(koblenz.roles.get().user)
    url = reverse("decisions:versions", args=[koblenz.pk])
    assert client.post(url, {"label": "Entwurf"}).status_code == 302
    goal = models.Goal.objects.filter(theme_field__process=koblenz).first()
    goal.text = "Neu gefasst"
    goal.save()
    assert client.post(url, {"label": "Zweite Fassung"}).status_code == 302
    first, second = versions.versions_of(koblenz)
    page = client.get(url, {"old": first.pk, "new": second.pk}).content.decode()
    assert 'id="changes"' in page and "Neu gefasst" in page
    assert client.post(url, {"label": "  "}).status_code == 200
