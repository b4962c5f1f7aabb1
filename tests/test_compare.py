"""ras.compare: child-by-child changes, the five bins, band transitions, cliff edges, display.

The figures are worked by hand from tests/toy_scheme.py (its docstring has the base amounts).
"""

from __future__ import annotations

import html.parser
import math
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

import ras
from tests.paths import SCHEMES
from tests.strategies import scheme_and_cohort
from tests.toy_scheme import ELEMENT3, cohort, toy

# Gains: rate 1,050, mainstream element 2 5,800, band B 1,600.
#   c0 10,500 - 5,800 = 4,700 (+700, +17.5 %: more than 5 %)
#   c1  5,250 - 5,800 -> 0 (no change; social care 1,500 -> 1,600)
#   c2  8,400 top-up (+400: exactly 5 % of 8,000, so "up to 5 %")
#   c3 10,500 - 10,000 = 500 (from nothing: more than 5 %)
#   c4  3,150 (+150: exactly 5 %)
GAINS = {"pricing.education.rate": 1050, "settings.mainstream.element2": 5800,
         "pricing.social_care.bands.B.amount": 1600}
# Losses: rate 980, mainstream element 2 6,500.
#   c0 9,800 - 6,500 = 3,300 (-700: more than 5 %); c1 0 -> 0; c2 7,840 (-160, 2 %);
#   c3 9,800 - 10,000 -> 0 (no change); c4 2,940 (-60, 2 %)
LOSSES = {"pricing.education.rate": 980, "settings.mainstream.element2": 6500}


def test_frame_has_both_sides_and_the_change() -> None:
    base = toy()
    comparison = ras.compare(base, base.with_changes(GAINS), cohort())
    frame = comparison.frame
    assert list(frame.index) == ["c0", "c1", "c2", "c3", "c4"]
    assert frame["personal_sen_budget_base"].tolist() == ELEMENT3
    assert frame["personal_sen_budget_reform"].tolist() == [4700, 0, 8400, 500, 3150]
    assert frame["change"].tolist() == [700, 0, 400, 500, 150]
    assert frame["change_pct"].tolist() == [17.5, 0, 5.0, math.inf, 5.0]
    assert frame["social_care_amount_reform"].tolist() == [0, 1600, 3200, 0, 1600]
    assert frame["total_personal_budget_reform"].tolist() == [4700, 1600, 11600, 500, 4750]
    assert frame["social_care_band_base"].tolist() == ["A", "B", "C", "A", "B"]
    assert frame["education_points_base"].tolist() == [10, 5, 8, 10, 3]
    assert frame["outcome"].tolist() == [
        "gains more than 5%", "no change", "gains up to 5%", "gains more than 5%",
        "gains up to 5%"]
    assert frame["setting"].tolist() == ["mainstream", "mainstream", "unit", "special", "unit"]


def test_summary_overall_and_by_setting() -> None:
    base = toy()
    summary = ras.compare(base, base.with_changes(LOSSES), cohort()).summary()
    assert list(summary.index) == ["all", "mainstream", "special", "unit"]
    everyone = summary.loc["all"]
    assert everyone["children"] == 5
    assert everyone["base_total"] == 15000
    assert everyone["reform_total"] == 14080
    assert everyone["change"] == -920
    assert everyone["change_pct"] == pytest.approx(-920 / 15000 * 100)
    assert (everyone["losers"], everyone["unchanged"], everyone["gainers"]) == (3, 2, 0)
    assert everyone["loses_over_5pct"] == 1
    assert everyone["loses_up_to_5pct"] == 2
    assert everyone["losers_share"] == pytest.approx(0.6)
    mainstream = summary.loc["mainstream"]
    assert (mainstream["base_total"], mainstream["reform_total"]) == (4000, 3300)
    assert (mainstream["loses_over_5pct"], mainstream["no_change"]) == (1, 1)
    unit = summary.loc["unit"]
    assert (unit["change"], unit["loses_up_to_5pct"]) == (-220, 2)


def test_a_loss_of_exactly_five_percent_is_up_to_five_percent() -> None:
    base = toy()
    reform = base.with_changes({"pricing.education.rate": 950})  # c2 8,000 -> 7,600: -5 %
    frame = ras.compare(base, reform, cohort()).frame
    assert frame.loc["c2", "outcome"] == "loses up to 5%"
    assert frame.loc["c0", "outcome"] == "loses more than 5%"  # 4,000 -> 3,500


def test_referred_children_have_no_change_and_no_bin() -> None:
    base = toy()
    reform = base.with_changes({"pricing.education.refer_above": 9})  # c0 and c3 have 10
    comparison = ras.compare(base, reform, cohort())
    frame = comparison.frame
    assert math.isnan(frame.at["c0", "change"])  # type: ignore[arg-type]
    assert frame["outcome"].isna().tolist() == [True, False, False, True, False]
    summary = comparison.summary().loc["all"]
    assert summary["no_amount"] == 2
    assert summary["base_total"] == 15000  # c0 4,000 + c2 8,000 + c4 3,000
    assert summary["reform_total"] == 11000  # c2 8,000 + c4 3,000
    # like for like: c1, c2 and c4 are priced by both and unchanged; c0's £4,000 going to
    # panel is not a saving of £4,000
    assert summary["change"] == 0
    assert summary["change_pct"] == 0
    assert (summary["referred_base"], summary["referred_reform"]) == (0, 2)
    assert "£15,000.00 -> £11,000.00 (£0.00 like for like)" in repr(comparison)


def test_band_transitions_and_cliff_edges() -> None:
    base = toy()
    reform = base.with_changes({"pricing.social_care.bands.C.from_points": 9})
    comparison = ras.compare(base, reform, cohort(), measure="social_care_amount")
    table = comparison.band_transitions("social_care")
    assert table.loc["A", "A"] == 2
    assert table.loc["B", "B"] == 2
    assert table.loc["C", "B"] == 1  # c2's 8 points no longer reach C
    assert "C" not in table.columns  # nobody is in C after the change
    assert comparison.frame.loc["c2", "change"] == -1700

    cliffs = comparison.cliff_edges(points=1, stream="social_care")
    # c2: 8 points in B, 1 point short of C: one more point is worth 3,200 - 1,500 = 1,700.
    # c1 and c4: 4 points, at the start of B: one point fewer costs them 1,500.
    assert list(cliffs.index) == ["c1", "c2", "c4"]
    assert cliffs.loc["c2", "points_to_next_band"] == 1
    assert cliffs.loc["c2", "next_band"] == "C"
    assert cliffs.loc["c2", "worth_one_more_point"] == 1700
    assert cliffs.loc["c2", "worth_next_band"] == 1700
    assert cliffs.loc["c1", "worth_next_band"] == 1700  # 4 more points: B 1,500 -> C 3,200
    assert cliffs.loc["c1", "cost_of_one_point_less"] == 1500
    assert cliffs.loc["c1", "worth_one_more_point"] == 0
    assert cliffs.loc["c1", "points_above_band_start"] == 0
    before = comparison.cliff_edges(points=1, stream="social_care", scheme="base")
    assert before.loc["c2", "band"] == "C"
    assert math.isnan(before.at["c2", "points_to_next_band"])  # type: ignore[arg-type]


def test_cliff_edges_in_element3_terms() -> None:
    data = toy().model.model_dump()
    data["pricing"]["education"] = {"method": "bands", "bands": [
        {"label": "E1", "from_points": 0, "amount": 0},
        {"label": "E2", "from_points": 6, "amount": 7000},
        {"label": "E3", "from_points": 10, "amount": 12000}]}
    banded = ras.Scheme.from_dict(data)
    cliffs = ras.compare(banded, banded, cohort()).cliff_edges(points=2)
    # c2 (unit, 8 points, E2 £7,000): 2 points short of E3, one more point is worth nothing
    # c1 (mainstream, 5 points, E1): one more point reaches E2: 7,000 - 6,000 = 1,000 to the
    # family (element 3)
    assert cliffs.loc["c1", "worth_one_more_point"] == 1000
    assert cliffs.loc["c2", "worth_one_more_point"] == 0
    assert cliffs.loc["c2", "points_to_next_band"] == 2
    assert cliffs.loc["c2", "worth_next_band"] == 5000  # unit: 7,000 -> 12,000
    assert "c4" not in cliffs.index  # 3 points: 3 from E2, more than 2
    # c0 and c3 are at the start of E3: one point fewer drops them to E2
    assert cliffs.loc["c0", "cost_of_one_point_less"] == 5000  # 6,000 -> 1,000
    assert cliffs.loc["c3", "cost_of_one_point_less"] == 2000  # special: 2,000 -> 0


def test_rate_priced_streams_have_no_cliffs() -> None:
    base = toy()
    assert ras.compare(base, base, cohort()).cliff_edges(points=5).empty


def test_measure_and_argument_errors() -> None:
    base = toy()
    with pytest.raises(ValueError, match="unknown measure"):
        ras.compare(base, base, cohort(), measure="money")
    comparison = ras.compare(base, base, cohort())
    with pytest.raises(ValueError, match="not priced by bands"):
        comparison.band_transitions("education")
    with pytest.raises(ValueError, match="unknown setting"):
        comparison.band_transitions("social_care", setting="moon")
    with pytest.raises(ValueError, match="'reform' or 'base'"):
        comparison.cliff_edges(scheme="other")


class _Checker(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in ("img", "meta", "br"):  # void elements have no end tag
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, tag
        assert self.open[-1] == tag, (self.open, tag)
        self.open.pop()


def test_html_is_valid_and_shows_the_summary() -> None:
    base = toy()
    comparison = ras.compare(base, base.with_changes(LOSSES), cohort())
    text = comparison._repr_html_()
    checker = _Checker()
    checker.feed(text)
    assert checker.open == []
    assert "£15,000" in text
    assert "£14,080" in text
    assert "loses more than 5%" in text
    assert "3 lose" in repr(comparison)


def test_plot_needs_matplotlib_and_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    base = toy()
    comparison = ras.compare(base, base.with_changes(GAINS), cohort())
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install 'ras\[plot\]'"):
        comparison.plot()


def test_plot_draws_changes_and_bins() -> None:
    pytest.importorskip("matplotlib")
    base = toy()
    figure = ras.compare(base, base.with_changes(GAINS), cohort()).plot()
    _, right = figure.axes
    assert [p.get_width() for p in right.patches] == [0, 0, 1, 2, 2]


@given(scheme_and_cohort())
def test_a_scheme_compared_with_itself_changes_nothing(
    generated: tuple[dict[str, object], list[tuple[dict[str, int], str]]],
) -> None:
    data, children = generated
    scheme = ras.Scheme.from_dict(data)
    frame = pd.DataFrame([{**answers, "setting": setting} for answers, setting in children])
    comparison = ras.compare(scheme, scheme, frame)
    result = comparison.frame
    scored = result["personal_sen_budget_base"].notna().to_numpy()
    assert (result["change"].to_numpy()[scored] == 0).all()
    assert (result["outcome"][scored] == "no change").all()
    assert result["outcome"][~scored].isna().all()
    np.testing.assert_array_equal(result["total_personal_budget_base"],
                                  result["total_personal_budget_reform"])
    summary = comparison.summary().loc["all"]
    assert summary["base_total"] == summary["reform_total"]
    assert summary["gainers"] == summary["losers"] == 0
    assert summary["unchanged"] + summary["no_amount"] == len(frame)


def test_schemes_that_ask_different_questions_are_encoded_each_their_own_way() -> None:
    data = toy().model.model_dump()
    options = data["domains"][1]["questions"][0]["options"]
    data["domains"][1]["questions"][0]["options"] = [
        {"id": "crisis", "points": 12}, *options]  # a new first option shifts every position
    other = ras.Scheme.from_dict(data)
    frame = cohort().assign(family_support=["none", "some", "lots", "none", "crisis"])
    comparison = ras.compare(toy(), other, frame.iloc[:4], measure="social_care_amount")
    assert comparison.frame["change"].tolist() == [0, 0, 0, 0]
    with pytest.raises(ras.AnswerError, match="crisis"):
        ras.compare(toy(), other, frame)


def _with_family_options(*ids: str) -> ras.Scheme:
    """The toy scheme with family_support's options in this order (points as before; a new
    option scores 12)."""
    data = toy().model.model_dump()
    points = {"none": 0, "some": 4, "lots": 8}
    data["domains"][1]["questions"][0]["options"] = [
        {"id": i, "points": points.get(i, 12)} for i in ids]
    return ras.Scheme.from_dict(data)


def test_positions_that_name_other_options_in_the_reform_are_refused() -> None:
    # The reform inserts "crisis" first: position 1 is "some" in the base but "none" in the
    # reform, so c1 (4 points, band B, £1,500) would seem to fall to band A and lose £1,500.
    reform = _with_family_options("crisis", "none", "some", "lots")
    with pytest.raises(ras.AnswerError, match="family_support") as raised:
        ras.compare(toy(), reform, cohort(), measure="social_care_amount")
    message = str(raised.value)
    assert "position 1 is option 'some' in the base scheme but option 'none' in the reform" \
        in message
    assert "give option ids" in message
    assert raised.value.total_rows == 5  # every child answered family_support by position
    # the same children as option ids: nobody's social care changes
    ids = cohort().assign(family_support=["none", "some", "lots", "none", "some"])
    assert ras.compare(toy(), reform, ids, measure="social_care_amount"
                       ).frame["change"].tolist() == [0, 0, 0, 0, 0]


def test_a_removed_option_makes_its_position_name_nothing() -> None:
    reform = _with_family_options("none", "lots")  # "some" removed
    frame = cohort().assign(family_support=["none", "none", "lots", 0, "lots"])
    assert ras.compare(toy(), reform, frame, measure="social_care_amount"
                       ).frame["change"].tolist() == [0, 0, 0, 0, 0]  # position 0 agrees
    frame = cohort().assign(family_support=["none", "none", 2, "none", "lots"])
    with pytest.raises(ras.AnswerError, match=r"row 'c2', family_support: position 2 is "
                                              r"option 'lots' in the base scheme but no option"):
        ras.compare(toy(), reform, frame, measure="social_care_amount")


def test_positions_that_mean_the_same_in_both_schemes_are_kept() -> None:
    # an option added at the end moves no position: 0, 1 and 2 name the same options
    reform = _with_family_options("none", "some", "lots", "crisis")
    comparison = ras.compare(toy(), reform, cohort(), measure="social_care_amount")
    assert comparison.frame["change"].tolist() == [0, 0, 0, 0, 0]


def test_setting_positions_are_refused_when_the_settings_differ() -> None:
    data = toy().model.model_dump()
    data["settings"] = {"special": data["settings"]["special"], **data["settings"]}
    reform = ras.Scheme.from_dict(data)  # special first: position 0 is special, not mainstream
    frame = cohort().assign(setting=[0, 0, 2, 1, 2])
    with pytest.raises(ras.AnswerError, match="position 0 is setting 'mainstream' in the base "
                                              "scheme but setting 'special' in the reform"):
        ras.compare(toy(), reform, frame)


def test_number_answers_are_amounts_not_positions_when_the_grid_changes() -> None:
    # hours_top_up asks assistant_hours on a 0.25-hour grid; the reform's grid is 0.5 hours,
    # so grid position 20 is 5 hours in the base and 10 in the reform. An answer of 20 is
    # 20 hours in both, not a position: the comparison goes ahead.
    path = SCHEMES / "hours_top_up.yaml"
    base = ras.load_scheme(path)
    reform = ras.Scheme.from_yaml(path.read_text(encoding="utf-8").replace(
        "max: 32.5, step: 0.25", "max: 32.5, step: 0.5"))
    assert base.option_ids["assistant_hours"][20] != reform.option_ids["assistant_hours"][20]
    answers = {"assistant_hours": [20, 7.5], "teacher_hours": [1, 0], "therapy_minutes": [30, 0],
               "setting": ["mainstream", "mainstream"]}
    comparison = ras.compare(base, reform, pd.DataFrame(answers))
    assert comparison.frame["change"].tolist() == [0, 0]  # the same hours, the same points
