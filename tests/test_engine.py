"""The engine against the Decimal reference, and its invariants, on random valid schemes.

The reference (tests/reference.py) was written from the format page alone; it is the oracle.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import ras
from tests.reference import RefResult, reference_calculate
from tests.strategies import Cohort, scheme_and_cohort, schemes

REVIEW_KIND = {
    "above the table: refer to panel": "refer_above",
    "above the maximum: cut to the maximum; refer to panel": "maximum",
}


def _frame(cohort: Cohort, index: Any = None) -> pd.DataFrame:
    rows = [{**answers, "setting": setting} for answers, setting in cohort]
    return pd.DataFrame(rows, index=index)


def _assert_same(budget: ras.Budget, ref: RefResult) -> None:
    assert dict(budget.domain_points) == ref.domain_points
    assert dict(budget.stream_points) == ref.stream_points
    assert dict(budget.stream_amounts) == ref.stream_amounts
    assert dict(budget.bands) == ref.bands
    if ref.ranges:
        assert dict(budget.ranges) == ref.ranges
    else:
        assert not budget.ranges
    assert {s: REVIEW_KIND[r] for s, r in budget.reviews.items()} == {
        s: r for s, r in ref.reviews.items() if r is not None
    }
    assert budget.element1 == ref.element1
    assert budget.element2 == ref.element2
    assert budget.element3 == ref.element3
    assert budget.personal_sen_budget == ref.personal_sen_budget
    assert budget.total_personal_budget == ref.total_personal_budget


@given(scheme_and_cohort())
def test_engine_equals_decimal_reference(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    for answers, setting in cohort:
        _assert_same(scheme.calculate(answers, setting=setting),
                     reference_calculate(data, answers, setting))


def _money(value: Decimal | None) -> float:
    return float("nan") if value is None else float(value)


def _dec(value: Any) -> Decimal:
    """The shortest decimal that reads back as this float: the exact figure for our points."""
    return Decimal(repr(float(value)))


def _equal_or_both_missing(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or a == b


@given(scheme_and_cohort(), st.randoms(use_true_random=False))
def test_single_child_equals_batch_row(case: tuple[dict[str, Any], Cohort], rnd: Any) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    index = pd.Index([f"child-{i}" for i in rnd.sample(range(1000), len(cohort))])
    frame = scheme.calculate_frame(_frame(cohort, index))
    assert list(frame.index) == list(index)
    for label, (answers, setting) in zip(index, cohort, strict=True):
        budget = scheme.calculate(answers, setting=setting)
        row = frame.loc[label]
        for domain, points in budget.domain_points.items():
            assert _dec(row[f"points_{domain}"]) == points
        for stream, amount in budget.stream_amounts.items():
            assert _equal_or_both_missing(row[f"{stream}_amount"], _money(amount))
            assert _dec(row[f"{stream}_points"]) == budget.stream_points[stream]
            assert row[f"{stream}_review"] == budget.reviews.get(stream, "")
            if stream in budget.bands and budget.bands[stream] is not None:
                assert row[f"{stream}_band"] == budget.bands[stream]
            for bound, k in (("lower", 0), ("upper", 1)):
                if budget.ranges.get(stream) is not None:
                    assert row[f"{stream}_{bound}"] == float(budget.ranges[stream][k])
        for name in ("element1", "element2", "element3", "personal_sen_budget",
                     "total_personal_budget"):
            assert _equal_or_both_missing(row[name], _money(getattr(budget, name)))


@given(scheme_and_cohort())
def test_codes_path_equals_frame(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    frame = scheme.calculate_frame(_frame(cohort))
    codes = np.array([[a[q] for q in scheme.question_ids] for a, _ in cohort], dtype=np.int64)
    settings = np.array([scheme.setting_ids.index(s) for _, s in cohort])
    arrays = scheme.calculate_codes(codes, settings)
    assert list(arrays) == list(frame.columns)
    for name, values in arrays.items():
        expected = frame[name].to_numpy()
        if values.dtype == object:
            got = pd.Series(values).fillna("").tolist()
            assert got == pd.Series(expected, dtype=object).fillna("").astype(str).tolist()
        else:
            np.testing.assert_array_equal(values, expected.astype(float))


@given(scheme_and_cohort())
def test_asking_for_some_columns_gives_the_same_values(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    codes = np.array([[a[q] for q in scheme.question_ids] for a, _ in cohort])
    settings = np.array([scheme.setting_ids.index(s) for _, s in cohort])
    everything = scheme.calculate_codes(codes, settings)
    for name in scheme.output_columns:
        alone = scheme.calculate_codes(codes, settings, columns=[name])
        assert list(alone) == [name]
        np.testing.assert_array_equal(alone[name], everything[name])


@given(scheme_and_cohort())
def test_components_add_up_to_totals(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    for answers, setting in cohort:
        budget = scheme.calculate(answers, setting=setting)
        assert budget.personal_sen_budget == budget.element3
        others = [a for s, a in budget.stream_amounts.items() if s != "education"]
        if budget.element3 is None or any(a is None for a in others):
            assert budget.total_personal_budget is None
        else:
            assert budget.total_personal_budget == budget.element3 + sum(
                (a for a in others if a is not None), Decimal(0))
        for amount in budget.stream_amounts.values():
            assert amount is None or (amount >= 0 and amount == amount.quantize(Decimal("0.01")))
        stream_of = {d["id"]: d.get("stream", "education") for d in data["domains"]}
        for stream, points in budget.stream_points.items():
            assert points == sum(
                (p for d, p in budget.domain_points.items() if stream_of[d] == stream), Decimal(0)
            )


def _rising_bands(data: dict[str, Any]) -> dict[str, Any]:
    """Monotone options only mean more money when every band table rises too."""
    data = copy.deepcopy(data)
    tables = [data["pricing"], *[s.get("pricing", {}) for s in data["settings"].values()]]
    for pricing in tables:
        for rule in pricing.values():
            if rule["method"] == "bands":
                amounts = sorted(b["amount"] for b in rule["bands"])
                for band, amount in zip(rule["bands"], amounts, strict=True):
                    band["amount"] = amount
    return data


@given(scheme_and_cohort(monotone=True), st.data())
def test_more_need_never_gives_less_money(
    case: tuple[dict[str, Any], Cohort], more: st.DataObject
) -> None:
    data, cohort = case
    data = _rising_bands(data)
    scheme = ras.Scheme.from_dict(data)
    answers, setting = cohort[0]
    question = more.draw(st.sampled_from(scheme.question_ids))
    top = len(scheme.option_ids[question]) - 1
    needier = {**answers, question: min(top, answers[question] + 1)}
    before = scheme.calculate(answers, setting=setting)
    after = scheme.calculate(needier, setting=setting)
    for stream, amount in before.stream_amounts.items():
        later = after.stream_amounts[stream]
        if amount is not None and later is not None:
            assert later >= amount
        if amount is None:  # referred for less need: more need is referred too
            assert later is None
    if before.element3 is not None and after.element3 is not None:
        assert after.element3 >= before.element3


@given(schemes(), st.data())
def test_same_input_same_output(data: dict[str, Any], draw: st.DataObject) -> None:
    scheme = ras.Scheme.from_dict(data)
    again = ras.Scheme.from_dict(copy.deepcopy(data))
    assert scheme.fingerprint == again.fingerprint
    answers = dict.fromkeys(scheme.question_ids, 0)
    setting = draw.draw(st.sampled_from(scheme.setting_ids))
    first = scheme.calculate(answers, setting=setting)
    assert first.stream_amounts == again.calculate(answers, setting=setting).stream_amounts
    assert first.total_personal_budget == scheme.calculate(
        answers, setting=setting).total_personal_budget


@given(scheme_and_cohort())
def test_small_lookup_groups_and_row_blocks_change_nothing(
    case: tuple[dict[str, Any], Cohort],
) -> None:
    """Force many lookup groups, many row blocks, the large-cohort gather path, and direct
    pricing; the default path (pricing lookups) is what every other property runs."""
    import ras._engine.compile as compile_module
    import ras._engine.kernel as kernel_module

    data, cohort = case
    plain = ras.Scheme.from_dict(data)
    expected = plain.calculate_frame(_frame(cohort))
    chosen = list(range(min(len(cohort), 7)))  # explained in blocks of 3 below: joined blocks
    explained = {k: e.to_dict() for k, e in plain.explain_frame(_frame(cohort), chosen).items()}
    saved = (compile_module.GROUP_COMBINATIONS, kernel_module.BLOCK_ROWS,
             kernel_module.FEW_ROWS, kernel_module.LOOKUP_ENTRIES)
    try:
        # tiny groups, tiny blocks, the one-gather-per-domain path even for a few rows, and
        # every stream priced row by row instead of from its lookup
        compile_module.GROUP_COMBINATIONS, kernel_module.BLOCK_ROWS = 2, 3
        kernel_module.FEW_ROWS, kernel_module.LOOKUP_ENTRIES = 0, 0
        scheme = ras.Scheme.from_dict(data)
        assert len(scheme.compiled.group_offsets) >= len(scheme.compiled.domain_ids)
        assert not any(scheme.compiled.price_lookups)
        result = scheme.calculate_frame(_frame(cohort))
        in_blocks = scheme.explain_frame(_frame(cohort), chosen)
        assert {k: e.to_dict() for k, e in in_blocks.items()} == explained
        for answers, setting in cohort[:3]:
            _assert_same(scheme.calculate(answers, setting=setting),
                         reference_calculate(data, answers, setting))
    finally:
        (compile_module.GROUP_COMBINATIONS, kernel_module.BLOCK_ROWS,
         kernel_module.FEW_ROWS, kernel_module.LOOKUP_ENTRIES) = saved
    pd.testing.assert_frame_equal(result, expected)


@given(scheme_and_cohort())
def test_pricing_lookups_are_used_and_agree_with_direct_pricing(
    case: tuple[dict[str, Any], Cohort],
) -> None:
    from ras._engine.kernel import _price_points

    data, _ = case
    scheme = ras.Scheme.from_dict(data)
    c = scheme.compiled
    for s, lookup in enumerate(c.price_lookups):
        if lookup is None:
            continue
        lattice = lookup.low + lookup.step * np.arange(lookup.width)
        for v in range(len(c.pricings[s])):
            direct = _price_points(c, s, v, lattice)
            part = slice(v * lookup.width, (v + 1) * lookup.width)
            np.testing.assert_array_equal(lookup.priced.pence[part], direct.pence)
            np.testing.assert_array_equal(lookup.priced.band[part], direct.band)


def test_example_schemes_price_every_stream_from_a_lookup() -> None:
    from tests.paths import SCHEMES

    for path in sorted(SCHEMES.glob("*.yaml")):
        scheme = ras.load_scheme(path)
        if any(q.number is not None for d in scheme.model.domains for q in d.questions):
            # hours priced to the penny reach millions of point values: priced row by row
            assert all(lookup is None for lookup in scheme.compiled.price_lookups)
            continue
        c = scheme.compiled
        for s, has_domains in enumerate(c.stream_has_domains):
            assert (c.price_lookups[s] is not None) == has_domains, (path.name, s)


def test_a_scheme_keeps_a_bounded_number_of_call_plans() -> None:
    """Each distinct set of asked-for columns makes a plan, kept with the compiled scheme for
    the next call; a caller asking for ever new sets must not grow it without bound."""
    from itertools import combinations

    from ras._engine.kernel import PLANS_KEPT
    from ras._engine.output import want_for
    from tests.paths import SCHEMES

    scheme = ras.load_scheme(SCHEMES / "points_rate.yaml")
    codes = np.zeros((3, len(scheme.question_ids)), dtype=np.int8)
    codes[1] += 1
    settings = np.array([0, 1, 2])
    everything = scheme.calculate_codes(codes, settings)
    asked = list(combinations(scheme.output_columns, 3))[:400]
    assert len({want_for(scheme.compiled, names) for names in asked}) > PLANS_KEPT
    for names in asked:
        got = scheme.calculate_codes(codes, settings, columns=names)
        for name in names:
            np.testing.assert_array_equal(got[name], everything[name])
    assert len(scheme.compiled.plans) == PLANS_KEPT
