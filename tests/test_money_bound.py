"""The lookup tables' bound on money: when every priced stream is priced by lookup, no row's
money figure can pass ``JoinedLookups.money_bound``, so a scheme whose bound is below £2**46
needs no look at each amount (issue 13, item 18) and one above it still gets one."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

import ras
from tests.paths import SCHEMES
from tests.strategies import Cohort, scheme_and_cohort
from tests.test_file_formats import huge

MONEY = ("_amount", "_lower", "_upper", "element1", "element2", "element3",
         "personal_sen_budget", "total_personal_budget")


@given(scheme_and_cohort(version=2))
def test_no_money_figure_passes_the_bound(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    joined = scheme.compiled.joined_lookups
    if joined is None:
        return  # priced row by row: every amount is looked at
    codes = np.array([[a[q] for q in scheme.question_ids] for a, _ in cohort], dtype=np.int64)
    settings = np.array([scheme.setting_ids.index(s) for _, s in cohort])
    for name, values in scheme.calculate_codes(codes, settings).items():
        if name.endswith(MONEY) and values.dtype != object:
            pence = np.round(np.nan_to_num(values) * 100)
            assert np.abs(pence).max(initial=0) <= joined.money_bound, name


def test_every_shipped_scheme_is_bounded_far_below_two_to_the_46_pounds() -> None:
    for path in SCHEMES.glob("*.yaml"):
        joined = ras.load_scheme(path).compiled.joined_lookups
        if joined is not None:
            assert joined.money_bound < 2**46 * 100 // 1000, path.name


def test_a_table_beyond_the_bound_is_still_refused() -> None:
    scheme = huge("10000000000000")  # 12 points: £120 trillion
    assert scheme.compiled.joined_lookups is not None  # the lookup path, whose bound is passed
    assert scheme.compiled.joined_lookups.money_bound >= 2**46 * 100
    frame = pd.DataFrame([{"speech": "lots", "listening": "some", "breaks": "none",
                           "setting": "mainstream"}])
    with pytest.raises(ras.CalculationError, match=r"2\*\*46"):
        scheme.calculate_frame(frame)
