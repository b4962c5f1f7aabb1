"""The engine's properties hold for version 2 schemes too: engine = the Decimal reference, one
child = its batch row, codes = frame, components add up (a max stream is its highest area), and
more need never gives less money where the tables rise. The schemes draw combine (sum or max),
number questions (negative points_per_unit too), periods, points_word and an element 1 left out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import ras
from tests.reference import reference_calculate
from tests.strategies import Cohort, as_answers, choices, scheme_and_cohort
from tests.test_engine import _assert_same, _dec, _equal_or_both_missing, _money, _rising_bands

V2 = scheme_and_cohort(version=2)


def _frame(data: dict[str, Any], cohort: Cohort, index: Any = None) -> pd.DataFrame:
    rows = [{**as_answers(data, codes), "setting": setting} for codes, setting in cohort]
    return pd.DataFrame(rows, index=index)


@given(V2)
def test_engine_equals_decimal_reference(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    for codes, setting in cohort:
        answers = as_answers(data, codes)
        _assert_same(scheme.calculate(answers, setting=setting),
                     reference_calculate(data, answers, setting))


@given(V2)
def test_single_child_equals_batch_row(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    frame = scheme.calculate_frame(_frame(data, cohort))
    for k, (codes, setting) in enumerate(cohort):
        budget = scheme.calculate(as_answers(data, codes), setting=setting)
        row = frame.iloc[k]
        for domain, points in budget.domain_points.items():
            assert _dec(row[f"points_{domain}"]) == points
        for stream, amount in budget.stream_amounts.items():
            assert _equal_or_both_missing(row[f"{stream}_amount"], _money(amount))
            assert _dec(row[f"{stream}_points"]) == budget.stream_points[stream]
        for name in ("element1", "element2", "element3", "total_personal_budget"):
            assert _equal_or_both_missing(row[name], _money(getattr(budget, name)))


@given(V2)
def test_codes_path_equals_frame_and_text_answers(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    frame = scheme.calculate_frame(_frame(data, cohort))
    codes = np.array([[a[q] for q in scheme.question_ids] for a, _ in cohort], dtype=np.int64)
    settings = np.array([scheme.setting_ids.index(s) for _, s in cohort])
    arrays = scheme.calculate_codes(codes, settings)
    assert scheme.encode(_frame(data, cohort)).codes.tolist() == codes.tolist()
    numbers = [q["id"] for d in data["domains"] for q in d["questions"] if "number" in q]
    text = _frame(data, cohort)
    text[numbers] = text[numbers].astype(str)  # the number columns of a CSV read as text
    as_text = scheme.calculate_frame(text)
    for name, values in arrays.items():
        expected = frame[name].to_numpy()
        if values.dtype == object:
            got = pd.Series(values).fillna("").tolist()
            assert got == pd.Series(expected, dtype=object).fillna("").astype(str).tolist()
        else:
            np.testing.assert_array_equal(values, expected.astype(float))
            np.testing.assert_array_equal(as_text[name].to_numpy().astype(float),
                                          expected.astype(float))


@given(V2)
def test_components_add_up_and_max_streams_take_the_highest_area(
        case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    highest = {s for s, d in (data.get("streams") or {}).items() if d.get("combine") == "max"}
    stream_of = {d["id"]: d.get("stream", "education") for d in data["domains"]}
    for codes, setting in cohort:
        budget = scheme.calculate(as_answers(data, codes), setting=setting)
        others = [a for s, a in budget.stream_amounts.items() if s != "education"]
        if budget.element3 is None or any(a is None for a in others):
            assert budget.total_personal_budget is None
        else:
            assert budget.total_personal_budget == budget.element3 + sum(
                (a for a in others if a is not None), Decimal(0))
        for amount in budget.stream_amounts.values():
            assert amount is None or (amount >= 0 and amount == amount.quantize(Decimal("0.01")))
        for stream, points in budget.stream_points.items():
            parts = [p for d, p in budget.domain_points.items() if stream_of[d] == stream]
            if stream in highest and parts:
                assert points == max(parts)
            else:
                assert points == sum(parts, Decimal(0))
        if data["settings"][setting].get("element1") is None:
            assert budget.element1 is None


@given(scheme_and_cohort(monotone=True, version=2), st.data())
def test_more_need_never_gives_less_money(case: tuple[dict[str, Any], Cohort],
                                          more: st.DataObject) -> None:
    data, cohort = case
    data = _rising_bands(data)
    scheme = ras.Scheme.from_dict(data)
    codes, setting = cohort[0]
    questions = {q["id"]: q for d in data["domains"] for q in d["questions"]}
    question = more.draw(st.sampled_from(scheme.question_ids))
    needier = {**codes, question: min(choices(questions[question]) - 1, codes[question] + 1)}
    before = scheme.calculate(as_answers(data, codes), setting=setting)
    after = scheme.calculate(as_answers(data, needier), setting=setting)
    for stream, amount in before.stream_amounts.items():
        later = after.stream_amounts[stream]
        if amount is not None and later is not None:
            assert later >= amount
        if amount is None:
            assert later is None
    if before.element3 is not None and after.element3 is not None:
        assert after.element3 >= before.element3


@given(V2)
def test_explanations_and_round_trips_hold(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    again = ras.Scheme.from_yaml(scheme.to_yaml())
    assert again.fingerprint == scheme.fingerprint
    codes, setting = cohort[0]
    budget = scheme.calculate(as_answers(data, codes), setting=setting)
    text = budget.explain().to_text()
    if data.get("points_word"):
        assert " points" not in text.split("Worked out by")[0]
    assert scheme.check() is not None
