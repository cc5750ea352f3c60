"""A restart after a crash does not wait for static files that have not changed."""

from __future__ import annotations

import django.core.management

from klebepunkt.web import server


def test_static_files_are_collected_again_only_when_a_source_changed(
    settings, tmp_path, monkeypatch
):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "note.css").write_text("a {}")
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, extra]
    runs = []
    real = django.core.management.call_command

    def counting(name, *args, **kwargs):
        runs.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(django.core.management, "call_command", counting)
    server.collect_static()
    server.collect_static()
    assert runs == ["collectstatic"]  # the second start found the same sources: skipped
    assert (tmp_path / server.STATIC_STAMP).exists()

    (extra / "note.css").write_text("a { color: black }")  # a changed source
    server.collect_static()
    assert runs == ["collectstatic"] * 2

    (tmp_path / "static").rename(tmp_path / "gone")  # the collected files were removed
    server.collect_static()
    assert runs == ["collectstatic"] * 3
