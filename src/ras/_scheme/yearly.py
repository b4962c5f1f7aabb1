"""How many of a scheme's periods make a year, for the tools that need a yearly figure.

A scheme's amounts are per its ``period`` (format version 2) and nothing converts them silently:
``apportion``, ``payment_schedule`` and ``calibrate`` targets work in years, so they refuse a
scheme whose period is not a year unless the caller says how many periods make one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ras._base import CalculationError

if TYPE_CHECKING:
    from ras._scheme.scheme import Scheme

__all__ = ["periods_per_year"]

_WHAT = {"term": "a term", "week": "a week", "one_off": "a one-off amount"}


def periods_per_year(scheme: Scheme | None, given: Any, tool: str) -> int:
    """1 for a yearly scheme (or none); else the caller's whole number of periods in a year."""
    period = scheme.period if scheme is not None else "year"
    if period == "year":
        if given not in (None, 1):
            raise CalculationError(f"{tool}: the scheme's amounts are already a year; "
                                   f"periods_per_year={given!r} does not apply")
        return 1
    what = _WHAT.get(period, period)
    assert scheme is not None
    if period == "one_off":
        raise CalculationError(f"{tool} needs a yearly amount, but every amount of scheme "
                               f"{scheme.id!r} is {what}, which has no number of periods in a "
                               "year")
    if given is None:
        raise CalculationError(f"{tool} needs a yearly amount, but every amount of scheme "
                               f"{scheme.id!r} is {what} (period: {period}); say how many make "
                               f"a year with periods_per_year= (3 terms, 38 or 52 weeks)")
    if isinstance(given, bool) or not isinstance(given, int) or given < 1:
        raise CalculationError(f"{tool}: periods_per_year must be a whole number, 1 or more "
                               f"(found {given!r})")
    return given
