"""Exact money where floats would fail: fine rates, fine weights, and magnitudes beyond int64."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ras
from ras._scheme import pence_to_pounds, points_to_decimal
from tests.reference import reference_calculate


def _scheme(rate: str, weight: str, unit: str, mode: str, maximum: str | None = None,
            points: str = "7.35") -> dict[str, Any]:
    pricing: dict[str, Any] = {"method": "rate", "rate": Decimal(rate)}
    if maximum is not None:
        pricing["maximum"] = Decimal(maximum)
    return {
        "ras_scheme": 1, "id": "exact", "name": "Exactness", "version": "1",
        "effective_from": dt.date(2026, 4, 1),
        "domains": [{"id": "d", "weight": Decimal(weight), "questions": [
            {"id": "q", "options": [{"id": "a", "points": 0},
                                    {"id": "b", "points": Decimal(points)}]}]}],
        "pricing": {"education": pricing},
        "rounding": {"unit": Decimal(unit), "mode": mode},
        "settings": {"top": {"element1": 0, "element2": 0, "ras_covers": "top_up"}},
    }


def test_float_would_round_wrongly_here() -> None:
    # 1.15 x 100 in binary floating point is 114.99999999999999: float rounding says 1.14
    data = _scheme(rate="0.115", weight="1", unit="0.01", mode="half_up", points="10")
    budget = ras.Scheme.from_dict(data).calculate({"q": 1}, setting="top")
    # 10 points x 0.115 = 1.15 exactly, half up to the penny is 1.15
    assert budget.stream_amounts["education"] == Decimal("1.15")


def test_weight_and_rate_with_many_decimals() -> None:
    # 7.35 points x weight 1.333333 = 9.79999755 points; x 300.123456 = 2941.2025... pounds
    data = _scheme(rate="300.123456", weight="1.333333", unit="0.01", mode="half_even")
    budget = ras.Scheme.from_dict(data).calculate({"q": 1}, setting="top")
    exact = Decimal("7.35") * Decimal("1.333333") * Decimal("300.123456")
    assert budget.stream_amounts["education"] == exact.quantize(Decimal("0.01"))
    assert budget.domain_points["d"] == Decimal("9.79999755")


def test_magnitudes_beyond_int64_fall_back_to_exact_python_ints() -> None:
    data = _scheme(rate="999999.999999", weight="99.999999", unit="1", mode="up",
                   points="99999.99")
    scheme = ras.Scheme.from_dict(data)
    assert scheme.compiled.dtype is object
    budget = scheme.calculate({"q": 1}, setting="top")
    ref = reference_calculate(data, {"q": 1}, "top")
    assert budget.stream_amounts == ref.stream_amounts
    arrays = scheme.calculate_codes(np.array([[1], [0]]), np.array([0, 0]))
    assert arrays["education_amount"][0] == float(ref.stream_amounts["education"] or 0)


@given(
    rate=st.decimals("0", "5000", places=6),
    weight=st.decimals("0", "10", places=6),
    unit=st.sampled_from(["0.01", "1", "10", "100"]),
    mode=st.sampled_from(["half_up", "half_even", "up", "down"]),
    points=st.decimals("-50", "200", places=2),
)
def test_fine_numbers_equal_the_reference(rate: Decimal, weight: Decimal, unit: str, mode: str,
                                          points: Decimal) -> None:
    data = _scheme(str(rate), str(weight), unit, mode, points=str(points))
    budget = ras.Scheme.from_dict(data).calculate({"q": 1}, setting="top")
    ref = reference_calculate(data, {"q": 1}, "top")
    assert budget.stream_amounts == ref.stream_amounts
    assert budget.domain_points == ref.domain_points


def test_domain_points_beyond_int32_stay_exact_in_a_cohort() -> None:
    """Domain points are kept in int32 when they fit; 30,000,000.5 points in hundredths is
    beyond int32, so this scheme keeps them in int64 (its money still fits int64)."""
    data = _scheme(rate="0.01", weight="1", unit="0.01", mode="half_up", points="30000000.5")
    scheme = ras.Scheme.from_dict(data)
    assert scheme.compiled.dtype is np.int64
    assert scheme.compiled.points_dtype is np.int64
    ref = reference_calculate(data, {"q": 1}, "top")
    codes = np.tile(np.array([[1], [0]], dtype=np.int8), (50, 1))  # many rows, many gathers
    arrays = scheme.calculate_codes(codes, np.zeros(100, dtype=np.int8))
    assert arrays["points_d"][0] == float(ref.domain_points["d"])
    assert arrays["education_amount"][::2].tolist() == [
        float(ref.stream_amounts["education"] or 0)] * 50
    assert scheme.calculate({"q": 1}, setting="top").domain_points == ref.domain_points
    small = ras.Scheme.from_dict(_scheme(rate="1", weight="1", unit="1", mode="up"))
    assert small.compiled.points_dtype is np.int32


def test_amounts_of_10_to_the_27_pounds_keep_every_penny() -> None:
    """£10**27 + 3p is 30 digits of pence: turned into pounds in the default 28-digit context
    it was £10**27 (the budget, its record, and 'In all: ...' in its explanation lost 3p)."""
    data = _scheme(rate="0.01", weight="1", unit="0.01", mode="half_up", points="3")
    data["pricing"]["education"]["base"] = Decimal(10**27)
    budget = ras.Scheme.from_dict(data).calculate({"q": 1}, setting="top")
    ref = reference_calculate(data, {"q": 1}, "top")
    written = "1000000000000000000000000000.03"
    assert str(ref.personal_sen_budget) == written  # the oracle, by hand: 10**27 + 3 x 0.01
    assert str(budget.personal_sen_budget) == written
    assert str(budget.stream_amounts["education"]) == written
    assert budget.to_record()["outputs"]["element3"] == written
    e = budget.explain()
    assert e.to_dict()["streams"][0]["priced"] == written
    assert "£1,000,000,000,000,000,000,000,000,000.03" in e.to_text()
    assert "£1,000,000,000,000,000,000,000,000,000.03" in budget.letter().to_text()


@pytest.mark.parametrize("pence", [10**40 + 1, -(10**40) - 1, 123, 10**28 + 7])
def test_pence_and_points_become_decimals_exactly_at_any_size(pence: int) -> None:
    # Decimal reads text exactly, whatever its length: "...01E-2" is the pence in pounds
    assert str(pence_to_pounds(pence)) == str(Decimal(f"{pence}E-2"))
    assert points_to_decimal(pence, 4) == Decimal(f"{pence}E-4")
