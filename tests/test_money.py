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
