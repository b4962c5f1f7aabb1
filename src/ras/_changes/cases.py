"""A cohort reduced, once, to the distinct cases that one parameter can tell apart.

Sweeps and calibration run the same cohort through many variants of a scheme that differ in one
value. Most children are alike as far as that value is concerned: a change to a price or to
element 2 sees only each child's setting and stream points, so 100,000 children collapse to a few
hundred cases. A change inside one domain (its cap, weight or an option's points) sees the
answers to that domain's questions and the points of the rest. Each case is run through the
real kernel (one representative child, weighted by how many children share it), so the figures
are the engine's own, exact to the penny, and no per-value work grows with the cohort.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import CalculationError, UsageError
from ras._changes.reform import Parameter, apply_changes, find_parameter
from ras._engine import EXACT, sum_pence

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = ["Cases", "Stats", "measure_streams", "pence", "resolve_measure"]

Array = npt.NDArray[Any]
_ELEMENT3 = ("personal_sen_budget", "element3")


def resolve_measure(scheme: Scheme, measure: str) -> str:
    """The output column a measure names, or a ValueError listing the ones that work."""
    allowed = [*_ELEMENT3, "total_personal_budget", *(f"{s}_amount" for s in scheme.stream_ids)]
    if measure not in allowed:
        raise UsageError(f"unknown measure {measure!r}; use one of {', '.join(allowed)}")
    return "personal_sen_budget" if measure == "element3" else measure


def measure_streams(scheme: Scheme, measure: str) -> tuple[int, ...]:
    """The streams whose points a measure depends on."""
    ids = scheme.stream_ids
    if measure in _ELEMENT3:
        return (ids.index("education"),) if "education" in ids else ()
    if measure == "total_personal_budget":
        return tuple(range(len(ids)))
    return (ids.index(measure.removesuffix("_amount")),)


def pence(pounds: Array) -> tuple[Array, Array]:
    """Engine pounds (float64, exact to the penny) as int64 pence, and where they are missing."""
    missing = np.isnan(pounds)
    whole = np.rint(np.where(missing, 0.0, pounds) * 100).astype(np.int64)
    return whole, missing


@dataclass(frozen=True, slots=True)
class Stats:
    """Cohort figures for one variant, from exact pence."""

    total: int  # pence
    children: int  # with an amount
    referred: int  # with no amount (referred to panel)
    with_amount: int  # amount above zero (a top-up, for element 3)
    mean: float  # pounds
    median: float
    p90: float


class Cases:
    """The distinct cases of a cohort for one parameter, with how many children each stands for.

    Build it once; ``amounts(variant)`` then costs one kernel call over the cases the parameter
    acts on, whatever the size of the cohort. The measure is split into the parts the parameter
    can change (element 3 for education, a stream's amount for the others) and those it cannot,
    which are priced once, per child, with the scheme as it is: a social care rate changes no
    child's element 3. A case is then a pair: what the parameter acts on (a setting and a
    stream's points, say) and the fixed rest, in pence.
    """

    def __init__(self, scheme: Scheme, cohort: pd.DataFrame, parameter: str,
                 measure: str = "personal_sen_budget") -> None:
        self.scheme = scheme
        self.measure = resolve_measure(scheme, measure)
        self.parameter: Parameter = find_parameter(scheme.model, parameter)
        if self.parameter.kind != "number":
            raise CalculationError(
                f"{parameter} is {self.parameter.kind}, not a number: only numbers can be "
                "swept, calibrated or fitted")
        key = self.parameter.key
        if len(key) >= 2 and key[-2] == "number" and key[-1] != "points_per_unit":
            raise CalculationError(
                f"{parameter} changes which answers a number question allows (the grid of "
                "its answers), so the same cohort cannot be re-run under each value: sweep "
                "points_per_unit, or compare the two schemes on the cohort (ras.compare)")
        encoded = scheme.encode(cohort)
        self.n = len(cohort)
        codes, settings = encoded.codes, encoded.settings
        parts = _parts(scheme, self.measure)
        self.changed = _changed_parts(scheme, self.parameter.key, parts)
        fixed_parts = [p for p in parts if p not in self.changed]
        streams = tuple(s for s in (_stream_of(scheme, p) for p in self.changed)
                        if s is not None)
        names = [f"points_{d}" for d in scheme.domain_ids] if self.n and streams else []
        wanted = fixed_parts + names
        base = scheme.calculate_codes(codes, settings, columns=wanted) if wanted else {}
        fixed, fixed_missing = _summed(base, fixed_parts, self.n)
        keys = self._keys(codes, settings, self.parameter.key, streams, base)
        case, first = _factorize(keys)
        self.codes, self.settings = codes[first], settings[first]
        pair, pair_first = _factorize([case, fixed, fixed_missing])
        self.case = case[pair_first]  # per pair: its case, and the fixed part of the measure
        self.fixed, self.fixed_missing = fixed[pair_first], fixed_missing[pair_first]
        self.weights = np.bincount(pair, minlength=len(pair_first)).astype(np.int64)
        self.inverse = pair.astype(np.int64)

    def _keys(self, codes: Array, settings: Array, key: tuple[str | int, ...],
              streams: tuple[int, ...], points: dict[str, Array]) -> list[Array]:
        """What decides the parts the parameter changes: the setting, and per stream they
        depend on, the points of the domains the parameter does not touch, and for the one it
        does, what the parameter acts on (the answer to its question and the other questions'
        points, or the domain's points before weight and cap)."""
        scheme = self.scheme
        touched = {int(key[1])} if key[0] == "domains" else set()
        domains_of = scheme.compiled.domain_stream
        columns: list[Array] = [settings]
        if not streams or self.n == 0:
            return columns
        names = [f"points_{d}" for d in scheme.domain_ids]
        starts = [*scheme.compiled.domain_starts, len(scheme.question_ids)]
        for s in streams:
            mine = [d for d in range(len(names)) if int(domains_of[d]) == s]
            rest = [d for d in mine if d not in touched]
            if rest:  # what the stream sees of them: their sum, or with combine max the highest
                join = np.max if scheme.compiled.stream_max[s] else np.sum
                columns.append(join([points[names[d]] for d in rest], axis=0))
            for d in mine:
                if d in touched:
                    columns += self._touched(codes, range(int(starts[d]), int(starts[d + 1])),
                                             key)
        return columns

    def _touched(self, codes: Array, questions: range, key: tuple[str | int, ...]
                 ) -> list[Array]:
        c = self.scheme.compiled
        if c.dtype is object:  # huge magnitudes: keep every answer rather than sum them
            return [codes[:, q].astype(np.float64) for q in questions]
        raw = [c.option_points[codes[:, q].astype(np.int64) + c.option_offsets[q]]
               for q in questions]
        domain = int(key[1])
        join = np.max if c.domain_max[domain] else np.sum  # what the domain sees of its answers
        if len(key) > 3 and key[2] == "questions":
            q = questions[int(key[3])]
            others = [r for j, r in zip(questions, raw, strict=True) if j != q]
            rest = join(others, axis=0) if others else np.zeros(len(codes))
            return [codes[:, q].astype(np.float64), np.asarray(rest, dtype=np.float64)]
        return [join(raw, axis=0).astype(np.float64)]

    @property
    def size(self) -> int:
        """How many distinct cases the cohort reduced to."""
        return len(self.weights)

    def variant(self, value: Any) -> Scheme:
        """The scheme with the parameter set to this value (a SchemeError if that is invalid)."""
        return apply_changes(self.scheme, {self.parameter.path: value})

    def amounts(self, scheme: Scheme) -> tuple[Array, Array]:
        """Per case: the measure in pence, and whether it is missing."""
        out = scheme.calculate_codes(self.codes, self.settings, columns=self.changed)
        changed, changed_missing = _summed(out, self.changed, len(self.codes))
        missing = self.fixed_missing | changed_missing[self.case]
        return np.where(missing, 0, self.fixed + changed[self.case]), missing

    def per_child(self, scheme: Scheme) -> tuple[Array, Array]:
        """The measure for every child of the cohort, in pence, expanded from the cases."""
        amount, missing = self.amounts(scheme)
        return amount[self.inverse], missing[self.inverse]

    def stats(self, scheme: Scheme) -> Stats:
        return weighted_stats(*self.amounts(scheme), self.weights)

    def total(self, scheme: Scheme) -> int:
        amount, missing = self.amounts(scheme)
        return sum_pence(np.where(missing, 0, amount), self.weights)


def _parts(scheme: Scheme, measure: str) -> list[str]:
    """The output columns whose sum is the measure (missing when any is)."""
    if measure == "total_personal_budget":
        return ["personal_sen_budget",
                *(f"{s}_amount" for s in scheme.stream_ids if s != "education")]
    return [measure]


def _stream_of(scheme: Scheme, part: str) -> int | None:
    """The stream whose points decide a part: element 3 is education's amount less a deduction
    (None: a scheme with no education stream, whose element 3 is nothing)."""
    stream = "education" if part == "personal_sen_budget" else part.removesuffix("_amount")
    return scheme.stream_ids.index(stream) if stream in scheme.stream_ids else None


def _changed_parts(scheme: Scheme, key: tuple[str | int, ...], parts: list[str]
                   ) -> list[str]:
    """The parts a parameter can change: a stream's pricing or one of its domains changes that
    stream's part, a setting's elements change element 3; anything else, every part."""
    streams: set[str] | None = None
    if key[0] == "pricing":
        streams = {str(key[1])}
    elif key[0] == "domains":
        streams = {scheme.stream_ids[int(scheme.compiled.domain_stream[int(key[1])])]}
    elif key[0] == "settings" and len(key) > 3 and key[2] == "pricing":
        streams = {str(key[3])}
    elif key[0] == "settings" and len(key) == 3 and key[2] in ("element1", "element2"):
        streams = {"education"}
    if streams is None:
        return parts
    ids = [_stream_of(scheme, p) for p in parts]
    mine = [p for p, s in zip(parts, ids, strict=True)
            if s is not None and scheme.stream_ids[s] in streams]
    return mine or parts


def _summed(columns: dict[str, Array], parts: list[str], n: int) -> tuple[Array, Array]:
    """The parts added up per row, in pence, and where any is missing."""
    total, missing = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    for part in parts:
        amount, gone = pence(columns[part])
        total += amount
        missing |= gone
    return np.where(missing, 0, total), missing


def _factorize(columns: list[Array]) -> tuple[Array, Array]:
    """Each row's case (numbered in order of first appearance) and the first row of each case.

    Hash-based, one pass per column: faster than sorting the cohort (np.unique over rows).
    """
    n = len(columns[0]) if columns else 0
    combined = np.zeros(n, dtype=np.int64)
    width = 1
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        if width * len(uniques) >= 2**62:  # too many to number as one integer: renumber first
            combined, _ = pd.factorize(combined)
            width = int(combined.max(initial=0)) + 1
        combined = combined * len(uniques) + codes
        width *= max(len(uniques), 1)
    case, _ = pd.factorize(combined)
    first = np.flatnonzero(~pd.Series(case).duplicated().to_numpy())
    return case.astype(np.int64), first


def weighted_stats(amount: Array, missing: Array, weights: Array) -> Stats:
    """Total, count above zero, mean, median and 90th percentile of amounts given per case with
    weights, equal to numpy's (linear) percentiles over the expanded cohort."""
    keep = ~missing
    values, w = amount[keep], weights[keep]
    children = int(w.sum())
    total = sum_pence(values, w)
    referred = int(weights[missing].sum())
    with_amount = int(w[values > 0].sum())
    if children == 0:
        return Stats(total, 0, referred, 0, math.nan, math.nan, math.nan)
    order = np.argsort(values)  # equal values are alike to a quantile: no need for stable
    values, cumulative = values[order], np.cumsum(w[order])

    def quantile(q: float) -> float:
        h = (children - 1) * q
        lo, hi = math.floor(h), math.ceil(h)
        at = np.searchsorted(cumulative, [lo, hi], side="right")
        v_lo, v_hi = int(values[at[0]]), int(values[at[1]])
        return (v_lo + (h - lo) * (v_hi - v_lo)) / 100

    return Stats(total, children, referred, with_amount, total / children / 100,
                 quantile(0.5), quantile(0.9))


def pounds(pence_total: int) -> Decimal:
    """Whole pence as Decimal pounds with two decimals."""
    return Decimal(pence_total).scaleb(-2, EXACT)
