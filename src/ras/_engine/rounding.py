"""Rounding non-negative scaled integers to a unit, exactly, for all four modes of the format.

Amounts are never negative here (points below zero are priced as zero and every price is
non-negative), so ``up`` is the ceiling and ``down`` the floor.
"""

from __future__ import annotations

from typing import Any

import numpy.typing as npt

from ras._base import UsageError

__all__ = ["round_to_unit"]


def round_to_unit(x: npt.NDArray[Any], unit: int, mode: str) -> npt.NDArray[Any]:
    """Round each x (a count of small units, >= 0) to a multiple of `unit` small units.

    >>> import numpy as np
    >>> round_to_unit(np.array([0, 149, 150, 151, 250]), 100, "half_even").tolist()
    [0, 100, 200, 200, 200]
    >>> round_to_unit(np.array([101]), 100, "up").tolist()
    [200]
    """
    if unit == 1:
        return x
    if mode == "down":
        quotient = x // unit
    elif mode == "up":
        quotient = -((-x) // unit)
    elif mode == "half_up":
        quotient = (2 * x + unit) // (2 * unit)
    elif mode == "half_even":
        quotient = x // unit
        twice_rest = 2 * (x - quotient * unit)
        odd = (quotient % 2) == 1
        quotient = quotient + ((twice_rest > unit) | ((twice_rest == unit) & odd))
    else:  # pragma: no cover - the format refuses other modes at load time
        raise UsageError(f"unknown rounding mode {mode!r}")
    result: npt.NDArray[Any] = quotient * unit
    return result

