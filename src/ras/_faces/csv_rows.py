"""CSV rows, byte for byte as pandas' ``to_csv`` writes them, made by pyarrow's compute kernels.

pandas formats and quotes every cell in Python, which was three quarters of scoring a CSV file
into another; here each column becomes text in one vectorised step and the rows are joined in
Arrow's memory. The text is pandas': floats as numpy prints them (``3.0``, ``12.5``,
``1e+16``), missing cells empty, a cell quoted (its quotes doubled) only when it holds a comma,
a quote or a line break, lines ended by CR LF. A column this does not know how to write (an
object column of anything but text) returns None, and the caller writes with pandas.

Work is per distinct value where values repeat: a column of floats (points) is formatted once
for each distinct number and gathered for every row.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Plain", "csv_rows"]

_QUOTED = r'[",\r\n]'  # what makes pandas (Python's csv module, QUOTE_MINIMAL) quote a cell


@dataclass(frozen=True, slots=True)
class Plain:
    """An Arrow string array already written as cells that need no quotes (money)."""

    text: Any


def csv_rows(cells: list[Any], pa: Any, pc: Any, end: str = "\r\n") -> bytes | None:
    """Rows of CSV (no header) from columns of cells: pandas Series, Arrow string arrays of
    text (or dictionaries of text), or ``Plain`` Arrow string arrays that need no quotes (null
    for an empty cell). None when a column is not plain text, numbers or categories of text."""
    if not cells or len(cells[0].text if isinstance(cells[0], Plain) else cells[0]) == 0:
        return b""
    columns = []
    quoted = False
    for cell in cells:
        written = _cell_text(cell, pa, pc)
        if written is None:
            return None
        columns.append(written[0])
        quoted |= written[1]
    if not quoted:  # no cell needs quotes: pyarrow's writer joins the cells as they are
        pacsv = importlib.import_module("pyarrow.csv")
        table = pa.Table.from_arrays(columns, names=[str(i) for i in range(len(columns))])
        sink = pa.BufferOutputStream()
        try:
            pacsv.write_csv(table, sink, pacsv.WriteOptions(
                include_header=False, quoting_style="none", eol=end))
            return bytes(sink.getvalue())
        except pa.ArrowInvalid:  # a character it would quote that pandas does not
            pass
    columns = [pc.fill_null(text, "") if text.null_count else text for text in columns]
    rows = pc.binary_join_element_wise(*columns, ",") if len(columns) > 1 else columns[0]
    rows = pc.binary_join_element_wise(rows, end, "")
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int32, count=len(rows) + 1,
                            offset=rows.offset * 4)
    start, end_at = int(offsets[0]), int(offsets[-1])
    return bytes(rows.buffers()[2].slice(start, end_at - start))


def _cell_text(cell: Any, pa: Any, pc: Any) -> tuple[Any, bool] | None:
    """A column's cells as an Arrow string array, quoted where pandas quotes them, and
    whether any is; categories and dictionaries quoted once for each distinct value."""
    if isinstance(cell, Plain):
        return cell.text, False
    if isinstance(cell, pd.Series) and isinstance(cell.dtype, pd.CategoricalDtype):
        categories = _text(pd.Series(cell.dtype.categories), pa, pc)
        if categories is None:
            return None
        codes = cell.cat.codes.to_numpy()
        cell = pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), categories)
    if isinstance(cell, pa.DictionaryArray):
        values = _cell_text(cell.dictionary, pa, pc)
        return None if values is None else (values[0].take(cell.indices), values[1])
    text = cell if isinstance(cell, pa.Array) else _text(cell, pa, pc)
    if text is None:
        return None
    if isinstance(cell, pa.Array) or _may_need_quotes(cell):
        quote = pc.match_substring_regex(text, _QUOTED)
        if pc.any(quote).as_py():
            quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'),
                                                 '"', "")
            return pc.if_else(quote, quoted, text), True
    return text, False


def _may_need_quotes(cell: Any) -> bool:
    """Numbers never hold a comma, a quote or a line break; text (and categories) may."""
    dtype = getattr(cell, "dtype", None)
    return not (isinstance(dtype, np.dtype) and dtype.kind in "fiub")


def _text(series: pd.Series[Any], pa: Any, pc: Any) -> Any:
    """A column (not categorical) as an Arrow string array, null where pandas writes an
    empty cell."""
    dtype = series.dtype
    kind = dtype.kind if isinstance(dtype, np.dtype) else None
    if kind == "f":
        return _floats(series.to_numpy(), pa, pc)
    if kind == "b":
        return pa.array(np.where(series.to_numpy(), "True", "False"), type=pa.string())
    if kind in ("i", "u") or isinstance(dtype, pd.Int64Dtype):  # whole numbers, blanks empty
        return pc.cast(pa.array(series, from_pandas=True), pa.string())
    if kind == "O" or pd.api.types.is_string_dtype(dtype):
        values = series.to_numpy(dtype=object)
        try:
            return pa.array(values, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: pandas writes it
            return None
    return None


def _floats(values: np.ndarray[Any, Any], pa: Any, pc: Any) -> Any:
    """numpy's text of each float (Python's repr, as pandas writes it), NaN an empty cell;
    each distinct number (told apart by its bits, so -0.0 is not 0.0) formatted once."""
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.int64)
    codes, distinct = pd.factorize(bits)
    if len(distinct) * 4 > len(values):  # mostly distinct: formatted row by row
        return _each_float(values, pa, pc)
    numbers = np.asarray(distinct, dtype=np.int64).view(np.float64)
    missing = np.isnan(values)
    return pa.array(numbers.astype(str), type=pa.string()).take(
        pa.array(codes.astype(np.int32), mask=missing))


def _each_float(values: np.ndarray[Any, Any], pa: Any, pc: Any) -> Any:
    """numpy's text of each float: Arrow's shortest digits where they are written alike,
    numpy's own for the rest (exponents, infinities); NaN is an empty cell."""
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        plain = ((size >= 1e-4) & (size < 1e16)) | (values == 0)  # where repr has no exponent
    text = pc.cast(pa.array(values, from_pandas=True), pa.string())
    whole = pc.invert(pc.match_substring(text, "."))
    exponent = pc.match_substring(text, "e")
    text = pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)  # 3 -> 3.0
    odd = ~plain | np.asarray(pc.fill_null(exponent, False))
    odd &= ~np.isnan(values)
    if odd.any():  # few: numpy prints them
        at = np.flatnonzero(odd)
        fixed = pa.array(values[at].astype(str), type=pa.string())
        mask = np.zeros(len(values), dtype=bool)
        mask[at] = True
        text = pc.replace_with_mask(text, pa.array(mask), fixed)
    return text
