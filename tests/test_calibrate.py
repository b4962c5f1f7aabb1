"""ras.calibrate: nearest total on the grid, linear and bisection, refusals with reasons."""

from __future__ import annotations

from decimal import Decimal

import pytest

import ras
from tests.toy_scheme import cohort, toy


def test_bisection_by_hand() -> None:
    # For rates of 1,000 and up the total is 31r - 16,000 (c0 10r - 6,000, c2 8r, c3
    # 10r - 10,000, c4 3r). 16,000 needs r = 1,032.258...: 1,032.25 gives 15,999.75 and
    # 1,032.26 gives 16,000.06, which is nearer.
    result = ras.calibrate(toy(), cohort(), 16_000, "pricing.education.rate")
    assert result.value == Decimal("1032.26")
    assert result.achieved_total == Decimal("16000.06")
    assert result.gap == Decimal("0.06")
    assert result.method == "bisection"  # the total bends where c3's top-up starts
    assert result.original_value == 1000
    assert result.original_total == Decimal("15000.00")
    assert result.scheme.model.pricing["education"].rate == Decimal("1032.26")
    amounts = result.scheme.calculate_frame(cohort())["personal_sen_budget"]
    assert round(amounts.sum(), 2) == 16000.06
    assert "1032.26" in repr(result)
    assert "<table" in result._repr_html_()


def test_exact_solve_where_linear() -> None:
    # Only the two unit children (top-up, no clamps, penny rounding): total = 11r exactly.
    # 12,345.67 / 11 = 1,122.333...: 1,122.33 gives 12,345.63, nearer than 1,122.34 (12,345.74)
    unit = cohort().loc[["c2", "c4"]]
    result = ras.calibrate(toy(), unit, "12345.67", "pricing.education.rate")
    assert result.method == "linear"
    assert result.value == Decimal("1122.33")
    assert result.achieved_total == Decimal("12345.63")
    assert result.gap == Decimal("-0.04")


def test_a_decreasing_parameter() -> None:
    # Mainstream element 2 e: c0 10,000 - e, c1 max(0, 5,000 - e), others 11,000.
    # 16,000 needs e = 5,000 (c1 gets nothing at 5,000).
    result = ras.calibrate(toy(), cohort(), 16_000, "settings.mainstream.element2")
    assert result.value == 5000
    assert result.gap == 0


def test_on_a_tie_the_total_under_the_target_wins() -> None:
    # Rounding to whole pounds, the two unit children get 8r and 3r, each rounded.
    scheme = toy(rounding={"unit": 1, "mode": "half_up"})
    unit = cohort().loc[["c2", "c4"]]
    result = ras.calibrate(scheme, unit, 5, "pricing.education.rate", resolution="0.1")
    # 0.4 -> 3.2 + 1.2 -> 3 + 1 = 4 (gap -1); 0.5 -> 4 + 1.5 -> 4 + 2 = 6 (gap +1): a tie
    assert result.value == Decimal("0.4")
    assert result.achieved_total == 4


def test_bounds_and_resolution() -> None:
    result = ras.calibrate(toy(), cohort(), 16_000, "pricing.education.rate",
                           bounds=(1000, 1100), resolution=1)
    assert result.value == 1032  # 15,992 against 1,033's 16,023
    assert result.achieved_total == Decimal("15992.00")


def test_unreachable_targets_are_refused_with_the_reachable_range() -> None:
    # element 2 can only take the total from 26,000 (at 0) down to 11,000
    with pytest.raises(ras.CalculationError) as caught:
        ras.calibrate(toy(), cohort(), 30_000, "settings.mainstream.element2")
    message = str(caught.value)
    assert "£26,000.00 at 0" in message
    assert "£11,000.00" in message
    assert "stops changing" in message
    with pytest.raises(ras.CalculationError, match="within the bounds"):
        ras.calibrate(toy(), cohort(), 50_000, "pricing.education.rate", bounds=(0, 1500))


def test_a_total_that_goes_up_and_down_is_refused() -> None:
    data = toy().model.model_dump()
    data["pricing"]["education"] = {"method": "bands", "bands": [
        {"label": "low", "from_points": 0, "amount": 0},
        {"label": "mid", "from_points": 5, "amount": 5000},
        {"label": "odd", "from_points": 9, "amount": 1000}]}
    scheme = ras.Scheme.from_dict(data)
    unit = cohort().loc[["c4"]]  # 3 points, "some" expressive language (3) + social none
    with pytest.raises(ras.CalculationError, match="goes up and down"):
        ras.calibrate(scheme, unit, 3000,
                      "domains.communication.questions.expressive_language.options.some.points",
                      bounds=(0, 10))


def test_arguments_are_checked() -> None:
    with pytest.raises(ras.CalculationError, match="target_total"):
        ras.calibrate(toy(), cohort(), -1, "pricing.education.rate")
    with pytest.raises(ras.CalculationError, match="no value"):
        ras.calibrate(toy(), cohort(), 1, "pricing.education.maximum")
    with pytest.raises(ValueError, match="resolution"):
        ras.calibrate(toy(), cohort(), 1, "pricing.education.rate", resolution=0)
    with pytest.raises(ValueError, match="bounds"):
        ras.calibrate(toy(), cohort(), 1, "pricing.education.rate", bounds=(5, 1))
