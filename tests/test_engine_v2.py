"""The engine on version 2 schemes, worked by hand: combine max, number questions (answers as
numbers in every form, codes as step indices), unknown element 1, and the bad answers."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import ras

BANDING = """\
ras_scheme: 2
id: banding
name: Banding by the highest area
version: "1"
effective_from: 2026-04-01
points_word: {one: level, other: levels}
streams:
  education: {label: Top-up, combine: max}
domains:
  - id: communication
    combine: max
    questions:
      - id: speech
        options: [{id: l0, points: 0}, {id: l1, points: 1}, {id: l2, points: 2},
                  {id: l3, points: 3}, {id: l4, points: 4}]
      - id: social
        options: [{id: l0, points: 0}, {id: l1, points: 1}, {id: l2, points: 2},
                  {id: l3, points: 3}, {id: l4, points: 4}]
  - id: cognition
    questions:
      - id: reading
        options: [{id: none, points: 0}, {id: some, points: 1}, {id: lots, points: 2}]
      - id: memory
        options: [{id: none, points: 0}, {id: some, points: 1}]
pricing:
  education:
    method: bands
    bands:
      - {label: "0", from_points: 0, amount: 0}
      - {label: "1", from_points: 1, amount: 1000}
      - {label: "2", from_points: 2, amount: 2500}
      - {label: "3", from_points: 3, amount: 4000}
      - {label: "4", from_points: 4, amount: 6000}
settings:
  banded: {ras_covers: top_up, element2: 0}
  mainstream: {ras_covers: additional_support, element1: 4500, element2: 6000}
"""

HOURS = """\
ras_scheme: 2
id: hours
name: Hours-based top-up
version: "1"
effective_from: 2026-04-01
domains:
  - id: support
    weight: 38
    questions:
      - id: assistant_hours
        number: {unit: hours a week, min: 0, max: 32.5, step: 0.25, points_per_unit: 11.81}
      - id: teacher_hours
        number: {unit: hours a week, min: 0, max: 5, step: 0.5, points_per_unit: 42.96}
      - id: carer_hours
        number: {unit: hours a week, min: 0, max: 10, step: 1, points_per_unit: -5}
pricing:
  education: {method: rate, rate: 1}
settings:
  mainstream: {ras_covers: additional_support, element2: 6000}
"""


@pytest.fixture(scope="module")
def banding() -> ras.Scheme:
    return ras.Scheme.from_yaml(BANDING)


@pytest.fixture(scope="module")
def hours() -> ras.Scheme:
    return ras.Scheme.from_yaml(HOURS)


@pytest.mark.parametrize(("answers", "communication", "cognition", "amount"), [
    # communication takes its highest answer: max(3, 1) = 3; cognition adds: 2 + 1 = 3;
    # the stream takes the highest area, max(3, 3) = 3: band 3, £4,000
    ({"speech": "l3", "social": "l1", "reading": "lots", "memory": "some"}, 3, 3, "4000"),
    # max(0, 2) = 2 and 1 + 0 = 1: the highest area is 2, band 2, £2,500
    ({"speech": "l0", "social": "l2", "reading": "some", "memory": "none"}, 2, 1, "2500"),
    # max(4, 4) = 4 and 0: band 4, £6,000 (summed, 8 levels, would be off the table)
    ({"speech": "l4", "social": "l4", "reading": "none", "memory": "none"}, 4, 0, "6000"),
    # nothing anywhere: 0 levels, band 0, £0
    ({"speech": "l0", "social": "l0", "reading": "none", "memory": "none"}, 0, 0, "0"),
])
def test_the_highest_area_sets_the_band(banding, answers, communication, cognition,
                                        amount) -> None:
    budget = banding.calculate(answers, setting="banded")
    assert budget.domain_points == {"communication": Decimal(communication),
                                    "cognition": Decimal(cognition)}
    assert budget.stream_points["education"] == max(communication, cognition)
    assert budget.stream_amounts["education"] == Decimal(amount)
    assert budget.element3 == Decimal(amount)  # top_up: the amount is the top-up
    assert budget.element1 is None  # the banded setting does not say
    frame = banding.calculate_frame(pd.DataFrame([{**answers, "setting": "banded"}]))
    assert frame["education_amount"].iloc[0] == float(amount)
    assert np.isnan(frame["element1"].iloc[0])


def test_mainstream_deducts_element_2_from_the_band(banding) -> None:
    budget = banding.calculate({"speech": "l4", "social": "l0", "reading": "none",
                                "memory": "none"}, setting="mainstream")
    assert budget.element1 == Decimal(4500)
    assert budget.element3 == Decimal(0)  # £6,000 band less £6,000 element 2


def test_hours_are_costed_by_hand(hours) -> None:
    # 23.5 h x £11.81 = £277.535 and 2 h x £42.96 = £85.92 a week; 1 carer hour x -5 = -5;
    # (277.535 + 85.92 - 5) x 38 weeks = 358.455 x 38 = £13,621.29; less element 2 £6,000
    budget = hours.calculate({"assistant_hours": 23.5, "teacher_hours": 2, "carer_hours": 1},
                             setting="mainstream")
    assert budget.domain_points["support"] == Decimal("13621.29")
    assert budget.stream_amounts["education"] == Decimal("13621.29")
    assert budget.element3 == Decimal("7621.29")
    assert budget.answers["assistant_hours"] == "23.5"
    for same in ({"assistant_hours": Decimal("23.50"), "teacher_hours": "2", "carer_hours": 1.0},
                 {"assistant_hours": "23.5", "teacher_hours": 2.0, "carer_hours": np.int64(1)}):
        assert hours.calculate(same, setting="mainstream").element3 == Decimal("7621.29")


def test_a_step_that_is_not_a_whole_penny_a_week_stays_exact(hours) -> None:
    # 0.25 h x £11.81 = £2.9525 a week; x 38 = £112.195, rounded half up to £112.20
    budget = hours.calculate({"assistant_hours": 0.25, "teacher_hours": 0, "carer_hours": 0},
                             setting="mainstream")
    assert budget.domain_points["support"] == Decimal("112.195")
    assert budget.stream_amounts["education"] == Decimal("112.20")


def test_frames_files_and_codes_agree(hours) -> None:
    cohort = pd.DataFrame({"assistant_hours": [23.5, 0.25, 32.5], "teacher_hours": [2, 0, 5],
                           "carer_hours": [1, 0, 10], "setting": "mainstream"})
    frame = hours.calculate_frame(cohort)
    # 32.5 x 11.81 = 383.825; 5 x 42.96 = 214.8; 10 x -5 = -50; 548.625 x 38 = 20,847.75
    assert frame["education_amount"].tolist() == [13621.29, 112.2, 20847.75]
    text = cohort.astype(str)  # a CSV read with dtype=str: "23.5", "2", ...
    assert hours.calculate_frame(text)["education_amount"].tolist() == [13621.29, 112.2,
                                                                         20847.75]
    # codes are step indices: 23.5 / 0.25 = 94, 2 / 0.5 = 4, 1 / 1 = 1
    codes = np.array([[94, 4, 1], [1, 0, 0], [130, 10, 10]])
    out = hours.calculate_codes(codes, np.zeros(3, dtype=int))
    assert out["education_amount"].tolist() == [13621.29, 112.2, 20847.75]
    assert hours.encode(cohort).codes.tolist() == codes.tolist()


@pytest.mark.parametrize(("value", "words"), [
    (27.3, "not on the grid"),  # 27.3 / 0.25 is not whole
    (23.333, "not on the grid"),  # more than two decimals: never rounded
    (40, "outside 0 to 32.5"),
    (-0.25, "outside"),
    ("lots", "not a number"),
    ("23,5", "not a number"),
    ("2.35e1", "not a number"),  # no exponents
    (" 23.5", "not a number"),  # no spaces
    (True, "not a number"),
    (None, "no answer given"),
    (float("nan"), "no answer given"),
    (float("inf"), "not a number"),
])
def test_bad_numbers_are_answer_errors_naming_the_question(hours, value, words) -> None:
    answers = {"assistant_hours": value, "teacher_hours": 0, "carer_hours": 0}
    with pytest.raises(ras.AnswerError) as caught:
        hours.calculate(answers, setting="mainstream")
    (problem,) = caught.value.problems
    assert problem.question == "assistant_hours"
    assert words in problem.message
    cohort = pd.DataFrame({"assistant_hours": [1.0, value], "teacher_hours": [0, 0],
                           "carer_hours": [0, 0], "setting": "mainstream"},
                          index=["amir", "beth"], dtype=object)
    with pytest.raises(ras.AnswerError) as caught:
        hours.calculate_frame(cohort)
    assert caught.value.problems[0].row == "beth"
    assert words in caught.value.problems[0].message
    flagged = hours.calculate_frame(cohort, errors="flag")
    assert len(flagged) == 2  # nothing dropped
    assert flagged.loc["amir", "error"] == ""
    assert flagged.loc["amir", "education_amount"] == 448.78  # 1 x 11.81 x 38
    assert words in flagged.loc["beth", "error"]
    assert np.isnan(flagged.loc["beth", "education_amount"])


def test_float_columns_are_checked_whole_column(hours) -> None:
    cohort = pd.DataFrame({"assistant_hours": [23.5, 27.3, np.nan, 40.0, 0.1 + 0.2],
                           "teacher_hours": 0.0, "carer_hours": 0.0, "setting": "mainstream"})
    flagged = hours.calculate_frame(cohort, errors="flag")
    assert flagged["error"].str.startswith("assistant_hours").tolist() == [False] + [True] * 4
    assert "not on the grid" in flagged["error"].iloc[4]  # 0.30000000000000004 is not 0.3


def test_a_step_index_beyond_the_grid_is_refused(hours) -> None:
    with pytest.raises(ras.AnswerError, match="131 steps of hours a week"):
        hours.calculate_codes(np.array([[131, 0, 0]]), np.array([0]))
