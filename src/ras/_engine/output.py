"""Name the kernel's integer results: the columns of ``calculate_codes`` and ``calculate_frame``.

Points become float64 points and pence become float64 pounds (pence / 100 is the double nearest
the exact amount, so every amount is right to the penny). Missing amounts are NaN, never zero.
That holds below £2**46 (£70,368,744,177,664), where neighbouring pennies are distinct doubles;
an amount at or beyond it is refused rather than written a penny out (``Scheme.calculate``,
in Decimal pounds, has no such bound): the whole call, or with ``errors="flag"`` that child's
row, as a bad answer is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import CalculationError, UsageError
from ras._engine.compile import Compiled
from ras._engine.kernel import REVIEW_CLAMPED, REVIEW_REFERRED, Raw, Want
from ras._engine.money import FLOAT_PENNY_LIMIT

__all__ = ["REVIEW_TEXT", "column_names", "to_arrays", "to_frame", "want_for"]

Array = npt.NDArray[Any]
REVIEW_TEXT = {
    REVIEW_REFERRED: "above the table: refer to panel",
    REVIEW_CLAMPED: "above the maximum: cut to the maximum; refer to panel",
}
_REVIEW_CATEGORIES = ("", REVIEW_TEXT[REVIEW_REFERRED], REVIEW_TEXT[REVIEW_CLAMPED])
_REVIEW_DTYPE = pd.CategoricalDtype(list(_REVIEW_CATEGORIES))
_TOTALS = ("element3", "personal_sen_budget", "total_personal_budget")


def has_bands(c: Compiled, s: int) -> bool:
    return any(t.method == "bands" for t in c.pricings[s])


def column_names(c: Compiled) -> list[str]:
    """Every output column, in the documented order."""
    names = [f"points_{d}" for d in c.domain_ids]
    for s, stream in enumerate(c.stream_ids):
        names += [f"{stream}_points", f"{stream}_amount"]
        if has_bands(c, s):
            names.append(f"{stream}_band")
        if c.range_below is not None:
            names += [f"{stream}_lower", f"{stream}_upper"]
        names.append(f"{stream}_review")
    return [*names, "element1", "element2", *_TOTALS]


def want_for(c: Compiled, columns: Iterable[str] | None, *, trace: bool = False) -> Want:
    """The least work that yields these columns. Unknown names are refused with the valid ones."""
    all_names = column_names(c)
    names = list(all_names) if columns is None else list(columns)
    unknown = [name for name in names if name not in all_names]
    if unknown:
        raise UsageError(f"unknown output column(s) {', '.join(map(repr, unknown))}; "
                       f"valid columns are {', '.join(all_names)}")
    domains = tuple(i for i, d in enumerate(c.domain_ids) if f"points_{d}" in names)
    streams: set[int] = set()
    ranges = False
    for s, stream in enumerate(c.stream_ids):
        if f"{stream}_points" in names:
            streams.add(s)  # points alone still need the stream's domains; pricing is cheap
        for suffix in ("amount", "band", "review", "lower", "upper"):
            if f"{stream}_{suffix}" in names:
                streams.add(s)
        ranges |= f"{stream}_lower" in names or f"{stream}_upper" in names
    elements = "element3" in names or "personal_sen_budget" in names
    total = "total_personal_budget" in names
    if elements and c.education is not None:
        streams.add(c.education)
    return Want(domains, tuple(sorted(streams)), ranges=ranges, elements=elements, total=total,
                trace=trace,
                reviews=any(f"{stream}_review" in names for stream in c.stream_ids),
                bands=any(f"{stream}_band" in names for stream in c.stream_ids),
                setting_elements="element1" in names or "element2" in names)


def _put_scaled(dest: Array, units: Array, scale: int, missing: Array | None = None) -> None:
    """Write units / scale into dest (a slice of an output column); NaN where missing.

    Python-int arrays (schemes beyond int64) divide exactly first, then convert.
    """
    if units.dtype == object:
        dest[:] = np.asarray(units / scale, dtype=np.float64)
    else:
        np.true_divide(units, scale, out=dest, dtype=np.float64)
    if missing is not None and missing.any():
        dest[missing] = np.nan


def to_arrays(c: Compiled, blocks: Iterable[tuple[slice, Raw]], n: int,
              columns: Iterable[str] | None, bad: Array | None = None) -> dict[str, Array]:
    """Named numpy arrays. Bands and reviews are object arrays of text (None for no band)."""
    names = column_names(c) if columns is None else list(columns)
    out = _fill(c, blocks, n, names, frame=False)
    return _blank_bad(out, bad)


def to_frame(c: Compiled, blocks: Iterable[tuple[slice, Raw]], index: pd.Index[Any],
             bad: Array, errors: Array | None) -> pd.DataFrame:
    """The result frame: categorical bands and reviews, the cohort's index, an error column.

    With ``errors`` (flagging), a row with an amount beyond £2**46 is flagged like a row of bad
    answers; without, the call is refused."""
    flags = None if errors is None else _Flags(bad.copy(), errors.copy())
    out = _fill(c, blocks, len(index), column_names(c), frame=True, flags=flags)
    if flags is not None:
        bad, errors = flags.bad, flags.errors
    out = _blank_bad(out, bad)
    frame = pd.DataFrame(out, index=index, copy=False)
    if errors is not None:
        frame["error"] = pd.Series(errors, index=index, dtype=object)
    return frame


def _blank_bad(out: dict[str, Any], bad: Array | None) -> dict[str, Any]:
    """Rows whose answers could not be scored get no figures at all: missing, never zero."""
    if bad is None or not bad.any():
        return out
    for name, values in out.items():
        if isinstance(values, pd.Categorical):
            codes = values.codes.copy()
            if name.endswith("_review"):
                codes[bad] = 0
            else:
                codes[bad] = -1
            out[name] = pd.Categorical.from_codes(codes, dtype=values.dtype)
        elif values.dtype == object:
            values = values.copy()
            values[bad] = "" if name.endswith("_review") else None
            out[name] = values
        else:
            values[bad] = np.nan
    return out


def _fill(c: Compiled, blocks: Iterable[tuple[slice, Raw]], n: int, names: list[str], *,
          frame: bool, flags: _Flags | None = None) -> dict[str, Any]:
    """The named columns, allocated once and filled block by block as the kernel runs.

    Bands and reviews are kept as label positions while filling; a frame gets categoricals of
    them, arrays get text.
    """
    sources = _sources(c, names)
    figures = [source.name for source in sources if source.scale is not None]
    # the float columns share one allocation: one large mapping of memory is faulted in far
    # faster than many (the operating system can back it with huge pages)
    shared = dict(zip(figures, np.empty((len(figures), n), dtype=np.float64), strict=True))
    out: dict[str, Array] = {}
    for source in sources:
        if source.scale is not None:
            out[source.name] = shared[source.name]
        else:  # label positions: -1 for no band
            out[source.name] = np.empty(n, dtype=np.int32 if source.field == "band" else np.int8)
    joined = c.joined_lookups
    bounded = joined is not None and joined.money_bound < _PENCE_LIMIT
    for rows, raw in blocks:
        _write(sources, raw, out, rows, flags, check_pennies=not bounded)
    result: dict[str, Any] = dict(out)
    for source in sources:
        positions = out[source.name]
        if source.field == "band":
            assert source.index is not None
            labels = c.band_labels[source.index]
            if frame:
                result[source.name] = pd.Categorical.from_codes(
                    positions, dtype=pd.CategoricalDtype(list(labels)))
            else:
                table = np.array([*labels, None], dtype=object)
                result[source.name] = table[positions]  # -1 picks the trailing None
        elif source.field == "review":
            if frame:
                result[source.name] = pd.Categorical.from_codes(positions, dtype=_REVIEW_DTYPE)
            else:
                result[source.name] = np.array(_REVIEW_CATEGORIES, dtype=object)[positions]
    return result


@dataclass(frozen=True, slots=True)
class _Source:
    """Where an output column's figures are in a Raw, and how they become the column."""

    name: str
    field: str  # the Raw field
    index: int | None  # its column (a stream or domain), or None for a per-row field
    scale: int | None  # units per point or pound; None: label positions, copied as they are
    missing: str | None = None  # the Raw field marking rows whose figure is missing (NaN)


def _sources(c: Compiled, names: list[str]) -> list[_Source]:
    """Each asked-for column's source, worked out once per call rather than once per block."""
    point_scale = 10**c.point_exp
    known: dict[str, _Source] = {}
    for d, domain in enumerate(c.domain_ids):
        name = f"points_{domain}"
        known[name] = _Source(name, "domain_points", d, point_scale)
    for s, stream in enumerate(c.stream_ids):
        for name, field, scale, missing in (
                (f"{stream}_points", "stream_points", point_scale, None),
                (f"{stream}_amount", "amount", 100, "missing"),
                (f"{stream}_band", "band", None, None),
                (f"{stream}_lower", "lower", 100, "missing"),
                (f"{stream}_upper", "upper", 100, "missing"),
                (f"{stream}_review", "review", None, None)):
            known[name] = _Source(name, field, s, scale, missing)
    known["element1"] = _Source("element1", "element1", None, 100, "element1_unknown")
    known["element2"] = _Source("element2", "element2", None, 100)
    for name in ("element3", "personal_sen_budget"):
        known[name] = _Source(name, "element3", None, 100, "element3_missing")
    known["total_personal_budget"] = _Source("total_personal_budget", "total", None, 100,
                                             "total_missing")
    return [known[name] for name in names]


_PENCE_LIMIT = FLOAT_PENNY_LIMIT * 100


@dataclass(frozen=True, slots=True)
class _Flags:
    """The rows flagged so far and why (flagging mode): the answers' own, then the amounts'."""

    bad: Array  # (n,) bool
    errors: Array  # (n,) object strings, "" for a good row


def _beyond_the_penny(name: str, pence: int) -> str:
    return (f"{name}: an amount of £{pence / 100:,.0f} is beyond £{FLOAT_PENNY_LIMIT:,} "
            "(2**46), where float64 pounds in a frame or file cannot hold every penny; price "
            "such a child with scheme.calculate, which gives exact Decimal pounds")


def _refuse_beyond_the_penny(name: str, pence: Array, missing: Array | None,
                             flags: _Flags | None, rows: slice) -> None:
    """A float64 column cannot hold every penny from £2**46: refuse such an amount, or flag
    its row (its figures are then blanked with the other bad rows')."""
    present = pence if missing is None or not missing.any() else pence[~missing]
    if not len(present):
        return
    high, low = present.max(), present.min()
    if high < _PENCE_LIMIT and low > -_PENCE_LIMIT:
        return
    if flags is None:
        worst = int(high) if high >= _PENCE_LIMIT else int(low)
        raise CalculationError(_beyond_the_penny(name, worst))
    over = np.asarray((pence >= _PENCE_LIMIT) | (pence <= -_PENCE_LIMIT), dtype=bool)
    if missing is not None:
        over &= ~missing
    for i in np.flatnonzero(over).tolist():
        row = rows.start + i
        if not flags.bad[row]:  # a row of bad answers has no figures to speak of; one reason
            flags.bad[row] = True
            flags.errors[row] = _beyond_the_penny(name, int(pence[i]))


def _write(sources: list[_Source], raw: Raw, out: dict[str, Array], rows: slice,
           flags: _Flags | None = None, *, check_pennies: bool = True) -> None:
    """One block's figures into its rows of each output column (``check_pennies=False``: the
    scheme's own tables bound every amount below £2**46, so none needs looking at)."""
    for source in sources:
        values = getattr(raw, source.field)
        if values is None:  # pragma: no cover - want_for asks the kernel for every source
            raise RuntimeError(f"the kernel did not compute {source.field} for {source.name}")
        missing = getattr(raw, source.missing) if source.missing is not None else None
        if source.index is not None:
            values = values[:, source.index]
            if missing is not None and missing.ndim == 2:
                missing = missing[:, source.index]
        dest = out[source.name][rows]
        if check_pennies and source.scale == 100 and len(values):
            _refuse_beyond_the_penny(source.name, values, missing, flags, rows)
        if source.scale is None:
            dest[:] = values
        else:
            _put_scaled(dest, values, source.scale, missing)
