"""The progress report for the committee: a content model (``content``) and its renderers.

``build_progress_report(monitoring, ...)`` → ``ProgressReport``; render it with
``klebepunkt.reports.render(report, fmt)`` for ``fmt`` in ``PROGRESS_FORMATS``.
The monitoring app builds the ``Monitoring`` state from its database; nothing here
needs Django.
"""

from klebepunkt.reports.progress.content import ProgressReport, build_progress_report

__all__ = ["ProgressReport", "build_progress_report"]
