"""Part years, year splits and payment schedules (issue 6).

The worked examples of the issue come first, each computed by hand in a comment; then the
conventions one by one, the refusals, and Hypothesis properties for the reconciliation rules.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ras import (
    Apportionment,
    CalculationError,
    Instalment,
    PaymentSchedule,
    RasError,
    YearShare,
    apportion,
    payment_schedule,
)

D = Decimal
date = dt.date

# Term dates of two academic years, as a council publishes them.
TERMS = [
    (date(2026, 9, 3), date(2026, 12, 18)),
    (date(2027, 1, 5), date(2027, 3, 26)),
    (date(2027, 4, 12), date(2027, 7, 21)),
    (date(2027, 9, 2), date(2027, 12, 17)),
    (date(2028, 1, 4), date(2028, 3, 24)),
    (date(2028, 4, 10), date(2028, 7, 20)),
]


def amounts(split: Apportionment) -> list[tuple[str, Decimal]]:
    return [(s.year_label, s.amount) for s in split]


# --- the worked examples of the issue ------------------------------------------------------------


def test_joining_on_1_november_is_five_months_of_the_financial_year() -> None:
    # November, December, January, February, March = 5 months.
    # 11,570 x 5 / 12 = 57,850 / 12 = 4,820.8333... -> 4,820.83 (half up).
    split = apportion(D("11570"), date(2026, 11, 1), date(2027, 3, 31))
    assert split.shares == (
        YearShare("2026-27", date(2026, 11, 1), date(2027, 3, 31), D("4820.83"), 5),
    )
    assert split.total == D("4820.83")


def test_special_school_top_up_from_1_september() -> None:
    # 17,556 / 12 = 1,463.00 a month exactly.
    # First financial year, September to March = 7 months: 7 x 1,463 = 10,241.00.
    # Second, April to August = 5 months: 5 x 1,463 = 7,315.00; 10,241 + 7,315 = 17,556.
    split = apportion(D("17556"), date(2026, 9, 1), date(2027, 8, 31))
    assert amounts(split) == [("2026-27", D("10241.00")), ("2027-28", D("7315.00"))]
    assert [s.units for s in split] == [7, 5]
    assert split.total == D("17556.00")

    schedule = payment_schedule(D("17556"), date(2026, 9, 1), date(2027, 8, 31))
    assert len(schedule) == 12
    assert {i.amount for i in schedule} == {D("1463.00")}

    # The place funding of 10,000 (elements 1 and 2) is not pro-rated: it is never passed to
    # apportion, so the first financial year receives 10,000 + 10,241 = 20,241.00.
    assert D("10000.00") + split.by_year["2026-27"] == D("20241.00")


def test_college_top_up_for_the_post16_year() -> None:
    # First financial year, August to March = 8 months: 7,300 x 8 / 12 = 4,866.666... -> 4,866.67.
    # Second, April to July = 4 months: the remainder, 7,300.00 - 4,866.67 = 2,433.33
    # (also 7,300 x 4 / 12 = 2,433.333... -> 2,433.33).
    split = apportion(D("7300"), date(2026, 8, 1), date(2027, 7, 31))
    assert amounts(split) == [("2026-27", D("4866.67")), ("2027-28", D("2433.33"))]

    # Monthly: 7,300 / 12 = 608.333... -> 608.33; 11 x 608.33 = 6,691.63;
    # the last takes 7,300.00 - 6,691.63 = 608.37.
    schedule = payment_schedule(D("7300"), date(2026, 8, 1), date(2027, 7, 31))
    assert [i.amount for i in schedule] == [D("608.33")] * 11 + [D("608.37")]
    assert schedule[0] == Instalment(date(2026, 8, 1), D("608.33"))
    assert schedule[-1] == Instalment(date(2027, 7, 1), D("608.37"))
    assert schedule.total == D("7300.00")

    # In post-16 years the whole amount falls in one year.
    post16 = apportion(D("7300"), date(2026, 8, 1), date(2027, 7, 31), years="post16")
    assert amounts(post16) == [("2026-27", D("7300.00"))]


# --- conventions ---------------------------------------------------------------------------------


def test_the_remainder_goes_to_the_last_year() -> None:
    # 6,000.06 / 12 = 500.005 a month. March 2027 and April 2027 are one month in each year.
    # Each year alone: 500.005 -> 500.01 (half up). The whole period, computed once:
    # 6,000.06 x 2 / 12 = 1,000.01. So the last year takes 1,000.01 - 500.01 = 500.00.
    split = apportion(D("6000.06"), date(2027, 3, 1), date(2027, 4, 30))
    assert amounts(split) == [("2026-27", D("500.01")), ("2027-28", D("500.00"))]
    assert split.total == D("1000.01")


def test_a_month_counts_whole_when_the_placement_starts_or_ends_in_it() -> None:
    # 15 November to 10 March touches November ... March: 5 months, as from 1 November.
    # 12,000 x 5 / 12 = 5,000.00.
    split = apportion(D("12000"), date(2026, 11, 15), date(2027, 3, 10))
    assert [(s.units, s.amount, s.start, s.end) for s in split] == [
        (5, D("5000.00"), date(2026, 11, 15), date(2027, 3, 10))
    ]
    # The first instalment is dated the day the placement starts, the others the 1st.
    schedule = payment_schedule(D("5000"), date(2026, 11, 15), date(2027, 3, 10))
    assert [i.date for i in schedule] == [
        date(2026, 11, 15),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
        date(2027, 3, 1),
    ]
    assert {i.amount for i in schedule} == {D("1000.00")}


def test_daily_uses_the_days_of_each_year() -> None:
    # 2026-27 (1 April 2026 to 31 March 2027) has 365 days; March 2027 is 31 of them:
    # 10,000 x 31 / 365 = 849.3150... -> 849.32.
    # 2027-28 contains 29 February 2028, so 366 days; April 2027 is 30 of them:
    # 10,000 x 30 / 366 = 819.6721... -> 819.67.
    # Whole period: 849.3150... + 819.6721... = 1,668.9872... -> 1,668.99 = 849.32 + 819.67.
    split = apportion(D("10000"), date(2027, 3, 1), date(2027, 4, 30), basis="daily")
    assert amounts(split) == [("2026-27", D("849.32")), ("2027-28", D("819.67"))]
    assert [s.units for s in split] == [31, 30]
    assert split.total == D("1668.99")


def test_daily_in_a_leap_year() -> None:
    # 36,600 x 30 / 366 = 3,000.00 (April 2027 in the 366-day year 2027-28).
    split = apportion(D("36600"), date(2027, 4, 1), date(2027, 4, 30), basis="daily")
    assert amounts(split) == [("2027-28", D("3000.00"))]


def test_a_whole_year_is_the_annual_amount_on_every_basis() -> None:
    for basis in ("monthly", "daily"):
        split = apportion(D("1234.57"), date(2027, 4, 1), date(2028, 3, 31), basis=basis)
        assert amounts(split) == [("2027-28", D("1234.57"))]
    termly = apportion(
        D("1234.57"), date(2026, 9, 1), date(2027, 8, 31), "termly", "academic", TERMS
    )
    assert amounts(termly) == [("2026-27", D("1234.57"))]


def test_termly_counts_the_terms_the_placement_touches() -> None:
    # From 15 January 2027: the spring term (started in it) falls in financial year 2026-27 and the
    # summer term in 2027-28; the autumn term 2027 is after the end. 9,000 / 3 = 3,000 per term.
    split = apportion(
        D("9000"), date(2027, 1, 15), date(2027, 8, 31), basis="termly", term_dates=TERMS
    )
    assert amounts(split) == [("2026-27", D("3000.00")), ("2027-28", D("3000.00"))]
    assert [s.units for s in split] == [1, 1]
    # By academic year, both terms are in 2026-27.
    academic = apportion(D("9000"), "2027-01-15", "2027-08-31", "termly", "academic", TERMS)
    assert amounts(academic) == [("2026-27", D("6000.00"))]


def test_termly_holidays_earn_nothing() -> None:
    # 1 to 31 August 2027 is between terms: nothing is paid, but the year is still shown.
    split = apportion(D("9000"), date(2027, 8, 1), date(2027, 8, 31), "termly", term_dates=TERMS)
    assert amounts(split) == [("2027-28", D("0.00"))]
    assert split.total == D("0.00")


def test_termly_schedule_pays_on_the_first_day_of_each_term() -> None:
    # 10,000 / 3 = 3,333.333... -> 3,333.33 twice; the last 10,000 - 6,666.66 = 3,333.34.
    schedule = payment_schedule(
        D("10000"), date(2026, 9, 1), date(2027, 8, 31), frequency="termly", term_dates=TERMS
    )
    assert list(schedule) == [
        Instalment(date(2026, 9, 3), D("3333.33")),
        Instalment(date(2027, 1, 5), D("3333.33")),
        Instalment(date(2027, 4, 12), D("3333.34")),
    ]


def test_academic_and_post16_labels() -> None:
    # 1 July to 30 September 2026: academic years 2025-26 (July, August) and 2026-27 (September);
    # post-16 years 2025-26 (July) and 2026-27 (August, September). 1,200 a year = 100 a month.
    academic = apportion(D("1200"), date(2026, 7, 1), date(2026, 9, 30), years="academic")
    assert amounts(academic) == [("2025-26", D("200.00")), ("2026-27", D("100.00"))]
    post16 = apportion(D("1200"), date(2026, 7, 1), date(2026, 9, 30), years="post16")
    assert amounts(post16) == [("2025-26", D("100.00")), ("2026-27", D("200.00"))]
    # A period across a century-style label: 2099-00.
    assert apportion(1200, "2100-03-01", "2100-03-31")[0].year_label == "2099-00"


def test_inputs_may_be_ints_iso_strings_datetimes_and_floats() -> None:
    by_string = apportion("7300", "2026-08-01", "2027-07-31")
    assert apportion(7300, dt.datetime(2026, 8, 1, 9, 30), date(2027, 7, 31)) == by_string
    assert apportion(7300.0, date(2026, 8, 1), date(2027, 7, 31)) == by_string


def test_frames_keep_exact_amounts() -> None:
    frame = apportion(D("7300"), date(2026, 8, 1), date(2027, 7, 31)).to_frame()
    assert list(frame.columns) == ["year", "start", "end", "months", "amount"]
    assert list(frame["amount"]) == [D("4866.67"), D("2433.33")]
    assert frame["amount"].sum() == D("7300.00")
    schedule = payment_schedule(D("7300"), date(2026, 8, 1), date(2027, 7, 31)).to_frame()
    assert list(schedule.columns) == ["date", "amount"]
    assert schedule["amount"].sum() == D("7300.00")


# --- refusals ------------------------------------------------------------------------------------


Call = Callable[[], object]
PERIOD = ("2027-03-01", "2027-03-31")
NO_AUGUST_TERMS = [(date(2026, 8, 20), date(2026, 12, 18)), *TERMS[1:3]]

REFUSALS: list[tuple[Call, str]] = [
    (lambda: apportion(100, "2027-03-31", "2027-03-01"), "ends (2027-03-01) before it starts"),
    (lambda: apportion(100, *PERIOD, basis="weekly"), "unknown basis 'weekly'; expected one of"),
    (lambda: apportion(100, *PERIOD, years="calendar"), "unknown years 'calendar'"),
    (lambda: apportion(-1, *PERIOD), "£0 or more"),
    (lambda: apportion("10.005", *PERIOD), "not a whole number of pence"),
    (lambda: apportion("ten", *PERIOD), "not a number of pounds"),
    (lambda: apportion(True, *PERIOD), "must be an amount in pounds"),
    (lambda: apportion(100, "01/03/2027", "2027-03-31"), "an ISO date like"),
    (lambda: apportion(100, *PERIOD, "termly"), "needs term_dates"),
    (lambda: apportion(100, *PERIOD, term_dates=TERMS), "only used when basis='termly'"),
    (lambda: apportion(100, "2025-09-01", "2026-09-30", "termly", term_dates=TERMS), "2025-26"),
    (lambda: apportion(100, *PERIOD, "termly", term_dates=TERMS[:2]), "exactly 3 terms"),
    (lambda: apportion(100, *PERIOD, "termly", term_dates=[TERMS[1], *TERMS]), "overlap"),
    (lambda: apportion(100, *PERIOD, "termly", term_dates=NO_AUGUST_TERMS), "crosses 1 September"),
    (lambda: apportion(100, *PERIOD, "termly", term_dates=[TERMS[0][0]]), "pair"),
    (lambda: payment_schedule(100, *PERIOD, "fortnightly"), "unknown frequency"),
    (lambda: payment_schedule(100, "2027-08-01", "2027-08-31", "termly", TERMS), "no term falls"),
    # 0.06 / 12 = 0.005 -> 0.01, and 11 x 0.01 = 0.11 is already more than 0.06.
    (lambda: payment_schedule("0.06", "2026-04-01", "2027-03-31"), "cannot be paid in 12"),
]


@pytest.mark.parametrize(("call", "words"), REFUSALS)
def test_bad_requests_are_refused_with_reasons(call: Call, words: str) -> None:
    with pytest.raises(CalculationError, match=re.escape(words)) as raised:
        call()
    assert isinstance(raised.value, RasError)
    assert isinstance(raised.value, ValueError)


# --- properties ----------------------------------------------------------------------------------

START = date(2020, 1, 1)
money = st.integers(min_value=0, max_value=10**9).map(lambda pennies: D(pennies).scaleb(-2))
days = st.integers(min_value=0, max_value=6 * 366)


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date]:
    first = START + dt.timedelta(days=draw(days))
    return first, first + dt.timedelta(days=draw(st.integers(min_value=0, max_value=5 * 366)))


@st.composite
def school_terms(draw: st.DrawFn) -> list[tuple[date, date]]:
    """Three terms for each academic year 2019-20 to 2032-33, none crossing a year boundary."""

    def day(year: int, month: int, lo: int, hi: int) -> date:
        return date(year, month, draw(st.integers(min_value=lo, max_value=hi)))

    terms = []
    for year in range(2019, 2033):
        terms += [
            (day(year, 9, 1, 10), day(year, 12, 10, 22)),
            (day(year + 1, 1, 2, 10), day(year + 1, 3, 15, 28)),
            (day(year + 1, 4, 2, 20), day(year + 1, 7, 15, 31)),
        ]
    return terms


bases = st.sampled_from(["monthly", "daily", "termly"])
years_kinds = st.sampled_from(["financial", "academic", "post16"])


def split(
    annual: Decimal, first: date, last: date, basis: Any, years: Any, terms: list[tuple[date, date]]
) -> Apportionment:
    return apportion(annual, first, last, basis, years, terms if basis == "termly" else None)


def whole_period_amount(annual: Decimal, first: date, last: date, basis: str) -> Decimal:
    """The whole-period amount computed independently, for the monthly and daily bases."""
    if basis == "monthly":
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        fraction = Fraction(months, 12)
    else:
        fraction = Fraction(0)
        day = first
        while day <= last:
            april = date(day.year if day.month >= 4 else day.year - 1, 4, 1)
            year_days = (april.replace(year=april.year + 1) - april).days
            fraction += Fraction(1, year_days)
            day += dt.timedelta(days=1)
    exact = Fraction(annual) * fraction
    return (D(exact.numerator) / D(exact.denominator)).quantize(D("0.01"), ROUND_HALF_UP)


@given(money, periods(), st.sampled_from(["monthly", "daily"]))
def test_parts_add_up_to_the_whole_period_amount(
    annual: Decimal, period: tuple[date, date], basis: str
) -> None:
    first, last = period
    result = split(annual, first, last, basis, "financial", [])
    assert sum((s.amount for s in result), D(0)) == result.total
    assert result.total == whole_period_amount(annual, first, last, basis)


@given(money, periods(), bases, years_kinds, school_terms())
def test_parts_are_never_negative_and_add_up(
    annual: Decimal,
    period: tuple[date, date],
    basis: str,
    years: str,
    terms: list[tuple[date, date]],
) -> None:
    first, last = period
    result = split(annual, first, last, basis, years, terms)
    assert all(s.amount >= 0 for s in result)
    assert all(s.amount == s.amount.quantize(D("0.01")) for s in result)
    assert sum((s.amount for s in result), D(0)) == result.total
    # The shares tile the period: consecutive, inside it, and from its first day to its last.
    assert result[0].start == first
    assert result[-1].end == last
    for before, after in itertools.pairwise(result):
        assert after.start == before.end + dt.timedelta(days=1)


@given(money, periods(), bases, years_kinds, school_terms(), st.data())
def test_splitting_at_a_year_boundary_is_consistent(
    annual: Decimal,
    period: tuple[date, date],
    basis: str,
    years: str,
    terms: list[tuple[date, date]],
    data: st.DataObject,
) -> None:
    first, last = period
    whole = split(annual, first, last, basis, years, terms)
    if len(whole) < 2:
        return
    cut = data.draw(st.integers(min_value=1, max_value=len(whole) - 1))
    boundary = whole[cut].start  # the first day of a year
    left = split(annual, first, boundary - dt.timedelta(days=1), basis, years, terms)
    right = split(annual, boundary, last, basis, years, terms)
    pieces = [*left, *right]
    # The same years, dates and units counted, whichever way the period is cut.
    assert [(s.year_label, s.start, s.end, s.units) for s in pieces] == [
        (s.year_label, s.start, s.end, s.units) for s in whole
    ]
    # Every year has the same amount but the last one paid anything: it takes the whole
    # period's remainder, so it may differ by a penny of rounding.
    paid = [i for i, s in enumerate(whole) if s.units > 0]
    for i, (piece, share) in enumerate(zip(pieces, whole, strict=True)):
        if paid and i == paid[-1]:
            assert abs(piece.amount - share.amount) <= D("0.01")
        else:
            assert piece.amount == share.amount


@given(money, periods(), st.sampled_from(["monthly", "termly"]), school_terms())
def test_instalments_add_up_exactly_to_the_amount(
    amount: Decimal, period: tuple[date, date], frequency: Any, terms: list[tuple[date, date]]
) -> None:
    first, last = period
    term_dates = terms if frequency == "termly" else None
    if frequency == "termly":
        count = sum(1 for t in terms if t[0] <= last and t[1] >= first)
    else:
        count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count == 0:
        with pytest.raises(CalculationError, match="no term falls"):
            payment_schedule(amount, first, last, frequency, term_dates)
        return
    exact = Fraction(amount) / count
    each = (D(exact.numerator) / D(exact.denominator)).quantize(D("0.01"), ROUND_HALF_UP)
    if each * (count - 1) > amount:  # only for amounts of a few pence a month
        with pytest.raises(CalculationError, match="cannot be paid"):
            payment_schedule(amount, first, last, frequency, term_dates)
        return
    schedule = payment_schedule(amount, first, last, frequency, term_dates)
    assert isinstance(schedule, PaymentSchedule)
    assert sum((i.amount for i in schedule), D(0)) == amount == schedule.total
    assert len(schedule) == count
    assert [i.amount for i in schedule[:-1]] == [each] * (count - 1)
    assert schedule[-1].amount >= 0
    dates = [i.date for i in schedule]
    assert dates == sorted(set(dates))
    assert first <= dates[0]
    assert dates[-1] <= last


def test_numpy_numbers_pandas_nat_and_absurd_amounts() -> None:
    """A DataFrame cell gives numpy scalars (numpy 2 writes them np.float64(7300.0), which
    Decimal cannot read) and NaT; absurd amounts are refused as such, not by decimal's trap."""
    import numpy as np
    import pandas as pd

    assert apportion(np.float64(7300.0), "2026-04-01", "2027-03-31").total == D("7300.00")
    assert apportion(np.int64(7300), "2026-04-01", "2027-03-31").total == D("7300.00")
    with pytest.raises(CalculationError, match="end is missing"):
        apportion("100", "2026-04-01", pd.NaT)
    with pytest.raises(CalculationError, match="too large"):
        apportion("1e30", "2026-04-01", "2027-03-31")
