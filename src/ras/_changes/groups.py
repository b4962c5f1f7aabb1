"""A comparison's children in groups (any cohort columns) and with case weights, summed exactly.

An equality impact assessment asks how a reform falls on each group (setting, primary need, year
group); a cost-neutrality check asks whether the totals before and after agree, in each setting
and overall. Case weights say how many children a row stands for (a sample grossed up, or a
cohort reduced to distinct cases). Every sum is exact: a weight is a decimal with at most six
places, held as a whole number of millionths (or fewer places when the weights need fewer), so a
weighted total is a whole number of those units of a penny, summed in integers. The overall row
is summed on its own, not from the groups, so the two can be checked against each other.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import AnswerError, AnswerProblem, UsageError
from ras._engine import EXACT

__all__ = ["ALL", "MISSING", "Groups", "Sides", "Weights", "case_weights", "check_by", "cost_table",
           "group_by", "summarise"]

Array = npt.NDArray[Any]
ALL = "all"  # the label of the overall row
MISSING = "(missing)"  # the group of children with no value in a `by` column
BIN_COLUMNS = ("loses_over_5pct", "loses_up_to_5pct", "no_change", "gains_up_to_5pct",
               "gains_over_5pct")
PLACES = 6  # the most decimal places a weight may have
MAX_WEIGHT = 10**9
_INT64_LIMIT = 2**63
_FLOAT_EXACT = 2**53


@dataclass(frozen=True, slots=True)
class Weights:
    """Case weights as whole units: a row's weight is ``units / 10**scale``."""

    column: str
    units: Array  # int64, one per row
    scale: int

    def total(self) -> Decimal:
        return Decimal(int(self.units.sum())).scaleb(-self.scale, EXACT)


@dataclass(frozen=True, slots=True)
class Groups:
    """Which group each child is in: ``index`` (one label per group), ``of`` (per child, the
    group's position in ``index``)."""

    index: pd.Index[Any]
    of: Array  # int64


@dataclass(frozen=True, slots=True)
class Sides:
    """Per child, in whole pence: each scheme's amount, where it has none, and the bin code
    (0-4 in BINS order, -1 where either side has no amount)."""

    base: Array
    base_missing: Array
    reform: Array
    reform_missing: Array
    bins: Array


# -- weights ------------------------------------------------------------------------------


def case_weights(cohort: pd.DataFrame, column: Any) -> Weights:
    """The cohort's weights column as exact units, or an error naming the rows that are not
    weights (missing, negative, not finite, above a billion, or more than six places)."""
    if not isinstance(column, str):
        raise UsageError(f"weights must name a cohort column, not {column!r}")
    series = cohort.get(column)
    if series is None:
        raise UsageError(f"weights: the cohort has no column {column!r}"
                         + _columns_hint(cohort))
    if isinstance(series, pd.DataFrame):
        raise UsageError(f"weights: the cohort has two columns named {column!r}")
    kind = series.dtype
    if (pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_bool_dtype(kind)
            and not isinstance(kind, pd.CategoricalDtype)):
        return _numeric_weights(cohort.index, column, series.to_numpy(dtype=np.float64,
                                                                     na_value=np.nan))
    return _text_weights(cohort.index, column, series.to_numpy(dtype=object))


def _numeric_weights(index: pd.Index[Any], column: str, values: Array) -> Weights:
    finite = np.isfinite(values)
    bad = ~finite | (np.where(finite, values, 0) < 0) | (np.where(finite, values, 0) > MAX_WEIGHT)
    if bad.any():
        _refuse(index, column, values, bad)
    for scale in range(PLACES + 1):
        units = np.rint(values * 10**scale)
        if np.array_equal(units / 10**scale, values):
            return Weights(column, units.astype(np.int64), scale)
    units = np.rint(values * 10**PLACES)
    _refuse(index, column, values, units / 10**PLACES != values)
    raise AssertionError("unreachable")  # pragma: no cover


def _text_weights(index: pd.Index[Any], column: str, values: Array) -> Weights:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    exact: list[Decimal | None] = [_decimal(v) for v in uniques.tolist()]
    good = np.array([d is not None and _fits(d) for d in exact] + [False], dtype=bool)
    bad = ~good[codes]  # the sentinel -1 (missing) picks the last entry, False
    if bad.any():
        _refuse(index, column, values, bad)
    scale = max((max(0, -int(d.normalize().as_tuple().exponent))
                 for d in exact if d is not None), default=0)
    table = np.array([int(d.scaleb(scale, EXACT)) for d in exact if d is not None],
                     dtype=np.int64)
    return Weights(column, table[codes], scale)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool | np.bool_):
        return None
    try:
        if isinstance(value, str):
            number = Decimal(value.strip().replace(",", ""))
        elif isinstance(value, int | np.integer | Decimal):
            number = Decimal(int(value)) if not isinstance(value, Decimal) else value
        elif isinstance(value, float | np.floating):
            number = Decimal(repr(float(value)))  # the shortest decimal: what was written
        else:
            return None
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _fits(number: Decimal) -> bool:
    exponent = number.normalize().as_tuple().exponent
    return 0 <= number <= MAX_WEIGHT and isinstance(exponent, int) and exponent >= -PLACES


def _refuse(index: pd.Index[Any], column: str, values: Array, bad: Array) -> None:
    rows = np.flatnonzero(bad)
    problems = [AnswerProblem(_label(index[i]), column, _why(values[i])) for i in rows[:20]]
    raise AnswerError(problems, len(rows))


def _why(value: Any) -> str:
    number = _decimal(value)
    if number is None:
        missing = (value is None or value is pd.NA
                   or (isinstance(value, float) and math.isnan(value)))
        return "no weight given" if missing or value == "" else f"{value!r} is not a weight"
    if number < 0:
        return f"weight {value!r} is negative"
    if number > MAX_WEIGHT:
        return f"weight {value!r} is above {MAX_WEIGHT:,}"
    return (f"weight {value!r} has more than {PLACES} decimal places; round the weights to "
            f"{PLACES} places")


# -- groups -------------------------------------------------------------------------------


def group_by(cohort: pd.DataFrame, by: Sequence[str], settings: pd.Categorical) -> Groups:
    """The groups of the named columns that occur, in order of their values (a categorical's
    own order; ``setting`` in the scheme's order); no value is the group ``(missing)``."""
    codes: list[Array] = []
    labels: list[list[Any]] = []
    for name in by:
        values = settings if name == "setting" else cohort[name]
        code, unique = _factorize(values)
        codes.append(code)
        labels.append(unique)
    sizes = [len(unique) for unique in labels]
    if len(cohort) == 0:
        keys = np.zeros((0, len(by)), dtype=np.int64)
        inverse = np.zeros(0, dtype=np.int64)
    elif math.prod(sizes) < 2**62:  # one number per combination: a flat unique is fast
        combined = np.zeros(len(cohort), dtype=np.int64)
        for code, size in zip(codes, sizes, strict=True):
            combined = combined * size + code
        found, inverse = np.unique(combined, return_inverse=True)
        keys = np.zeros((len(found), len(by)), dtype=np.int64)
        for j in range(len(by) - 1, -1, -1):
            found, keys[:, j] = np.divmod(found, sizes[j])
    else:
        keys, inverse = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
    rows = [tuple(labels[j][k] for j, k in enumerate(key)) for key in keys.tolist()]
    if (ALL,) * len(by) in rows:
        raise UsageError(f"by: {_name(by)} has a group called {ALL!r}, the label of the overall "
                         "row; rename that value")
    index: pd.Index[Any]
    if len(by) == 1:
        index = pd.Index([r[0] for r in rows], name=by[0], dtype=object)
    else:
        index = pd.MultiIndex.from_tuples(rows, names=list(by)) if rows else pd.MultiIndex(
            levels=[[]] * len(by), codes=[[]] * len(by), names=list(by))
    return Groups(index, inverse.reshape(-1).astype(np.int64))


def check_by(cohort: pd.DataFrame, by: Any) -> tuple[str, ...]:
    """The ``by`` columns as a tuple, or an error naming the one the cohort does not have."""
    names = (by,) if isinstance(by, str) else tuple(by) if isinstance(by, list | tuple) else None
    if not names or not all(isinstance(n, str) for n in names):
        raise UsageError(f"by must name one or more cohort columns, not {by!r}")
    if len(set(names)) < len(names):
        raise UsageError(f"by names a column twice: {', '.join(names)}")
    for name in names:
        if name == "setting":
            continue
        found = cohort.get(name)
        if found is None:
            raise UsageError(f"by: the cohort has no column {name!r}" + _columns_hint(cohort))
        if isinstance(found, pd.DataFrame):
            raise UsageError(f"by: the cohort has two columns named {name!r}")
    return names


def _factorize(values: Any) -> tuple[Array, list[Any]]:
    """Codes in the order of the values (first seen, when they cannot be sorted), with no
    value as the last group."""
    try:
        code, unique = pd.factorize(values, sort=True, use_na_sentinel=True)
    except TypeError:  # values of kinds that do not sort together
        code, unique = pd.factorize(values, sort=False, use_na_sentinel=True)
    labels = [_label(v) for v in unique.tolist()]
    code = np.asarray(code, dtype=np.int64)
    if (code < 0).any():
        code = np.where(code < 0, len(labels), code)
        labels.append(MISSING)
    return code, labels


# -- sums ---------------------------------------------------------------------------------


def group_sums(values: Array, of: Array, count: int, units: Array | None) -> list[int]:
    """Exact sums of int64 values (each times its weight units) per group."""
    count_in = int(units.sum()) if units is not None else len(values)
    bound = int(np.abs(values).max(initial=0)) * max(count_in, 1)
    if bound < _FLOAT_EXACT:  # every partial sum a whole number a float64 holds exactly
        weighted = values if units is None else values * units
        floats = np.bincount(of, weights=weighted.astype(np.float64), minlength=count)
        return [int(v) for v in floats.astype(np.int64).tolist()]
    if bound < _INT64_LIMIT:
        out = np.zeros(count, dtype=np.int64)
        np.add.at(out, of, values if units is None else values * units)
        return [int(v) for v in out.tolist()]
    sums = [0] * count  # beyond int64: Python integers, row by row
    weights = units.tolist() if units is not None else [1] * len(values)
    for g, v, w in zip(of.tolist(), values.tolist(), weights, strict=True):
        sums[g] += v * w
    return sums


def summarise(sides: Sides, groups: Groups, weights: Weights | None) -> pd.DataFrame:
    """One row overall (``all``) and one per group: totals, change like for like, gainers,
    losers and the five bins, with weights when given."""
    n = len(sides.base)
    overall = _sums(sides, np.zeros(n, dtype=np.int64), 1, weights)
    parts = _sums(sides, groups.of, len(groups.index), weights)
    scale = weights.scale if weights is not None else 0
    rows = [_row(overall, 0, scale, weights is not None)]
    rows += [_row(parts, g, scale, weights is not None) for g in range(len(groups.index))]
    return pd.DataFrame(rows, index=_with_all(groups.index))


def cost_table(sides: Sides, dimensions: Sequence[tuple[str, Groups]],
               weights: Weights | None) -> pd.DataFrame:
    """Totals before and after, exact in Decimal pounds: overall, then for each dimension
    (setting and the ``by`` columns) each of its groups."""
    n = len(sides.base)
    scale = weights.scale if weights is not None else 0
    labels: list[tuple[Any, Any]] = [(ALL, ALL)]
    rows = [_cost_row(_sums(sides, np.zeros(n, dtype=np.int64), 1, weights), 0, scale,
                      weights is not None)]
    for name, groups in dimensions:
        sums = _sums(sides, groups.of, len(groups.index), weights)
        for g, label in enumerate(groups.index.tolist()):
            labels.append((name, label))
            rows.append(_cost_row(sums, g, scale, weights is not None))
    return pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(labels, names=["by", "group"]))


def _sums(sides: Sides, of: Array, count: int, weights: Weights | None) -> dict[str, list[int]]:
    units = weights.units if weights is not None else None
    both = ~(sides.base_missing | sides.reform_missing)
    ones = np.ones(len(of), dtype=np.int64)

    def total(values: Array, where: Array) -> list[int]:
        return group_sums(np.where(where, values, 0).astype(np.int64), of, count, units)

    sums = {
        "children": total(ones, ones.astype(bool)),
        "rows": group_sums(ones, of, count, None),
        "base_total": total(sides.base, ~sides.base_missing),
        "reform_total": total(sides.reform, ~sides.reform_missing),
        "base_both": total(sides.base, both),
        "change": total(sides.reform - sides.base, both),
        "no_amount": total(ones, sides.bins == -1),
        "referred_base": total(ones, sides.base_missing),
        "referred_reform": total(ones, sides.reform_missing),
    }
    for k, name in enumerate(BIN_COLUMNS):
        sums[name] = total(ones, sides.bins == k)
    return sums


def _row(sums: dict[str, list[int]], g: int, scale: int, weighted: bool) -> dict[str, Any]:
    def count(name: str) -> int | float:
        value = sums[name][g]
        return value if scale == 0 else value / 10**scale

    def pounds(name: str) -> float:
        return float(sums[name][g] / 10 ** (2 + scale))

    base_both, change = sums["base_both"][g], sums["change"][g]
    bins = [count(name) for name in BIN_COLUMNS]
    row: dict[str, Any] = {
        "children": count("children"),
        "base_total": pounds("base_total"),
        "reform_total": pounds("reform_total"),
        "change": pounds("change"),
        "change_pct": change / base_both * 100 if base_both else np.nan,
        "gainers": count("gains_up_to_5pct") + count("gains_over_5pct"),
        "losers": count("loses_over_5pct") + count("loses_up_to_5pct"),
        "unchanged": count("no_change"),
        "no_amount": count("no_amount"),
        "referred_base": count("referred_base"),
        "referred_reform": count("referred_reform"),
    }
    row |= dict(zip(BIN_COLUMNS, bins, strict=True))
    children = sums["children"][g]
    for key in ("gainers", "losers", "unchanged", *BIN_COLUMNS):
        row[f"{key}_share"] = row[key] / count("children") if children else np.nan
    if weighted:
        row["rows"] = sums["rows"][g]
    return row


def _cost_row(sums: dict[str, list[int]], g: int, scale: int, weighted: bool
              ) -> dict[str, Any]:
    def pounds(name: str) -> Decimal:
        return Decimal(sums[name][g]).scaleb(-(2 + scale), EXACT)

    base, reform = sums["base_total"][g], sums["reform_total"][g]
    children = sums["children"][g]
    row: dict[str, Any] = {
        "children": children if scale == 0 else children / 10**scale,
        "base_total": pounds("base_total"),
        "reform_total": pounds("reform_total"),
        "difference": Decimal(reform - base).scaleb(-(2 + scale), EXACT),
        "difference_pct": (reform - base) / base * 100 if base else np.nan,
        "referred_base": sums["referred_base"][g] / 10**scale if scale else
        sums["referred_base"][g],
        "referred_reform": sums["referred_reform"][g] / 10**scale if scale else
        sums["referred_reform"][g],
    }
    if weighted:
        row["rows"] = sums["rows"][g]
    return row


def _with_all(index: pd.Index[Any]) -> pd.Index[Any]:
    """The group index with the overall row first: ``all`` (in every level of a MultiIndex)."""
    if isinstance(index, pd.MultiIndex):
        tuples = [(ALL,) * index.nlevels, *index.tolist()]
        return pd.MultiIndex.from_tuples(tuples, names=index.names)
    return pd.Index([ALL, *index.tolist()], name=index.name, dtype=object)


def _label(label: Hashable) -> Hashable:
    if isinstance(label, tuple):
        return tuple(_label(part) for part in label)
    return label.item() if isinstance(label, np.generic) else label


def _name(by: Sequence[str]) -> str:
    return f"column {by[0]!r}" if len(by) == 1 else "every one of " + ", ".join(map(repr, by))


def _columns_hint(cohort: pd.DataFrame) -> str:
    names = [str(c) for c in cohort.columns]
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"; its columns are {shown}" if names else "; it has no columns"
