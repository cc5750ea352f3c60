"""klebepunkt: from recommendation cards and sticky dots to an accountable list of priorities."""

__version__ = "0.1.0"
