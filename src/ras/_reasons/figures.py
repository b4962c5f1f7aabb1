"""Numbers as explanations and letters print them: exact money, points, percentages, dates, lists,
and plain JSON-ready data (Decimals as text, dates as ISO text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import numpy as np

from ras._engine import EXACT

__all__ = [
    "and_list",
    "at_least_pennies",
    "exact_money",
    "jsonable",
    "long_date",
    "money_points",
    "number",
    "per_period",
    "per_unit",
    "percent_text",
    "plain",
    "points_phrase",
    "pounds",
    "pounds_or_panel",
    "whole_pounds",
]


# Exact at any size (EXACT): the default context keeps 28 digits, and quantizing 1E+30 (a
# valid scheme number) to whole pounds needs 31, which raised InvalidOperation in explanations.


@lru_cache(maxsize=65536)  # value in, value out: equal Decimals give the same result
def plain(value: Decimal) -> Decimal:
    """A scheme number without trailing zeros or exponent: 1.50 -> 1.5, 1E+1 -> 10, -0.0 -> 0."""
    if not value:  # -0 equals 0 and shares its cache entry, so both must read 0
        return Decimal(0)
    normal = value.normalize(EXACT)
    if normal == normal.to_integral_value():
        return normal.quantize(Decimal(1), context=EXACT)
    return normal


def exact_money(units: int, exp: int) -> Decimal:
    """Money in 10**-exp pounds, exactly, with at least two decimals."""
    value = Decimal(units).scaleb(-exp, EXACT)
    return at_least_pennies(value)


def at_least_pennies(value: Decimal) -> Decimal:
    if not value:  # no "£-0.00": -0 equals 0, and pounds() caches them as one
        return Decimal("0.00")
    normal = value.normalize(EXACT)
    exponent = normal.as_tuple().exponent
    assert isinstance(exponent, int)
    return value.quantize(Decimal("0.01"), context=EXACT) if exponent >= -2 else normal


@lru_cache(maxsize=65536)  # value in, text out: a cohort prints the same amounts again and again
def pounds(value: Decimal) -> str:
    """£12,345.00; an exact amount with more decimals keeps them: £1,234.5675."""
    return f"£{at_least_pennies(value):,f}"


@lru_cache(maxsize=65536)
def whole_pounds(value: Decimal) -> str:
    """Money as a letter prints it: £4,000 where the pence are zero, else £4,000.50."""
    if not value:  # -0 equals 0, and this cache holds them as one
        return "£0"
    if value == value.to_integral_value():
        return f"£{value.quantize(Decimal(1), context=EXACT):,f}"
    return pounds(value)


def pounds_or_panel(value: Decimal | None) -> str:
    return "to be set by the panel" if value is None else pounds(value)


Words = tuple[str, str]  # what the scheme calls its points: (one, other)
POINTS: Words = ("point", "points")
_PER = {"year": "", "term": " a term", "week": " a week", "one_off": " (one-off)"}


def points_phrase(value: Decimal, words: Words = POINTS) -> str:
    """12 points, 1 point; in the scheme's own word: 4 levels, 1 level."""
    return f"{number(value)} {words[0] if value == 1 else words[1]}"


def per_period(period: str) -> str:
    """What an amount is per, after it: "" for a year (as version 1 always read), " a term"."""
    return _PER.get(period, "")


def money_points(words: Words) -> bool:
    """A scheme whose points are pounds (points_word pound/pounds): points read as money."""
    return words[0].strip().lower() in {"pound", "£"}


def per_unit(unit: str) -> str:
    """'hours a week' -> 'an hour', 'minutes a week' -> 'a minute'; else 'each'."""
    first = unit.split()[0] if unit.split() else ""
    if len(first) < 2 or not first.endswith("s"):
        return "each"
    one = first[:-1]
    article = "an" if one[0].lower() in "aeiou" or one.lower().startswith("hour") else "a"
    return f"{article} {one}"


@lru_cache(maxsize=65536)
def number(value: Decimal) -> str:
    """Points, weights and caps as printed: 12,345 and 1.5, with a true minus sign."""
    return f"{plain(value):,f}".replace("-", "−")


def percent_text(fraction: Decimal) -> str:
    return f"{plain(fraction * 100):f}%"


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    return str(value)  # an index label of another type


@lru_cache(maxsize=4096)  # every letter and explanation gives its scheme's dates
def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"



def and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

