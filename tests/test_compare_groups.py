"""ras.compare by group and with case weights: summaries per group, the cost-neutrality table.

Worked by hand from tests/toy_scheme.py and the LOSSES reform of tests/test_compare.py:

child  setting     need       element 3 base -> reform    change
c0     mainstream  ASD        4,000 -> 3,300              -700 (loses more than 5 %)
c1     mainstream  SLCN           0 -> 0                     0
c2     unit        ASD        8,000 -> 7,840              -160 (2 %, up to 5 %)
c3     special     (none)         0 -> 0                     0
c4     unit        SLCN       3,000 -> 2,940               -60 (2 %)
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ras
from tests.strategies import scheme_and_cohort
from tests.test_compare import LOSSES
from tests.toy_scheme import cohort, toy

NEEDS = ["ASD", "SLCN", "ASD", None, "SLCN"]
WEIGHTS = [2, 1, 0.5, 3, 1.25]


def _comparison(**options: Any) -> ras.Comparison:
    frame = cohort().assign(need=NEEDS, weight=WEIGHTS)
    return ras.compare(toy(), toy().with_changes(LOSSES), frame, **options)


def test_summary_by_a_cohort_column() -> None:
    summary = _comparison(by="need").summary()
    # sorted values, then the children with no value
    assert list(summary.index) == ["all", "ASD", "SLCN", "(missing)"]
    assert summary.index.name == "need"
    asd = summary.loc["ASD"]
    # c0 4,000 + c2 8,000 = 12,000 -> 3,300 + 7,840 = 11,140: -860
    assert (asd["children"], asd["base_total"], asd["reform_total"]) == (2, 12000, 11140)
    assert asd["change"] == -860
    assert (asd["losers"], asd["loses_over_5pct"], asd["loses_up_to_5pct"]) == (2, 1, 1)
    slcn = summary.loc["SLCN"]  # c1 0 + c4 3,000 -> 0 + 2,940: -60; c1 unchanged
    assert (slcn["base_total"], slcn["reform_total"], slcn["change"]) == (3000, 2940, -60)
    assert (slcn["losers"], slcn["unchanged"]) == (1, 1)
    assert slcn["losers_share"] == 0.5
    nobody = summary.loc["(missing)"]  # c3, special: nothing either side
    assert (nobody["children"], nobody["base_total"], nobody["unchanged"]) == (1, 0, 1)
    everyone = summary.loc["all"]  # 15,000 -> 14,080: -920, as without groups
    assert (everyone["children"], everyone["base_total"], everyone["reform_total"],
            everyone["change"]) == (5, 15000, 14080, -920)
    assert "rows" not in summary.columns  # only weighted summaries count rows apart


def test_summary_by_two_columns_is_indexed_by_both() -> None:
    summary = _comparison(by=["setting", "need"]).summary()
    assert list(summary.index) == [
        ("all", "all"), ("mainstream", "ASD"), ("mainstream", "SLCN"),
        ("special", "(missing)"), ("unit", "ASD"), ("unit", "SLCN")]
    assert summary.index.names == ["setting", "need"]
    # unit and ASD is c2 alone: 8,000 -> 7,840
    assert summary.loc[("unit", "ASD"), "change"] == -160
    assert summary.loc[("all", "all"), "change"] == -920


def test_weighted_summary() -> None:
    summary = _comparison(by="need", weights="weight").summary()
    asd = summary.loc["ASD"]
    # c0 weight 2, c2 weight 0.5: base 2 x 4,000 + 0.5 x 8,000 = 12,000;
    # reform 2 x 3,300 + 0.5 x 7,840 = 6,600 + 3,920 = 10,520; change 2 x -700 + 0.5 x -160
    # = -1,480; children 2.5, all of them losers
    assert (asd["children"], asd["rows"]) == (2.5, 2)
    assert (asd["base_total"], asd["reform_total"], asd["change"]) == (12000, 10520, -1480)
    assert asd["losers"] == 2.5
    assert asd["change_pct"] == pytest.approx(-1480 / 12000 * 100)
    slcn = summary.loc["SLCN"]
    # c1 weight 1 (0 -> 0), c4 weight 1.25: 3,750 -> 3,675, change -75
    assert (slcn["base_total"], slcn["reform_total"], slcn["change"]) == (3750, 3675, -75)
    assert (slcn["children"], slcn["losers"], slcn["unchanged"]) == (2.25, 1.25, 1)
    assert slcn["losers_share"] == pytest.approx(1.25 / 2.25)
    everyone = summary.loc["all"]
    # 2 + 1 + 0.5 + 3 + 1.25 = 7.75 children; 12,000 + 3,750 = 15,750 -> 10,520 + 3,675
    # = 14,195; change -1,480 - 75 = -1,555; unchanged c1 (1) and c3 (3) = 4
    assert (everyone["children"], everyone["rows"]) == (7.75, 5)
    assert (everyone["base_total"], everyone["reform_total"], everyone["change"]) == (
        15750, 14195, -1555)
    assert everyone["unchanged"] == 4
    frame = _comparison(by="need", weights="weight").frame
    assert frame["weight"].tolist() == WEIGHTS
    assert [None if pd.isna(v) else v for v in frame["need"]] == NEEDS


def test_cost_neutrality_by_setting_and_by_column() -> None:
    table = _comparison(by="need").cost_neutrality()
    assert list(table.index) == [
        ("all", "all"), ("setting", "mainstream"), ("setting", "special"), ("setting", "unit"),
        ("need", "ASD"), ("need", "SLCN"), ("need", "(missing)")]
    assert table.index.names == ["by", "group"]

    def row(*key: str) -> tuple[Decimal, Decimal, Decimal]:
        found = table.loc[key]
        return found["base_total"], found["reform_total"], found["difference"]

    assert row("all", "all") == (Decimal("15000.00"), Decimal("14080.00"), Decimal("-920.00"))
    # mainstream c0 4,000 + c1 0 -> 3,300 + 0; unit c2 8,000 + c4 3,000 = 11,000 -> 7,840
    # + 2,940 = 10,780; special c3 nothing
    assert row("setting", "mainstream") == (Decimal(4000), Decimal(3300), Decimal(-700))
    assert row("setting", "unit") == (Decimal(11000), Decimal(10780), Decimal(-220))
    assert row("setting", "special") == (0, 0, 0)
    assert row("need", "ASD") == (Decimal(12000), Decimal(11140), Decimal(-860))
    assert table.loc[("setting", "unit"), "difference_pct"] == pytest.approx(-2.0)
    assert isinstance(table.loc[("all", "all"), "base_total"], Decimal)


def test_cost_neutrality_counts_referrals_and_keeps_fractions_of_a_penny() -> None:
    reform = toy().with_changes({"pricing.education.refer_above": 9})  # c0 and c3 referred
    frame = cohort().assign(weight=[0, 0, "0.000001", 0, 0])
    table = ras.compare(toy(), reform, frame, weights="weight").cost_neutrality()
    everyone = table.loc[("all", "all")]
    # only c2 weighs anything: 8,000 x 0.000001 = 0.008 in both schemes
    assert everyone["base_total"] == Decimal("0.008")
    assert everyone["difference"] == 0
    assert everyone["children"] == pytest.approx(0.000001)
    unweighted = ras.compare(toy(), reform, cohort()).cost_neutrality().loc[("all", "all")]
    # c0's 4,000 goes to panel: 15,000 -> 11,000, and two children have no amount after
    assert unweighted["difference"] == Decimal("-4000.00")
    assert (unweighted["referred_base"], unweighted["referred_reform"]) == (0, 2)


def test_text_weights_are_read_exactly() -> None:
    frame = cohort().assign(weight=["1", " 2.5 ", "0.1", "1,000", "0"])
    summary = ras.compare(toy(), toy().with_changes(LOSSES), frame, weights="weight").summary()
    # 1 x 4,000 + 0.1 x 8,000 + 0 x 3,000 = 4,800
    assert summary.loc["all", "base_total"] == 4800
    assert summary.loc["all", "children"] == pytest.approx(1003.6)


@pytest.mark.parametrize(("weights", "message"), [
    ([1, 1, -1, 1, 1], r"row 'c2', weight: weight -1(\.0)? is negative"),
    ([1, 1, None, 1, 1], r"row 'c2', weight: no weight given"),
    ([1, 1, 1, float("inf"), 1], r"row 'c3', weight: .*inf"),
    ([1, 1, 1, 1, 0.1234567], r"row 'c4', weight: weight 0.1234567 has more than 6 decimal"),
    (["1", "x", "1", "1", "1"], r"row 'c1', weight: 'x' is not a weight"),
    ([True, 1, 1, 1, 1], r"row 'c0', weight: True is not a weight"),
])
def test_bad_weights_are_refused_by_row(weights: list[Any], message: str) -> None:
    frame = cohort().assign(weight=pd.Series(weights, index=cohort().index, dtype=object))
    with pytest.raises(ras.AnswerError, match=message):
        ras.compare(toy(), toy(), frame, weights="weight")


def test_unknown_columns_and_a_group_called_all_are_refused() -> None:
    with pytest.raises(ras.UsageError, match=r"weights: the cohort has no column 'w'; its "
                                             r"columns are expressive_language"):
        ras.compare(toy(), toy(), cohort(), weights="w")
    with pytest.raises(ras.UsageError, match="by: the cohort has no column 'need'"):
        ras.compare(toy(), toy(), cohort(), by="need")
    with pytest.raises(ras.UsageError, match="by must name"):
        ras.compare(toy(), toy(), cohort(), by=[])
    with pytest.raises(ras.UsageError, match="names a column twice"):
        ras.compare(toy(), toy(), cohort(), by=["setting", "setting"])
    frame = cohort().assign(need=["all", "x", "x", "x", "x"])
    with pytest.raises(ras.UsageError, match="group called 'all'"):
        ras.compare(toy(), toy(), frame, by="need")


def test_by_setting_lists_the_settings_that_occur_by_their_scheme_order() -> None:
    frame = cohort().iloc[[2, 0]]  # unit, mainstream
    summary = ras.compare(toy(), toy().with_changes(LOSSES), frame, by="setting").summary()
    assert list(summary.index) == ["all", "mainstream", "unit"]


# -- invariants ---------------------------------------------------------------------------


def _reform(data: dict[str, Any], extra: int) -> ras.Scheme:
    changed = copy.deepcopy(data)
    for setting in changed["settings"].values():
        setting["element2"] = max(Decimal(0), Decimal(str(setting["element2"])) + extra)
    return ras.Scheme.from_dict(changed)


@st.composite
def weighted_case(draw: st.DrawFn) -> tuple[ras.Scheme, ras.Scheme, pd.DataFrame]:
    data, children = draw(scheme_and_cohort())
    n = len(children)
    frame = pd.DataFrame([{**answers, "setting": setting} for answers, setting in children])
    places = draw(st.integers(0, 6))
    units = draw(st.lists(st.integers(0, 3 * 10**places), min_size=n, max_size=n))
    frame["weight"] = [str(Decimal(u).scaleb(-places)) for u in units]
    frame["group"] = draw(st.lists(st.sampled_from(["a", "b", "c", None]), min_size=n,
                                   max_size=n))
    scheme = ras.Scheme.from_dict(data)
    return scheme, _reform(data, draw(st.sampled_from([-500, 0, 700]))), frame


@given(weighted_case())
def test_weighted_totals_are_the_sum_of_weight_times_amount(
        case: tuple[ras.Scheme, ras.Scheme, pd.DataFrame]) -> None:
    base, reform, frame = case
    comparison = ras.compare(base, reform, frame, weights="weight", by="group")
    weight = [Decimal(w) for w in frame["weight"]]
    per_child = comparison.frame

    def pennies(values: pd.Series[Any]) -> list[Decimal | None]:
        return [None if np.isnan(v) else Decimal(round(v * 100)).scaleb(-2)
                for v in values.tolist()]

    base_amount = pennies(per_child["personal_sen_budget_base"])
    change = pennies(per_child["change"])
    summary, table = comparison.summary(), comparison.cost_neutrality()
    for group, mine in [("all", [True] * len(frame)),
                        *((g, [x == g for x in frame["group"]]) for g in ("a", "b"))]:
        expected_change = sum((w * c for w, c, m in zip(weight, change, mine, strict=True)
                               if m and c is not None), Decimal(0))
        expected_base = sum((w * b for w, b, m in zip(weight, base_amount, mine, strict=True)
                             if m and b is not None), Decimal(0))
        if group not in summary.index:
            assert not any(mine)
            continue
        assert summary.loc[group, "change"] == float(expected_change)
        key = ("all", "all") if group == "all" else ("group", group)
        assert table.loc[key, "base_total"] == expected_base


@given(weighted_case(), st.booleans())
def test_groups_add_up_to_the_overall_row(
        case: tuple[ras.Scheme, ras.Scheme, pd.DataFrame], weighted: bool) -> None:
    base, reform, frame = case
    comparison = ras.compare(base, reform, frame, by="group",
                             weights="weight" if weighted else None)
    table = comparison.cost_neutrality()
    overall = table.loc[("all", "all")]
    for dimension in ("setting", "group"):
        part = table.loc[dimension]
        for column in ("base_total", "reform_total", "difference"):
            assert sum(part[column], Decimal(0)) == overall[column]
        for column in ("children", "referred_base", "referred_reform"):
            assert part[column].sum() == pytest.approx(overall[column])
    summary = comparison.summary()
    groups = summary.drop(index="all")
    for column in ("children", "gainers", "losers", "unchanged", "no_amount"):
        assert groups[column].sum() == pytest.approx(summary.loc["all", column])
    if not weighted:  # whole pence and whole children: exactly
        for column in ("base_total", "reform_total", "change", "children", "gainers"):
            assert round(groups[column].sum(), 2) == summary.loc["all", column]


@given(weighted_case(), st.booleans())
def test_a_scheme_compared_with_itself_changes_nothing_in_any_group(
        case: tuple[ras.Scheme, ras.Scheme, pd.DataFrame], weighted: bool) -> None:
    base, _, frame = case
    comparison = ras.compare(base, base, frame, by=["setting", "group"],
                             weights="weight" if weighted else None)
    summary = comparison.summary()
    assert (summary["change"] == 0).all()
    assert (summary["gainers"] == 0).all()
    assert (summary["losers"] == 0).all()
    assert (summary["base_total"] == summary["reform_total"]).all()
    assert (summary["unchanged"] + summary["no_amount"]).to_numpy() == pytest.approx(
        summary["children"].to_numpy())
    assert (comparison.cost_neutrality()["difference"] == 0).all()


@pytest.mark.parametrize("size", [10**3, 2**50, 2**62])  # float64, int64, Python integers
def test_group_sums_are_exact_at_every_size(size: int) -> None:
    from ras._changes.groups import group_sums

    values = np.array([size - 1, -(size - 3), size - 7, 5, size - 1], dtype=np.int64)
    units = np.array([3, 1, 2, 7, 1], dtype=np.int64)
    of = np.array([0, 1, 0, 1, 1], dtype=np.int64)
    # group 0: 3(size - 1) + 2(size - 7) = 5 size - 17; group 1: -(size - 3) + 35 + size - 1
    # = 37
    assert group_sums(values, of, 2, units) == [5 * size - 17, 37]
    assert group_sums(values, of, 2, None) == [2 * size - 8, 7]
