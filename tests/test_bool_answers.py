"""A bool is never an answer, even beside 1 (or 0) in one object column.

pandas looks values up by hash and ==, under which True is 1 and False is 0: factorize met
[1, True] as one value, so True was scored as option position 1 (and in [True, 1] the 1 was
refused as "unknown option True"). Each row must be judged on its own value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import ras
from tests.paths import SCHEMES

BANDED = SCHEMES / "banded_referral.yaml"
HOURS = SCHEMES / "hours_top_up.yaml"


def _frame(scheme: ras.Scheme, column: list[Any]) -> pd.DataFrame:
    first = scheme.question_ids[0]
    frame = pd.DataFrame({q: [1] * len(column) for q in scheme.question_ids}
                         | {"setting": "mainstream"})
    frame[first] = pd.Series(column, dtype=object)
    return frame


@pytest.mark.parametrize("column", [[1, True], [True, 1], [1.0, np.True_], [True, 1.0],
                                    [0, False], [False, 0]])
def test_a_bool_beside_its_number_is_refused_and_the_number_scored(column: list[Any]) -> None:
    scheme = ras.load_scheme(BANDED)
    result = scheme.calculate_frame(_frame(scheme, column), errors="flag")
    is_bool = [isinstance(v, bool | np.bool_) for v in column]
    number = column[is_bool.index(False)]
    alone = scheme.calculate_frame(_frame(scheme, [number]))
    for row, flagged in enumerate(is_bool):
        error = result["error"].iloc[row]
        if flagged:
            assert error.startswith(f"{scheme.question_ids[0]}: unknown option ")
            assert np.isnan(result["personal_sen_budget"].iloc[row])
        else:
            assert error == ""
            assert (result["personal_sen_budget"].iloc[row]
                    == alone["personal_sen_budget"].iloc[0])


def test_raise_names_the_bool_row() -> None:
    scheme = ras.load_scheme(BANDED)
    with pytest.raises(ras.AnswerError) as caught:
        scheme.calculate_frame(_frame(scheme, [1, 1, True]))
    problems = caught.value.problems
    assert [p.row for p in problems] == [2]
    assert "unknown option True" in problems[0].message


def test_each_bad_value_keeps_its_own_message() -> None:
    # therapy minutes go in steps of 15, so 1 is refused too, but not for being a bool
    scheme = ras.load_scheme(HOURS)
    frame = pd.DataFrame({q: [0, 0, 0] for q in scheme.question_ids} | {"setting": "mainstream"})
    frame["therapy_minutes"] = pd.Series([1, True, 1], dtype=object)
    errors = scheme.calculate_frame(frame, errors="flag")["error"].tolist()
    alone = scheme.calculate_frame(frame.iloc[[0]], errors="flag")["error"].iloc[0]
    assert errors[0] == alone
    assert errors[2] == alone
    assert errors[1].startswith("therapy_minutes: ")
    assert errors[1] != alone


def test_number_questions_refuse_a_bool_beside_1() -> None:
    scheme = ras.load_scheme(HOURS)
    frame = pd.DataFrame({q: [0, 0] for q in scheme.question_ids} | {"setting": "mainstream"})
    frame["assistant_hours"] = pd.Series([True, 1], dtype=object)
    result = scheme.calculate_frame(frame, errors="flag")
    assert result["error"].iloc[0].startswith("assistant_hours: ")
    assert result["error"].iloc[1] == ""
    one_hour = frame.assign(assistant_hours=[1, 1])
    assert (result["total_personal_budget"].iloc[1]
            == scheme.calculate_frame(one_hour)["total_personal_budget"].iloc[0])
