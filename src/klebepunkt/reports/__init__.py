"""One report content model built from the evaluation, and one renderer per format."""

from klebepunkt.reports.content import Report, SupportRow, build_report
from klebepunkt.reports.render import FORMATS, MEDIA_TYPES, render_report

__all__ = ["FORMATS", "MEDIA_TYPES", "Report", "SupportRow", "build_report", "render_report"]
