"""Every document of klebepunkt: a content model plus thin renderers on one kit (``kit/``).

- the result report: ``build_report(...)`` → ``Report`` (``content``, ``labels``,
  ``documentation``, ``explanation``), formats in ``FORMATS``;
- the progress report: ``progress.build_progress_report(...)`` → ``ProgressReport``;
- the card sheet: ``cards.build_card_sheet(...)`` → ``CardSheet``;
- the code sheet: ``codes.CodeSheet``.

``render(content, fmt)`` turns any of them into the file's bytes (media types in
``MEDIA_TYPES``); ``render_report`` and ``render_card_sheet`` are the older names of
the two most used. No Django in this package.
"""

from klebepunkt.reports.cards import render_card_sheet
from klebepunkt.reports.content import Report, build_report
from klebepunkt.reports.explanation import SupportRow
from klebepunkt.reports.render import FORMATS, MEDIA_TYPES, formats_of, render, render_report

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "Report",
    "SupportRow",
    "build_report",
    "formats_of",
    "render",
    "render_card_sheet",
    "render_report",
]
