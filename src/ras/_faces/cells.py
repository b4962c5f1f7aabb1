"""What each cell of an output file holds: exact money, safe text, and where the file came from.

- Money is exact in every format. ``calculate_frame`` holds pounds as float64, which is exact
  to the penny below £2**46 (the engine refuses amounts beyond it), so the pence are recovered
  exactly by rounding, and written as two-decimal text in CSV (``4000.00``, ``-12.50``) and as
  ``decimal128(18, 2)`` in Parquet, unless the caller asks for floats.
- Spreadsheet-safe text: a text cell that a spreadsheet would read as a formula (one that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``
  (OWASP's advice for CSV injection), unless the whole cell is a plain number such as
  ``-12.50``, which a spreadsheet reads as that number. Money and point columns are numbers
  that ras wrote and are never touched.
- Provenance: which scheme (id, version, fingerprint) and which ras made the figures, as
  Parquet metadata and, on request, as columns.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import __version__

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = [
    "MONEY_PRECISION",
    "PROVENANCE_COLUMNS",
    "money_columns",
    "money_decimals",
    "money_strings",
    "money_text",
    "pence",
    "provenance",
    "safe_arrow",
    "safe_text",
]

MONEY_PRECISION = 18  # digits of a decimal128 amount: 16 would do below £2**46
PROVENANCE_COLUMNS = ("ras_scheme_id", "ras_scheme_version", "ras_scheme_fingerprint",
                      "ras_version")
_FORMULA_START = re.compile(r"[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def money_columns(scheme: Scheme) -> frozenset[str]:
    """The output columns that hold pounds (amounts, ranges, elements and totals)."""
    names = {f"{stream}_{part}" for stream in scheme.stream_ids
             for part in ("amount", "lower", "upper")}
    names |= {"element1", "element2", "element3", "personal_sen_budget",
              "total_personal_budget"}
    return frozenset(names) & set(scheme.output_columns)


def pence(pounds: npt.ArrayLike) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Exact whole pence of float pounds (below £2**46, the nearest double to an amount
    rounds back to its pence), and where the amount is missing."""
    values = np.asarray(pounds, dtype=np.float64)
    missing = np.isnan(values)
    whole = np.rint(np.where(missing, 0.0, values) * 100).astype(np.int64)
    return whole, missing


def money_text(pounds: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Two-decimal text of each amount (``4000.00``), and an empty cell where it is missing."""
    whole, missing = pence(pounds)
    text = np.array([f"{'-' if p < 0 else ''}{abs(p) // 100}.{abs(p) % 100:02d}"
                     for p in whole.tolist()], dtype=object)
    text[missing] = ""
    return text


def money_decimals(pounds: npt.ArrayLike, pa: Any) -> Any:
    """A pyarrow ``decimal128(18, 2)`` array of the amounts, nulls where missing, built from the
    exact pence (the 16-byte two's complement integers Arrow stores) without any float."""
    return _decimals(*pence(pounds), pa)


def _decimals(whole: npt.NDArray[np.int64], missing: npt.NDArray[np.bool_], pa: Any) -> Any:
    words = np.empty((len(whole), 2), dtype=np.int64)
    words[:, 0] = whole
    words[:, 1] = whole >> 63  # the sign, extended into the high 64 bits
    nulls = int(missing.sum())
    validity = pa.array(~missing).buffers()[1] if nulls else None
    return pa.Array.from_buffers(pa.decimal128(MONEY_PRECISION, 2), len(whole),
                                 [validity, pa.py_buffer(words.tobytes())], null_count=nulls)


def money_strings(pounds: npt.ArrayLike, pa: Any, pc: Any) -> Any:
    """Two-decimal text of each amount as a pyarrow string array (null where missing): Arrow's
    text of the exact decimal128 pence, made once for each distinct amount (a cohort's
    amounts are few: bands, rates times capped points) and gathered for every row."""
    whole, missing = pence(pounds)
    codes, amounts = pd.factorize(whole)
    if len(amounts) * 4 > len(whole):  # mostly distinct: every amount written as it is
        return pc.cast(_decimals(whole, missing, pa), pa.string())
    text = pc.cast(_decimals(np.asarray(amounts, dtype=np.int64),
                             np.zeros(len(amounts), dtype=bool), pa), pa.string())
    return text.take(pa.array(codes.astype(np.int32), mask=missing))


def safe_text(series: pd.Series[Any]) -> pd.Series[Any]:
    """Text cells neutralised against formula injection; other columns as they are."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories
        if categories.dtype == object or pd.api.types.is_string_dtype(categories.dtype):
            return series.cat.rename_categories(
                [_safe_cell(c) if isinstance(c, str) else c for c in categories])
        return series
    if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
        return series
    values = series.to_numpy(dtype=object)
    risky = _risky_arrow(values)
    if risky is None:
        risky = [i for i, v in enumerate(values.tolist())
                 if isinstance(v, str) and v and _FORMULA_START.match(v)
                 and not _PLAIN_NUMBER.fullmatch(v)]
    if not risky:
        return series
    values = values.copy()
    values[risky] = ["'" + values[i] for i in risky]
    return pd.Series(values, index=series.index, name=series.name, dtype=object)


def safe_arrow(text: Any, pa: Any, pc: Any) -> Any:
    """A pyarrow string array with the cells a spreadsheet would run given a leading ``'``,
    as safe_text does (the same patterns); nulls stay null."""
    risky = _risky(text, pc)
    if risky is None:
        return text
    return pc.if_else(risky, pc.binary_join_element_wise("'", text, ""), text)


def _risky_arrow(values: npt.NDArray[np.object_]) -> list[int] | None:
    """The positions of cells a spreadsheet would run, found by pyarrow's regular expressions
    in one pass (the same patterns as _safe_cell's); None without pyarrow or for cells that
    are not all text, which the loop then checks one by one."""
    try:
        pa = importlib.import_module("pyarrow")
        pc = importlib.import_module("pyarrow.compute")
    except ImportError:
        return None
    try:
        text = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    risky = _risky(text, pc)
    if risky is None:
        return []
    return np.flatnonzero(np.asarray(pc.fill_null(risky, False))).tolist()


def _risky(text: Any, pc: Any) -> Any:
    """Where a string array holds a cell a spreadsheet would run (None when nowhere)."""
    starts = pc.match_substring_regex(text, "^" + _FORMULA_START.pattern)
    if not pc.any(starts).as_py():
        return None
    plain = pc.match_substring_regex(text, "^(?:" + _PLAIN_NUMBER.pattern + r")\z")
    return pc.and_(starts, pc.invert(plain))


def _safe_cell(text: str) -> str:
    if text and _FORMULA_START.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def provenance(scheme: Scheme) -> Mapping[str, str]:
    """Which scheme and which library made the figures, by the keys of the Parquet metadata."""
    return {"ras.scheme_id": scheme.id, "ras.scheme_version": scheme.version,
            "ras.scheme_fingerprint": scheme.fingerprint, "ras.version": __version__}
