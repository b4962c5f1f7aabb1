"""Transitional protection: soften each child's loss when a cohort moves to a new scheme.

Two forms councils use, alone or together (a child gets whichever protects them more):

- ``max_loss=0.05``: no child loses more than 5 % of their old amount;
- ``share=0.5``: the council pays half of each child's loss for the transition year.

Worked in whole pence and rounded up, in the child's favour, so a protected child never loses a
penny more than the rule allows. Gainers keep their gain; children with no amount on either side
(referred to panel) are left to the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import UsageError, a_kind
from ras._changes.cases import pounds
from ras._changes.comparison import Comparison
from ras._changes.reform import _as_decimal
from ras._engine import sum_pence
from ras._reasons import html_table, money, money_short

__all__ = ["Protection", "protect"]

Array = npt.NDArray[Any]


@dataclass(frozen=True, eq=False)
class Protection:
    """What protection pays each child, and what it costs in total and by setting."""

    comparison: Comparison
    max_loss: Decimal | None
    share: Decimal | None
    frame: pd.DataFrame  # per child: setting, base, reform, protected, protection
    by_setting: pd.DataFrame  # per setting and "all": children, protected, cost and totals
    cost: Decimal  # the whole cost of protection, in pounds
    protected_total: Decimal  # the cohort total once protection is paid (reform total + cost)

    def _rule(self) -> str:
        rules = []
        if self.max_loss is not None:
            rules.append(f"no loss above {_percent(self.max_loss)}")
        if self.share is not None:
            rules.append(f"{_percent(self.share)} of each loss paid")
        return " and ".join(rules)

    def __repr__(self) -> str:
        row = self.by_setting.loc["all"].to_dict()
        return (f"<Protection ({self._rule()}): {int(row['protected']):,} children protected "
                f"at a cost of {money(self.cost)}>")

    def _repr_html_(self) -> str:
        formats: dict[str, Callable[[Any], str]] = dict.fromkeys(
            ("cost", "base_total", "reform_total", "protected_total"), money_short)
        formats |= {"children": "{:,}".format, "protected": "{:,}".format}
        return html_table(self.by_setting, formats,
                          title=f"Transitional protection: {self._rule()}")


def protect(
    comparison: Comparison,
    *,
    max_loss: float | Decimal | str | None = None,
    share: float | Decimal | str | None = None,
) -> Protection:
    """Limit each child's loss from base to reform, and count the cost.

    Parameters
    ----------
    comparison
        A ``ras.compare`` of the scheme in use (base) and the new one (reform).
    max_loss
        The most a child may lose, as a fraction of the base amount (0.1 for ten per cent).
    share
        The fraction of each loss that protection pays back (0.5 for half).

    Returns
    -------
    Protection
        Each child's protected amount and the cost of protection, in total and by setting.

    Raises
    ------
    UsageError
        Neither ``max_loss`` nor ``share`` given, or one that is not a fraction from 0 to 1.

    Examples
    --------
    >>> import ras
    >>> base = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> reform = base.with_changes({"pricing.education.rate": 250})
    >>> cohort = pd.DataFrame({q: [2] for q in base.question_ids} | {"setting": "mainstream"})
    >>> comparison = ras.compare(base, reform, cohort)
    >>> comparison.frame["change"].tolist()   # element 3: 10,630 at £250 a point, 12,740 at £285
    [-2110.0]
    >>> ras.protect(comparison, max_loss=0.1).cost   # a loss of at most 10 % of 12,740: 1,274
    Decimal('836.00')
    """
    if not isinstance(comparison, Comparison):
        raise UsageError(f"protect takes a comparison (ras.compare(base, reform, cohort)), "
                         f"not {a_kind(comparison)}")
    if comparison.weights is not None:
        raise UsageError("protect costs each child's protection, so it needs a comparison "
                         "without weights: compare again without weights= (and multiply the "
                         "frame's protection by the weights if a weighted cost is wanted)")
    if max_loss is None and share is None:
        raise UsageError("give max_loss (e.g. 0.05) or share (e.g. 0.5), or both")
    limit = _fraction("max_loss", max_loss)
    part = _fraction("share", share)
    base, reform = comparison._base_pence, comparison._reform_pence
    scored = ~(comparison._base_missing | comparison._reform_missing)
    loser = scored & (reform < base)
    floor = reform.copy()
    if limit is not None:
        keep = Fraction(1) - limit  # the least share of the base a child keeps
        floor = np.maximum(floor, _ceil_times(base, keep))
    if part is not None:
        floor = np.maximum(floor, reform + _ceil_times(base - reform, part))
    protected = np.where(loser, np.minimum(floor, base), reform)
    protection = protected - reform

    settings = comparison.frame["setting"]
    frame = pd.DataFrame({
        "setting": settings,
        "base": np.where(scored, base / 100, np.nan),
        "reform": np.where(scored, reform / 100, np.nan),
        "protected": np.where(scored, protected / 100, np.nan),
        "protection": np.where(scored, protection / 100, np.nan),
    }, index=comparison.frame.index)
    rows = []
    names = ["all", *comparison._setting_ids]
    for name in names:
        mine = scored if name == "all" else scored & (settings == name).to_numpy()
        rows.append({
            "children": int(mine.sum()),
            "protected": int((mine & (protection > 0)).sum()),
            "cost": sum_pence(protection[mine]) / 100,
            "base_total": sum_pence(base[mine]) / 100,
            "reform_total": sum_pence(reform[mine]) / 100,
            "protected_total": sum_pence(protected[mine]) / 100,
        })
    by_setting = pd.DataFrame(rows, index=pd.Index(names, name="setting"))
    return Protection(comparison, _as_decimal(max_loss) if max_loss is not None else None,
                      _as_decimal(share) if share is not None else None, frame, by_setting,
                      cost=pounds(sum_pence(protection[scored])),
                      protected_total=pounds(sum_pence(protected[scored])))


def _percent(fraction: Decimal) -> str:
    return format((fraction * 100).normalize(), "f") + "%"


def _fraction(name: str, value: Any) -> Fraction | None:
    if value is None:
        return None
    number = _as_decimal(value)
    if number is None or not 0 <= number <= 1:
        raise UsageError(f"{name} must be a fraction between 0 and 1 (found {value!r}); "
                         "5% is 0.05")
    return Fraction(number)


def _ceil_times(pence: Array, fraction: Fraction) -> Array:
    """ceil(pence x fraction), exactly, in whole pence."""
    num, den = fraction.numerator, fraction.denominator
    result: Array = -((-pence * num) // den)
    return result
