"""The document kit: what every document of klebepunkt is made with.

- ``formats``: the formats with their media types (one table), ``StepCallback``;
- ``templates``: the one Jinja2 environment and our stylesheets;
- ``pdf``: the one HTML-to-PDF path (WeasyPrint, tagged PDF/UA-1, fetching nothing);
- ``typst``: the Typst path (a template of ours, the content as JSON data; tagged PDF/UA-1)
  of the result report;
- ``docx``: Word building blocks (``WordDocument``: set-up, headings, tables);
- ``markdown``: the one Markdown escaper, with tables and headings;
- ``tables``: XLSX workbooks and CSV for German Excel.

A document is a content model (plain data, every word already translated) plus
thin renderers on this kit; ``klebepunkt.reports.render(content, fmt)`` turns any
of them into the file's bytes. No Django here.
"""

from klebepunkt.reports.kit.formats import (
    BINARY_FORMATS,
    FORMATS_TABLE,
    MEDIA_TYPES,
    Format,
    StepCallback,
    media_type,
)

__all__ = [
    "BINARY_FORMATS",
    "FORMATS_TABLE",
    "MEDIA_TYPES",
    "Format",
    "StepCallback",
    "media_type",
]
