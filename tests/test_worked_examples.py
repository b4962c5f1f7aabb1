"""Worked examples for the example scoring schemes in ``scoring_schemes/``.

Every expected figure below was computed by hand from the scheme file and the rules of
the scheme format (version 1); the arithmetic is written out in the comments so that a
council officer can follow it without reading the engine. The examples are the contract:
if the engine disagrees with one of them, the engine is wrong (or the hand arithmetic is,
and the comment shows where).

Rules used (scheme format, "How a budget is calculated"):

1. question points = points of the chosen option;
2. domain points = min(cap, weight x sum of its question points);
3. stream points = sum of that stream's domain points;
4. stream amount = pricing (rate: base + points x rate; bands: highest band reached;
   steps: marginal sum), clamped to [minimum, maximum], rounded to the unit with the mode;
   the indicative range is the rounded amount x (1 - below) and x (1 + above), each
   rounded the same way; above refer_above there is no amount and the case goes to panel,
   as it does when the amount was clamped at maximum;
5. element 3 = max(0, amount - element2) for additional_support,
   max(0, amount - element1 - element2) for whole_place, the amount itself for top_up;
6. personal SEN budget = element 3; total personal budget = element 3 + the other streams.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

import ras

SCHEMES = Path(__file__).parents[1] / "scoring_schemes"

Answers = dict[str, str | int]


def D(value: str) -> Decimal:  # noqa: N802 - reads like the Decimal it builds
    return Decimal(value)





# ---------------------------------------------------------------------------------------------
# Northshire: points x rate (scoring_schemes/points_rate.yaml)
#
# education: amount = 1500 + 285 x points, clamped to [2000, 22000], rounded to the nearest
#            10 (half up); an amount cut to 22000 goes to panel.
# social_care (steps): points 0-6 at 0, 6-16 at 125 a point, above 16 at 185 a point.
# indicative range: amount x 0.90 and amount x 1.15, rounded to 10 (half up).
# ---------------------------------------------------------------------------------------------

# Amir, 8, autistic, in a mainstream primary school. Answers by option id.
AMIR: Answers = {
    "expressive_language": "some",  # 3
    "receptive_language": "some",  # 2
    "social_communication": "substantial",  # 4
    "learning_access": "some",  # 3
    "literacy_numeracy": "some",  # 2
    "emotional_regulation": "substantial",  # 4
    "behaviour_safety": "some",  # 2
    "attendance_engagement": "none",  # 0
    "hearing_vision": "none",  # 0
    "mobility": "none",  # 0
    "personal_care": "some",  # 2
    "eating_drinking": "none",  # 0
    "short_breaks": "occasional",  # 4
    "community_access": "some",  # 3
}

# Bella, 11, severe SEMH needs, in a special school. Answers by position (0 = first option).
BELLA: Answers = {
    "expressive_language": 1,  # some: 3
    "receptive_language": 1,  # some: 2
    "social_communication": 2,  # substantial: 4
    "learning_access": 2,  # substantial: 6
    "literacy_numeracy": 2,  # substantial: 4
    "emotional_regulation": 3,  # complete: 6
    "behaviour_safety": 3,  # complete: 7
    "attendance_engagement": 2,  # substantial: 3
    "hearing_vision": 0,  # none: 0
    "mobility": 0,  # none: 0
    "personal_care": 1,  # some: 2
    "eating_drinking": 0,  # none: 0
    "short_breaks": 2,  # regular: 8
    "community_access": 1,  # some: 3
}

# Callum, 17, complex needs, at an FE college. Answers mixing ids and positions.
CALLUM: Answers = {
    "expressive_language": "complete",  # 10
    "receptive_language": 3,  # complete: 8
    "social_communication": "substantial",  # 4
    "learning_access": "profound",  # 12
    "literacy_numeracy": 2,  # substantial: 4
    "emotional_regulation": "substantial",  # 4
    "behaviour_safety": 2,  # substantial: 4
    "attendance_engagement": "none",  # 0
    "hearing_vision": "substantial",  # 5
    "mobility": 3,  # complete: 9
    "personal_care": "complete",  # 8
    "eating_drinking": "complete",  # 6
    "short_breaks": "substantial",  # 14
    "community_access": 3,  # complete: 10
}

# Daisy, 3, at a pre-school; low engagement is her only assessed need.
DAISY: Answers = {
    "expressive_language": "none",
    "receptive_language": "none",
    "social_communication": "none",
    "learning_access": "none",
    "literacy_numeracy": "none",
    "emotional_regulation": "none",
    "behaviour_safety": "none",
    "attendance_engagement": "some",  # 1
    "hearing_vision": "none",
    "mobility": "none",
    "personal_care": "none",
    "eating_drinking": "none",
    "short_breaks": "none",
    "community_access": "none",
}

# Ethan, 9, mainstream, moderate needs that the school's element 2 already covers.
ETHAN: Answers = {
    "expressive_language": 1,  # some: 3
    "receptive_language": "none",  # 0
    "social_communication": 1,  # some: 2
    "learning_access": "some",  # 3
    "literacy_numeracy": 1,  # some: 2
    "emotional_regulation": "some",  # 2
    "behaviour_safety": 0,  # none: 0
    "attendance_engagement": "some",  # 1
    "hearing_vision": 0,
    "mobility": 0,
    "personal_care": 0,
    "eating_drinking": 0,
    "short_breaks": 0,
    "community_access": 0,
}

POINTS_RATE_COHORT: list[tuple[str, str, Answers]] = [
    ("amir", "mainstream", AMIR),
    ("bella", "special", BELLA),
    ("callum", "post16", CALLUM),
    ("daisy", "early_years", DAISY),
    ("ethan", "mainstream", ETHAN),
]


def test_points_rate_amir_mainstream_element2_deducted_and_half_up_tie(
    points_rate: ras.Scheme,
) -> None:
    # communication:    3 + 2 + 4 = 9 (cap 20 not reached)
    # cognition:        3 + 2 = 5
    # semh:             (4 + 2 + 0) x 1.5 = 9 (cap 18 not reached)
    # sensory_physical: 0 + 0 = 0
    # independence:     2 + 0 = 2 (cap 12 not reached)
    # education points: 9 + 5 + 9 + 0 + 2 = 25
    # education amount: 1500 + 25 x 285 = 1500 + 7125 = 8625.00
    #                   -> nearest 10, half up: 8625 is a tie -> 8630
    # range:            8630 x 0.90 = 7767.0 -> 7770;  8630 x 1.15 = 9924.5 -> 9920
    # social_care:      4 + 3 = 7 points; steps: 6 x 0 + (7 - 6) x 125 = 125 -> tie -> 130
    # range:            130 x 0.90 = 117.0 -> 120;  130 x 1.15 = 149.5 -> 150
    # mainstream, additional_support: element 3 = max(0, 8630 - 6000) = 2630
    # total personal budget: 2630 + 130 = 2760
    budget = points_rate.calculate(AMIR, setting="mainstream")

    assert dict(budget.domain_points) == {
        "communication": D("9"),
        "cognition": D("5"),
        "semh": D("9"),
        "sensory_physical": D("0"),
        "independence": D("2"),
        "family_support": D("7"),
    }
    assert dict(budget.stream_points) == {"education": D("25"), "social_care": D("7")}
    assert dict(budget.stream_amounts) == {"education": D("8630"), "social_care": D("130")}
    assert tuple(budget.ranges["education"]) == (D("7770"), D("9920"))
    assert tuple(budget.ranges["social_care"]) == (D("120"), D("150"))
    assert dict(budget.reviews) == {}
    assert budget.element1 == D("5000")
    assert budget.element2 == D("6000")
    assert budget.element3 == D("2630")
    assert budget.personal_sen_budget == D("2630")
    assert budget.total_personal_budget == D("2760")


def test_points_rate_bella_special_semh_cap_and_whole_place(points_rate: ras.Scheme) -> None:
    # communication:    3 + 2 + 4 = 9
    # cognition:        6 + 4 = 10
    # semh:             (6 + 7 + 3) x 1.5 = 16 x 1.5 = 24 -> cap 18 bites -> 18
    # sensory_physical: 0 + 0 = 0
    # independence:     2 + 0 = 2
    # education points: 9 + 10 + 18 + 0 + 2 = 39
    # education amount: 1500 + 39 x 285 = 1500 + 11115 = 12615.00 -> tie, half up -> 12620
    # range:            12620 x 0.90 = 11358.0 -> 11360;  12620 x 1.15 = 14513.0 -> 14510
    # social_care:      8 + 3 = 11 points; (11 - 6) x 125 = 625 -> tie, half up -> 630
    # range:            630 x 0.90 = 567.0 -> 570;  630 x 1.15 = 724.5 -> 720
    # special, whole_place: element 3 = max(0, 12620 - 4000 - 6000) = 2620
    # total personal budget: 2620 + 630 = 3250
    budget = points_rate.calculate(BELLA, setting="special")

    assert budget.domain_points["semh"] == D("18")
    assert budget.domain_points["communication"] == D("9")
    assert budget.domain_points["cognition"] == D("10")
    assert dict(budget.stream_points) == {"education": D("39"), "social_care": D("11")}
    assert dict(budget.stream_amounts) == {"education": D("12620"), "social_care": D("630")}
    assert tuple(budget.ranges["education"]) == (D("11360"), D("14510"))
    assert tuple(budget.ranges["social_care"]) == (D("570"), D("720"))
    assert dict(budget.reviews) == {}
    assert budget.element1 == D("4000")
    assert budget.element2 == D("6000")
    assert budget.element3 == D("2620")
    assert budget.personal_sen_budget == D("2620")
    assert budget.total_personal_budget == D("3250")


def test_points_rate_callum_post16_clamped_at_maximum_goes_to_panel(
    points_rate: ras.Scheme,
) -> None:
    # communication:    10 + 8 + 4 = 22 -> cap 20 bites -> 20
    # cognition:        12 + 4 = 16
    # semh:             (4 + 4 + 0) x 1.5 = 12
    # sensory_physical: 5 + 9 = 14
    # independence:     8 + 6 = 14 -> cap 12 bites -> 12
    # education points: 20 + 16 + 12 + 14 + 12 = 74
    # education amount: 1500 + 74 x 285 = 1500 + 21090 = 22590 -> above maximum -> 22000,
    #                   flagged for panel review
    # range:            22000 x 0.90 = 19800;  22000 x 1.15 = 25300
    # social_care:      14 + 10 = 24 points;
    #                   (16 - 6) x 125 + (24 - 16) x 185 = 1250 + 1480 = 2730 (no rounding)
    # range:            2730 x 0.90 = 2457.0 -> 2460;  2730 x 1.15 = 3139.5 -> 3140
    # post16, additional_support: element 3 = max(0, 22000 - 6000) = 16000
    #                   (element 1, the 16-19 funding of 4843, is reported, not deducted)
    # total personal budget: 16000 + 2730 = 18730
    budget = points_rate.calculate(CALLUM, setting="post16")

    assert dict(budget.domain_points) == {
        "communication": D("20"),
        "cognition": D("16"),
        "semh": D("12"),
        "sensory_physical": D("14"),
        "independence": D("12"),
        "family_support": D("24"),
    }
    assert dict(budget.stream_points) == {"education": D("74"), "social_care": D("24")}
    assert dict(budget.stream_amounts) == {"education": D("22000"), "social_care": D("2730")}
    assert "education" in budget.reviews
    assert "social_care" not in budget.reviews
    assert tuple(budget.ranges["education"]) == (D("19800"), D("25300"))
    assert tuple(budget.ranges["social_care"]) == (D("2460"), D("3140"))
    assert budget.element1 == D("4843")
    assert budget.element2 == D("6000")
    assert budget.element3 == D("16000")
    assert budget.personal_sen_budget == D("16000")
    assert budget.total_personal_budget == D("18730")


def test_points_rate_daisy_early_years_minimum_clamp(points_rate: ras.Scheme) -> None:
    # semh:             (0 + 0 + 1) x 1.5 = 1.5; every other domain 0
    # education points: 1.5
    # education amount: 1500 + 1.5 x 285 = 1500 + 427.5 = 1927.50 -> below minimum -> 2000
    #                   (a minimum clamp is not a panel case)
    # range:            2000 x 0.90 = 1800;  2000 x 1.15 = 2300
    # social_care:      0 points -> 0; range 0 to 0
    # early_years: element 1 = 0, element 2 = 0 -> element 3 = max(0, 2000 - 0) = 2000
    # total personal budget: 2000 + 0 = 2000
    budget = points_rate.calculate(DAISY, setting="early_years")

    assert budget.domain_points["semh"] == D("1.5")
    assert budget.domain_points["communication"] == D("0")
    assert dict(budget.stream_points) == {"education": D("1.5"), "social_care": D("0")}
    assert dict(budget.stream_amounts) == {"education": D("2000"), "social_care": D("0")}
    assert tuple(budget.ranges["education"]) == (D("1800"), D("2300"))
    assert tuple(budget.ranges["social_care"]) == (D("0"), D("0"))
    assert dict(budget.reviews) == {}
    assert budget.element1 == D("0")
    assert budget.element2 == D("0")
    assert budget.element3 == D("2000")
    assert budget.personal_sen_budget == D("2000")
    assert budget.total_personal_budget == D("2000")


def test_points_rate_ethan_mainstream_below_element2_gives_no_top_up(
    points_rate: ras.Scheme,
) -> None:
    # communication:    3 + 0 + 2 = 5
    # cognition:        3 + 2 = 5
    # semh:             (2 + 0 + 1) x 1.5 = 4.5
    # sensory_physical: 0;  independence: 0
    # education points: 5 + 5 + 4.5 = 14.5
    # education amount: 1500 + 14.5 x 285 = 1500 + 4132.5 = 5632.50 -> nearest 10 -> 5630
    # range:            5630 x 0.90 = 5067.0 -> 5070;  5630 x 1.15 = 6474.5 -> 6470
    # social_care:      0 points -> 0
    # mainstream: element 3 = max(0, 5630 - 6000) = max(0, -370) = 0
    # total personal budget: 0 + 0 = 0
    budget = points_rate.calculate(ETHAN, setting="mainstream")

    assert budget.domain_points["semh"] == D("4.5")
    assert dict(budget.stream_points) == {"education": D("14.5"), "social_care": D("0")}
    assert dict(budget.stream_amounts) == {"education": D("5630"), "social_care": D("0")}
    assert tuple(budget.ranges["education"]) == (D("5070"), D("6470"))
    assert dict(budget.reviews) == {}
    assert budget.element2 == D("6000")
    assert budget.element3 == D("0")
    assert budget.personal_sen_budget == D("0")
    assert budget.total_personal_budget == D("0")


# ---------------------------------------------------------------------------------------------
# Eastborough: band tables with referral (scoring_schemes/banded_referral.yaml)
#
# education (default): band 1 from 0 = 0, 2 from 20 = 7500, 3 from 40 = 10000,
#            4 from 60 = 13500, 5 from 80 = 18000, 6 from 100 = 24000; above 120 -> panel.
# special:   S1 0 = 10000, S2 20 = 16000, S3 40 = 19500, S4 60 = 23000, S5 80 = 28000,
#            S6 100 = 34000; above 120 -> panel (whole place; elements 1 + 2 deducted).
# early_years: EY1..EY20 in steps of 5 points (EY9 from 40 = 3800); above 100 -> panel.
# social_care: Nil 0-69 = 0, SC1 70 = 500, SC2 85 = 800, SC3 100 = 1100, SC4 115 = 1300,
#            SC5 130 = 1500, SC6 146-160 = 2800; above 160 -> panel.
# ---------------------------------------------------------------------------------------------

# Finn, 10, mainstream; social care scores 145, one point below the cliff edge.
FINN: Answers = {
    "speech_language": "moderate",  # 10
    "social_understanding": "moderate",  # 10
    "learning_progress": "mild",  # 5
    "memory_processing": "mild",  # 5
    "wellbeing": "mild",  # 5
    "risk_to_self_others": "none",  # 0
    "vision_hearing": "none",  # 0
    "physical_medical": "moderate",  # 10
    "carer_capacity": "critical",  # 40
    "short_break_need": "intensive",  # 51
    "home_personal_care": "complete",  # 34
    "night_support": "occasional",  # 11
    "behaviour_at_home": "substantial",  # 9
}

# Grace, 7, mainstream; social care scores 146, just over the cliff edge.
GRACE: Answers = {
    "speech_language": "severe",  # 15
    "social_understanding": 3,  # severe: 15
    "learning_progress": "moderate",  # 10
    "memory_processing": 1,  # mild: 5
    "wellbeing": "moderate",  # 10
    "risk_to_self_others": 1,  # mild: 5
    "vision_hearing": "none",  # 0
    "physical_medical": 0,  # none: 0
    "carer_capacity": "substantial",  # 26
    "short_break_need": 4,  # intensive: 51
    "home_personal_care": "complete",  # 34
    "night_support": "waking_night",  # 35
    "behaviour_at_home": 0,  # none: 0
}

# Harry, 13, special school; the family's short breaks need is above the table.
# Answers by position.
HARRY: Answers = {
    "speech_language": 4,  # profound: 20
    "social_understanding": 4,  # profound: 20
    "learning_progress": 3,  # severe: 15
    "memory_processing": 2,  # moderate: 10
    "wellbeing": 3,  # severe: 15
    "risk_to_self_others": 3,  # severe: 15
    "vision_hearing": 1,  # mild: 5
    "physical_medical": 2,  # moderate: 10
    "carer_capacity": 3,  # critical: 40
    "short_break_need": 4,  # intensive: 51
    "home_personal_care": 3,  # complete: 34
    "night_support": 3,  # waking_night: 35
    "behaviour_at_home": 2,  # substantial: 9
}

# Isla, 4, at a nursery: the early years tariff replaces the school bands.
ISLA: Answers = {
    "speech_language": "moderate",  # 10
    "social_understanding": "mild",  # 5
    "learning_progress": "mild",  # 5
    "memory_processing": "none",  # 0
    "wellbeing": "mild",  # 5
    "risk_to_self_others": "none",  # 0
    "vision_hearing": "none",  # 0
    "physical_medical": "severe",  # 15
    "carer_capacity": "none",  # 0
    "short_break_need": "regular",  # 22
    "home_personal_care": "substantial",  # 21
    "night_support": "none",  # 0
    "behaviour_at_home": "none",  # 0
}

# Jack, 18, FE college; his education needs are above the top band.
JACK: Answers = {
    "speech_language": "profound",  # 20
    "social_understanding": "severe",  # 15
    "learning_progress": "profound",  # 20
    "memory_processing": "moderate",  # 10
    "wellbeing": "profound",  # 20
    "risk_to_self_others": "severe",  # 15
    "vision_hearing": "moderate",  # 10
    "physical_medical": "severe",  # 15
    "carer_capacity": "substantial",  # 26
    "short_break_need": "none",  # 0
    "home_personal_care": "substantial",  # 21
    "night_support": "regular",  # 23
    "behaviour_at_home": "none",  # 0
}

BANDED_COHORT: list[tuple[str, str, Answers]] = [
    ("finn", "mainstream", FINN),
    ("grace", "mainstream", GRACE),
    ("harry", "special", HARRY),
    ("isla", "early_years", ISLA),
    ("jack", "post16", JACK),
]


def test_banded_finn_mainstream_band_3_and_social_care_below_cliff(banded: ras.Scheme) -> None:
    # communication:    10 + 10 = 20
    # cognition:        5 + 5 = 10
    # semh:             5 + 0 = 5
    # sensory_physical: 0 + 10 = 10
    # education points: 20 + 10 + 5 + 10 = 45 -> band 3 (40 <= 45 < 60) -> 10000
    # family_support:   40 + 51 = 91;  daily_living: 34 + 11 + 9 = 54
    # social_care:      91 + 54 = 145 -> SC5 (130 <= 145 < 146) -> 1500
    # mainstream, additional_support: element 3 = max(0, 10000 - 6000) = 4000
    # total personal budget: 4000 + 1500 = 5500
    budget = banded.calculate(FINN, setting="mainstream")

    assert dict(budget.domain_points) == {
        "communication": D("20"),
        "cognition": D("10"),
        "semh": D("5"),
        "sensory_physical": D("10"),
        "family_support": D("91"),
        "daily_living": D("54"),
    }
    assert dict(budget.stream_points) == {"education": D("45"), "social_care": D("145")}
    assert dict(budget.stream_amounts) == {"education": D("10000"), "social_care": D("1500")}
    assert dict(budget.bands) == {"education": "3", "social_care": "SC5"}
    assert dict(budget.reviews) == {}
    assert budget.element1 == D("5200")
    assert budget.element2 == D("6000")
    assert budget.element3 == D("4000")
    assert budget.personal_sen_budget == D("4000")
    assert budget.total_personal_budget == D("5500")


def test_banded_grace_mainstream_band_boundary_and_social_care_cliff_edge(
    banded: ras.Scheme,
) -> None:
    # communication:    15 + 15 = 30
    # cognition:        10 + 5 = 15
    # semh:             10 + 5 = 15
    # sensory_physical: 0 + 0 = 0
    # education points: 30 + 15 + 15 + 0 = 60 -> exactly the start of band 4 -> 13500
    # family_support:   26 + 51 = 77;  daily_living: 34 + 35 + 0 = 69
    # social_care:      77 + 69 = 146 -> SC6 (146-160) -> 2800
    #                   (one point more than Finn's 145, which gets 1500: the cliff edge)
    # mainstream: element 3 = max(0, 13500 - 6000) = 7500
    # total personal budget: 7500 + 2800 = 10300
    budget = banded.calculate(GRACE, setting="mainstream")

    assert dict(budget.stream_points) == {"education": D("60"), "social_care": D("146")}
    assert budget.domain_points["family_support"] == D("77")
    assert budget.domain_points["daily_living"] == D("69")
    assert dict(budget.stream_amounts) == {"education": D("13500"), "social_care": D("2800")}
    assert dict(budget.bands) == {"education": "4", "social_care": "SC6"}
    assert dict(budget.reviews) == {}
    assert budget.element3 == D("7500")
    assert budget.personal_sen_budget == D("7500")
    assert budget.total_personal_budget == D("10300")


def test_banded_harry_special_social_care_referred_above_the_table(banded: ras.Scheme) -> None:
    # communication:    20 + 20 = 40
    # cognition:        15 + 10 = 25
    # semh:             15 + 15 = 30
    # sensory_physical: 5 + 10 = 15
    # education points: 40 + 25 + 30 + 15 = 110 -> special school table: S6 (100-120) -> 34000
    # special, whole_place: element 3 = max(0, 34000 - 4000 - 6000) = 24000
    # family_support:   40 + 51 = 91;  daily_living: 34 + 35 + 9 = 78
    # social_care:      91 + 78 = 169 > refer_above 160 -> no amount (None), panel review
    # total personal budget: 24000 + (missing) -> missing (None), never 24000
    budget = banded.calculate(HARRY, setting="special")

    assert dict(budget.stream_points) == {"education": D("110"), "social_care": D("169")}
    assert budget.stream_amounts["education"] == D("34000")
    assert budget.stream_amounts["social_care"] is None
    assert budget.bands["education"] == "S6"
    assert "social_care" in budget.reviews
    assert "education" not in budget.reviews
    assert budget.element1 == D("4000")
    assert budget.element2 == D("6000")
    assert budget.element3 == D("24000")
    assert budget.personal_sen_budget == D("24000")
    assert budget.total_personal_budget is None


def test_banded_isla_early_years_tariff_in_steps_of_five(banded: ras.Scheme) -> None:
    # communication:    10 + 5 = 15
    # cognition:        5 + 0 = 5
    # semh:             5 + 0 = 5
    # sensory_physical: 0 + 15 = 15
    # education points: 15 + 5 + 5 + 15 = 40 -> early years tariff: EY9 (40-44) -> 3800
    # family_support:   0 + 22 = 22;  daily_living: 21 + 0 + 0 = 21
    # social_care:      22 + 21 = 43 -> Nil (0-69) -> 0
    # early_years: element 2 = 0 -> element 3 = max(0, 3800 - 0) = 3800
    # total personal budget: 3800 + 0 = 3800
    budget = banded.calculate(ISLA, setting="early_years")

    assert dict(budget.stream_points) == {"education": D("40"), "social_care": D("43")}
    assert dict(budget.stream_amounts) == {"education": D("3800"), "social_care": D("0")}
    assert dict(budget.bands) == {"education": "EY9", "social_care": "Nil"}
    assert dict(budget.reviews) == {}
    assert budget.element1 == D("0")
    assert budget.element2 == D("0")
    assert budget.element3 == D("3800")
    assert budget.personal_sen_budget == D("3800")
    assert budget.total_personal_budget == D("3800")


def test_banded_jack_post16_education_referred_leaves_budget_missing(banded: ras.Scheme) -> None:
    # communication:    20 + 15 = 35
    # cognition:        20 + 10 = 30
    # semh:             20 + 15 = 35
    # sensory_physical: 10 + 15 = 25
    # education points: 35 + 30 + 35 + 25 = 125 > refer_above 120 -> no amount (None), panel
    # element 1 = 4843 and element 2 = 6000 still come from the setting;
    # element 3 = education amount - 6000 -> missing, so the personal SEN budget is missing
    # family_support:   26 + 0 = 26;  daily_living: 21 + 23 + 0 = 44
    # social_care:      26 + 44 = 70 -> SC1 (70-84) -> 500
    # total personal budget: (missing) + 500 -> missing (None)
    budget = banded.calculate(JACK, setting="post16")

    assert dict(budget.stream_points) == {"education": D("125"), "social_care": D("70")}
    assert budget.stream_amounts["education"] is None
    assert budget.stream_amounts["social_care"] == D("500")
    assert budget.bands["social_care"] == "SC1"
    assert "education" in budget.reviews
    assert "social_care" not in budget.reviews
    assert budget.element1 == D("4843")
    assert budget.element2 == D("6000")
    assert budget.element3 is None
    assert budget.personal_sen_budget is None
    assert budget.total_personal_budget is None


# ---------------------------------------------------------------------------------------------
# Westmoor: need levels 0-4 (scoring_schemes/need_levels.yaml)
#
# domain points = min(16, weight x (level + level)); weight 4 for communication and semh,
# 2 for cognition, sensory_physical, independence and health.
# education tariff (net of element 2): 0 from 0 = 0, A 8 = 1500, B 16 = 3000, C 24 = 5000,
#            D 32 = 7500, E 40 = 10500, F 48 = 14000, G 56 = 18000, H 64 = 23000.
# special:   P1 0 = 10000, P2 24 = 15000, P3 40 = 21000, P4 56 = 28000, P5 72 = 36000.
# health (steps): points 0-3 at 0, 3-6 at 162.50, above 6 at 218.75; rounded to the pound,
# half to even.
# ---------------------------------------------------------------------------------------------

# Kai, 6, mainstream; answers by option id (the ids are the levels "0".."4").
KAI: Answers = {
    "ci_language": "3",
    "ci_social_interaction": "2",
    "cl_learning": "2",
    "cl_literacy_numeracy": "2",
    "semh_regulation": "1",
    "semh_wellbeing": "1",
    "sp_sensory": "0",
    "sp_physical": "0",
    "is_self_care": "1",
    "is_safety_awareness": "0",
    "hc_clinical": "0",
    "hc_therapy": "0",
}

# Lily, 12, special school; answers by position (position n is level n).
LILY: Answers = {
    "ci_language": 4,
    "ci_social_interaction": 4,
    "cl_learning": 4,
    "cl_literacy_numeracy": 3,
    "semh_regulation": 2,
    "semh_wellbeing": 3,
    "sp_sensory": 2,
    "sp_physical": 2,
    "is_self_care": 3,
    "is_safety_awareness": 3,
    "hc_clinical": 2,
    "hc_therapy": 3,
}

# Mo, 4, early years setting.
MO: Answers = {
    "ci_language": "2",
    "ci_social_interaction": "1",
    "cl_learning": 1,
    "cl_literacy_numeracy": 1,
    "semh_regulation": "0",
    "semh_wellbeing": "0",
    "sp_sensory": "1",
    "sp_physical": 0,
    "is_self_care": "2",
    "is_safety_awareness": 1,
    "hc_clinical": "1",
    "hc_therapy": "1",
}

# Nia, 16, FE college.
NIA: Answers = {
    "ci_language": "3",
    "ci_social_interaction": "3",
    "cl_learning": "3",
    "cl_literacy_numeracy": "2",
    "semh_regulation": "3",
    "semh_wellbeing": "2",
    "sp_sensory": "1",
    "sp_physical": "1",
    "is_self_care": "2",
    "is_safety_awareness": "2",
    "hc_clinical": "1",
    "hc_therapy": "2",
}

# Omar, 9, mainstream, low-level needs met at SEN support.
OMAR: Answers = {
    "ci_language": 1,
    "ci_social_interaction": 0,
    "cl_learning": 1,
    "cl_literacy_numeracy": 0,
    "semh_regulation": 0,
    "semh_wellbeing": 0,
    "sp_sensory": 0,
    "sp_physical": 0,
    "is_self_care": 0,
    "is_safety_awareness": 0,
    "hc_clinical": 0,
    "hc_therapy": 0,
}

NEED_LEVELS_COHORT: list[tuple[str, str, Answers]] = [
    ("kai", "mainstream", KAI),
    ("lily", "special", LILY),
    ("mo", "early_years", MO),
    ("nia", "post16", NIA),
    ("omar", "mainstream", OMAR),
]


def test_need_levels_kai_mainstream_top_up_not_reduced_by_element2(
    need_levels: ras.Scheme,
) -> None:
    # communication:    (3 + 2) x 4 = 20 -> cap 16 bites -> 16
    # cognition:        (2 + 2) x 2 = 8
    # semh:             (1 + 1) x 4 = 8
    # sensory_physical: (0 + 0) x 2 = 0
    # independence:     (1 + 0) x 2 = 2
    # education points: 16 + 8 + 8 + 0 + 2 = 34 -> tariff D (32-39) -> 7500
    # health:           (0 + 0) x 2 = 0 -> 0
    # mainstream, top_up: the tariff is already net of the 6000 delegated -> element 3 = 7500
    # total personal budget: 7500 + 0 = 7500
    budget = need_levels.calculate(KAI, setting="mainstream")

    assert dict(budget.domain_points) == {
        "communication": D("16"),
        "cognition": D("8"),
        "semh": D("8"),
        "sensory_physical": D("0"),
        "independence": D("2"),
        "health": D("0"),
    }
    assert dict(budget.stream_points) == {"education": D("34"), "health": D("0")}
    assert dict(budget.stream_amounts) == {"education": D("7500"), "health": D("0")}
    assert budget.bands["education"] == "D"
    assert dict(budget.reviews) == {}
    assert budget.element1 == D("4800")
    assert budget.element2 == D("6000")
    assert budget.element3 == D("7500")
    assert budget.personal_sen_budget == D("7500")
    assert budget.total_personal_budget == D("7500")


def test_need_levels_lily_special_place_tariff_and_health_half_even(
    need_levels: ras.Scheme,
) -> None:
    # communication:    (4 + 4) x 4 = 32 -> cap 16
    # cognition:        (4 + 3) x 2 = 14
    # semh:             (2 + 3) x 4 = 20 -> cap 16
    # sensory_physical: (2 + 2) x 2 = 8
    # independence:     (3 + 3) x 2 = 12
    # education points: 16 + 14 + 16 + 8 + 12 = 66 -> special tariff P4 (56-71) -> 28000
    # special, whole_place: element 3 = max(0, 28000 - 4000 - 6000) = 18000
    # health:           (2 + 3) x 2 = 10 points;
    #                   (6 - 3) x 162.50 + (10 - 6) x 218.75 = 487.50 + 875.00 = 1362.50
    #                   -> to the pound, half to even: 1362
    # total personal budget: 18000 + 1362 = 19362
    budget = need_levels.calculate(LILY, setting="special")

    assert budget.domain_points["communication"] == D("16")
    assert budget.domain_points["semh"] == D("16")
    assert budget.domain_points["cognition"] == D("14")
    assert dict(budget.stream_points) == {"education": D("66"), "health": D("10")}
    assert dict(budget.stream_amounts) == {"education": D("28000"), "health": D("1362")}
    assert budget.bands["education"] == "P4"
    assert dict(budget.reviews) == {}
    assert budget.element1 == D("4000")
    assert budget.element2 == D("6000")
    assert budget.element3 == D("18000")
    assert budget.personal_sen_budget == D("18000")
    assert budget.total_personal_budget == D("19362")


def test_need_levels_mo_early_years_nothing_to_deduct(need_levels: ras.Scheme) -> None:
    # communication:    (2 + 1) x 4 = 12
    # cognition:        (1 + 1) x 2 = 4
    # semh:             (0 + 0) x 4 = 0
    # sensory_physical: (1 + 0) x 2 = 2
    # independence:     (2 + 1) x 2 = 6
    # education points: 12 + 4 + 0 + 2 + 6 = 24 -> tariff C (24-31) -> 5000
    # early_years, additional_support, element 2 = 0: element 3 = max(0, 5000 - 0) = 5000
    # health:           (1 + 1) x 2 = 4 points; (4 - 3) x 162.50 = 162.50
    #                   -> half to even: 162
    # total personal budget: 5000 + 162 = 5162
    budget = need_levels.calculate(MO, setting="early_years")

    assert dict(budget.stream_points) == {"education": D("24"), "health": D("4")}
    assert dict(budget.stream_amounts) == {"education": D("5000"), "health": D("162")}
    assert budget.bands["education"] == "C"
    assert budget.element1 == D("0")
    assert budget.element2 == D("0")
    assert budget.element3 == D("5000")
    assert budget.personal_sen_budget == D("5000")
    assert budget.total_personal_budget == D("5162")


def test_need_levels_nia_post16_top_up_and_health_rounds_up_to_even(
    need_levels: ras.Scheme,
) -> None:
    # communication:    (3 + 3) x 4 = 24 -> cap 16
    # cognition:        (3 + 2) x 2 = 10
    # semh:             (3 + 2) x 4 = 20 -> cap 16
    # sensory_physical: (1 + 1) x 2 = 4
    # independence:     (2 + 2) x 2 = 8
    # education points: 16 + 10 + 16 + 4 + 8 = 54 -> tariff F (48-55) -> 14000
    # post16, top_up: element 3 = 14000 (elements 1 = 4843 and 2 = 6000 reported only)
    # health:           (1 + 2) x 2 = 6 points; (6 - 3) x 162.50 = 487.50
    #                   -> half to even: 488
    # total personal budget: 14000 + 488 = 14488
    budget = need_levels.calculate(NIA, setting="post16")

    assert dict(budget.stream_points) == {"education": D("54"), "health": D("6")}
    assert dict(budget.stream_amounts) == {"education": D("14000"), "health": D("488")}
    assert budget.bands["education"] == "F"
    assert budget.element1 == D("4843")
    assert budget.element2 == D("6000")
    assert budget.element3 == D("14000")
    assert budget.total_personal_budget == D("14488")


def test_need_levels_omar_mainstream_below_first_tariff_band(need_levels: ras.Scheme) -> None:
    # communication:    (1 + 0) x 4 = 4
    # cognition:        (1 + 0) x 2 = 2
    # other domains:    0
    # education points: 4 + 2 = 6 -> band "0" (0-7) -> 0
    # mainstream, top_up: element 3 = 0; health 0 -> total 0
    budget = need_levels.calculate(OMAR, setting="mainstream")

    assert dict(budget.stream_points) == {"education": D("6"), "health": D("0")}
    assert dict(budget.stream_amounts) == {"education": D("0"), "health": D("0")}
    assert budget.bands["education"] == "0"
    assert budget.element3 == D("0")
    assert budget.total_personal_budget == D("0")


# ---------------------------------------------------------------------------------------------
# The same children as one cohort through calculate_frame: every figure equals calculate's.
# ---------------------------------------------------------------------------------------------

COHORTS: dict[str, list[tuple[str, str, Answers]]] = {
    "points_rate.yaml": POINTS_RATE_COHORT,
    "banded_referral.yaml": BANDED_COHORT,
    "need_levels.yaml": NEED_LEVELS_COHORT,
}

MONEY_COLUMNS = ("element1", "element2", "element3", "personal_sen_budget", "total_personal_budget")


def _option_ids(path: Path) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        question["id"]: [str(option["id"]) for option in question["options"]]
        for domain in data["domains"]
        for question in domain["questions"]
    }


def _as_form(answers: Answers, options: dict[str, list[str]], form: str) -> Answers:
    """Every answer as an option id, or every answer as a position."""
    if form == "id":
        return {q: options[q][a] if isinstance(a, int) else a for q, a in answers.items()}
    return {q: options[q].index(a) if isinstance(a, str) else a for q, a in answers.items()}


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _same(value: Any, expected: Decimal | None) -> bool:
    if expected is None:
        return _missing(value)
    return not _missing(value) and Decimal(str(value)) == expected


@pytest.mark.parametrize("form", ["id", "position"])
@pytest.mark.parametrize("filename", list(COHORTS))
def test_cohort_frame_matches_single_child_results(filename: str, form: str) -> None:
    scheme = ras.load_scheme(SCHEMES / filename)
    options = _option_ids(SCHEMES / filename)
    children = COHORTS[filename]
    index = pd.Index([name for name, _, _ in children], name="child")
    cohort = pd.DataFrame.from_records(
        [
            _as_form(answers, options, form) | {"setting": setting}
            for _, setting, answers in children
        ],
        index=index,
    )

    frame = scheme.calculate_frame(cohort)

    assert list(frame.index) == list(index)
    assert len(frame) == len(children)
    for name, setting, answers in children:
        budget = scheme.calculate(answers, setting=setting)
        row = frame.loc[name]
        for domain, points in budget.domain_points.items():
            assert _same(row[f"points_{domain}"], points), (name, domain)
        for stream, points in budget.stream_points.items():
            assert _same(row[f"{stream}_points"], points), (name, stream)
            assert _same(row[f"{stream}_amount"], budget.stream_amounts[stream]), (name, stream)
            assert (row[f"{stream}_review"] != "") == (stream in budget.reviews), (name, stream)
            band = budget.bands.get(stream)
            if band is not None:
                assert row[f"{stream}_band"] == band, (name, stream)
            if stream in budget.ranges:
                lower, upper = budget.ranges[stream]
                assert _same(row[f"{stream}_lower"], lower), (name, stream)
                assert _same(row[f"{stream}_upper"], upper), (name, stream)
        for column in MONEY_COLUMNS:
            assert _same(row[column], getattr(budget, column)), (name, column)


def test_cohort_frame_totals_match_hand_figures() -> None:
    # The personal SEN budgets worked out above, summed by hand per scheme:
    # points_rate:   2630 + 2620 + 16000 + 2000 + 0 = 23250
    # banded:        4000 + 7500 + 24000 + 3800 + (Jack missing) -> 39300 over 4 known
    # need_levels:   7500 + 18000 + 5000 + 14000 + 0 = 44500
    expected = {
        "points_rate.yaml": (D("23250"), 0),
        "banded_referral.yaml": (D("39300"), 1),
        "need_levels.yaml": (D("44500"), 0),
    }
    for filename, (total, missing) in expected.items():
        scheme = ras.load_scheme(SCHEMES / filename)
        options = _option_ids(SCHEMES / filename)
        children = COHORTS[filename]
        cohort = pd.DataFrame.from_records(
            [
                _as_form(answers, options, "id") | {"setting": setting}
                for _, setting, answers in children
            ],
            index=[name for name, _, _ in children],
        )
        frame = scheme.calculate_frame(cohort)
        budgets = frame["personal_sen_budget"]
        known = [Decimal(str(v)) for v in budgets if not _missing(v)]
        assert sum(known, Decimal(0)) == total, filename
        assert sum(_missing(v) for v in budgets) == missing, filename


FLAT_HEALTH = """
ras_scheme: 1
id: flat-health
name: Education by points; a flat health amount for every child
version: "1"
effective_from: 2026-04-01
currency: GBP
streams:
  education: {label: Education}
  health: {label: Health}
domains:
  - id: learning
    questions:
      - id: reading
        options:
          - {id: none, points: 0}
          - {id: some, points: 7}
pricing:
  education: {method: rate, rate: 1000}
  health: {method: rate, rate: 10, base: 250, minimum: 300}
settings:
  mainstream: {element1: 4500, element2: 6000, ras_covers: additional_support}
"""


def test_a_stream_without_domains_is_priced_at_zero_points() -> None:
    """Steps 3-4: health has no domains, so 0 points; base £250 + 0 x £10 = £250, clamped up
    to the £300 minimum. Step 6: the total adds it to element 3 (7 x £1,000 - £6,000)."""
    scheme = ras.Scheme.from_yaml(FLAT_HEALTH)
    budget = scheme.calculate({"reading": "some"}, setting="mainstream")
    assert budget.stream_points["health"] == 0
    assert budget.stream_amounts["health"] == Decimal("300.00")
    assert budget.element3 == Decimal("1000.00")
    assert budget.total_personal_budget == Decimal("1300.00")
    frame = scheme.calculate_frame(pd.DataFrame({"reading": ["none", "some"],
                                                 "setting": "mainstream"}))
    assert frame["health_amount"].tolist() == [300.0, 300.0]
    assert frame["total_personal_budget"].tolist() == [300.0, 1300.0]
    assert "£300.00" in budget.explain().to_text()
    [finding] = [f for f in scheme.check() if f.key_path == "pricing.health"]
    assert finding.message.endswith("this table gives each child £300.00")


def test_education_without_domains_is_zero_whatever_its_pricing_says() -> None:
    """Step 5: a scheme with no education domains has an education amount of zero."""
    text = FLAT_HEALTH.replace("  - id: learning\n", "  - id: learning\n    stream: health\n")
    text = text.replace("  education: {method: rate, rate: 1000}",
                        "  education: {method: rate, rate: 1000, base: 500}")
    scheme = ras.Scheme.from_yaml(text)
    budget = scheme.calculate({"reading": "some"}, setting="mainstream")
    assert budget.stream_amounts["education"] == 0
    assert budget.element3 == 0
    assert budget.stream_amounts["health"] == Decimal("320.00")  # 250 + 7 x 10
    assert budget.total_personal_budget == Decimal("320.00")
    [finding] = [f for f in scheme.check() if f.key_path == "pricing.education"]
    assert finding.severity == "warning"
