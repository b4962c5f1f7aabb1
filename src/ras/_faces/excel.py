"""Excel workbooks (.xlsx) in and out, through openpyxl (the ``excel`` extra).

openpyxl rather than XlsxWriter: one package both reads cohorts (it is the engine pandas uses
for .xlsx) and writes budgets, and its write-only mode streams rows to the file, so memory stays
flat as it does for CSV. XlsxWriter writes only, so reading would need openpyxl anyway.

Budgets go to a sheet ``budgets``: money cells are numbers in a ``£#,##0.00`` format (float64
pounds, exact to the penny below £2**46, which the engine guarantees), points are numbers, and
every text cell is written as text, never as a formula, so a child id ``=1+1`` cannot run. A
second sheet, ``provenance``, says which scheme (id, version, fingerprint), which ras and when.
A sheet holds at most 1,048,576 rows, so larger cohorts are refused: write CSV or Parquet.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ras._base import CalculationError

__all__ = ["EXCEL_HINT", "ExcelWriter", "read_workbook"]

EXCEL_HINT = "reading or writing .xlsx needs openpyxl: pip install 'ras[excel]'"
MAX_ROWS = 1_048_576  # rows of one sheet, the header included
POUNDS = '"£"#,##0.00;-"£"#,##0.00'
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in the XML of a sheet


def openpyxl() -> Any:
    """The openpyxl module, or an ImportError that says how to install it."""
    try:
        return importlib.import_module("openpyxl")
    except ImportError as error:
        raise ImportError(EXCEL_HINT) from error


class ExcelWriter:
    """One workbook, written a chunk of rows at a time, saved to the sink at the end."""

    def __init__(self, sink: IO[bytes], money: frozenset[str], provenance: Mapping[str, str],
                 source: str) -> None:
        self.xl = openpyxl()
        self.sink, self.money = sink, money
        self.provenance, self.source = provenance, source
        self.book = self.xl.Workbook(write_only=True)
        self.sheet = self.book.create_sheet("budgets")
        self.rows = 0
        self.header: list[str] | None = None

    def _cell(self, value: Any, money: bool) -> Any:
        cell = self.xl.cell.WriteOnlyCell(self.sheet, value=None)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return cell
        if isinstance(value, str):
            cell.value = _ILLEGAL.sub("\ufffd", value)
            cell.data_type = "s"  # text, even when it starts with '=': never a formula
            return cell
        cell.value = value.item() if hasattr(value, "item") else value
        if money:
            cell.number_format = POUNDS
        return cell

    def _column(self, series: pd.Series[Any], money: bool) -> list[Any]:
        """A column's cells, plain values where openpyxl writes them as they are (fast), and
        a cell object only where one is needed: money (its format) and text that starts
        with '=' (which openpyxl would otherwise take for a formula)."""
        values = series.astype(object).tolist()
        out: list[Any] = []
        for value in values:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                out.append(None)
            elif isinstance(value, str):
                text = _ILLEGAL.sub("\ufffd", value)
                out.append(self._cell(text, False) if text.startswith("=") else text)
            elif money:
                out.append(self._cell(value, True))
            else:
                out.append(value.item() if hasattr(value, "item") else value)
        return out

    def write(self, frame: pd.DataFrame) -> None:
        """Rows of a frame whose columns are the carried ones, the figures and any extras."""
        if self.header is None:
            self.header = [str(c) for c in frame.columns]
            self.sheet.append(self.header)
            self.rows = 1
        if self.rows + len(frame) > MAX_ROWS:
            raise CalculationError(f"an .xlsx sheet holds at most {MAX_ROWS - 1:,} rows of "
                                   "children; write this cohort to CSV or Parquet instead")
        columns = [self._column(frame[c], c in self.money) for c in frame.columns]
        for values in zip(*columns, strict=True):
            self.sheet.append(values)
        self.rows += len(frame)

    def finish(self, columns: list[str]) -> None:
        if self.header is None:  # no rows at all: the header alone
            self.sheet.append(columns)
        about = self.book.create_sheet("provenance")
        written = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        rows = [("what", "value"),
                ("scheme id", self.provenance["ras.scheme_id"]),
                ("scheme version", self.provenance["ras.scheme_version"]),
                ("scheme fingerprint", self.provenance["ras.scheme_fingerprint"]),
                ("ras version", self.provenance["ras.version"]),
                ("written (UTC)", written),
                ("cohort file", self.source)]
        for row in rows:
            about.append([self._cell(v, False) for v in row])
        self.book.save(self.sink)

    def close(self) -> None:
        """Nothing to release: the workbook is written whole by finish."""


def read_workbook(path: Path) -> pd.DataFrame:
    """The first sheet of a workbook, every cell as text (as CSV cells are read)."""
    openpyxl()
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False,
                              na_values=[""], engine="openpyxl")
    except (ValueError, KeyError, OSError, EOFError) as error:
        raise CalculationError(f"{path}: not a readable .xlsx workbook ({type(error).__name__}); "
                               "save it again from Excel as 'Excel Workbook (.xlsx)'") from None
    except Exception as error:  # zipfile.BadZipFile and openpyxl's own errors
        if type(error).__module__.split(".")[0] in ("zipfile", "openpyxl"):
            raise CalculationError(f"{path}: not a readable .xlsx workbook: it is damaged or "
                                   "not a workbook") from None
        raise
    frame.columns = [str(c) for c in frame.columns]
    return frame


def chunks_of(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), size):
        yield frame.iloc[start:start + size]
