"""Calibration: the value of one parameter that brings a cohort's total to a budget.

The total is a step function of the parameter (every child's amount is rounded), so "the" answer
is the value on a grid (pence for amounts, hundredths for rates and points, or a ``resolution``
you choose) whose total is nearest the target. Where the total is exactly linear across the
search range it is solved in one step; otherwise, where it is monotone, by bisection on the grid.
Where it is neither, or the target lies outside the totals the parameter can give, calibration
refuses and says why, rather than return a value that does not do what was asked.
"""

from __future__ import annotations

import html
import itertools
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from ras._base import CalculationError, SchemeError, UsageError
from ras._changes.cases import Cases, pounds
from ras._changes.reform import _as_decimal
from ras._reasons import money
from ras._scheme import periods_per_year as periods_per_year_of

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = ["Calibration", "calibrate"]

_MAX_DOUBLINGS = 40
_SAMPLES = 8


@dataclass(frozen=True, eq=False)
class Calibration:
    """The calibrated scheme, the value found and how close its total comes to the target."""

    scheme: Scheme
    parameter: str
    value: Decimal
    target: Decimal
    achieved_total: Decimal
    gap: Decimal  # achieved_total - target: negative is under budget
    method: str  # "linear" (solved in one step) or "bisection"
    original_value: Decimal | None
    original_total: Decimal
    evaluations: int  # cohort totals worked out to get here

    def __repr__(self) -> str:
        return (f"<Calibration {self.parameter} = {self.value} ({self.method}, was "
                f"{self.original_value}): total {money(self.achieved_total)} against a target "
                f"of {money(self.target)}, gap {money(self.gap)}>")

    def _repr_html_(self) -> str:
        rows = [("parameter", self.parameter), ("value", str(self.value)),
                ("was", str(self.original_value)), ("target", money(self.target)),
                ("achieved total", money(self.achieved_total)), ("gap", money(self.gap)),
                ("total before", money(self.original_total)), ("method", self.method)]
        cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                        for k, v in rows)  # the path holds the scheme's own labels
        return f"<table class=\"ras-table\">{cells}</table>"


def calibrate(
    scheme: Scheme,
    cohort: pd.DataFrame,
    target_total: float | int | Decimal | str,
    parameter: str,
    *,
    measure: str = "personal_sen_budget",
    bounds: tuple[Any, Any] | None = None,
    resolution: Any = "0.01",
    periods_per_year: int | None = None,
) -> Calibration:
    """The value of ``parameter`` whose cohort total of ``measure`` is nearest ``target_total``.

    Without ``bounds`` the search runs from 0 upwards, doubling until the target is passed.
    Among values whose totals are equally near, the one under the target is preferred. The
    target is a year's total: a scheme whose amounts are per term or week (format version 2)
    is refused unless ``periods_per_year`` says how many make a year (a one-off scheme always).

    Parameters
    ----------
    scheme
        The scheme as it is; it is not changed.
    cohort
        One row per child, as for ``Scheme.calculate_frame``.
    target_total
        The total to reach, in pounds a year (a number, a Decimal or decimal text).
    parameter
        The readable path of the value to search (``pricing.education.rate``); see
        ``ras.parameters``.
    measure
        What is totalled: ``personal_sen_budget`` (element 3, the default),
        ``total_personal_budget`` or ``<stream>_amount``.
    bounds
        ``(low, high)`` to search between, instead of from 0 upwards.
    resolution
        The step of the values tried (a penny by default): the answer is a multiple of it.
    periods_per_year
        How many of the scheme's periods make a year, for a scheme that is not yearly.

    Returns
    -------
    Calibration
        The value found, the scheme that carries it, its total and how far that is from the
        target.

    Raises
    ------
    CalculationError
        The target is out of reach within the bounds, or the total does not move one way as
        the value grows.
    SchemeError
        ``parameter`` is not a value of the scheme (the nearest paths are suggested).
    UsageError
        An unknown ``measure``, or bounds or a resolution that are not numbers.

    Examples
    --------
    >>> import ras
    >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> cohort = pd.DataFrame({q: [2, 2] for q in scheme.question_ids} | {"setting": "special"})
    >>> ras.calibrate(scheme, cohort, 20_000, "pricing.education.rate").value
    Decimal('305.71')
    """
    target = _as_decimal(target_total)
    if target is None or target < 0:
        raise CalculationError(f"target_total must be a number of pounds, 0 or more "
                               f"(found {target_total!r})")
    step = _as_decimal(resolution)
    if step is None or step <= 0:
        raise UsageError(f"resolution must be a positive number (found {resolution!r})")
    per_year = periods_per_year_of(scheme, periods_per_year, "calibrate")
    cases = Cases(scheme, cohort, parameter, measure)
    path = cases.parameter.path
    search = _Search(cases, step, target * 100 / per_year)
    current = cases.parameter.value
    assert current is None or isinstance(current, Decimal)
    original_total = pounds(cases.total(scheme)) * per_year

    lo, hi = search.bracket(current, bounds)
    search.check_monotone(lo, hi)
    k, method = search.solve(lo, hi)
    total, variant = search.at(k)
    achieved = pounds(total) * per_year
    return Calibration(
        scheme=variant,
        parameter=path,
        value=search.value(k),
        target=target,
        achieved_total=achieved,
        gap=achieved - target,
        method=method,
        original_value=current,
        original_total=original_total,
        evaluations=len(search.cache),
    )


class _Search:
    """Totals on the grid k x step, each worked out once."""

    def __init__(self, cases: Cases, step: Decimal, target_pence: Decimal) -> None:
        self.cases = cases
        self.step = step
        self.target = target_pence
        self.cache: dict[int, tuple[int, Scheme]] = {}

    def value(self, k: int) -> Decimal:
        value = k * self.step
        whole = value == value.to_integral_value()
        return value.quantize(Decimal(1)) if whole else value.normalize()

    def at(self, k: int) -> tuple[int, Scheme]:
        if k not in self.cache:
            variant = self.cases.variant(self.value(k))
            self.cache[k] = (self.cases.total(variant), variant)
        return self.cache[k]

    def total(self, k: int) -> int:
        return self.at(k)[0]

    def _describe(self, k: int) -> str:
        return f"{money(pounds(self.total(k)))} at {self.value(k)}"

    def _refuse(self, reason: str) -> CalculationError:
        path = self.cases.parameter.path
        return CalculationError(f"cannot bring the total to {money(self.target / 100)} by "
                                f"changing {path}: {reason}")

    def _between(self, a: int, b: int) -> bool:
        return min(a, b) <= self.target <= max(a, b)

    def bracket(self, current: Decimal | None, bounds: tuple[Any, Any] | None
                ) -> tuple[int, int]:
        """Grid points lo < hi whose totals lie either side of the target."""
        if bounds is not None:
            low, high = (_as_decimal(b) for b in bounds)
            if low is None or high is None or low >= high:
                raise UsageError(f"bounds must be two numbers, low < high (found {bounds!r})")
            lo, hi = math.ceil(low / self.step), math.floor(high / self.step)
            self._valid(lo)
            self._valid(hi)
            self.check_monotone(lo, hi)  # else "out of reach" could hide a peak inside
            if not self._between(self.total(lo), self.total(hi)):
                raise self._refuse(f"within the bounds the total runs from {self._describe(lo)} "
                                   f"to {self._describe(hi)}")
            return lo, hi
        if current is None:
            raise CalculationError(f"{self.cases.parameter.path} has no value in the scheme; "
                                   "give bounds=(low, high) to search between")
        k0 = round(current / self.step)
        lo = min(0, 2 * k0)
        self._valid(lo)
        hi = max(2 * k0, round(1 / self.step), lo + 1)
        flat = 0
        for _ in range(_MAX_DOUBLINGS):
            try:
                t_hi = self.total(hi)
            except SchemeError:
                break
            if self._between(self.total(lo), t_hi):
                return lo, hi
            wider = lo + 2 * (hi - lo)
            try:
                t_wider = self.total(wider)
            except SchemeError:
                break
            flat = flat + 1 if t_wider == t_hi else 0
            hi = wider
            if flat >= 3:
                break
        known = sorted(self.cache)
        least = min(known, key=self.total)
        most = max(known, key=self.total)
        note = " (it stops changing: clamps, caps or referrals hold it)" if flat >= 3 else ""
        raise self._refuse(f"the totals it can give run from {self._describe(least)} to "
                           f"{self._describe(most)}{note}")

    def _valid(self, k: int) -> None:
        try:
            self.at(k)
        except SchemeError as exc:
            raise CalculationError(f"cannot search from {self.value(k)}: {exc}") from None

    def check_monotone(self, lo: int, hi: int) -> None:
        points = sorted({lo + (hi - lo) * i // (_SAMPLES + 1) for i in range(_SAMPLES + 2)})
        totals = [self.total(k) for k in points]
        rising = all(a <= b for a, b in itertools.pairwise(totals))
        falling = all(a >= b for a, b in itertools.pairwise(totals))
        if not (rising or falling):
            shown = ", ".join(self._describe(k) for k in points[:5])
            raise self._refuse(f"the total goes up and down as it changes ({shown}, ...), so "
                               "there is no single answer; give bounds= where it is monotone")

    def solve(self, lo: int, hi: int) -> tuple[int, str]:
        t_lo, t_hi = self.total(lo), self.total(hi)
        if t_lo == t_hi:
            return lo, "linear"
        rising = t_hi > t_lo
        if self._linear(lo, hi):
            guess = lo + (self.target - t_lo) * (hi - lo) / (t_hi - t_lo)
            below, above = math.floor(guess), math.ceil(guess)
            return self._nearest(max(lo, below), min(hi, max(above, below + 1)), rising), "linear"
        # first k whose total has reached (rising) or come down to (falling) the target
        while hi - lo > 1:
            mid = (lo + hi) // 2
            reached = self.total(mid) >= self.target if rising else self.total(mid) <= self.target
            if reached:
                hi = mid
            else:
                lo = mid
        return self._nearest(lo, hi, rising), "bisection"

    def _linear(self, lo: int, hi: int) -> bool:
        """Whether every total worked out so far lies exactly on the line through the ends."""
        t_lo, t_hi = self.total(lo), self.total(hi)
        inside = [k for k in self.cache if lo <= k <= hi]
        return len(inside) >= 4 and all(
            (self.total(k) - t_lo) * (hi - lo) == (t_hi - t_lo) * (k - lo) for k in inside)

    def _nearest(self, a: int, b: int, rising: bool) -> int:
        """Of two neighbours, the one nearer the target; on a tie, the one under it."""
        gaps = {k: abs(self.total(k) - self.target) for k in (a, b)}
        if gaps[a] != gaps[b]:
            return min(gaps, key=lambda k: gaps[k])
        return a if rising else b
