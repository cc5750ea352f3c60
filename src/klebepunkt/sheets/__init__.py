"""Tally sheets (CSV, XLSX) to domain values and back; every error names file, row and column."""

from klebepunkt.sheets.ballots import read_ballots, read_ballots_bytes
from klebepunkt.sheets.columns import BallotColumn, Column
from klebepunkt.sheets.reader import Sheet, SheetError, read_sheet, read_sheet_bytes
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
