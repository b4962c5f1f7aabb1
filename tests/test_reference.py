"""Hand-computed checks of the reference implementation in tests/reference.py.

Every expected number is worked out by hand in a comment next to it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings

from tests.reference import reference_calculate
from tests.strategies import scheme_and_cohort, schemes

SETTINGS: dict[str, Any] = {
    "mainstream": {
        "label": "Mainstream",
        "element1": 4500,
        "element2": 6000,
        "ras_covers": "additional_support",
    },
    "special": {
        "label": "Special",
        "element1": 4000,
        "element2": 6000,
        "ras_covers": "whole_place",
    },
    "unit": {"label": "Unit", "element1": 4500, "element2": 6000, "ras_covers": "top_up"},
}


def scheme_with(
    points: list[Any],
    pricing: dict[str, Any],
    *,
    weight: Any = None,
    cap: Any = None,
    rounding: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One education domain with one question per entry of `points`, each with the options
    [0, p]; answer 1 everywhere to score `sum(points)`."""
    domain: dict[str, Any] = {
        "id": "d0",
        "label": "Domain",
        "questions": [
            {
                "id": f"q{i}",
                "label": f"Question {i}",
                "options": [
                    {"id": "none", "label": "None", "points": 0},
                    {"id": "some", "label": "Some", "points": p},
                ],
            }
            for i, p in enumerate(points)
        ],
    }
    if weight is not None:
        domain["weight"] = weight
    if cap is not None:
        domain["cap"] = cap
    scheme: dict[str, Any] = {
        "ras_scheme": 1,
        "id": "test",
        "name": "Test",
        "version": "1",
        "effective_from": datetime.date(2026, 4, 1),
        "currency": "GBP",
        "domains": [domain],
        "pricing": {"education": pricing},
        "settings": SETTINGS,
        **extra,
    }
    if rounding is not None:
        scheme["rounding"] = rounding
    return scheme


def all_some(scheme: dict[str, Any]) -> dict[str, int]:
    return {q["id"]: 1 for d in scheme["domains"] for q in d["questions"]}


def education(scheme: dict[str, Any], setting: str = "mainstream") -> Decimal | None:
    return reference_calculate(scheme, all_some(scheme), setting).stream_amounts["education"]


RATE_300 = {"method": "rate", "rate": 300}


# The example scheme of the format page ---------------------------------------------------------

EXAMPLE: dict[str, Any] = {
    "ras_scheme": 1,
    "id": "example-county-sen",
    "name": "Example County SEN resource allocation system",
    "version": "2026-27",
    "effective_from": datetime.date(2026, 4, 1),
    "effective_to": datetime.date(2027, 3, 31),
    "currency": "GBP",
    "streams": {
        "education": {"label": "Personal SEN budget (education)"},
        "social_care": {"label": "Social care"},
        "health": {"label": "Health"},
    },
    "domains": [
        {
            "id": "communication",
            "label": "Communication and interaction",
            "stream": "education",
            "weight": 1,
            "cap": 30,
            "questions": [
                {
                    "id": "expressive_language",
                    "label": "Expressive language",
                    "options": [
                        {"id": "none", "label": "No additional need", "points": 0},
                        {"id": "some", "label": "Some", "points": 3},
                        {"id": "substantial", "label": "Frequent 1:1", "points": 6},
                        {"id": "complete", "label": "Aid and 1:1 all day", "points": 10},
                    ],
                },
                {
                    "id": "social_interaction",
                    "label": "Social interaction",
                    "options": [
                        {"id": "none", "label": "No additional need", "points": 0},
                        {"id": "some", "label": "Needs some support", "points": 2},
                        {"id": "substantial", "label": "Every session", "points": 5},
                    ],
                },
            ],
        },
        {
            "id": "short_breaks",
            "label": "Short breaks and family support",
            "stream": "social_care",
            "questions": [
                {
                    "id": "family_support",
                    "label": "Support the family needs",
                    "options": [
                        {"id": "none", "label": "None", "points": 0},
                        {"id": "some", "label": "Occasional short breaks", "points": 4},
                    ],
                },
            ],
        },
    ],
    "pricing": {
        "education": {"method": "rate", "rate": 300, "base": 0, "minimum": 0, "maximum": 60000},
        "social_care": {
            "method": "bands",
            "bands": [
                {"label": "A", "from_points": 0, "amount": 0},
                {"label": "B", "from_points": 4, "amount": 1500},
                {"label": "C", "from_points": 8, "amount": 3200},
            ],
            "refer_above": 20,
        },
    },
    "rounding": {"unit": 1, "mode": "half_up"},
    "indicative_range": {"below": 0.10, "above": 0.10},
    "settings": {
        **SETTINGS,
        "unit": {
            **SETTINGS["unit"],
            "pricing": {
                "education": {
                    "method": "bands",
                    "bands": [
                        {"label": "1", "from_points": 0, "amount": 0},
                        {"label": "2", "from_points": 10, "amount": 4200},
                    ],
                }
            },
        },
    },
}


def test_example_scheme_mainstream() -> None:
    answers = {"expressive_language": 2, "social_interaction": 1, "family_support": 1}
    r = reference_calculate(EXAMPLE, answers, "mainstream")
    # communication = 6 + 2 = 8 (under the cap of 30); short_breaks = 4; health has no domains.
    assert r.domain_points == {"communication": 8, "short_breaks": 4}
    assert r.stream_points == {"education": 8, "social_care": 4, "health": 0}
    # education 8 x 300 = 2400; social care: 4 is exactly on band B's boundary -> 1500.
    assert r.stream_amounts == {"education": 2400, "social_care": 1500, "health": 0}
    assert r.bands == {"social_care": "B"}
    # ranges: 2400 x 0.9 = 2160, 2400 x 1.1 = 2640; 1500 x 0.9 = 1350, 1500 x 1.1 = 1650.
    assert r.ranges == {"education": (2160, 2640), "social_care": (1350, 1650), "health": (0, 0)}
    assert r.reviews == {"education": None, "social_care": None, "health": None}
    # element 3 = max(0, 2400 - 6000) = 0; total = 0 + 1500 + 0.
    assert (r.element1, r.element2, r.element3) == (4500, 6000, 0)
    assert r.personal_sen_budget == 0
    assert r.total_personal_budget == 1500


def test_example_scheme_setting_pricing_and_top_up() -> None:
    # education 10 + 5 = 15 >= 10 -> the setting's own band "2", 4200, which for top_up is
    # element 3 itself; social care 0 -> band A, 0. Total 4200.
    answers = {"expressive_language": 3, "social_interaction": 2, "family_support": 0}
    r = reference_calculate(EXAMPLE, answers, "unit")
    assert r.stream_amounts == {"education": 4200, "social_care": 0, "health": 0}
    assert r.bands == {"education": "2", "social_care": "A"}
    assert r.element3 == r.personal_sen_budget == 4200
    assert r.total_personal_budget == 4200


def test_example_scheme_answers_by_option_id() -> None:
    by_id = {"expressive_language": "substantial", "social_interaction": "some"}
    r = reference_calculate(EXAMPLE, {**by_id, "family_support": "some"}, "mainstream")
    assert r.stream_amounts["education"] == 2400


# Points ------------------------------------------------------------------------------------------


def test_cap_bites() -> None:
    # 10 + 10 + 15 = 35 > cap 30 -> 30 points -> 30 x 300 = 9000.
    scheme = scheme_with([10, 10, 15], RATE_300, cap=30)
    r = reference_calculate(scheme, all_some(scheme), "mainstream")
    assert r.domain_points == {"d0": 30}
    assert r.stream_amounts["education"] == 9000


def test_weight_one_and_a_half() -> None:
    # 1.5 x (3 + 5) = 12 points -> 12 x 300 = 3600; a float weight is read as Decimal("1.5").
    scheme = scheme_with([3, 5], RATE_300, weight=1.5)
    r = reference_calculate(scheme, all_some(scheme), "mainstream")
    assert r.domain_points == {"d0": Decimal("12")}
    assert r.stream_amounts["education"] == 3600


def test_weight_applies_before_cap() -> None:
    # min(cap 10, 2 x 6 = 12) = 10.
    scheme = scheme_with([6], RATE_300, weight=2, cap=10)
    assert reference_calculate(scheme, all_some(scheme), "mainstream").domain_points == {"d0": 10}


def test_negative_points_priced_as_zero() -> None:
    # -4 + 1 = -3 points: reported as -3, priced as 0 -> base 100 + 0 x 50 = 100.
    scheme = scheme_with([-4, 1], {"method": "rate", "rate": 50, "base": 100})
    r = reference_calculate(scheme, all_some(scheme), "mainstream")
    assert r.stream_points == {"education": -3}
    assert r.stream_amounts == {"education": 100}


# Pricing -----------------------------------------------------------------------------------------

STEPS = {
    "method": "steps",
    "steps": [
        {"from_points": 0, "rate": 0},
        {"from_points": 10, "rate": 250},
        {"from_points": 40, "rate": 320},
    ],
}


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (5, 0),  # 5 x 0
        (25, 3750),  # 10 x 0 + 15 x 250
        (40, 7500),  # 10 x 0 + 30 x 250
        (45, 9100),  # 10 x 0 + 30 x 250 + 5 x 320 = 7500 + 1600
        (Decimal("10.5"), 125),  # 0.5 x 250
    ],
)
def test_marginal_steps(points: Any, expected: int) -> None:
    assert education(scheme_with([points], STEPS)) == expected


BANDS = {
    "method": "bands",
    "bands": [
        {"label": "A", "from_points": 0, "amount": 0},
        {"label": "B", "from_points": 4, "amount": 1500},
        {"label": "C", "from_points": Decimal("8.5"), "amount": 3200},
    ],
}


@pytest.mark.parametrize(
    ("points", "band", "amount"),
    [
        (0, "A", 0),
        (Decimal("3.99"), "A", 0),
        (4, "B", 1500),  # exactly on B's boundary
        (Decimal("8.49"), "B", 1500),
        (Decimal("8.5"), "C", 3200),  # exactly on C's boundary
        (100, "C", 3200),
        (-2, "A", 0),  # negative points are priced as zero
    ],
)
def test_band_lookup(points: Any, band: str, amount: int) -> None:
    scheme = scheme_with([points], BANDS)
    r = reference_calculate(scheme, all_some(scheme), "mainstream")
    assert r.bands == {"education": band}
    assert r.stream_amounts == {"education": amount}


def test_refer_above_gives_no_amount() -> None:
    pricing = {**BANDS, "refer_above": 20}
    # 20 points is not above 20: band C, 3200.
    exactly = scheme_with([20], pricing)
    r = reference_calculate(exactly, all_some(exactly), "mainstream")
    assert (r.stream_amounts["education"], r.reviews["education"]) == (3200, None)
    # 20.01 points is above 20: referred, no amount, no band, no element 3 and no total.
    above = scheme_with([Decimal("20.01")], pricing, indicative_range={"below": 0.1, "above": 0.1})
    r = reference_calculate(above, all_some(above), "mainstream")
    assert r.stream_amounts == {"education": None}
    assert r.bands == {"education": None}
    assert r.reviews == {"education": "refer_above"}
    assert r.ranges == {"education": None}
    assert r.element3 is r.personal_sen_budget is r.total_personal_budget is None
    assert r.element2 == 6000


def test_refer_above_with_rate() -> None:
    scheme = scheme_with([31], {**RATE_300, "refer_above": 30})
    assert education(scheme) is None


def test_clamp_at_maximum() -> None:
    # 250 x 300 = 75000 > 60000 -> 60000, flagged for review.
    scheme = scheme_with([250], {**RATE_300, "maximum": 60000})
    r = reference_calculate(scheme, all_some(scheme), "mainstream")
    assert r.stream_amounts == {"education": 60000}
    assert r.reviews == {"education": "maximum"}
    # element 3 = 60000 - 6000 = 54000.
    assert r.element3 == r.total_personal_budget == 54000


def test_exactly_at_maximum_is_not_flagged() -> None:
    # 200 x 300 = 60000, not above the maximum.
    scheme = scheme_with([200], {**RATE_300, "maximum": 60000})
    r = reference_calculate(scheme, all_some(scheme), "mainstream")
    assert (r.stream_amounts["education"], r.reviews["education"]) == (60000, None)


def test_clamp_at_minimum() -> None:
    # 1 x 300 = 300 < minimum 1000 -> 1000, not flagged.
    scheme = scheme_with([1], {**RATE_300, "minimum": 1000})
    r = reference_calculate(scheme, all_some(scheme), "mainstream")
    assert (r.stream_amounts["education"], r.reviews["education"]) == (1000, None)


# Rounding ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("half_even", Decimal("0.12")),  # 0.125 is a tie; 2 is even
        ("half_up", Decimal("0.13")),
        ("up", Decimal("0.13")),
        ("down", Decimal("0.12")),
    ],
)
def test_rounding_tie_to_pennies(mode: str, expected: Decimal) -> None:
    # 1 point x 0.125 = 0.125.
    scheme = scheme_with([1], {"method": "rate", "rate": Decimal("0.125")}, rounding={"mode": mode})
    amount = education(scheme)
    assert amount == expected
    assert amount is not None
    assert amount.as_tuple().exponent == -2


def test_half_even_tie_to_whole_pounds() -> None:
    # 5 x 0.5 = 2.5 -> 2 (even); 7 x 0.5 = 3.5 -> 4 (even).
    rounding = {"unit": 1, "mode": "half_even"}
    assert education(scheme_with([5], {"method": "rate", "rate": 0.5}, rounding=rounding)) == 2
    assert education(scheme_with([7], {"method": "rate", "rate": 0.5}, rounding=rounding)) == 4


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("up", 1210),  # 1203 -> the next 10 above
        ("down", 1200),
        ("half_up", 1200),
        ("half_even", 1200),
    ],
)
def test_rounding_to_tens(mode: str, expected: int) -> None:
    # 4.01 x 300 = 1203.
    scheme = scheme_with([Decimal("4.01")], RATE_300, rounding={"unit": 10, "mode": mode})
    assert education(scheme) == expected


def test_rounding_to_hundreds_tie() -> None:
    # 0.5 x 300 = 150: half_up -> 200, half_even -> 200 (2 is even);
    # 3.5 x 300 = 1050 -> half_up 1100, half_even 1000.
    for points, half_up, half_even in [(Decimal("0.5"), 200, 200), (Decimal("3.5"), 1100, 1000)]:
        up = scheme_with([points], RATE_300, rounding={"unit": 100, "mode": "half_up"})
        even = scheme_with([points], RATE_300, rounding={"unit": 100, "mode": "half_even"})
        assert (education(up), education(even)) == (half_up, half_even)


def test_maximum_is_clamped_before_rounding() -> None:
    # 100 x 300 = 30000 > maximum 12345.67 -> 12345.67 -> up to 100s: 12400.
    pricing = {**RATE_300, "maximum": Decimal("12345.67")}
    scheme = scheme_with([100], pricing, rounding={"unit": 100, "mode": "up"})
    assert education(scheme) == 12400


def test_indicative_range_uses_rounded_amount() -> None:
    # 4.01 x 300 = 1203 -> 1200 (unit 10, half_up); 1200 x 0.85 = 1020; 1200 x 1.255 = 1506 -> 1510.
    scheme = scheme_with(
        [Decimal("4.01")],
        RATE_300,
        rounding={"unit": 10, "mode": "half_up"},
        indicative_range={"below": Decimal("0.15"), "above": Decimal("0.255")},
    )
    r = reference_calculate(scheme, all_some(scheme), "mainstream")
    assert r.ranges == {"education": (1020, 1510)}


def test_indicative_range_missing_side_defaults_to_zero() -> None:
    scheme = scheme_with([10], RATE_300, indicative_range={"above": Decimal("0.5")})
    r = reference_calculate(scheme, all_some(scheme), "mainstream")
    assert r.ranges == {"education": (3000, 4500)}


# Settings and elements ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "setting", "element3"),
    [
        (40, "mainstream", 6000),  # 12000 - 6000
        (40, "special", 2000),  # 12000 - 4000 - 6000
        (40, "unit", 12000),  # top_up: the amount itself
        (10, "mainstream", 0),  # max(0, 3000 - 6000)
        (10, "special", 0),  # max(0, 3000 - 10000)
        (10, "unit", 3000),
    ],
)
def test_element3_by_setting(points: int, setting: str, element3: int) -> None:
    scheme = scheme_with([points], RATE_300)
    r = reference_calculate(scheme, all_some(scheme), setting)
    assert r.element3 == r.personal_sen_budget == r.total_personal_budget == element3


def test_no_education_domains() -> None:
    # Only social care has domains: education amount 0, element 3 = 0 even for top_up;
    # total = 0 + social care 7 x 100 = 700.
    scheme = scheme_with([7], {"method": "rate", "rate": 100})
    scheme["streams"] = {"social_care": {"label": "Social care"}}
    scheme["domains"][0]["stream"] = "social_care"
    scheme["pricing"] = {"social_care": scheme["pricing"]["education"]}
    r = reference_calculate(scheme, all_some(scheme), "unit")
    assert r.stream_amounts == {"social_care": 700}
    assert r.element3 == 0
    assert r.total_personal_budget == 700


# The strategies, and the reference on what they generate ------------------------------------------


@settings(max_examples=50, deadline=None)
@given(scheme_and_cohort())
def test_reference_runs_exactly_on_generated_schemes(case: tuple[dict[str, Any], Any]) -> None:
    # The reference traps Inexact, so this also checks that no step lost a digit.
    scheme, cohort = case
    unit = Decimal(str((scheme.get("rounding") or {}).get("unit", "0.01")))
    for answers, setting in cohort:
        r = reference_calculate(scheme, answers, setting)
        for stream, amount in r.stream_amounts.items():
            assert (amount is None) == (r.reviews[stream] == "refer_above")
            if amount is not None:
                assert amount >= 0
                assert amount % unit == 0
        for bounds in r.ranges.values():
            if bounds is not None:
                assert 0 <= bounds[0] <= bounds[1]


@settings(max_examples=50, deadline=None)
@given(schemes(monotone=True))
def test_monotone_schemes_have_non_decreasing_points(scheme: dict[str, Any]) -> None:
    for domain in scheme["domains"]:
        for question in domain["questions"]:
            points = [option["points"] for option in question["options"]]
            assert points == sorted(points)
            assert points[0] >= 0
