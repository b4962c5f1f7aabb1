"""Exact totals of money columns.

Amount columns are float pounds, each the double nearest its exact penny amount. Summing floats
drifts (a million amounts can be off by a fraction of a penny, printed as 16000.060000000001),
so a finance total rounds each amount back to whole pence and sums integers.
"""

from __future__ import annotations

from decimal import MAX_PREC, Context, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from ras._base import CalculationError, UsageError

__all__ = ["EXACT", "FLOAT_PENNY_LIMIT", "plain", "sum_pence", "total_pounds"]

_INT64_LIMIT = 2**63
# Below 2**46 pounds (about £70 trillion) neighbouring pennies are distinct float64 values, so a
# float amount names one penny; at and above it a float cannot say which penny it meant.
FLOAT_PENNY_LIMIT = 2**46

# As many digits as a number has. The default context keeps 28 and rounds the rest away, so
# Decimal(10**40 + 1).scaleb(-2) loses the penny: every scaling of pence or points to a Decimal
# (and back) passes this context. Scaling only moves the exponent, so it costs no more.
EXACT = Context(prec=MAX_PREC)


def plain(value: Any) -> Any:
    """A numpy scalar (what a DataFrame cell gives) as the Python number it holds; anything
    else as it is. numpy's repr of a float is ``np.float64(3000.0)``, which Decimal cannot read."""
    return value.item() if isinstance(value, np.generic) else value


def sum_pence(pence: npt.NDArray[np.int64], weights: npt.NDArray[np.int64] | None = None) -> int:
    """The exact sum of whole pence (each times its weight, when given).

    In int64 when no partial sum can reach 2**63, which is every real cohort; otherwise in
    Python integers, so an absurd amount in a sweep or a calibration search gives its true
    total rather than a wrapped one.
    """
    if pence.size == 0:
        return 0
    count = int(weights.sum()) if weights is not None else pence.size
    if int(np.abs(pence).max()) * max(count, 1) < _INT64_LIMIT:
        return int(np.sum(pence * weights) if weights is not None else pence.sum())
    values = pence.tolist()
    if weights is None:
        return sum(values)
    return sum(v * w for v, w in zip(values, weights.tolist(), strict=True))


def total_pounds(amounts: npt.ArrayLike, *, skipna: bool = False) -> Decimal:
    """The exact total of an amount column, in Decimal pounds with two decimals.

    Missing amounts (referred to panel, or bad rows) are refused unless ``skipna=True``:
    a total that silently leaves children out is not a total. So are amounts that cannot be
    summed exactly: infinities, and floats of £2**46 (about £70 trillion) or more, which no
    longer hold every penny.

    Parameters
    ----------
    amounts
        Pounds: a column of ``calculate_frame``, a numpy array or a list of numbers.
    skipna
        Total the amounts there are, leaving out the missing ones.

    Returns
    -------
    Decimal
        The total, summed in whole pence.

    Raises
    ------
    CalculationError
        A missing amount without ``skipna=True``, or an amount that cannot be summed exactly.
    UsageError
        Amounts that are not numbers.

    Examples
    --------
    >>> import numpy as np
    >>> total_pounds(np.full(1_000_000, 0.07))         # a float sum gives 70000.0000001...
    Decimal('70000.00')
    >>> total_pounds([2630.0, float("nan"), 16000.0], skipna=True)
    Decimal('18630.00')
    """
    try:
        values: npt.NDArray[Any] = np.asarray(amounts, dtype=np.float64)
    except (TypeError, ValueError):
        raise UsageError("total_pounds totals amounts in pounds (numbers: a column of "
                         "calculate_frame, an array or a list), and these are not all "
                         "numbers") from None
    missing = np.isnan(values)
    if missing.any() and not skipna:
        raise CalculationError(
            f"{int(missing.sum())} of {values.size} amounts are missing (referred to panel or "
            "not scored); pass skipna=True to total the others"
        )
    present = values[~missing]
    wrong = ~np.isfinite(present) | (np.abs(present) >= FLOAT_PENNY_LIMIT)
    if wrong.any():
        first = present[wrong][0]
        what = ("is not a finite amount" if not np.isfinite(first) else
                f"is beyond £{FLOAT_PENNY_LIMIT:,} (2**46), where a float cannot hold every "
                "penny")
        raise CalculationError(
            f"{int(wrong.sum())} of {values.size} amounts cannot be totalled exactly: "
            f"the first, {float(first)!r}, {what}")
    pence = np.rint(present * 100).astype(np.int64)
    return Decimal(sum_pence(pence)).scaleb(-2, EXACT)
