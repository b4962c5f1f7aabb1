"""Part years, year splits and payment schedules, to the penny.

Top-up is paid only for the part of a year that a place is occupied. Finance teams account for it
by financial year (1 April to 31 March), plans run by academic year (1 September to 31 August) and
post-16 funding by 1 August to 31 July. Two functions cover this:

- `apportion` splits an annual amount over a period into one share per year the period touches;
- `payment_schedule` splits an amount into dated instalments.

Both reconcile exactly: the shares add up to the amount for the whole period computed once, and the
instalments add up to the amount. Intermediate arithmetic uses `fractions.Fraction`, so nothing is
rounded except where a convention says so, and then half up to the penny.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, NamedTuple, overload

import pandas as pd

from ras._base import CalculationError
from ras._engine import EXACT, plain
from ras._scheme import periods_per_year as _periods_per_year

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = [
    "Apportionment",
    "Instalment",
    "PaymentSchedule",
    "YearShare",
    "apportion",
    "payment_schedule",
]

Basis = Literal["monthly", "daily", "termly"]
Years = Literal["financial", "academic", "post16"]
Frequency = Literal["monthly", "termly"]
DateLike = dt.date | str
Money = Decimal | int | str | float
TermDates = Iterable[tuple[DateLike, DateLike]]

# The month each kind of year starts on the 1st of.
_YEAR_START_MONTH: dict[str, int] = {"financial": 4, "academic": 9, "post16": 8}
# What one unit of each basis counts, as named in to_frame().
_UNIT_NAME: dict[str, str] = {"monthly": "months", "daily": "days", "termly": "terms"}
_TERMS_PER_YEAR = 3
_PENNY = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class YearShare:
    """The part of an annual amount that falls in one year.

    `start` and `end` are the days of the period inside that year (inclusive), `units` how many
    months, days or terms of the basis were counted, and `amount` the share in pounds.
    """

    year_label: str
    start: dt.date
    end: dt.date
    amount: Decimal
    units: int


@dataclass(frozen=True, slots=True)
class Apportionment(Sequence[YearShare]):
    """The shares of an annual amount, one per year, in date order; `total` is their exact sum."""

    shares: tuple[YearShare, ...]
    total: Decimal
    annual_amount: Decimal
    start: dt.date
    end: dt.date
    basis: Basis
    years: Years

    @overload
    def __getitem__(self, index: int) -> YearShare: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[YearShare]: ...
    def __getitem__(self, index: int | slice) -> YearShare | Sequence[YearShare]:
        return self.shares[index]

    def __len__(self) -> int:
        return len(self.shares)

    def __iter__(self) -> Iterator[YearShare]:
        return iter(self.shares)

    @property
    def by_year(self) -> dict[str, Decimal]:
        """Year label -> amount, for looking a year up by its label."""
        return {share.year_label: share.amount for share in self.shares}

    def to_frame(self) -> pd.DataFrame:
        """One row per year; amounts stay ``Decimal`` so that sums of the column stay exact.

        Returns
        -------
        pandas.DataFrame
            ``year``, ``start``, ``end``, the months, days or terms counted, and ``amount``.

        Examples
        --------
        >>> apportion("12000", "2026-11-15", "2027-07-20").to_frame()["amount"].tolist()
        [Decimal('5000.00'), Decimal('4000.00')]
        """
        unit = _UNIT_NAME[self.basis]
        return pd.DataFrame(
            {
                "year": [s.year_label for s in self.shares],
                "start": pd.to_datetime([s.start for s in self.shares]),
                "end": pd.to_datetime([s.end for s in self.shares]),
                unit: [s.units for s in self.shares],
                "amount": pd.Series([s.amount for s in self.shares], dtype=object),
            }
        )


@dataclass(frozen=True, slots=True)
class Instalment:
    """One payment: the first day it pays for, and its amount in pounds."""

    date: dt.date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentSchedule(Sequence[Instalment]):
    """Instalments in date order; `total` is their exact sum, always equal to the amount asked."""

    instalments: tuple[Instalment, ...]
    total: Decimal
    start: dt.date
    end: dt.date
    frequency: Frequency

    @overload
    def __getitem__(self, index: int) -> Instalment: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Instalment]: ...
    def __getitem__(self, index: int | slice) -> Instalment | Sequence[Instalment]:
        return self.instalments[index]

    def __len__(self) -> int:
        return len(self.instalments)

    def __iter__(self) -> Iterator[Instalment]:
        return iter(self.instalments)

    def to_frame(self) -> pd.DataFrame:
        """One row per instalment; amounts stay ``Decimal`` so that sums of the column stay exact.

        Returns
        -------
        pandas.DataFrame
            ``date`` and ``amount`` of each instalment.

        Examples
        --------
        >>> frame = payment_schedule("1000", "2026-09-01", "2026-11-30").to_frame()
        >>> frame["amount"].tolist(), frame["amount"].sum()
        ([Decimal('333.33'), Decimal('333.33'), Decimal('333.34')], Decimal('1000.00'))
        """
        return pd.DataFrame(
            {
                "date": pd.to_datetime([i.date for i in self.instalments]),
                "amount": pd.Series([i.amount for i in self.instalments], dtype=object),
            }
        )


@dataclass(frozen=True, slots=True)
class _Term:
    start: dt.date
    end: dt.date


class _Piece(NamedTuple):
    """One year's part of the period, before rounding."""

    label: str
    start: dt.date
    end: dt.date
    units: int
    fraction: Fraction  # of the annual amount


def apportion(
    annual_amount: Money,
    start: DateLike,
    end: DateLike,
    basis: Basis = "monthly",
    years: Years = "financial",
    term_dates: TermDates | None = None,
    *,
    scheme: Scheme | None = None,
    periods_per_year: int | None = None,
) -> Apportionment:
    """Split an annual amount over the period `start` to `end` (both inclusive) by year.

    Returns one `YearShare` for each year the period touches: financial years (1 April to 31 March)
    by default, `years="academic"` (1 September to 31 August) or `years="post16"` (1 August to
    31 July), each labelled like ``"2026-27"``.

    Bases, which decide the fraction of the annual amount a year receives:

    - ``"monthly"``: annual x months / 12. A calendar month counts, whole, if the placement occupies
      any day of it: a placement that starts on 15 November is paid for all of November, and one
      that ends on 10 March for all of March. 1 November to 31 March is 5 months.
    - ``"daily"``: annual x days / days in that year, the year having 365 days, or 366 when it
      contains a 29 February.
    - ``"termly"``: annual x terms / 3, with the three terms of each academic year given in
      `term_dates` as (first day, last day) pairs. A term counts, whole, if the placement occupies
      any day of it, and belongs to the year of the first day of the term the placement occupies.
      Days outside terms earn nothing.

    The amount for the whole period is computed once, exactly, and rounded half up to the penny;
    it is the `total`. Each year's amount is rounded half up to the penny on its own, and the last
    year with anything counted takes the remainder, so the shares always add up to the total.

    Given the ``scheme`` the amount came from, a scheme whose amounts are not yearly (format
    version 2: ``period: term``) is refused unless ``periods_per_year`` says how many make a
    year; the amount is then that many times the scheme's amount.

    Parameters
    ----------
    annual_amount
        The amount for a whole year, in pounds (a number, a Decimal or decimal text).
    start
        The first day of the placement (a date or ISO text), inclusive.
    end
        The last day, inclusive.
    basis
        ``"monthly"`` (the default), ``"daily"`` or ``"termly"``, as above.
    years
        ``"financial"`` (the default), ``"academic"`` or ``"post16"``.
    term_dates
        The terms, as (first day, last day) pairs, for the termly basis.
    scheme
        The scheme the amount came from, to refuse a scheme that is not yearly.
    periods_per_year
        How many of that scheme's periods make a year.

    Returns
    -------
    Apportionment
        One ``YearShare`` per year in date order, ``.by_year``, ``.total`` and ``.to_frame()``.

    Raises
    ------
    CalculationError
        An end before the start, an amount that is not money, a basis or years not among those
        above, term dates missing, overlapping or out of order, or a scheme that is not yearly
        without ``periods_per_year``.

    Examples
    --------
    >>> split = apportion("7300", "2026-08-01", "2027-07-31")
    >>> [(s.year_label, s.units, str(s.amount)) for s in split]
    [('2026-27', 8, '4866.67'), ('2027-28', 4, '2433.33')]
    >>> split.total
    Decimal('7300.00')
    """
    annual = _as_money(annual_amount, "annual_amount")
    annual *= _periods_per_year(scheme, periods_per_year, "apportion")
    first, last = _as_period(start, end)
    _check_choice(basis, "basis", ("monthly", "daily", "termly"))
    _check_choice(years, "years", tuple(_YEAR_START_MONTH))
    terms = _terms_for(basis == "termly", term_dates, first, last, "basis")

    pieces: list[_Piece] = []
    for year_start, year_end in _years_touched(first, last, years):
        lo, hi = max(first, year_start), min(last, year_end)
        if basis == "monthly":
            units = _months_touched(lo, hi)
            fraction = Fraction(units, 12)
        elif basis == "daily":
            units = (hi - lo).days + 1
            fraction = Fraction(units, (year_end - year_start).days + 1)
        else:
            units = sum(1 for t in terms if lo <= max(t.start, first) <= hi and t.end >= first)
            fraction = Fraction(units, _TERMS_PER_YEAR)
        pieces.append(_Piece(_year_label(year_start.year), lo, hi, units, fraction))

    exact = Fraction(annual)
    total = _round_half_up(exact * sum((p.fraction for p in pieces), Fraction(0)))
    amounts = [_round_half_up(exact * p.fraction) for p in pieces]
    paid = [i for i, p in enumerate(pieces) if p.units > 0]
    if paid:  # the remainder goes to the last year that has anything counted
        last_paid = paid[-1]
        amounts[last_paid] = total - sum(a for i, a in enumerate(amounts) if i != last_paid)
    shares = tuple(
        YearShare(p.label, p.start, p.end, amount, p.units)
        for p, amount in zip(pieces, amounts, strict=True)
    )
    return Apportionment(shares, total, annual, first, last, basis, years)


def payment_schedule(
    amount: Money,
    start: DateLike,
    end: DateLike,
    frequency: Frequency = "monthly",
    term_dates: TermDates | None = None,
    *,
    scheme: Scheme | None = None,
    periods_per_year: int | None = None,
) -> PaymentSchedule:
    """Split `amount` into instalments over the period `start` to `end` (both inclusive).

    ``"monthly"`` pays one instalment for each calendar month the period touches (the same months
    that `apportion` counts); ``"termly"`` one for each term in `term_dates` that it touches. Each
    instalment is dated the first day it pays for: the 1st of the month or the first day of term,
    or `start` when the placement begins later than that.

    Every instalment but the last is amount / count rounded half up to the penny; the last takes
    the remainder, so the instalments always add up to exactly `amount`. An amount of a few
    pence over many instalments, where the rounded instalments alone would exceed it (54p in
    12), is refused rather than given a negative last instalment.

    Given the ``scheme`` the amount came from, a scheme whose amounts are not yearly is refused
    unless ``periods_per_year`` says how many make a year (the amount paid is then the year's).

    Parameters
    ----------
    amount
        The amount to pay over the period, in pounds.
    start
        The first day of the placement (a date or ISO text), inclusive.
    end
        The last day, inclusive.
    frequency
        ``"monthly"`` (the default) or ``"termly"``.
    term_dates
        The terms, as (first day, last day) pairs, for termly payments.
    scheme
        The scheme the amount came from, to refuse a scheme that is not yearly.
    periods_per_year
        How many of that scheme's periods make a year.

    Returns
    -------
    PaymentSchedule
        The instalments in date order, with ``.total`` (always the amount) and ``.to_frame()``.

    Raises
    ------
    CalculationError
        An end before the start, an amount that is not money or too small to split, a
        frequency not among those above, or term dates missing or out of order.

    Examples
    --------
    >>> schedule = payment_schedule("7300", "2026-08-01", "2027-07-31")
    >>> len(schedule), schedule[0].amount, schedule[-1].date, schedule[-1].amount
    (12, Decimal('608.33'), datetime.date(2027, 7, 1), Decimal('608.37'))
    """
    money = _as_money(amount, "amount")
    money *= _periods_per_year(scheme, periods_per_year, "payment_schedule")
    first, last = _as_period(start, end)
    _check_choice(frequency, "frequency", ("monthly", "termly"))
    terms = _terms_for(frequency == "termly", term_dates, first, last, "frequency")

    if frequency == "monthly":
        months = _months_touched(first, last)
        dates = [max(first, _add_months(first.replace(day=1), k)) for k in range(months)]
    else:
        dates = [max(first, t.start) for t in terms if t.start <= last and t.end >= first]
        if not dates:
            raise CalculationError(
                f"no term falls between {first} and {last}, so there is nothing to pay termly; "
                "check the term dates or pay monthly"
            )

    count = len(dates)
    each = _round_half_up(Fraction(money) / count)
    final = money - each * (count - 1)
    if final < 0:
        raise CalculationError(
            f"£{money} cannot be paid in {count} instalments: {count - 1} instalments of £{each} "
            f"(the amount divided equally, rounded half up) already exceed it; "
            "pay it in fewer instalments"
        )
    instalments = (*(Instalment(d, each) for d in dates[:-1]), Instalment(dates[-1], final))
    return PaymentSchedule(instalments, money, first, last, frequency)


# --- helpers -------------------------------------------------------------------------------------


def _round_half_up(value: Fraction) -> Decimal:
    """Round an exact non-negative amount of pounds half up to the penny, in integers."""
    pennies = (value.numerator * 200 + value.denominator) // (value.denominator * 2)
    return Decimal(pennies).scaleb(-2, EXACT)


def _as_money(value: Money, name: str) -> Decimal:
    """Read an amount of money exactly: whole pennies, not negative; floats by their repr."""
    value = plain(value)
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str | float):
        raise CalculationError(
            f"{name} must be an amount in pounds (Decimal, int, str or float), "
            f"not {type(value).__name__}"
        )
    try:
        money = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except decimal.InvalidOperation:
        raise CalculationError(f"{name} {value!r} is not a number of pounds") from None
    if not money.is_finite() or money < 0:
        raise CalculationError(f"{name} must be a finite amount of £0 or more, not {value!r}")
    try:
        whole = money.quantize(_PENNY, decimal.ROUND_DOWN)
    except decimal.InvalidOperation:  # more digits than any budget has
        raise CalculationError(f"{name} {value!r} is too large") from None
    if money != whole:
        raise CalculationError(f"{name} {value!r} is not a whole number of pence")
    return whole


def _as_date(value: DateLike, name: str) -> dt.date:
    """A date from a `datetime.date` (a datetime keeps its day) or an ISO string ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        if value != value:  # pandas' NaT is a datetime that is not a date
            raise CalculationError(f"{name} is missing (NaT); it must be a date")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CalculationError(f"{name} must be a date or an ISO date like '2026-09-01', not {value!r}")


def _as_period(start: DateLike, end: DateLike) -> tuple[dt.date, dt.date]:
    first, last = _as_date(start, "start"), _as_date(end, "end")
    if last < first:
        raise CalculationError(
            f"the period ends ({last}) before it starts ({first}); both dates are inclusive, "
            "so a one-day period has end == start"
        )
    return first, last


def _check_choice(value: str, name: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise CalculationError(f"unknown {name} {value!r}; expected one of: {', '.join(allowed)}")


def _year_start(day: dt.date, years: str) -> dt.date:
    """The first day of the year (of the given kind) that contains `day`."""
    month = _YEAR_START_MONTH[years]
    return dt.date(day.year if day.month >= month else day.year - 1, month, 1)


def _years_touched(first: dt.date, last: dt.date, years: str) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of every year of the given kind that the period touches, in order."""
    start = _year_start(first, years)
    out = []
    while start <= last:
        following = start.replace(year=start.year + 1)
        out.append((start, following - dt.timedelta(days=1)))
        start = following
    return out


def _year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def _months_touched(first: dt.date, last: dt.date) -> int:
    """Calendar months with at least one day in the period."""
    return (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1


def _add_months(day: dt.date, months: int) -> dt.date:
    """The 1st of the month `months` after the month of `day` (day is always a 1st here)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _terms_for(
    wanted: bool, term_dates: TermDates | None, first: dt.date, last: dt.date, option: str
) -> tuple[_Term, ...]:
    """Check the term dates (needed only for a termly basis) and that they cover the period.

    Each academic year the period touches must have its three terms, each inside that academic
    year, so that a missing year is an error rather than a silent zero.
    """
    if not wanted:
        if term_dates is not None:
            raise CalculationError(f"term_dates are only used when {option}='termly'")
        return ()
    if term_dates is None:
        raise CalculationError(
            f"{option}='termly' needs term_dates: the (first day, last day) of the three terms of "
            "each academic year the period touches"
        )
    terms: list[_Term] = []
    for i, pair in enumerate(term_dates):
        try:
            raw_start, raw_end = pair
        except (TypeError, ValueError):
            raise CalculationError(
                f"term_dates[{i}] must be a (first day, last day) pair, not {pair!r}"
            ) from None
        term = _Term(
            _as_date(raw_start, f"term_dates[{i}][0]"), _as_date(raw_end, f"term_dates[{i}][1]")
        )
        if term.end < term.start:
            raise CalculationError(
                f"term_dates[{i}] ends ({term.end}) before it starts ({term.start})"
            )
        if _year_start(term.start, "academic") != _year_start(term.end, "academic"):
            raise CalculationError(
                f"term_dates[{i}] ({term.start} to {term.end}) crosses 1 September; every term "
                "must lie within one academic year"
            )
        terms.append(term)
    terms.sort(key=lambda t: t.start)
    for before, after in itertools.pairwise(terms):
        if after.start <= before.end:
            raise CalculationError(
                f"terms {before.start} to {before.end} and {after.start} to {after.end} overlap"
            )
    per_year: dict[dt.date, int] = {}
    for term in terms:
        key = _year_start(term.start, "academic")
        per_year[key] = per_year.get(key, 0) + 1
    wrong = {_year_label(y.year): n for y, n in per_year.items() if n != _TERMS_PER_YEAR}
    if wrong:
        found = ", ".join(f"{label}: {n}" for label, n in sorted(wrong.items()))
        raise CalculationError(f"each academic year needs exactly 3 terms; found {found}")
    missing = [
        _year_label(year_start.year)
        for year_start, _ in _years_touched(first, last, "academic")
        if year_start not in per_year
    ]
    if missing:
        raise CalculationError(
            f"the period {first} to {last} touches academic year(s) {', '.join(missing)}, "
            "which have no term dates; add their three terms to term_dates"
        )
    return tuple(terms)
