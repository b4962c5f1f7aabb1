"""Name the kernel's integer results: the columns of ``calculate_codes`` and ``calculate_frame``.

Points become float64 points and pence become float64 pounds (pence / 100 is the double nearest
the exact amount, so every amount is right to the penny). Missing amounts are NaN, never zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._compile import Compiled
from ras._kernel import REVIEW_CLAMPED, REVIEW_REFERRED, Raw, Want

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
        raise KeyError(f"unknown output column(s) {', '.join(map(repr, unknown))}; "
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
                trace=trace)


def _scaled_float(units: Array, scale: int) -> Array:
    """units / scale as float64 in one pass; Python-int arrays divide exactly, then convert."""
    if units.dtype == object:
        return np.asarray(units / scale, dtype=np.float64)
    return np.true_divide(units, scale, dtype=np.float64)


def _pounds(pence: Array, missing: Array | None) -> Array:
    pounds = _scaled_float(pence, 100)
    if missing is not None and missing.any():
        pounds[missing] = np.nan
    return pounds


def to_arrays(
    c: Compiled, raw: Raw, columns: Iterable[str] | None, bad: Array | None = None
) -> dict[str, Array]:
    """Named numpy arrays. Bands and reviews are object arrays of text (None for no band)."""
    names = column_names(c) if columns is None else list(columns)
    out = _columns(c, raw, names, frame=False)
    return _blank_bad(out, bad)


def to_frame(c: Compiled, raw: Raw, index: pd.Index[Any], bad: Array, errors: Array | None
             ) -> pd.DataFrame:
    """The result frame: categorical bands and reviews, the cohort's index, an error column."""
    out = _blank_bad(_columns(c, raw, column_names(c), frame=True), bad)
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


def _columns(c: Compiled, raw: Raw, names: list[str], *, frame: bool) -> dict[str, Any]:
    wanted = set(names)
    out: dict[str, Any] = {}
    point_scale = 10**c.point_exp
    for d, domain in enumerate(c.domain_ids):
        if f"points_{domain}" in wanted:
            out[f"points_{domain}"] = _scaled_float(raw.domain_points[:, d], point_scale)
    for s, stream in enumerate(c.stream_ids):
        missing = raw.missing[:, s]
        if f"{stream}_points" in wanted:
            out[f"{stream}_points"] = _scaled_float(raw.stream_points[:, s], point_scale)
        if f"{stream}_amount" in wanted:
            out[f"{stream}_amount"] = _pounds(raw.amount[:, s], missing)
        if f"{stream}_band" in wanted:
            labels = c.band_labels[s]
            if frame:
                out[f"{stream}_band"] = pd.Categorical.from_codes(
                    raw.band[:, s], dtype=pd.CategoricalDtype(list(labels)))
            else:
                table = np.array([*labels, None], dtype=object)
                out[f"{stream}_band"] = table[raw.band[:, s]]  # -1 picks the trailing None
        for bound, values in (("lower", raw.lower), ("upper", raw.upper)):
            if f"{stream}_{bound}" in wanted and values is not None:
                out[f"{stream}_{bound}"] = _pounds(values[:, s], missing)
        if f"{stream}_review" in wanted:
            review = raw.review[:, s]
            if frame:
                out[f"{stream}_review"] = pd.Categorical.from_codes(
                    review, dtype=_REVIEW_DTYPE)
            else:
                out[f"{stream}_review"] = np.array(_REVIEW_CATEGORIES, dtype=object)[review]
    for name in ("element1", "element2"):
        if name in wanted:
            out[name] = _pounds(getattr(raw, name), None)
    if raw.element3 is not None:
        for name in ("element3", "personal_sen_budget"):
            if name in wanted:
                out[name] = _pounds(raw.element3, raw.element3_missing)
    if raw.total is not None and "total_personal_budget" in wanted:
        out["total_personal_budget"] = _pounds(raw.total, raw.total_missing)
    return {name: out[name] for name in names}
