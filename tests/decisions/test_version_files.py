"""An issued version's files are made by the job queue from the content frozen at issue time,
stored, and downloaded byte for byte; a change of the process, the code or the fonts after
issuing never alters them; a failure can be tried again."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from klebepunkt.decisions import models, services, versions
from klebepunkt.reports.render import FORMATS, render_report

pytestmark = pytest.mark.django_db
CHEAP = ("md", "json", "csv")


def quick_render(report, fmt):
    """The real renderer for the text formats, a cheap stand-in for PDF, Word and Excel."""
    if fmt in CHEAP:
        return render_report(report, fmt)
    return f"{fmt}:{report.own.version_note}".encode()


class Queue:
    """The task queue as in production: it holds the tasks instead of running them at once."""

    @property
    def versions(self) -> list[int]:
        from django_tasks import default_task_backend

        return [result.args[0] for result in default_task_backend.results]


@pytest.fixture
def queued(monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(versions, "render_report", quick_render)
    return Queue()


def issue(process, label):
    with translation.override("de"):
        return versions.issue_version(process=process, label=label, translate=_)


def test_files_are_made_from_the_content_frozen_when_issued(client, koblenz, queued):
    services.save_text(process=koblenz, key="closing", text="Dank an alle.")
    version = issue(koblenz, "Entwurf")
    assert queued.versions == [version.pk]
    version.refresh_from_db()
    assert version.files_state == models.FilesState.PENDING and version.frozen_report
    assert not models.ReportVersionFile.objects.filter(version=version).exists()

    client.force_login(koblenz.roles.get().user)
    page = client.get(reverse("decisions:versions", args=[koblenz.pk])).content.decode()
    assert "Die Dateien werden erstellt" in page and 'hx-trigger="every 2s"' in page
    url = reverse("decisions:version_download", args=[koblenz.pk, version.pk, "md"])
    response = client.get(url)
    assert response.status_code == 302  # back to the list, with a message
    assert response["Location"] == reverse("decisions:versions", args=[koblenz.pk])

    # the process changes before the worker makes the files: they show it as issued
    services.save_text(process=koblenz, key="closing", text="Anders.")
    versions.render_version_files(version.pk)
    version.refresh_from_db()
    assert version.files_state == models.FilesState.DONE and not version.frozen_report
    assert sorted(versions.version_formats(koblenz)[version.pk]) == sorted(FORMATS)
    markdown = client.get(url).content
    assert "Dank an alle." in markdown.decode() and "Anders." not in markdown.decode()
    assert f"SHA-256 {version.sha256}" in markdown.decode()
    page = client.get(reverse("decisions:versions", args=[koblenz.pk])).content.decode()
    assert "every 2s" not in page and f"/versions/{version.pk}/report.pdf" in page


def test_a_later_change_of_the_code_or_the_fonts_never_alters_an_issued_file(
    client, koblenz, queued, monkeypatch
):
    version = issue(koblenz, "Fassung für den Sozialausschuss")
    versions.render_version_files(version.pk)
    client.force_login(koblenz.roles.get().user)
    urls = {
        fmt: reverse("decisions:version_download", args=[koblenz.pk, version.pk, fmt])
        for fmt in FORMATS
    }
    before = {fmt: client.get(url).content for fmt, url in urls.items()}

    monkeypatch.setattr(versions, "render_report", lambda report, fmt: b"another renderer")
    services.save_text(process=koblenz, key="introduction", text="Neu.")
    versions.render_version_files(version.pk)  # run twice by the queue: changes nothing
    after = {fmt: client.get(url).content for fmt, url in urls.items()}
    assert after == before
    assert all(content != b"another renderer" for content in after.values())


def test_a_failure_is_shown_and_can_be_tried_again(client, koblenz, queued, monkeypatch):
    def broken(report, fmt):
        if fmt == "pdf":
            raise OSError("font missing")
        return quick_render(report, fmt)

    monkeypatch.setattr(versions, "render_report", broken)
    version = issue(koblenz, "Entwurf")
    with pytest.raises(OSError, match="font missing"):
        versions.render_version_files(version.pk)
    version.refresh_from_db()
    assert version.files_state == models.FilesState.FAILED
    assert "font missing" in version.files_error and version.frozen_report

    client.force_login(koblenz.roles.get().user)
    url = reverse("decisions:versions", args=[koblenz.pk])
    page = client.get(url).content.decode()
    assert "Die Dateien konnten nicht erstellt werden." in page
    assert f'name="retry" value="{version.pk}"' in page
    download = reverse("decisions:version_download", args=[koblenz.pk, version.pk, "pdf"])
    assert client.get(download).status_code == 404

    monkeypatch.setattr(versions, "render_report", quick_render)
    assert client.post(url, {"retry": str(version.pk)}).status_code == 302
    assert queued.versions == [version.pk, version.pk]
    versions.render_version_files(version.pk)
    version.refresh_from_db()
    assert version.files_state == models.FilesState.DONE
    assert client.get(download).content == b"pdf:" + version_note(version)
    assert client.post(url, {"retry": "999999"}).status_code == 404


def version_note(version) -> bytes:
    md = versions.version_file(version, "md").decode()
    return next(line for line in md.splitlines() if version.sha256 in line).strip("_* ").encode()
