"""Version 2 in the tools: yearly tools and a termly scheme, the checker's new findings, and
with_changes reaching a number question's numbers."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

import ras
from tests.paths import SCHEMES

TERMLY = SCHEMES / "early_years_inclusion.yaml"
HOURS = SCHEMES / "hours_top_up.yaml"
BANDING = SCHEMES / "highest_need_banding.yaml"


def test_apportion_and_payment_schedule_refuse_a_termly_scheme_unless_told() -> None:
    scheme = ras.load_scheme(TERMLY)
    with pytest.raises(ras.CalculationError, match="periods_per_year"):
        ras.apportion("700", "2026-09-01", "2027-08-31", scheme=scheme)
    with pytest.raises(ras.CalculationError, match="a term"):
        ras.payment_schedule("700", "2026-09-01", "2027-08-31", scheme=scheme)
    # told: three terms make a year, so £700 a term is £2,100 a year
    split = ras.apportion("700", "2026-04-01", "2027-03-31", scheme=scheme, periods_per_year=3)
    assert split.total == Decimal("2100.00")
    schedule = ras.payment_schedule("700", "2026-04-01", "2027-03-31", scheme=scheme,
                                    periods_per_year=3)
    assert sum(i.amount for i in schedule) == Decimal("2100.00")
    with pytest.raises(ras.CalculationError, match="whole number"):
        ras.apportion("700", "2026-04-01", "2027-03-31", scheme=scheme, periods_per_year=0)


def test_a_yearly_scheme_needs_nothing_and_a_one_off_scheme_is_always_refused() -> None:
    yearly = ras.load_scheme(HOURS)
    assert ras.apportion("1200", "2026-04-01", "2027-03-31", scheme=yearly).total == 1200
    one_off = ras.Scheme.from_yaml(TERMLY.read_text().replace("period: term", "period: one_off"))
    with pytest.raises(ras.CalculationError, match="one-off"):
        ras.apportion("1600", "2026-04-01", "2027-03-31", scheme=one_off, periods_per_year=1)


def test_calibrate_targets_a_year_of_a_termly_scheme() -> None:
    scheme = ras.load_scheme(TERMLY)
    # one child at Level 1 (2 points): £350 a term
    cohort = pd.DataFrame({"talking_listening": ["emerging"], "moving_care": ["expected"],
                           "play_feelings": ["expected"], "medical": ["none"],
                           "setting": ["nursery"]})
    path = "pricing.education.bands.Level 1.amount"
    with pytest.raises(ras.CalculationError, match="periods_per_year"):
        ras.calibrate(scheme, cohort, 1200, path)
    # a year's target of £1,200 over 3 terms is £400 a term
    result = ras.calibrate(scheme, cohort, 1200, path, periods_per_year=3)
    assert result.value == Decimal(400)
    assert result.achieved_total == Decimal(1200)
    assert result.original_total == Decimal(1050)  # 350 x 3


def test_the_checker_finds_bands_no_single_area_reaches() -> None:
    text = BANDING.read_text().replace(
        "      - {label: Band 5, from_points: 5, amount: 13400,",
        "      - {label: Band 4.5, from_points: 4.5, amount: 10000}\n"
        "      - {label: Band 5, from_points: 5, amount: 13400,")
    found = {f.key_path: f for f in ras.Scheme.from_yaml(text).check()}
    finding = found["pricing.education.bands[5].from_points"]
    assert finding.severity == "warning"
    assert "no single area of need reaches band 'Band 4.5'" in finding.message
    assert "levels" in finding.message  # the scheme's own word
    assert not any("no single area" in f.message for f in ras.load_scheme(BANDING).check())


def test_the_checker_finds_a_number_question_that_refers_or_cuts_on_its_own() -> None:
    text = HOURS.read_text().replace("max: 10, step: 0.25, points_per_unit: 42.96",
                                     "max: 20, step: 0.25, points_per_unit: 42.96")
    found = {f.key_path: f for f in ras.Scheme.from_yaml(text).check()}
    # 20 h x 42.96 = 859.20 a week, x 38 = 32,649.60: above the maximum of 30,000 on its own
    finding = found["domains[0].questions[1].number.max"]
    assert finding.severity == "warning"
    assert "32649.6 pounds" in finding.message
    assert "above the maximum £30,000" in finding.message
    referring = HOURS.read_text().replace("    maximum: 30000", "    refer_above: 15000")
    found = {f.key_path: f for f in ras.Scheme.from_yaml(referring).check()}
    # 10 h x 42.96 x 38 = 16,324.80 > 15,000
    assert "above refer_above 15000" in found["domains[0].questions[1].number.max"].message
    assert "domains[0].questions[0].number.max" not in found  # 32.5 x 11.81 x 38 = 14,585.35


def test_the_checker_says_a_termly_scheme_is_not_yearly() -> None:
    found = {f.key_path: f for f in ras.load_scheme(TERMLY).check()}
    assert "periods_per_year" in found["period"].message
    assert "period" not in {f.key_path for f in ras.load_scheme(HOURS).check()}


def test_with_changes_reaches_a_number_questions_numbers_and_not_combine() -> None:
    scheme = ras.load_scheme(HOURS)
    names = ras.parameters(scheme)
    base = "domains.support.questions.assistant_hours.number."
    assert names[base + "points_per_unit"] == Decimal("11.81")
    assert names[base + "max"] == Decimal("32.5")
    assert names[base + "min"] == Decimal(0)
    banding = ras.parameters(ras.load_scheme(BANDING))
    assert not [p for p in banding if p.endswith(("combine", "description"))]
    dearer = scheme.with_changes({base + "points_per_unit": "12.50"})
    answers = {"assistant_hours": 10, "teacher_hours": 0, "therapy_minutes": 0}
    # 10 h x 12.50 x 38 = 4,750.00
    assert dearer.calculate(answers, setting="mainstream").stream_amounts["education"] == 4750
    longer = scheme.with_changes({base + "max": 35})
    assert longer.calculate({**answers, "assistant_hours": 35}, setting="mainstream")
    with pytest.raises(ras.SchemeError, match="whole number of steps"):
        scheme.with_changes({base + "max": "32.6"})
    with pytest.raises(ras.CalculationError, match="grid"):
        ras.sweep(scheme, pd.DataFrame([{**answers, "setting": "mainstream"}]), base + "max",
                  [33, 34])
