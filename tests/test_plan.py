"""The personal budget of an agreed plan (issue 7): worked examples, the checks, the statement,
and the cohort form against the single-child form.

Every expected figure is computed by hand in the comments. The setting rules (scheme files):
points_rate.yaml   post16      element 1 4,843  element 2 6,000  additional_support
                   mainstream  element 1 5,000  element 2 6,000  additional_support
                   special     element 1 4,000  element 2 6,000  whole_place
                   early_years element 1 0      element 2 0      additional_support
need_levels.yaml   mainstream  element 1 4,800  element 2 6,000  top_up
Deduction: element 2 (additional_support), elements 1 + 2 (whole_place), nothing (top_up); met
from the education lines the setting delivers first, then the others, each in plan order.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction
from functools import cache
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ras
from tests.paths import SCHEMES

D = Decimal


@cache
def points_rate() -> ras.Scheme:
    return ras.load_scheme(SCHEMES / "points_rate.yaml")


@cache
def need_levels() -> ras.Scheme:
    return ras.load_scheme(SCHEMES / "need_levels.yaml")


def line(description: str, stream: str = "education", *, delivery: str = "arrangement",
         **fields: Any) -> dict[str, Any]:
    return {"description": description, "stream": stream, "delivery": delivery, **fields}


COLLEGE_SUPPORT = line("College support", cost=13300, delivered_by="setting")
TRAVEL_TRAINING = line("Travel training", cost=1200, delivery="direct_payment",
                       delivered_by="other")


# --- the worked example of the issue ---------------------------------------------------------

def test_fe_college_worked_example() -> None:
    # education lines 13,300 + 1,200 = 14,500; element 2 (6,000) is met from the college's own
    # line first: 13,300 - 6,000 = 7,300 to the college, 1,200 as a direct payment.
    # element 3 = 14,500 - 6,000 = 8,500; whole cost = 14,500 + element 1 4,843 = 19,343.
    budget = ras.Plan([COLLEGE_SUPPORT, TRAVEL_TRAINING]).personal_budget(
        points_rate(), "post16")
    assert budget.cost_by_stream == {"education": D("14500.00"), "social_care": D("0.00"),
                                     "health": D("0.00")}
    assert budget.element1 == D("4843.00")
    assert budget.element2 == D("6000.00")
    assert budget.deduction == budget.deducted == D("6000.00")
    assert budget.element3 == budget.personal_sen_budget == D("8500.00")
    assert budget.total_personal_budget == D("8500.00")
    assert budget.by_mechanism == {"direct_payment": D("1200.00"),
                                   "arrangement": D("7300.00"), "third_party": D("0.00")}
    assert budget.by_stream == {"education": D("8500.00"), "social_care": D("0.00"),
                                "health": D("0.00")}
    assert budget.whole_cost == D("19343.00")
    assert [(b.cost, b.deducted, b.amount) for b in budget.lines] == [
        (D("13300.00"), D("6000.00"), D("7300.00")), (D("1200.00"), D("0.00"), D("1200.00"))]
    assert budget.warnings == ()
    assert budget.difference is None
    assert budget.difference_percent is None


@pytest.mark.parametrize(("consent", "found"), [
    (False, "consent was refused"), (None, "none is recorded")])
def test_fe_college_direct_payment_on_premises_without_consent_is_refused(
        consent: bool | None, found: str) -> None:
    on_site = {**TRAVEL_TRAINING, "on_premises": True, "consent": consent}
    with pytest.raises(ras.PlanError) as caught:
        ras.Plan([COLLEGE_SUPPORT, on_site])
    error = caught.value
    assert error.index == 1
    assert error.description == "Travel training"
    assert len(error.problems) == 1
    message = str(error)
    assert 'line 2 (index 1) "Travel training"' in message
    assert "direct payment" in message
    assert "consent" in message
    assert found in message
    assert isinstance(error, ras.RasError)
    assert isinstance(error, ValueError)


def test_fe_college_direct_payment_on_premises_with_consent_is_accepted() -> None:
    on_site = {**TRAVEL_TRAINING, "on_premises": True, "consent": True}
    budget = ras.Plan([COLLEGE_SUPPORT, on_site]).personal_budget(points_rate(), "post16")
    assert budget.by_mechanism["direct_payment"] == D("1200.00")
    assert budget.element3 == D("8500.00")


def test_flags_read_from_a_csv_as_floats_are_flags() -> None:
    """A column of 1, 0 and blanks reads as floats (1.0, 0.0, NaN): still yes and no."""
    on_site = {**TRAVEL_TRAINING, "on_premises": 1.0, "consent": np.float64(1.0)}
    budget = ras.Plan([COLLEGE_SUPPORT, on_site]).personal_budget(points_rate(), "post16")
    assert budget.by_mechanism["direct_payment"] == D("1200.00")
    with pytest.raises(ras.PlanError, match="consent"):
        ras.Plan([COLLEGE_SUPPORT, {**on_site, "consent": 0.0}])
    with pytest.raises(ras.PlanError, match="on_premises must be true or false"):
        ras.Plan([COLLEGE_SUPPORT, {**on_site, "on_premises": 0.5}])


# --- more examples, by hand --------------------------------------------------------------------

def test_special_school_whole_place_with_social_care_and_health() -> None:
    # special: elements 1 and 2 (4,000 + 6,000 = 10,000) come off the place, which the school
    # delivers: 24,500 - 10,000 = 14,500 (arrangement). Music therapy 1,800 (direct payment),
    # short breaks 3,200 (social care, direct payment), continence supplies 650 (health, third
    # party) are not deducted from.
    # element 3 = 24,500 + 1,800 - 10,000 = 16,300; total = 16,300 + 3,200 + 650 = 20,150.
    # by mechanism: arrangement 14,500; direct payment 1,800 + 3,200 = 5,000; third party 650.
    # whole cost = 24,500 + 1,800 + 3,200 + 650 = 30,150 (elements 1 and 2 are in the place).
    plan = ras.Plan([
        line("Music therapy", cost=1800, delivery="direct_payment"),
        line("Special school place", cost=24500, delivered_by="setting", is_place=True),
        line("Short breaks", "social_care", cost=3200, delivery="direct_payment"),
        line("Continence supplies", "health", cost=650, delivery="third_party"),
    ])
    budget = plan.personal_budget(points_rate(), "special")
    assert budget.deduction == D("10000.00")
    assert [b.amount for b in budget.lines] == [D("1800.00"), D("14500.00"), D("3200.00"),
                                                D("650.00")]
    assert budget.element3 == D("16300.00")
    assert budget.cost_by_stream == {"education": D("26300.00"), "social_care": D("3200.00"),
                                     "health": D("650.00")}
    assert budget.by_stream == {"education": D("16300.00"), "social_care": D("3200.00"),
                                "health": D("650.00")}
    assert budget.total_personal_budget == D("20150.00")
    assert budget.by_mechanism == {"direct_payment": D("5000.00"),
                                   "arrangement": D("14500.00"), "third_party": D("650.00")}
    assert budget.whole_cost == D("30150.00")
    assert budget.warnings == ()


def test_top_up_setting_deducts_nothing() -> None:
    # need_levels mainstream is top_up: the lines are the top-up, so nothing is deducted.
    # element 3 = 4,200; total = 4,200 + health 1,500 = 5,700;
    # whole cost = 4,200 + 1,500 + elements 1 and 2 (4,800 + 6,000) = 16,500.
    plan = ras.Plan([
        line("Top-up support", cost=4200, delivered_by="setting"),
        line("Speech and language therapy", "health", cost=1500, delivery="third_party"),
    ])
    budget = plan.personal_budget(need_levels(), "mainstream")
    assert budget.deduction == budget.deducted == D("0.00")
    assert budget.element3 == D("4200.00")
    assert budget.total_personal_budget == D("5700.00")
    assert budget.by_mechanism == {"direct_payment": D("0.00"), "arrangement": D("4200.00"),
                                   "third_party": D("1500.00")}
    assert budget.whole_cost == D("16500.00")


def test_hourly_line_with_on_costs() -> None:
    # teaching assistant: 15 h x 39 weeks x 14.50 = 8,482.50; x 1.2868 = 10,915.281 -> 10,915.28
    # mainstream (additional_support): element 2 6,000 off the school's line: 4,915.28.
    # element 3 = 10,915.28 + 2,400 - 6,000 = 7,315.28; whole = 13,315.28 + 5,000 = 18,315.28.
    ta = line("Teaching assistant", hours_per_week=15, weeks=39, hourly_rate="14.50",
              on_costs="0.2868", delivered_by="setting")
    plan = ras.Plan([ta, line("Speech and language therapy", cost=2400,
                              delivery="third_party")])
    assert plan[0].exact_cost == D("10915.281")
    assert plan[0].annual_cost == D("10915.28")
    budget = plan.personal_budget(points_rate(), "mainstream")
    assert budget.element3 == D("7315.28")
    assert budget.by_mechanism == {"direct_payment": D("0.00"), "arrangement": D("4915.28"),
                                   "third_party": D("2400.00")}
    assert budget.whole_cost == D("18315.28")
    text = budget.statement().to_text()
    assert ("15 hours a week × 39 weeks × £14.50 an hour, plus 28.68% on-costs = "
            "£10,915.281, rounded half up to the penny: £10,915.28") in text


def test_hourly_cost_rounds_half_up_to_the_penny() -> None:
    # 0.5 h x 1 week x 30.13 = 15.065: half up gives 15.07 (half to even would give 15.06)
    one = ras.ProvisionLine(description="Tutor", stream="education", hours_per_week="0.5",
                            weeks=1, hourly_rate="30.13", delivery="arrangement")
    assert one.exact_cost == D("15.065")
    assert one.annual_cost == D("15.07")
    # a fixed cost with a fraction of a penny rounds the same way: 100.005 -> 100.01
    fixed = ras.ProvisionLine(description="Kit", stream="health", cost="100.005",
                              delivery="third_party")
    assert fixed.annual_cost == D("100.01")


def test_deduction_falls_on_the_settings_lines_first_then_others_in_order() -> None:
    # mainstream, element 2 = 6,000. The school's own line (listed second) gives all 2,000;
    # the other 4,000 comes from the first other line, outreach (5,000 -> 1,000 direct
    # payment); the tutor (3,000, third party) is untouched.
    # element 3 = 10,000 - 6,000 = 4,000 = 0 + 1,000 + 3,000.
    plan = ras.Plan([
        line("Outreach", cost=5000, delivery="direct_payment"),
        line("School support", cost=2000, delivered_by="setting"),
        line("Tutor", cost=3000, delivery="third_party"),
    ])
    budget = plan.personal_budget(points_rate(), "mainstream")
    assert [b.deducted for b in budget.lines] == [D("4000.00"), D("2000.00"), D("0.00")]
    assert [b.amount for b in budget.lines] == [D("1000.00"), D("0.00"), D("3000.00")]
    assert budget.element3 == D("4000.00")
    assert budget.by_mechanism == {"direct_payment": D("1000.00"), "arrangement": D("0.00"),
                                   "third_party": D("3000.00")}
    # the setting must fund part of a line it does not deliver: a warning naming that line
    [warning] = budget.warnings
    assert warning.index == 0
    assert warning.description == "Outreach"
    assert str(warning).startswith('line 1 (index 0) "Outreach": part of element 2')


def test_education_below_element_2_leaves_element_3_nil_with_a_warning() -> None:
    # 4,000 of support against element 2 of 6,000: element 3 = max(0, 4,000 - 6,000) = 0
    budget = ras.Plan([line("School support", cost=4000, delivered_by="setting")]
                      ).personal_budget(points_rate(), "mainstream")
    assert budget.element3 == D("0.00")
    assert budget.deducted == D("4000.00")
    assert budget.deduction == D("6000.00")
    assert budget.whole_cost == D("9000.00")  # 4,000 + element 1 5,000
    [warning] = budget.warnings
    assert warning.index is None
    assert "less than the element 2 (£6,000.00)" in warning.message
    assert "element 3 is £0.00" in warning.message


def test_social_care_only_plan() -> None:
    # no education lines: nothing to deduct from, element 3 = 0, no warning
    budget = ras.Plan([line("Short breaks", "social_care", cost="2800.50",
                            delivery="direct_payment")]).personal_budget(
        points_rate(), "mainstream")
    assert budget.element3 == D("0.00")
    assert budget.total_personal_budget == D("2800.50")
    assert budget.by_mechanism["direct_payment"] == D("2800.50")
    assert budget.whole_cost == D("7800.50")  # 2,800.50 + element 1 5,000
    assert budget.warnings == ()


def test_place_warnings() -> None:
    place = line("Place", cost=12000, delivered_by="setting", is_place=True)
    budget = ras.Plan([place]).personal_budget(points_rate(), "mainstream")
    assert [w.index for w in budget.warnings] == [0]
    assert "prices only the additional support" in budget.warnings[0].message
    budget = ras.Plan([line("Support", cost=12000, delivered_by="setting")]
                      ).personal_budget(points_rate(), "special")
    assert [w.index for w in budget.warnings] == [None]
    assert "no education line is the place itself" in budget.warnings[0].message


def test_setting_by_position_and_unknown_setting() -> None:
    plan = ras.Plan([COLLEGE_SUPPORT])
    assert plan.personal_budget(points_rate(), 3).setting == "post16"
    with pytest.raises(ras.PlanError, match=r"unknown setting 'college'.*post16"):
        plan.personal_budget(points_rate(), "college")


# --- the indicative budget ---------------------------------------------------------------------

def indicative_post16() -> ras.Budget:
    # communication min(20, 10 + 8 + 7) = 20; cognition 12 + 4 = 16; 36 points:
    # 1,500 + 36 x 285 = 11,760; element 3 = 11,760 - 6,000 = 5,760; social care 0.
    answers: dict[str, str | int] = dict.fromkeys(points_rate().question_ids, 0)
    answers.update(learning_access="profound", literacy_numeracy="substantial",
                   expressive_language="complete", receptive_language="complete",
                   social_communication="complete")
    return points_rate().calculate(answers, setting="post16")


def test_difference_from_the_indicative_budget() -> None:
    indicative = indicative_post16()
    assert indicative.element3 == D("5760.00")
    budget = ras.Plan([COLLEGE_SUPPORT, TRAVEL_TRAINING]).personal_budget(
        points_rate(), "post16", indicative)
    # 8,500 - 5,760 = 2,740; 2,740 / 5,760 = 47.569...% -> 47.57%
    assert budget.difference == D("2740.00")
    assert budget.difference_percent == D("47.57")
    total = budget.differences["total_personal_budget"]
    assert (total.indicative, total.final, total.pounds) == (D("5760.00"), D("8500.00"),
                                                            D("2740.00"))
    assert budget.differences["social_care"].pounds == D("0.00")
    assert budget.warnings == ()
    text = budget.statement().to_text()
    assert "Compared with the indicative budget" in text
    assert "+£2,740.00 (+47.57%)" in text


def test_difference_notes_other_setting_and_unpriced_stream() -> None:
    indicative = indicative_post16()
    plan = ras.Plan([COLLEGE_SUPPORT, line("Physio", "health", cost=900,
                                            delivery="third_party")])
    budget = plan.personal_budget(points_rate(), "mainstream", indicative=indicative)
    messages = " ".join(w.message for w in budget.warnings)
    assert "worked out for setting 'post16', not 'mainstream'" in messages
    assert "does not price health" in messages
    # like with like: health is left out of the total's comparison
    total = budget.differences["total_personal_budget"]
    assert total.final == budget.element3 == D("7300.00")
    assert total.pounds == D("1540.00")


def test_indicative_referred_to_panel_gives_no_difference() -> None:
    scheme = ras.load_scheme(SCHEMES / "banded_referral.yaml")
    top = {q: len(options) - 1 for q, options in scheme.option_ids.items()}
    indicative = scheme.calculate(top, setting="post16")
    assert indicative.element3 is None
    budget = ras.Plan([COLLEGE_SUPPORT]).personal_budget(scheme, "post16", indicative)
    assert budget.difference is None
    assert budget.differences == {}
    assert any("referred to panel" in w.message for w in budget.warnings)
    assert "Compared with the indicative budget" not in budget.statement().to_text()


def test_percent_rounds_half_away_from_zero() -> None:
    from ras._plans.plan import percent_hundredths

    assert percent_hundredths(1, 8) == 1250  # 12.5% exactly
    assert percent_hundredths(1, 80_000) == 0  # 0.00125% -> 0.00
    assert percent_hundredths(1, 40_000) == 0  # 0.0025% -> 0.00
    assert percent_hundredths(1, 20_000) == 1  # 0.005% -> 0.01 (half away from zero)
    assert percent_hundredths(-1, 20_000) == -1
    assert percent_hundredths(-1, 20_001) == 0
    assert percent_hundredths(5, 0) is None


# --- the checks ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "words"), [
    ({"cost": 10000, "delivery": "direct_payment", "is_place": True},
     "a direct payment cannot pay for a school or college place"),
    ({"cost": -5}, "cost must not be negative (found -5)"),
    ({"cost": 0}, "no cost: the line costs £0.00"),
    ({"cost": "0.004"}, "no cost: the line costs £0.00"),
    ({}, "no cost: give cost"),
    ({"cost": 5, "hours_per_week": 2}, "either cost or hours_per_week"),
    ({"hours_per_week": 2}, "missing weeks and hourly_rate"),
    ({"hours_per_week": 2, "weeks": 39, "hourly_rate": 20, "on_costs": 28.68},
     "give it as a fraction: 0.2868 adds 28.68%"),
    ({"cost": 100, "on_costs": "0.2"}, "on_costs applies only to an hourly cost"),
    ({"hours_per_week": 200, "weeks": 39, "hourly_rate": 20}, "a week has 168 hours"),
    ({"cost": 100, "stream": "educaton"},
     "unknown stream 'educaton'; expected education, social_care or health; did you mean "
     "'education'?"),
    ({"cost": 100, "delivery": "direct payment"},
     "unknown mechanism 'direct payment' for delivery; expected direct_payment, arrangement "
     "or third_party; did you mean 'direct_payment'?"),
    ({"cost": 100, "delivered_by": "college"}, "delivered_by; expected setting or other"),
    ({"costs": 100}, "unknown key 'costs'"),
    ({"cost": True}, "cost must be a number (found true)"),
    ({"cost": "lots"}, "cost must be a number (found 'lots')"),
    ({"cost": float("inf")}, "must be a finite number"),
    ({"cost": 100, "consent": "perhaps"}, "consent must be true or false"),
    ({"cost": 100, "description": "  "}, "the description is empty"),
])
def test_a_bad_line_is_refused_naming_it(fields: dict[str, Any], words: str) -> None:
    bad = {**line("Support"), **fields}
    with pytest.raises(ras.PlanError) as caught:
        ras.Plan([line("Fine", cost=1), bad])
    assert caught.value.index == 1
    assert words in str(caught.value)
    assert "line 2 (index 1)" in str(caught.value)


def test_every_problem_of_every_line_is_reported_at_once() -> None:
    with pytest.raises(ras.PlanError) as caught:
        ras.Plan([line("A", cost=-1), line("B", cost=1), line("C", "nope", cost="x")])
    error = caught.value
    assert [(p.index, p.description) for p in error.problems] == [(0, "A"), (2, "C"), (2, "C")]
    assert str(error).startswith("cannot accept the plan: 3 problems:")


def test_plan_shape_errors() -> None:
    with pytest.raises(ras.PlanError, match="at least one line"):
        ras.Plan([])
    with pytest.raises(ras.PlanError, match="must be a ProvisionLine or a mapping"):
        ras.Plan([["not", "a", "line"]])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="list of lines"):
        ras.Plan(COLLEGE_SUPPORT)


def test_provision_line_is_checked_and_frozen() -> None:
    with pytest.raises(ras.PlanError, match=r"Travel training.*direct payment for provision"):
        ras.ProvisionLine(**{**TRAVEL_TRAINING, "on_premises": True})
    made = ras.ProvisionLine(**COLLEGE_SUPPORT)
    before = made.cost
    with pytest.raises((TypeError, ValueError, AttributeError)):  # whatever pydantic raises
        made.cost = D(1)  # type: ignore[misc]
    assert made.cost == before
    assert ras.Plan([made, TRAVEL_TRAINING]) == ras.Plan([COLLEGE_SUPPORT, TRAVEL_TRAINING])
    assert ras.ProvisionLine(**made.model_dump()) == made


def test_blank_cells_mean_not_given() -> None:
    # as from a frame: NaN for the cost of an hourly line and for an unset consent
    made = ras.ProvisionLine(description="TA", stream="education", cost=float("nan"),
                             hours_per_week=10.0, weeks=38.0, hourly_rate=12.5,
                             on_costs=None, consent=float("nan"), delivery="arrangement")
    assert made.cost is None
    assert made.consent is None
    assert made.annual_cost == D("4750.00")


# --- the statement -------------------------------------------------------------------------------

class _Balanced(HTMLParser):
    VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack.pop() == tag, f"</{tag}> closes the wrong element"


def fe_statement(description: str = "Travel training") -> ras.BudgetStatement:
    plan = ras.Plan([COLLEGE_SUPPORT, {**TRAVEL_TRAINING, "description": description}])
    return plan.personal_budget(points_rate(), "post16").statement()


def test_statement_text() -> None:
    text = fe_statement().to_text()
    for words in ("Personal budget statement", "FE college (16-19 study programme)",
                  "College support", "Travel training", "Direct payment", "Arrangement",
                  "£13,300.00", "-£6,000.00", "£7,300.00", "£1,200.00",
                  "Personal SEN budget (element 3)", "£8,500.00",
                  "Whole cost of provision, including element 1 (£4,843.00)", "£19,343.00"):
        assert words in text, words
    assert str(fe_statement()) == text


@pytest.mark.parametrize(("other", "kind"), [(5, "an int"), (None, "None"), ("x", "a str")])
def test_a_statement_of_what_is_not_a_personal_budget_names_what_it_takes(
    other: object, kind: str
) -> None:
    # raised AttributeError: 'int' object has no attribute 'scheme'
    with pytest.raises(ras.UsageError, match=rf"^BudgetStatement\.of takes the personal budget "
                                             rf"of a plan \(plan\.personal_budget\(scheme, "
                                             rf"setting\)\), not {kind}$"):
        ras.BudgetStatement.of(other)  # type: ignore[arg-type]


def test_a_statement_of_the_plan_or_the_indicative_budget_is_refused() -> None:
    plan = ras.Plan([COLLEGE_SUPPORT])
    for other, kind in ((plan, "a Plan"), (indicative_post16(), "a Budget")):
        with pytest.raises(ras.UsageError, match=f"not {kind}$"):
            ras.BudgetStatement.of(other)  # type: ignore[arg-type]


def test_statement_markdown() -> None:
    markdown = fe_statement("Travel | *training*").to_markdown()
    assert ("| 2 | Travel \\| \\*training\\* | Education | another provider | Direct payment | "
            "£1,200.00 | £0.00 | £1,200.00 |") in markdown
    assert "|---|---|---|---|---|---:|---:|---:|" in markdown
    assert "| Personal SEN budget (element 3) | £8,500.00 |" in markdown


def test_statement_html_is_valid_and_escaped() -> None:
    nasty = '<script>alert("x")</script> Tom & Jerry\'s'
    statement = fe_statement(nasty)
    page = statement.to_html()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; Jerry&#x27;s" in page
    ET.fromstring(page)  # well-formed as XML too: every element closed, entities escaped
    checker = _Balanced()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert '<td style="text-align: right">£19,343.00</td>' in page
    assert statement._repr_html_() == page
    budget = ras.Plan([COLLEGE_SUPPORT]).personal_budget(points_rate(), "post16")
    assert budget._repr_html_() == budget.statement().to_html()


def test_statement_lists_warnings_and_to_dict() -> None:
    budget = ras.Plan([line("School support", cost=4000, delivered_by="setting")]
                      ).personal_budget(points_rate(), "mainstream")
    statement = budget.statement()
    assert "Points to check" in statement.to_text()
    assert "element 3 is £0.00" in statement.to_markdown()
    data = statement.to_dict()
    assert data["title"] == "Personal budget statement"
    assert [s["title"] for s in data["sections"]][:2] == ["Provision in the plan", "The budget"]


def test_repr() -> None:
    plan = ras.Plan([COLLEGE_SUPPORT, TRAVEL_TRAINING])
    assert repr(plan) == "<Plan: 2 line(s) costing £14,500.00>"
    assert repr(plan.personal_budget(points_rate(), "post16")) == (
        "PersonalBudget(setting='post16', personal_sen_budget=£8,500.00, "
        "total_personal_budget=£8,500.00, warnings=0)")


# --- the cohort form ------------------------------------------------------------------------------

MONEY = {
    "education_cost": lambda b: b.cost_by_stream["education"],
    "social_care_cost": lambda b: b.cost_by_stream["social_care"],
    "health_cost": lambda b: b.cost_by_stream["health"],
    "element1": lambda b: b.element1,
    "element2": lambda b: b.element2,
    "deduction": lambda b: b.deduction,
    "deducted": lambda b: b.deducted,
    "element3": lambda b: b.element3,
    "personal_sen_budget": lambda b: b.personal_sen_budget,
    "education_budget": lambda b: b.by_stream["education"],
    "social_care_budget": lambda b: b.by_stream["social_care"],
    "health_budget": lambda b: b.by_stream["health"],
    "total_personal_budget": lambda b: b.total_personal_budget,
    "direct_payment": lambda b: b.by_mechanism["direct_payment"],
    "arrangement": lambda b: b.by_mechanism["arrangement"],
    "third_party": lambda b: b.by_mechanism["third_party"],
    "whole_cost": lambda b: b.whole_cost,
}


def long_frame(plans: dict[Any, tuple[str, list[dict[str, Any]]]]) -> pd.DataFrame:
    rows = [{"child_id": child, "setting": setting, **item}
            for child, (setting, items) in plans.items() for item in items]
    return pd.DataFrame(rows)


def assert_row_matches(row: pd.Series, budget: ras.PersonalBudget) -> None:
    for column, get in MONEY.items():
        assert row[column] == float(get(budget)), column
    assert row["lines"] == len(budget.lines)
    assert row["setting"] == budget.setting
    assert row["warnings"] == "\n".join(str(w) for w in budget.warnings)


EXAMPLES: dict[Any, tuple[str, list[dict[str, Any]]]] = {
    "fe": ("post16", [COLLEGE_SUPPORT, TRAVEL_TRAINING]),
    "special": ("special", [
        line("Music therapy", cost=1800, delivery="direct_payment"),
        line("Special school place", cost=24500, delivered_by="setting", is_place=True),
        line("Short breaks", "social_care", cost=3200, delivery="direct_payment"),
        line("Continence supplies", "health", cost=650, delivery="third_party")]),
    "spill": ("mainstream", [
        line("Outreach", cost=5000, delivery="direct_payment"),
        line("School support", cost=2000, delivered_by="setting"),
        line("Tutor", cost=3000, delivery="third_party")]),
    "hourly": ("mainstream", [
        line("Teaching assistant", hours_per_week=15, weeks=39, hourly_rate="14.50",
             on_costs="0.2868", delivered_by="setting"),
        line("Place", cost=100, is_place=True, delivered_by="setting")]),
    "below": ("early_years", [line("Key worker", cost=10)]),
}


def test_cohort_equals_single_child_on_the_examples() -> None:
    frame = long_frame(EXAMPLES)
    result = ras.personal_budget_frame(points_rate(), frame)
    assert list(result.index) == list(EXAMPLES)
    assert result.index.name == "child_id"
    for child, (setting, items) in EXAMPLES.items():
        assert_row_matches(result.loc[child], ras.Plan(items).personal_budget(
            points_rate(), setting))
    assert result.loc["fe", "element3"] == 8500
    assert result.loc["fe", "whole_cost"] == 19343
    assert result.loc["fe", "arrangement"] == 7300
    assert result.loc["fe", "direct_payment"] == 1200
    assert result.loc["hourly", "element3"] == 5015.28  # 10,915.28 + 100 - 6,000


def test_cohort_from_a_frame_read_back_as_from_csv(tmp_path: Any) -> None:
    path = tmp_path / "lines.csv"
    long_frame(EXAMPLES).to_csv(path, index=False)
    frame = pd.read_csv(path)
    result = ras.personal_budget_frame(points_rate(), frame)
    for child, (setting, items) in EXAMPLES.items():
        single = ras.Plan.from_frame(frame[frame.child_id == child]).personal_budget(
            points_rate(), setting)
        assert_row_matches(result.loc[child], single)
        assert single.element3 == ras.Plan(items).personal_budget(points_rate(),
                                                                  setting).element3


def test_cohort_errors_raise_naming_child_line_and_row() -> None:
    plans = dict(EXAMPLES)
    plans["bad"] = ("post16", [COLLEGE_SUPPORT, {**TRAVEL_TRAINING, "on_premises": True,
                                                 "consent": False}])
    frame = long_frame(plans)
    with pytest.raises(ras.PlanError) as caught:
        ras.personal_budget_frame(points_rate(), frame)
    error = caught.value
    assert error.child == "bad"
    assert error.index == 1
    assert error.description == "Travel training"
    assert error.problems[0].row == len(frame) - 1
    assert str(error).startswith(f"cannot accept the plan: child 'bad', line 2 (index 1, row "
                                 f"{len(frame) - 1}) \"Travel training\": a direct payment")


def test_cohort_errors_flag_keeps_every_child() -> None:
    plans = dict(EXAMPLES)
    plans["bad"] = ("post16", [COLLEGE_SUPPORT, {**TRAVEL_TRAINING, "cost": -1}])
    plans["nowhere"] = ("college", [COLLEGE_SUPPORT])
    result = ras.personal_budget_frame(points_rate(), long_frame(plans), errors="flag")
    assert list(result.index) == list(plans)
    assert (result.loc[list(EXAMPLES), "error"] == "").all()
    assert result.loc["bad", "error"] == (
        'line 2 (index 1) "Travel training": cost must not be negative (found -1)')
    assert result.loc["nowhere", "error"].startswith("unknown setting 'college'")
    assert result.loc[["bad", "nowhere"], "element3"].isna().all()
    assert result.loc[["bad", "nowhere"], "total_personal_budget"].isna().all()


def test_cohort_setting_must_be_one_per_child() -> None:
    frame = long_frame({"x": ("post16", [COLLEGE_SUPPORT, TRAVEL_TRAINING])})
    frame.loc[1, "setting"] = "mainstream"
    result = ras.personal_budget_frame(points_rate(), frame, errors="flag")
    assert "different settings" in result.loc["x", "error"]


def test_cohort_structure_errors() -> None:
    frame = long_frame(EXAMPLES)
    with pytest.raises(ras.PlanError, match="no 'pupil' column"):
        ras.personal_budget_frame(points_rate(), frame, child="pupil")
    frame.loc[0, "child_id"] = None
    with pytest.raises(ras.PlanError, match=r"no child id in row\(s\) \[0\]"):
        ras.personal_budget_frame(points_rate(), frame)
    with pytest.raises(ValueError, match="errors must be"):
        ras.personal_budget_frame(points_rate(), frame, errors="ignore")  # type: ignore[arg-type]


def test_cohort_setting_by_position() -> None:
    frame = long_frame({"fe": (3, [COLLEGE_SUPPORT])})  # type: ignore[dict-item]
    result = ras.personal_budget_frame(points_rate(), frame)
    assert result.loc["fe", "setting"] == "post16"
    assert result.loc["fe", "element3"] == 7300


def test_cohort_missing_columns_mean_not_given() -> None:
    # no delivered_by, on_premises, consent, is_place or hourly columns at all
    frame = pd.DataFrame({"child_id": [1, 1], "setting": ["post16", "post16"],
                          "description": ["Support", "Travel"], "stream": ["education"] * 2,
                          "cost": [13300, 1200], "delivery": ["arrangement", "direct_payment"]})
    result = ras.personal_budget_frame(points_rate(), frame)
    single = ras.Plan.from_frame(frame).personal_budget(points_rate(), "post16")
    assert_row_matches(result.loc[1], single)
    # a missing required column refuses every line, as a missing key does
    flagged = ras.personal_budget_frame(points_rate(), frame.drop(columns="stream"),
                                        errors="flag")
    assert flagged.loc[1, "error"].count("no stream; expected") == 2


def test_cohort_with_indicative_budgets() -> None:
    indicative = indicative_post16()
    frame = long_frame({"fe": EXAMPLES["fe"], "zero": ("post16", [COLLEGE_SUPPORT]),
                        "none": ("post16", [COLLEGE_SUPPORT])})
    ind = pd.DataFrame({"personal_sen_budget": [5760.0, 0.0]}, index=["fe", "zero"])
    result = ras.personal_budget_frame(points_rate(), frame, indicative=ind)
    single = ras.Plan(EXAMPLES["fe"][1]).personal_budget(points_rate(), "post16", indicative)
    assert result.loc["fe", "difference"] == float(single.difference or 0) == 2740
    assert result.loc["fe", "difference_percent"] == float(single.difference_percent or 0)
    assert result.loc["zero", "difference"] == 7300
    assert np.isnan(result.loc["zero", "difference_percent"])
    assert np.isnan(result.loc["none", "difference"])
    with pytest.raises(ValueError, match="not unique"):
        ras.personal_budget_frame(points_rate(), frame,
                                  indicative=pd.Series([1.0, 2.0], index=["fe", "fe"]))
    assert result.loc["none", "warnings"] == ("there is no indicative budget for this child, "
                                              "so there is no difference to show")
    assert result.loc["fe", "warnings"] == "\n".join(w.message for w in single.warnings)


def test_cohort_indicative_warnings_match_one_plan() -> None:
    """An indicative budget for another setting or scheme version, or referred to panel: the
    frame warns as Plan.personal_budget does, when the indicative frame says which."""
    scheme = ras.load_scheme(SCHEMES / "banded_referral.yaml")
    top = {q: len(options) - 1 for q, options in scheme.option_ids.items()}
    referred = scheme.calculate(top, setting="post16")
    special = scheme.calculate(top, setting="special")
    lines = long_frame({"ref": ("post16", [COLLEGE_SUPPORT]),
                        "other": ("post16", [COLLEGE_SUPPORT])})
    cohort = pd.DataFrame([top | {"setting": "post16"}, top | {"setting": "special"}],
                          index=["ref", "other"])
    indicative = scheme.calculate_frame(cohort).assign(setting=cohort["setting"],
                                                       scheme_id=scheme.id,
                                                       scheme_version="2025-26")
    result = ras.personal_budget_frame(scheme, lines, indicative=indicative)
    one = ras.Plan([COLLEGE_SUPPORT]).personal_budget(scheme, "post16", special)
    other_setting = one.warnings[0].message  # the same words as the one-plan form
    assert other_setting == ("the indicative budget was worked out for setting 'special', "
                             "not 'post16'")
    other_version = (f"the indicative budget comes from scheme '{scheme.id}' version "
                     f"'2025-26', not '{scheme.id}' version '{scheme.version}'")
    no_amount = ("the indicative budget has no amount for personal_sen_budget (referred to "
                 "panel), so there is no difference to show for it")
    assert referred.element3 is None
    assert special.element3 is None
    assert result.loc["ref", "warnings"].split("\n") == [other_version, no_amount]
    assert result.loc["other", "warnings"].split("\n") == [other_setting, other_version,
                                                            no_amount]


def test_cohort_huge_and_odd_numbers_stay_exact() -> None:
    # beyond int64 on the way (many decimals), and text and Decimal cells: the slow exact path
    items = [line("Odd", hours_per_week="37.123456789", weeks="52.987654321",
                  hourly_rate="123456.789012345", on_costs="0.123456789"),
             line("Big", "health", cost=D("123456789012.345"), delivery="third_party")]
    frame = long_frame({"a": ("special", items)})
    result = ras.personal_budget_frame(points_rate(), frame)
    assert_row_matches(result.loc["a"], ras.Plan(items).personal_budget(points_rate(),
                                                                        "special"))


def test_cohort_of_nothing() -> None:
    frame = long_frame(EXAMPLES).iloc[:0]
    result = ras.personal_budget_frame(points_rate(), frame)
    assert len(result) == 0
    assert "element3" in result.columns


# --- properties --------------------------------------------------------------------------------

def _money(low: int, high: int, places: int = 2) -> st.SearchStrategy[Decimal]:
    scale = 10**places
    return st.integers(low * scale, high * scale).map(lambda n: Decimal(n) / scale)


_DESCRIPTIONS = st.sampled_from(["TA support", "Speech therapy", 'The "big" room',
                                 "Tom & Jerry's <club>", "Physio", "Place"])


@st.composite
def plan_lines(draw: st.DrawFn, valid: bool = False) -> dict[str, Any]:
    item: dict[str, Any] = {
        "description": draw(_DESCRIPTIONS),
        "stream": draw(st.sampled_from(["education", "education", "social_care", "health"])),
        "delivery": draw(st.sampled_from(["direct_payment", "arrangement", "third_party"])),
        "delivered_by": draw(st.sampled_from(["setting", "other"])),
    }
    if draw(st.booleans()):
        item["cost"] = draw(_money(0 if not valid else 1, 20000))
    else:
        item["hours_per_week"] = draw(_money(0 if not valid else 1, 40, 1))
        item["weeks"] = draw(st.integers(1, 52))
        item["hourly_rate"] = draw(_money(5, 60))
        if draw(st.booleans()):
            item["on_costs"] = draw(_money(0, 1, 4))
    if draw(st.integers(0, 5)) == 0:
        item["is_place"] = True
    if not valid and draw(st.integers(0, 3)) == 0:
        item["on_premises"] = True
        item["consent"] = draw(st.sampled_from([True, False, None]))
    if not valid and draw(st.integers(0, 15)) == 0:
        item["stream"] = "educaton"
    if not valid and draw(st.integers(0, 15)) == 0:
        item["cost"] = draw(_money(-100, -1))
    if valid and item["delivery"] == "direct_payment":
        item["is_place"] = False
    return item


SETTINGS = ("mainstream", "special", "early_years", "post16")
NUMBER_COLUMNS = ("cost", "hours_per_week", "weeks", "hourly_rate", "on_costs")


@st.composite
def cohorts(draw: st.DrawFn) -> dict[Any, tuple[str, list[dict[str, Any]]]]:
    n = draw(st.integers(1, 6))
    settings = st.sampled_from((*SETTINGS, "nowhere"))
    return {f"c{i}": (draw(settings), draw(st.lists(plan_lines(), min_size=1, max_size=5)))
            for i in range(n)}


@given(cohorts(), st.sampled_from(["points_rate", "need_levels"]), st.booleans())
def test_property_cohort_equals_single_child(
        plans: dict[Any, tuple[str, list[Any]]], name: str, as_float: bool) -> None:
    scheme = points_rate() if name == "points_rate" else need_levels()
    frame = long_frame(plans)
    if as_float:  # plain float columns take the fast path; Decimal cells the exact slow one
        for column in NUMBER_COLUMNS:
            if column in frame.columns:
                frame[column] = frame[column].astype(np.float64)
    result = ras.personal_budget_frame(scheme, frame, errors="flag")
    assert list(result.index) == list(plans)
    for child, (setting, items) in plans.items():
        row = result.loc[child]
        try:
            single = ras.Plan(items).personal_budget(scheme, setting)
        except ras.PlanError as exc:
            problems = "\n".join(str(p) for p in exc.problems)
            if setting in SETTINGS:
                assert row["error"] == problems
            else:  # the cohort names the lines' problems and the setting's together
                assert row["error"].endswith(problems) or row["error"].startswith(problems)
                assert "unknown setting 'nowhere'" in row["error"]
            assert np.isnan(row["element3"])
            assert np.isnan(row["whole_cost"])
            continue
        assert row["error"] == ""
        assert_row_matches(row, single)


@given(st.lists(plan_lines(valid=True), min_size=1, max_size=6), st.sampled_from(SETTINGS))
def test_property_components_sum_to_totals(items: list[dict[str, Any]], setting: str) -> None:
    budget = ras.Plan(items).personal_budget(points_rate(), setting)
    total = budget.total_personal_budget
    assert sum(budget.by_mechanism.values()) == total
    assert sum(budget.by_stream.values()) == total
    assert sum(b.amount for b in budget.lines) == total
    education = budget.cost_by_stream["education"]
    assert budget.element3 == max(education - budget.deduction, D(0))
    assert budget.deducted == min(education, budget.deduction)
    assert all(D(0) <= b.deducted <= b.cost for b in budget.lines)
    # the setting's own lines give everything before any other line gives anything
    own = [b for b in budget.lines if b.stream == "education"
           and b.line.delivered_by == "setting"]
    if any(b.deducted > 0 for b in budget.lines if b.line.delivered_by != "setting"):
        assert all(b.deducted == b.cost for b in own)
    assert budget.whole_cost == budget.plan.cost + {
        "additional_support": budget.element1, "whole_place": D(0),
        "top_up": budget.element1 + budget.element2}[budget.ras_covers]


def test_hourly_lines_whose_scaled_product_leaves_int64_are_still_exact() -> None:
    """Four-decimal weeks, rate and on-costs scale every factor by 10**4: 27.25 h x 38.5714 wk
    x £75 x 1.2868 is past 2**63 in those units, and must not wrap round."""
    scheme = ras.load_scheme(SCHEMES / "points_rate.yaml")
    base = {"child_id": "A", "setting": "mainstream", "stream": "education",
            "delivery": "arrangement", "delivered_by": "setting", "weeks": 38.5714,
            "on_costs": 0.2868}
    lines = pd.DataFrame([
        base | {"description": "Specialist teacher", "hours_per_week": 27.25, "hourly_rate": 75.0},
        base | {"description": "Teaching assistant", "hours_per_week": 10.0,
                "hourly_rate": 14.5053}])
    # by hand: 101,438.828... -> £101,438.83; 7,199.514... -> £7,199.51
    teacher = Fraction("27.25") * Fraction("38.5714") * 75 * Fraction("1.2868")
    assistant = 10 * Fraction("38.5714") * Fraction("14.5053") * Fraction("1.2868")
    assert (round(teacher, 2), round(assistant, 2)) == (Fraction("101438.83"), Fraction("7199.51"))
    frame = ras.personal_budget_frame(scheme, lines)
    assert frame["education_cost"].tolist() == [108_638.34]
    assert frame["element3"].tolist() == [102_638.34]  # less element 2, £6,000
    one = ras.Plan.from_frame(lines).personal_budget(scheme, "mainstream")
    assert one.element3 == Decimal("102638.34")


def test_a_scheme_stream_no_plan_line_can_belong_to_is_named_in_the_comparison() -> None:
    """Plan lines are education, social care or health; a scheme whose stream is called
    'short_breaks' prices £1,000 that the comparison cannot use, and says so."""
    text = (SCHEMES / "points_rate.yaml").read_text().replace("social_care", "short_breaks")
    scheme = ras.Scheme.from_yaml(text)
    indicative = scheme.calculate(dict.fromkeys(scheme.question_ids, 2), setting="mainstream")
    assert indicative.stream_amounts["short_breaks"] == D("1000.00")
    plan = ras.Plan([{"description": "TA", "stream": "education", "cost": 9000,
                      "delivery": "arrangement", "delivered_by": "setting"}])
    budget = plan.personal_budget(scheme, "mainstream", indicative=indicative)
    assert budget.differences["total_personal_budget"].indicative == indicative.element3
    assert any("short breaks amount (£1,000.00) has no stream of plan lines" in str(w)
               for w in budget.warnings)


def test_a_dataframe_given_to_plan_points_to_from_frame() -> None:
    frame = pd.DataFrame([{"description": "TA", "stream": "education", "cost": 9000,
                           "delivery": "arrangement"}])
    with pytest.raises(ras.UsageError, match=r"Plan.from_frame\(frame\)"):
        ras.Plan(frame)  # type: ignore[arg-type]
    assert ras.Plan.from_frame(frame).lines[0].description == "TA"
