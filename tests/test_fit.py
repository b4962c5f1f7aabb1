"""ras.fit: least-squares rates and bases, band means and medians, R², cases outside tolerance."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import ras
from tests.toy_scheme import cohort, toy

POINTS = np.array([10, 5, 8, 10, 3])  # education points of c0..c4


def _with_costs(costs: list[float]) -> pd.DataFrame:
    frame = cohort()
    frame["cost"] = costs
    return frame


def test_rate_and_base_by_least_squares_exactly() -> None:
    frame = _with_costs(list(500 + 1000.0 * POINTS))  # cost = 500 + 1,000 x points
    result = ras.fit(toy(), frame, "cost", ["pricing.education.rate", "pricing.education.base"])
    assert result.values == {"pricing.education.rate": Decimal("1000.00"),
                             "pricing.education.base": Decimal("500.00")}
    assert result.method == "least squares"
    assert result.r_squared == pytest.approx(1.0)
    assert result.outside.empty
    assert result.residuals.abs().max() == pytest.approx(0, abs=1e-9)
    assert result.scheme.model.pricing["education"].base == 500
    assert list(result.frame.columns) == ["setting", "points", "actual", "fitted", "residual",
                                          "outside"]


def test_rate_through_the_current_base() -> None:
    # costs 1,200 x points, plus noise that cancels: (+100, -100) on two equal-point cases
    costs = list(1200.0 * POINTS)
    costs[0] += 100
    costs[3] -= 100
    result = ras.fit(toy(), _with_costs(costs), "cost", "pricing.education.rate")
    assert result.values == {"pricing.education.rate": Decimal("1200.00")}
    assert result.frame.loc["c0", "residual"] == pytest.approx(100)
    # within 10 %: 100 is under 10 % of 12,100
    assert result.outside.empty
    tight = ras.fit(toy(), _with_costs(costs), "cost", "pricing.education.rate",
                    tolerance=0.005)
    assert list(tight.outside.index) == ["c0", "c3"]  # 100 is over 0.5 % of 12,100 and 11,900


def test_base_alone_keeps_the_rate() -> None:
    # cost = 700 + 1,000 x points, and the toy's rate is £1,000: the base is 700, rate unchanged
    costs = list(700 + 1000.0 * POINTS)
    costs[0] += 50  # and noise: the base is the mean of cost - 1,000 x points, 700 + 50 / 5
    result = ras.fit(toy(), _with_costs(costs), "cost", "pricing.education.base")
    assert result.values == {"pricing.education.base": Decimal("710.00")}
    assert result.scheme.model.pricing["education"].rate == 1000


def test_a_band_mean_on_a_half_penny_rounds_up_exactly() -> None:
    """6,949.91 and 18,680.42 average exactly 12,815.165: £12,815.17 half up (the float mean
    is 12,815.164999..., which rounded to £12,815.16). The median of two is the same."""
    frame = _with_costs([6949.91, 300, 3000, 18680.42, 1800])  # band A holds c0 and c3
    for statistic in ("mean", "median"):
        result = ras.fit(toy(), frame, "cost", "pricing.social_care.bands.A.amount",
                         statistic=statistic)  # type: ignore[arg-type]
        assert result.values == {"pricing.social_care.bands.A.amount": Decimal("12815.17")}


def test_band_means_and_medians() -> None:
    # social care bands: A has c0, c3; B has c1, c4; C has c2
    frame = _with_costs([100, 1400, 3000, 300, 1800])
    result = ras.fit(toy(), frame, "cost", "pricing.social_care.bands")
    assert result.values == {
        "pricing.social_care.bands.A.amount": Decimal("200.00"),
        "pricing.social_care.bands.B.amount": Decimal("1600.00"),
        "pricing.social_care.bands.C.amount": Decimal("3000.00"),
    }
    assert result.method == "band mean"
    # fitted amounts [200, 1600, 3000, 200, 1600] against [100, 1400, 3000, 300, 1800]:
    # residual sum of squares 4 x 100² + 2 x 200²... = 10,000 + 40,000 + 0 + 10,000 + 40,000
    actual = np.array([100, 1400, 3000, 300, 1800])
    total = ((actual - actual.mean()) ** 2).sum()
    assert result.r_squared == pytest.approx(1 - 100_000 / total)
    assert result.frame["band"].tolist() == ["A", "B", "C", "A", "B"]

    median = ras.fit(toy(), _with_costs([100, 1400, 3000, 300, 1900]), "cost",
                     ["pricing.social_care.bands.B.amount"], statistic="median")
    assert median.values == {"pricing.social_care.bands.B.amount": Decimal("1650.00")}


def test_empty_and_inverted_bands_are_noted() -> None:
    frame = _with_costs([100, 900, np.nan, 300, 1100])  # nobody with a cost in C
    result = ras.fit(toy(), frame, "cost", "pricing.social_care.bands")
    assert any("band C has no case" in note for note in result.notes)
    inverted = ras.fit(toy(), _with_costs([100, 1400, 1000, 300, 1800]), "cost",
                       "pricing.social_care.bands")
    assert any("comes out below band B" in note for note in inverted.notes)


def test_only_the_settings_a_pricing_prices_are_used() -> None:
    data = toy().model.model_dump()
    data["settings"]["special"]["pricing"] = {"education": {"method": "rate", "rate": 2000}}
    scheme = ras.Scheme.from_dict(data)
    frame = _with_costs(list(1000.0 * POINTS))
    frame.loc["c3", "cost"] = 99_999  # special: priced by its own table, so left out
    result = ras.fit(scheme, frame, "cost", "pricing.education.rate")
    assert "c3" not in result.frame.index
    assert result.excluded == 1
    assert result.values["pricing.education.rate"] == 1000
    own = ras.fit(scheme, frame, "cost", "settings.special.pricing.education.rate")
    assert list(own.frame.index) == ["c3"]
    assert own.values["settings.special.pricing.education.rate"] == Decimal("9999.90")
    with pytest.raises(ras.CalculationError, match="every case has 10 points"):
        ras.fit(scheme, frame, "cost", ["settings.special.pricing.education.rate",
                                        "settings.special.pricing.education.base"])


def test_costs_as_a_series_or_an_array() -> None:
    costs = pd.Series(1000.0 * POINTS[::-1], index=cohort().index[::-1])
    result = ras.fit(toy(), cohort(), costs, "pricing.education.rate")
    assert result.values["pricing.education.rate"] == 1000
    result = ras.fit(toy(), cohort(), list(1000.0 * POINTS), "pricing.education.rate")
    assert result.values["pricing.education.rate"] == 1000
    with pytest.raises(ValueError, match="one cost per child"):
        ras.fit(toy(), cohort(), [1.0, 2.0], "pricing.education.rate")


def test_refusals() -> None:
    frame = _with_costs(list(5000 - 100.0 * POINTS))  # costs fall as points rise
    with pytest.raises(ras.CalculationError, match="negative"):
        ras.fit(toy(), frame, "cost", ["pricing.education.rate", "pricing.education.base"])
    with pytest.raises(ras.CalculationError, match="not rate"):
        ras.fit(toy(), frame, "cost", "pricing.social_care.rate")
    with pytest.raises(ras.CalculationError, match="one pricing at a time"):
        ras.fit(toy(), frame, "cost", ["pricing.education.rate",
                                       "pricing.social_care.bands.A.amount"])
    with pytest.raises(ras.CalculationError, match="not a price"):
        ras.fit(toy(), frame, "cost", "settings.unit.element2")
    with pytest.raises(ValueError, match="no column"):
        ras.fit(toy(), frame, "price", "pricing.education.rate")
