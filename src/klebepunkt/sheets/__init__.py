"""Sheets (CSV, XLSX) to domain values and back, on one engine (``table``); every error names
file, row and column."""

from klebepunkt.sheets.ballots import read_ballots, read_ballots_bytes
from klebepunkt.sheets.columns import BallotColumn, Column
from klebepunkt.sheets.errors import SheetError
from klebepunkt.sheets.reader import Sheet, read_sheet, read_sheet_bytes
from klebepunkt.sheets.writer import write_sheet

__all__ = [
    "BallotColumn",
    "Column",
    "Sheet",
    "SheetError",
    "read_ballots",
    "read_ballots_bytes",
    "read_sheet",
    "read_sheet_bytes",
    "write_sheet",
]
