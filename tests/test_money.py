"""Exact totals of float amount columns."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ras


@given(st.lists(st.integers(0, 10**9), max_size=200))
def test_total_equals_the_sum_of_pence(pence: list[int]) -> None:
    floats = np.array(pence, dtype=np.int64) / 100
    assert ras.total_pounds(floats) == Decimal(sum(pence)).scaleb(-2)


def test_float_sum_drifts_where_the_exact_total_does_not() -> None:
    amounts = np.full(1_000_000, 0.07)
    assert amounts.sum() != 70000.0  # the drift this helper exists to avoid
    assert ras.total_pounds(amounts) == Decimal("70000.00")


def test_missing_amounts_are_refused_unless_skipped() -> None:
    amounts = np.array([1.5, np.nan, 2.25])
    with pytest.raises(ras.CalculationError, match="1 of 3 amounts are missing"):
        ras.total_pounds(amounts)
    assert ras.total_pounds(amounts, skipna=True) == Decimal("3.75")


@given(st.lists(st.integers(-(2**62), 2**62), max_size=40),
       st.lists(st.integers(0, 2**20), max_size=40))
def test_sum_of_pence_is_exact_beyond_int64(pence: list[int], weights: list[int]) -> None:
    from ras._engine.money import sum_pence

    values = np.array(pence, dtype=np.int64)
    assert sum_pence(values) == sum(pence)  # Python integers are the oracle
    weights = (weights * (len(pence) // max(len(weights), 1) + 1))[:len(pence)]
    if len(weights) == len(pence):
        w = np.array(weights, dtype=np.int64)
        assert sum_pence(values, w) == sum(p * k for p, k in zip(pence, weights, strict=True))


def test_a_sweep_to_an_absurd_rate_totals_without_wrapping() -> None:
    """3,000 copies of the toy cohort at £10**12 a point: element 3 is 36 r - 22,000 per copy
    (see test_sweep), and the total in pence is past 2**63, where int64 sums wrap round."""
    import pandas as pd

    from tests.toy_scheme import cohort, toy

    copies = 3000
    rate = 10**12
    big = pd.concat([cohort()] * copies, ignore_index=True)
    table = ras.sweep(toy(), big, "pricing.education.rate", [rate])
    exact = copies * (36 * rate - 22_000)
    assert exact * 100 > 2**63
    assert table["total"].tolist() == [float(exact)]


@pytest.mark.parametrize("amounts", [[1e17, 1e17], [float("inf")], [1.0, -float("inf")],
                                     [2.0**46], [-(2.0**46)], [5.0, 1e300]])
def test_amounts_that_cannot_be_summed_exactly_are_refused(amounts: list[float]) -> None:
    # 1e17 pounds is 1e19 pence, past int64: the cast wrapped and [1e17, 1e17] totalled 0.00
    with pytest.raises(ras.CalculationError, match="cannot be totalled exactly"):
        ras.total_pounds(amounts)
    with pytest.raises(ras.CalculationError, match="cannot be totalled exactly"):
        ras.total_pounds([*amounts, float("nan")], skipna=True)


def test_the_largest_float_amount_that_holds_its_penny_is_totalled() -> None:
    # just below 2**46 pounds a float still tells pennies apart: 70,368,744,177,663.99
    largest = 2**46 - 0.01
    assert ras.total_pounds([largest, largest]) == Decimal("140737488355327.98")
