"""Panel decisions: the final amount beside the indicative one, with reasons, and a summary.

Every expected figure is worked by hand in the comments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

import ras
from tests.paths import SCHEMES

D = Decimal
DAY = dt.date(2026, 6, 15)

# Amir's indicative personal SEN budget under Northshire is 2630.00 (see test_explain.py).
AMIR = {
    "expressive_language": "some", "receptive_language": "some",
    "social_communication": "substantial", "learning_access": "some",
    "literacy_numeracy": "some", "emotional_regulation": "substantial",
    "behaviour_safety": "some", "attendance_engagement": "none", "hearing_vision": "none",
    "mobility": "none", "personal_care": "some", "eating_drinking": "none",
    "short_breaks": "occasional", "community_access": "some",
}



@pytest.fixture(scope="module")
def amir(points_rate: ras.Scheme) -> ras.Budget:
    return points_rate.calculate(AMIR, setting="mainstream")


def test_decide_records_final_against_indicative(amir: ras.Budget) -> None:
    # variance = 3000.00 - 2630.00 = 370.00; 370 / 2630 x 100 = 14.0684... -> 14.07
    d = amir.decide(3000, reason="1:1 support at lunchtime is also needed",
                    decided_by="SEN panel, 15 June 2026", decided_on=DAY)
    assert isinstance(d, ras.Decision)
    assert (d.indicative, d.final, d.variance, d.variance_pct) == (
        D("2630.00"), D("3000.00"), D("370.00"), D("14.07"))
    assert d.reason == "1:1 support at lunchtime is also needed"
    assert d.decided_by == "SEN panel, 15 June 2026"
    assert d.decided_on == DAY
    assert d.changed
    assert (d.setting, d.scheme_id, d.scheme_fingerprint) == (
        "mainstream", "northshire-points-rate", amir.scheme_fingerprint)


def test_a_lower_final_amount_and_rounding_of_the_percentage(amir: ras.Budget) -> None:
    # 2500.00 - 2630.00 = -130.00; -130 / 2630 x 100 = -4.9429... -> -4.94
    d = amir.decide("2500.00", reason="Part of the support is met by health",
                    decided_by="Panel", decided_on=DAY)
    assert (d.variance, d.variance_pct) == (D("-130.00"), D("-4.94"))
    # unchanged: no variance
    same = amir.decide(D("2630"), reason="Agreed", decided_by="Panel", decided_on=DAY)
    assert (same.variance, same.variance_pct, same.changed) == (D("0.00"), D("0.00"), False)


def test_the_decision_date_defaults_to_today(amir: ras.Budget) -> None:
    d = amir.decide(2630, reason="Agreed as indicated", decided_by="Panel")
    assert d.decided_on == dt.date.today()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_decision_without_a_reason_is_refused(amir: ras.Budget, reason: Any) -> None:
    with pytest.raises(ras.DecisionError, match="reason is required"):
        amir.decide(3000, reason=reason, decided_by="Panel")


def test_a_decision_without_a_decision_maker_is_refused(amir: ras.Budget) -> None:
    with pytest.raises(ras.DecisionError, match="decided_by is required"):
        amir.decide(3000, reason="More support", decided_by=" ")


# zero-width space, word joiner, byte order mark, soft hyphen, bidi marks, a combining mark
# with nothing under it, the Hangul filler, the braille blank, NBSP and the ideographic space
INVISIBLE = ["\u200b", "\u200b\u2060\ufeff", "\u00ad", "\u200e\u200f\u202e", "\u0301",
             "\u3164", "\u2800", "\u00a0\u3000", " \u200c\u200d "]


@pytest.mark.parametrize("blank", INVISIBLE)
def test_a_reason_or_decision_maker_of_invisible_characters_is_refused(
        amir: ras.Budget, blank: str) -> None:
    with pytest.raises(ras.DecisionError, match="reason is required"):
        amir.decide(3000, reason=blank, decided_by="Panel")
    with pytest.raises(ras.DecisionError, match="decided_by is required"):
        amir.decide(3000, reason="More support", decided_by=blank)


def test_visible_text_in_any_script_is_a_reason(amir: ras.Budget) -> None:
    for reason in ("Angen cymorth", "支援", "1", "£", "\u200bOK"):
        assert amir.decide(3000, reason=reason, decided_by="Panel").reason


@pytest.mark.parametrize("zero", ["-0", "-0.00", D("-0"), -0.0, " -0.0 "])
def test_a_final_amount_of_minus_zero_is_recorded_as_zero(amir: ras.Budget, zero: Any) -> None:
    d = amir.decide(zero, reason="No top-up is needed", decided_by="Panel", decided_on=DAY)
    assert str(d.final) == "0.00"
    assert d.to_record()["final"] == "0.00"
    assert str(d.variance) == "-2630.00"


@pytest.mark.parametrize(
    ("amount", "words"),
    [(-1, "negative"), ("12.345", "whole pence"), (12.345, "whole pence"),
     (float("nan"), "finite"), ("lots", "amount in pounds"), (True, "amount in pounds"),
     ([100], "amount in pounds")],
)
def test_bad_final_amounts_are_refused(amir: ras.Budget, amount: Any, words: str) -> None:
    with pytest.raises(ras.DecisionError, match=words) as info:
        amir.decide(amount, reason="r", decided_by="p")
    assert isinstance(info.value, ras.RasError)
    assert isinstance(info.value, ValueError)


def test_a_float_with_pence_is_read_exactly(amir: ras.Budget) -> None:
    d = amir.decide(3000.1, reason="r", decided_by="p", decided_on=DAY)
    assert d.final == D("3000.10")


def test_a_decision_is_frozen(amir: ras.Budget) -> None:
    d = amir.decide(3000, reason="r", decided_by="p", decided_on=DAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.final = D(1)  # type: ignore[misc]


def test_a_referred_case_has_no_variance() -> None:
    banded = ras.load_scheme(SCHEMES / "banded_referral.yaml")
    top = {q: len(o) - 1 for q, o in banded.option_ids.items()}
    budget = banded.calculate(top, setting="mainstream")
    d = budget.decide(31000, reason="Set by panel: above the table", decided_by="Panel",
                      decided_on=DAY)
    assert d.indicative is None
    assert (d.variance, d.variance_pct, d.changed) == (None, None, True)


def test_no_percentage_of_a_zero_indicative_amount() -> None:
    d = ras.Decision(indicative=D(0), final=D(500), reason="r", decided_by="p",
                     decided_on=DAY)
    assert (d.variance, d.variance_pct) == (D("500.00"), None)


def test_decision_record_is_json(amir: ras.Budget) -> None:
    d = amir.decide(3000, reason="More support", decided_by="Panel", decided_on=DAY)
    record = json.loads(json.dumps(d.to_record()))
    assert record["indicative"] == "2630.00"
    assert record["final"] == "3000.00"
    assert record["variance"] == "370.00"
    assert record["variance_pct"] == "14.07"
    assert record["decided_on"] == "2026-06-15"
    assert record["scheme"]["fingerprint"] == amir.scheme_fingerprint


# Summaries ---------------------------------------------------------------------------------------

# Five decisions:                  variance   |variance|   within 10%?   within -30% / +25%?
#   1000.00 -> 1000.00  unchanged       0          0         yes            yes
#   1000.00 -> 1200.00  up           +200        200         no (>1100)     yes (<=1250)
#   2000.00 -> 1500.00  down         -500        500         no (<1800)     yes (>=1400)
#      0.00 ->  500.00  up           +500        500         no (>0)        no (>0)
#      none -> 3000.00  referred without an amount: counted apart
# compared 4; changed 3 (2 up, 1 down); total indicative 4000, final 4200, variance +200;
# mean variance 200 / 4 = 50.00; mean |variance| 1200 / 4 = 300.00
PAIRS: list[tuple[Decimal | None, Decimal]] = [
    (D(1000), D(1000)), (D(1000), D(1200)), (D(2000), D(1500)), (D(0), D(500)),
    (None, D(3000)),
]


def _decisions() -> list[ras.Decision]:
    return [ras.Decision(indicative=a, final=b, reason="panel", decided_by="panel",
                         decided_on=DAY) for a, b in PAIRS]


def test_summary_of_decisions_by_hand() -> None:
    s = ras.decisions_summary(_decisions(), tolerance=D("0.1"))
    assert isinstance(s, ras.DecisionsSummary)
    assert (s.cases, s.compared, s.without_indicative) == (5, 4, 1)
    assert (s.changed, s.increased, s.decreased, s.unchanged) == (3, 2, 1, 1)
    assert (s.total_indicative, s.total_final, s.total_variance) == (
        D("4000.00"), D("4200.00"), D("200.00"))
    assert (s.mean_variance, s.mean_absolute_variance) == (D("50.00"), D("300.00"))
    assert s.tolerance == (D("0.1"), D("0.1"))
    assert (s.outside_tolerance, s.share_outside_tolerance) == (3, 0.75)
    assert s.share_changed == 0.75
    assert json.loads(json.dumps(s.to_dict()))["total_variance"] == "200.00"
    assert "changed by the panel: 3 (2 up, 1 down)" in str(s)


def test_summary_with_an_uneven_tolerance() -> None:
    s = ras.decisions_summary(_decisions(), tolerance=("0.3", "0.25"))
    assert (s.outside_tolerance, s.share_outside_tolerance) == (1, 0.25)


def test_summary_with_the_scheme_s_indicative_range(points_rate: ras.Scheme) -> None:
    # Northshire's range is -10% / +15%: 1200 <= 1150? no -> outside; 1500 < 1800 -> outside;
    # 500 > 0 -> outside: 3 of 4
    assert points_rate.model.indicative_range is not None
    s = ras.decisions_summary(_decisions(), tolerance=points_rate.model.indicative_range)
    assert s.tolerance == (D("0.10"), D("0.15"))
    assert s.outside_tolerance == 3


def test_summary_without_tolerance_has_no_share() -> None:
    s = ras.decisions_summary(_decisions())
    assert (s.tolerance, s.outside_tolerance, s.share_outside_tolerance) == (None, None, None)


def test_summary_of_a_frame_equals_summary_of_decisions() -> None:
    frame = pd.DataFrame({
        "indicative": [1000.0, 1000.0, 2000.0, 0.0, np.nan],
        "final": [1000.0, 1200.0, 1500.0, 500.0, 3000.0],
        "reason": ["a", "b", "c", "d", "e"],
    })
    assert ras.decisions_summary(frame, 0.1) == ras.decisions_summary(_decisions(), D("0.1"))


def test_summary_of_a_result_frame_with_other_column_names(points_rate: ras.Scheme) -> None:
    # the indicative amounts straight from calculate_frame; panels added 10.10 to each
    cohort = pd.DataFrame([{**AMIR, "setting": "mainstream"}, {**AMIR, "setting": "special"}])
    frame = points_rate.calculate_frame(cohort)
    frame["panel"] = frame["personal_sen_budget"] + 10.10  # floats: read to the penny
    s = ras.decisions_summary(frame, indicative="personal_sen_budget", final="panel")
    assert (s.compared, s.increased, s.total_variance) == (2, 2, D("20.20"))


def test_summary_refuses_bad_frames_and_tolerances() -> None:
    with pytest.raises(ras.DecisionError, match="no column"):
        ras.decisions_summary(pd.DataFrame({"indicative": [1.0]}))
    with pytest.raises(ras.DecisionError, match="row 'b': no final amount"):
        ras.decisions_summary(pd.DataFrame({"indicative": [1.0, 2.0], "final": [1.0, None]},
                                           index=["a", "b"]))
    with pytest.raises(ras.DecisionError, match="tolerance"):
        ras.decisions_summary(_decisions(), tolerance=-0.1)
    with pytest.raises(ras.DecisionError, match="at most 1"):
        ras.decisions_summary(_decisions(), tolerance=(2, 0))
    with pytest.raises(TypeError, match=r"not a ras\.Decision"):
        ras.decisions_summary([("1000", "1200")])  # type: ignore[list-item]


@pytest.mark.parametrize(("decisions", "kind"), [
    (5, "an int"), (None, "None"), (3.5, "a float"), ("abc", "a str"), ({"a": 1}, "a dict"),
])
def test_summary_refuses_what_is_not_decisions_by_its_kind(decisions: Any, kind: str) -> None:
    # an int raised Python's own TypeError ('int' object is not iterable); text and a mapping
    # were iterated and blamed for their first character or key
    with pytest.raises(ras.UsageError, match=rf"^decisions is {kind}, not a list of "
                                             r"ras\.Decision objects or a DataFrame"):
        ras.decisions_summary(decisions)


def test_summary_refuses_one_decision_and_a_list_holding_a_number(amir: ras.Budget) -> None:
    decision = amir.decide("3000", reason="panel", decided_by="panel")
    with pytest.raises(ras.UsageError, match=r"one ras\.Decision; pass a list of them"):
        ras.decisions_summary(decision)  # type: ignore[arg-type]
    with pytest.raises(ras.UsageError, match=r"^decisions\[1\] is an int, not a ras\.Decision"):
        ras.decisions_summary([decision, 5])  # type: ignore[list-item]


def test_summary_names_a_column_that_is_not_a_name() -> None:
    frame = pd.DataFrame({"indicative": [1.0], "final": [2.0]})
    with pytest.raises(ras.UsageError, match="indicative is a list; name the frame's column"):
        ras.decisions_summary(frame, indicative=["a"])  # type: ignore[arg-type]
    with pytest.raises(ras.DecisionError, match=r"no column\(s\) 5; its columns are"):
        ras.decisions_summary(frame, final=5)  # type: ignore[arg-type]


def test_summary_of_nothing() -> None:
    s = ras.decisions_summary([], tolerance=0.1)
    assert (s.cases, s.compared, s.total_variance) == (0, 0, D("0.00"))
    assert (s.mean_variance, s.share_changed, s.share_outside_tolerance) == (None, None, None)


def test_numpy_numbers_are_amounts_and_absurd_ones_are_refused(amir: ras.Budget) -> None:
    d = amir.decide(np.float64(3000.0), reason="Agreed", decided_by="Panel", decided_on=DAY)
    assert d.final == D("3000.00")
    assert amir.decide(np.int64(3000), reason="Agreed", decided_by="Panel",
                       decided_on=DAY).final == D("3000.00")
    with pytest.raises(ras.DecisionError, match="too large"):
        amir.decide("1e30", reason="Agreed", decided_by="Panel", decided_on=DAY)
    summary = ras.decisions_summary([d], tolerance=np.float64(0.1))
    assert (summary.cases, summary.compared) == (1, 1)
