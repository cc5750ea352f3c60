"""One report content model built from the evaluation, and one renderer per format.

Entry points: ``build_report(...)`` → ``Report``; ``render_report(report, fmt)`` → bytes
for ``fmt`` in ``FORMATS`` (media types in ``MEDIA_TYPES``); ``render_card_sheet(tally,
translate)`` → the printable cards as PDF bytes.
"""

from klebepunkt.reports.cards import render_card_sheet
from klebepunkt.reports.content import Report, SupportRow, build_report
from klebepunkt.reports.render import FORMATS, MEDIA_TYPES, render_report

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "Report",
    "SupportRow",
    "build_report",
    "render_card_sheet",
    "render_report",
]
