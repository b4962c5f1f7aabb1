"""ras.protect: each child's loss limited, in whole pence rounded up, and the cost by setting."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

import ras
from ras._changes.protection import _ceil_times
from tests.toy_scheme import cohort, toy

# Base element 3 [4,000, 0, 8,000, 0, 3,000]; the reform (rate 980, mainstream element 2 6,500)
# gives [3,300, 0, 7,840, 0, 2,940]: losses 700 (c0), 160 (c2), 60 (c4).
LOSSES = {"pricing.education.rate": 980, "settings.mainstream.element2": 6500}


def _comparison() -> ras.Comparison:
    base = toy()
    return ras.compare(base, base.with_changes(LOSSES), cohort())


def test_max_loss_by_hand() -> None:
    result = ras.protect(_comparison(), max_loss=0.05)
    # c0 keeps 95 % of 4,000 = 3,800: protection 500. c2 (2 %) and c4 (2 %) are within 5 %.
    assert result.frame["protection"].tolist() == [500, 0, 0, 0, 0]
    assert result.frame["protected"].tolist() == [3800, 0, 7840, 0, 2940]
    assert result.cost == Decimal("500.00")
    assert result.protected_total == Decimal("14580.00")
    by = result.by_setting
    assert by.loc["all", "protected"] == 1
    assert by.loc["mainstream", "cost"] == 500
    assert by.loc["unit", "cost"] == 0
    assert "1 children protected" in repr(result)
    assert "no loss above 5%" in repr(result)


def test_share_of_loss_by_hand() -> None:
    result = ras.protect(_comparison(), share=0.5)
    assert result.frame["protection"].tolist() == [350, 0, 80, 0, 30]
    assert result.cost == Decimal("460.00")
    assert result.by_setting.loc["unit", "cost"] == 110
    assert result.by_setting.loc["unit", "protected"] == 2


def test_both_rules_give_whichever_protects_more() -> None:
    result = ras.protect(_comparison(), max_loss="0.05", share="0.5")
    assert result.frame["protection"].tolist() == [500, 0, 80, 0, 30]
    assert result.cost == Decimal("610.00")


def test_gainers_and_referred_children_get_no_protection() -> None:
    base = toy()
    reform = base.with_changes({"pricing.education.rate": 1100,
                                "pricing.education.refer_above": 9})
    result = ras.protect(ras.compare(base, reform, cohort()), max_loss=0)
    assert result.cost == 0
    assert result.frame.loc[["c0", "c3"], "protection"].isna().all()


def test_rounding_is_up_to_the_penny_in_the_childs_favour() -> None:
    pence = np.array([1, 3, 1999, 100_000])
    assert _ceil_times(pence, __import__("fractions").Fraction(1, 2)).tolist() == [
        1, 2, 1000, 50_000]
    assert _ceil_times(pence, __import__("fractions").Fraction(19, 20)).tolist() == [
        1, 3, 1900, 95_000]


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="max_loss"):
        ras.protect(_comparison())
    with pytest.raises(ValueError, match="between 0 and 1"):
        ras.protect(_comparison(), max_loss=5)
    assert "<table" in ras.protect(_comparison(), share=0.25)._repr_html_()


def test_a_weighted_comparison_is_refused_rather_than_costed_unweighted() -> None:
    frame = cohort().assign(weight=[2, 1, 1, 1, 1])
    weighted = ras.compare(toy(), toy().with_changes(LOSSES), frame, weights="weight")
    with pytest.raises(ras.UsageError, match="without weights"):
        ras.protect(weighted, share=0.5)
