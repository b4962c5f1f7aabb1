"""ras.sweep: one row per value, worked by hand on the toy scheme, and equal to full runs."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ras
from ras._changes.cases import Cases
from tests.strategies import scheme_and_cohort
from tests.toy_scheme import cohort, toy


def test_rate_sweep_by_hand() -> None:
    # element 3 at rate r: c0 10r - 6,000; c1 max(0, 5r - 6,000); c2 8r; c3 max(0, 10r - 10,000);
    # c4 3r
    table = ras.sweep(toy(), cohort(), "pricing.education.rate", [900, 1000, 1100])
    assert table["value"].tolist() == [900, 1000, 1100]
    assert table["total"].tolist() == [12900, 15000, 18100]
    assert table["change"].tolist() == [-2100, 0, 3100]
    assert table["with_top_up"].tolist() == [3, 3, 4]
    assert table["mean"].tolist() == [2580, 3000, 3620]
    assert table["median"].tolist() == [2700, 3000, 3300]
    # 90th percentile, linear between the 4th and 5th of five: [0, 0, 2700, 3000, 7200] -> 5,520
    assert table["p90"].tolist() == pytest.approx([5520, 6400, 7280])
    assert table["referred"].tolist() == [0, 0, 0]
    assert table.attrs["parameter"] == "pricing.education.rate"


def test_sweep_other_measures_and_referrals() -> None:
    table = ras.sweep(toy(), cohort(), "pricing.social_care.bands.B.amount", [1500, 2000],
                      measure="social_care_amount")
    assert table["total"].tolist() == [6200, 7200]  # 1,500 x 2 + 3,200, then 2,000 x 2 + 3,200
    referred = ras.sweep(toy(), cohort(), "pricing.education.refer_above", [9, 20])
    assert referred["referred"].tolist() == [2, 0]
    assert referred["total"].tolist() == [11000, 15000]
    # like for like: at 9, c0 (£4,000) and c3 (£0) go to panel; the three children priced at
    # both are unchanged, so sending c0 to panel is not a £4,000 saving
    assert referred["change"].tolist() == [0, 0]
    raised = ras.sweep(toy(), cohort(), "pricing.education.rate", [1100], measure="element3")
    assert raised["change"].tolist() == [3100]  # as test_rate_sweep_by_hand, all priced


def test_a_domain_parameter_sees_the_answers() -> None:
    # "some" expressive language 3 -> 5 points: c1 7 points, 7,000 - 6,000 = 1,000 (was 0);
    # c4 (unit) 5 points, 5,000 (was 3,000)
    table = ras.sweep(toy(), cohort(),
                      "domains.communication.questions.expressive_language.options.some.points",
                      [3, 5])
    assert table["total"].tolist() == [15000, 18000]
    cap = ras.sweep(toy(), cohort(), "domains.communication.cap", [8, 10, 11])
    # cap 8: c0 2,000, c2 8,000, c3 0, c4 3,000; cap 11: c0 5,000, c3 1,000
    assert cap["total"].tolist() == [13000, 15000, 17000]


def test_bad_values_are_reported_together() -> None:
    with pytest.raises(ras.SchemeError) as caught:
        ras.sweep(toy(), cohort(), "pricing.education.rate", [1000, -1, 0.1234567])
    assert len(caught.value.problems) == 2


def test_only_numbers_can_be_swept() -> None:
    with pytest.raises(ras.CalculationError, match="only numbers"):
        ras.sweep(toy(), cohort(), "rounding.mode", ["up"])
    with pytest.raises(ras.SchemeError, match="did you mean"):
        ras.sweep(toy(), cohort(), "pricing.education.rat", [1])


def test_cases_collapse_a_pricing_parameter_to_setting_and_points() -> None:
    big = pd.concat([cohort()] * 100, ignore_index=True)
    assert Cases(toy(), big, "pricing.education.rate").size == 5
    # c0 and c3 have the same answers but different settings; a domain parameter needs answers
    assert Cases(toy(), big, "domains.communication.cap").size == 5


@given(scheme_and_cohort(), st.data())
def test_sweep_equals_running_each_variant_in_full(
    generated: tuple[dict[str, object], list[tuple[dict[str, int], str]]],
    data: st.DataObject,
) -> None:
    scheme_data, children = generated
    scheme = ras.Scheme.from_dict(scheme_data)
    frame = pd.DataFrame([{**answers, "setting": setting} for answers, setting in children])
    numbers = sorted(k for k, v in ras.parameters(scheme).items() if isinstance(v, Decimal))
    path = data.draw(st.sampled_from(numbers))
    current = ras.parameters(scheme)[path]
    assert isinstance(current, Decimal)
    value = current + data.draw(st.sampled_from([Decimal(1), Decimal("0.5"), Decimal(-1)]))
    measure = data.draw(st.sampled_from(["personal_sen_budget", "total_personal_budget"]))
    try:
        variant = scheme.with_changes({path: value})
    except ras.SchemeError:
        assume(False)
        return
    row = ras.sweep(scheme, frame, path, [value], measure=measure).iloc[0]
    full = variant.calculate_frame(frame)[measure].to_numpy()
    scored = full[~np.isnan(full)]
    pence = np.rint(scored * 100).astype(np.int64)
    assert row["total"] == pence.sum() / 100
    assert row["referred"] == np.isnan(full).sum()
    assert row["with_top_up"] == (pence > 0).sum()
    if len(scored):
        assert row["median"] == pytest.approx(np.median(scored), abs=1e-6)
        assert row["p90"] == pytest.approx(np.percentile(scored, 90), abs=1e-6)
        assert row["mean"] == pytest.approx(scored.mean(), abs=1e-6)
