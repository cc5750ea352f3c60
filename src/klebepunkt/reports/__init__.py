"""One report content model built from the evaluation, and one renderer per format."""

from klebepunkt.reports.content import Report, build_report
from klebepunkt.reports.render import FORMATS, render_report

__all__ = ["FORMATS", "Report", "build_report", "render_report"]
