"""Answers in every form a caller holds them, and every way they can be wrong."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import ras
from tests.paths import FIXTURES


@pytest.fixture(scope="module")
def scheme() -> ras.Scheme:
    return ras.load_scheme(FIXTURES / "valid_small.yaml")


GOOD = {"speech": "some", "listening": "none", "breaks": "some"}


def test_ids_positions_and_categoricals_give_the_same_result(scheme: ras.Scheme) -> None:
    by_id = pd.DataFrame({"speech": ["some", "lots"], "listening": ["none", "some"],
                          "breaks": ["some", "none"], "setting": ["mainstream", "special"]})
    by_position = pd.DataFrame({"speech": [1, 2], "listening": [0, 1], "breaks": [1, 0],
                                "setting": [0, 1]})
    categorical = by_id.astype("category")
    floats = by_position.astype(float)
    expected = scheme.calculate_frame(by_id)
    for cohort in (by_position, categorical, floats):
        pd.testing.assert_frame_equal(scheme.calculate_frame(cohort), expected)


@pytest.mark.parametrize("dtype", [object, pd.StringDtype("python"), "str"])
def test_every_string_storage_encodes_alike_with_missing_and_unknown_values(
    scheme: ras.Scheme, dtype: object
) -> None:
    """Object columns, pandas' python-backed strings and its default string dtype (pyarrow
    when installed) take different encoding routes; answers and problems must not differ."""
    ids = pd.DataFrame({"speech": ["some", "lots", None, "often"],
                        "listening": ["none", "some", "some", "none"],
                        "breaks": ["some", "none", "none", "none"],
                        "setting": ["mainstream", "special", "special", "mainstream"]},
                       index=["ann", "bob", "cat", "dan"])
    cohort = ids.astype(dtype)
    result = scheme.calculate_frame(cohort, errors="flag")
    assert result["error"].tolist() == [
        "", "", "speech: no answer given",
        "speech: unknown option 'often'; expected one of none, some, lots"]
    expected = scheme.calculate_frame(ids.iloc[:2].astype(object))
    pd.testing.assert_frame_equal(result.iloc[:2].drop(columns="error"), expected)
    assert result.loc[["cat", "dan"]].select_dtypes("number").isna().all().all()


def test_index_order_and_extra_columns_are_kept(scheme: ras.Scheme) -> None:
    cohort = pd.DataFrame(
        {"child": ["x", "y", "z"], "speech": ["lots", "none", "some"], "listening": [1, 0, 1],
         "breaks": [0, 1, 0], "setting": ["special", "mainstream", "mainstream"]},
        index=pd.Index([30, 10, 30], name="case"))
    result = scheme.calculate_frame(cohort)
    assert list(result.index) == [30, 10, 30]
    assert result.index.name == "case"
    assert "child" not in result.columns
    # speech lots (6) + listening some (2.5) = 8.5 x 1.5 = 12.75, capped at 12
    assert result["points_communication"].tolist() == [12.0, 0.0, 8.25]


def test_bad_answers_raise_with_row_labels_and_questions(scheme: ras.Scheme) -> None:
    cohort = pd.DataFrame(
        {"speech": ["some", "often", "some", None], "listening": [0, 0, 7, 0],
         "breaks": [0, 0, 0, 0], "setting": ["mainstream", "mainstream", "mainstream", "home"]},
        index=["ann", "bob", "cat", "dan"])
    with pytest.raises(ras.AnswerError) as caught:
        scheme.calculate_frame(cohort)
    error = caught.value
    found = {(p.row, p.question) for p in error.problems}
    assert found == {("bob", "speech"), ("cat", "listening"), ("dan", "speech"),
                     ("dan", "setting")}
    text = str(error)
    assert "unknown option 'often'; expected one of none, some, lots" in text
    assert "position 7 is out of range; there are 2 options (0 to 1)" in text
    assert "no answer given" in text
    assert "unknown setting 'home'" in text
    assert error.total_rows == 3
    assert isinstance(error, ValueError)


def test_the_error_names_the_first_bad_rows_whichever_columns_they_are_in(
    scheme: ras.Scheme
) -> None:
    """A late column full of bad rows must not hide an earlier row's problem in another."""
    n = 60
    cohort = pd.DataFrame({"speech": ["some"] * n, "listening": ["none"] * n,
                           "breaks": ["none"] * n, "setting": ["mainstream"] * n})
    cohort.loc[30:, "speech"] = "typo"  # 30 bad rows in the first question
    cohort.loc[5, "breaks"] = "oops"
    cohort.loc[2, "setting"] = "nowhere"
    with pytest.raises(ras.AnswerError) as caught:
        scheme.calculate_frame(cohort)
    error = caught.value
    assert error.row == 2
    assert error.rows[:3] == (2, 5, 30)
    assert error.questions[:3] == ("setting", "breaks", "speech")
    assert len(error.problems) == 20  # the first twenty, by row
    assert error.total_rows == 32
    rows = [p.row for p in error.problems]
    assert rows == sorted(rows)


def test_flag_keeps_every_row_and_blanks_only_the_bad(scheme: ras.Scheme) -> None:
    cohort = pd.DataFrame(
        {"speech": ["some", "often", "lots", np.nan], "listening": [0, 0, 1.5, 0],
         "breaks": [1, 0, 0, "yes"], "setting": ["mainstream", "special", "special", "mainstream"]},
        index=["ann", "bob", "cat", "dan"])
    result = scheme.calculate_frame(cohort, errors="flag")
    assert list(result.index) == ["ann", "bob", "cat", "dan"]
    assert result.loc["ann", "error"] == ""
    assert result.loc["bob", "error"] == (
        "speech: unknown option 'often'; expected one of none, some, lots")
    assert result.loc["cat", "error"] == "listening: 1.5 is not a whole-number position"
    assert result.loc["dan", "error"] == (
        "speech: no answer given; breaks: unknown option 'yes'; expected one of none, some")
    bad = result.loc[["bob", "cat", "dan"]]
    numeric = bad.select_dtypes("number")
    assert numeric.isna().all().all()  # missing, never zero
    good = scheme.calculate(GOOD | {"breaks": 1, "listening": 0}, setting="mainstream")
    assert result.loc["ann", "education_amount"] == float(good.stream_amounts["education"])


def test_missing_question_column_names_the_question(scheme: ras.Scheme) -> None:
    cohort = pd.DataFrame({"speech": ["some"], "listening": [0], "setting": ["mainstream"]})
    with pytest.raises(ras.AnswerError, match="the cohort has no 'breaks' column") as caught:
        scheme.calculate_frame(cohort)
    assert "row 0" not in str(caught.value)  # every row's problem, not the first row's
    assert len(caught.value.problems) == 1
    flagged = scheme.calculate_frame(cohort, errors="flag")
    assert flagged["error"].iloc[0] == "breaks: the cohort has no 'breaks' column"
    assert np.isnan(flagged["total_personal_budget"].iloc[0])


def test_categorical_with_unknown_category_is_refused(scheme: ras.Scheme) -> None:
    cohort = pd.DataFrame({"speech": pd.Categorical(["some", "loads"]), "listening": [0, 1],
                           "breaks": [0, 1], "setting": ["mainstream"] * 2})
    with pytest.raises(ras.AnswerError, match="unknown option 'loads'"):
        scheme.calculate_frame(cohort)


def test_one_child_errors_name_the_question(scheme: ras.Scheme) -> None:
    cases = [
        ({"speech": "some", "listening": "none"}, "mainstream", "breaks", "no answer given"),
        (GOOD | {"speech": "often"}, "mainstream", "speech", "unknown option 'often'"),
        (GOOD | {"speech": 3}, "mainstream", "speech", "position 3 is out of range"),
        (GOOD | {"speech": float("nan")}, "mainstream", "speech", "no answer given"),
        (GOOD | {"speach": "some"}, "mainstream", "speach", "no such question"),
        (GOOD, "home", "setting", "unknown setting 'home'"),
        (GOOD, 2, "setting", "position 2 is out of range"),
    ]
    for answers, setting, question, words in cases:
        with pytest.raises(ras.AnswerError) as caught:
            scheme.calculate(answers, setting=setting)
        assert caught.value.question == question
        assert words in str(caught.value)


def test_codes_out_of_range_name_row_and_question(scheme: ras.Scheme) -> None:
    codes = np.array([[0, 0, 0], [3, 0, 0], [0, 0, -1]])
    with pytest.raises(ras.AnswerError) as caught:
        scheme.calculate_codes(codes, np.array([0, 0, 5]))
    found = {(p.row, p.question) for p in caught.value.problems}
    assert found == {(1, "speech"), (2, "breaks"), (2, "setting")}
    with pytest.raises(ras.AnswerError, match=r"shape \(n, 3\)"):
        scheme.calculate_codes(np.zeros((2, 2), dtype=int), np.zeros(2, dtype=int))
    with pytest.raises(ras.AnswerError, match="must be integers"):
        scheme.calculate_codes(np.zeros((2, 3)), np.zeros(2, dtype=int))
    with pytest.raises(KeyError, match="unknown output column"):
        scheme.calculate_codes(np.zeros((1, 3), dtype=int), np.zeros(1, dtype=int),
                               columns=["education_amout"])


def test_a_boolean_column_is_not_a_column_of_positions(scheme: ras.Scheme) -> None:
    cohort = pd.DataFrame({"speech": ["some"], "listening": [0], "breaks": [True],
                           "setting": ["mainstream"]})
    with pytest.raises(ras.AnswerError, match="unknown option True"):
        scheme.calculate_frame(cohort)


def test_empty_cohort_gives_empty_result(scheme: ras.Scheme) -> None:
    cohort = pd.DataFrame({"speech": [], "listening": [], "breaks": [], "setting": []})
    result = scheme.calculate_frame(cohort)
    assert len(result) == 0
    assert list(result.columns) == list(scheme.output_columns)


def test_option_ids_that_look_like_numbers_are_ids_when_text() -> None:
    text = (FIXTURES / "valid_small.yaml").read_text().replace(
        "{id: none, points: 0}\n          - {id: some, points: 4}",
        "{id: \"1\", points: 0}\n          - {id: \"0\", points: 4}")
    scheme = ras.Scheme.from_yaml(text)
    by_text = scheme.calculate(GOOD | {"breaks": "0"}, setting="mainstream")
    assert by_text.stream_points["social_care"] == 4  # id "0" is the second option
    assert scheme.calculate(GOOD | {"breaks": "1"},
                            setting="mainstream").stream_points["social_care"] == 0
    for number, meant in ((0, "option '1'"), (1, "option '0'")):
        with pytest.raises(ras.AnswerError) as caught:  # 0: position of "1", numeral of "0"
            scheme.calculate(GOOD | {"breaks": number}, setting="mainstream")
        [problem] = caught.value.problems
        assert problem.question == "breaks"
        assert problem.message.startswith(f"{number!r} is ambiguous: as a position it is {meant}")
        assert "give option ids as text" in problem.message


LEVELS = """
ras_scheme: 1
id: levels
name: Need levels numbered from 1
version: "1"
effective_from: 2026-04-01
currency: GBP
domains:
  - id: language
    questions:
      - id: language
        options:
          - {id: "1", points: 0}
          - {id: "2", points: 5}
          - {id: "3", points: 10}
          - {id: "4", points: 20}
pricing:
  education: {method: rate, rate: 1000}
settings:
  mainstream: {element1: 4500, element2: 6000, ras_covers: additional_support}
"""


def test_an_integer_that_could_be_a_numbered_option_or_a_position_is_refused() -> None:
    """Levels "1" to "4" read from a CSV without dtype=str arrive as integers: scoring 3 as
    the position of level "4" would pay £20,000 for a level-3 child, so every route refuses."""
    scheme = ras.Scheme.from_yaml(LEVELS)
    as_text = pd.DataFrame({"language": ["1", "3", "4"], "setting": "mainstream"})
    amounts = scheme.calculate_frame(as_text)["education_amount"].tolist()
    assert amounts == [0.0, 10_000.0, 20_000.0]  # 0, 10 and 20 points at £1,000 a point
    numbers = [1, 3, 4]  # 4 is no position at all (there are 4 options), but level "4"'s number
    routes = {"int64": pd.Series(numbers), "object": pd.Series(numbers, dtype=object),
              "float": pd.Series([float(n) for n in numbers]),
              "categorical": pd.Series(numbers).astype("category"),
              "Int64": pd.Series(numbers, dtype="Int64")}
    for route, column in routes.items():
        cohort = pd.DataFrame({"language": column, "setting": "mainstream"})
        result = scheme.calculate_frame(cohort, errors="flag")
        assert result["error"].str.contains("is ambiguous").all(), route
        assert result["education_amount"].isna().all(), route  # never scored
        with pytest.raises(ras.AnswerError, match="ambiguous"):
            scheme.calculate_frame(cohort)
    with pytest.raises(ras.AnswerError, match="ambiguous"):
        scheme.calculate({"language": 3}, setting="mainstream")
    # 0 is not a level's number: as a position it can only be level "1"
    assert scheme.calculate({"language": 0}, setting="mainstream").element3 == 0
    [finding] = [f for f in scheme.check() if "ambiguous" in f.message]
    assert finding.key_path == "domains[0].questions[0].options[0].id"


def test_numbered_options_at_their_own_positions_take_integers() -> None:
    scheme = ras.Scheme.from_yaml(LEVELS.replace('"1"', '"0"').replace('"2"', '"1"')
                                  .replace('"3"', '"2"').replace('"4"', '"3"'))
    cohort = pd.DataFrame({"language": [0, 2, 3], "setting": "mainstream"})
    assert scheme.calculate_frame(cohort)["education_amount"].tolist() == [0.0, 10_000.0,
                                                                         20_000.0]
    assert not [f for f in scheme.check() if "ambiguous" in f.message]


def test_numbered_settings_are_guarded_alike() -> None:
    scheme = ras.Scheme.from_yaml(LEVELS.replace(
        "  mainstream: {element1: 4500, element2: 6000, ras_covers: additional_support}",
        '  "2": {element1: 4500, element2: 6000, ras_covers: additional_support}\n'
        '  "1": {element1: 4000, element2: 6000, ras_covers: whole_place}'))
    assert scheme.calculate({"language": "3"}, setting="1").element1 == 4000
    assert scheme.calculate({"language": "3"}, setting=1).element1 == 4000  # "1" is at 1
    named = re.escape("2 is ambiguous: as a position it is no setting, but setting '2' "
                      "(position 0) has that number")
    with pytest.raises(ras.AnswerError, match=named):
        scheme.calculate({"language": "3"}, setting=2)  # "2" is at 0, and 2 is no position


def test_out_of_range_codes_are_found_in_any_integer_width() -> None:
    """The check reads signed codes as unsigned (one reduction finds negatives and codes too
    large alike); it must agree with the plain test for every width, layout and size."""
    from ras._engine.answers import _column_highest, _out_of_range

    rng = np.random.default_rng(3)
    counts = np.array([3, 4, 9, 2, 5, 9, 1])
    for n in (1, 63, 64, 65, 1000, 4097):
        codes = rng.integers(0, 10, size=(n, 7)) % counts  # every code in range
        for dtype in (np.int8, np.int16, np.int64, np.uint8):
            for bad in (None, -1, 9, -128):
                block = codes.astype(dtype)
                if bad is not None:
                    if np.dtype(dtype).kind == "u" and bad < 0:
                        continue
                    block[n // 2, 3] = bad
                for layout in (block, np.asfortranarray(block)):
                    np.testing.assert_array_equal(_column_highest(layout), block.max(axis=0))
                    expected = bool(((block < 0) | (block >= counts)).any())
                    assert _out_of_range(layout, counts) == expected, (n, dtype, bad)
    wide = np.array([[0], [-100]], dtype=np.int8)  # a 200-option question: int8 cannot fold
    assert _out_of_range(wide, np.array([200]))
    assert not _out_of_range(np.array([[0], [120]], dtype=np.int8), np.array([200]))


def test_a_pandas_row_as_one_childs_answers_names_its_extra_keys(scheme: ras.Scheme) -> None:
    row = pd.Series(GOOD | {"child_id": "C001"})
    with pytest.raises(ras.AnswerError) as caught:
        scheme.calculate(row, setting="mainstream")
    assert [(p.question, p.message) for p in caught.value.problems] == [
        ("child_id", "this scheme has no such question")]
    with pytest.raises(ras.AnswerError, match="the setting is given as setting="):
        scheme.calculate(GOOD | {"setting": "mainstream"}, setting="mainstream")
    budget = scheme.calculate(row.drop("child_id"), setting="mainstream")
    same = scheme.calculate(GOOD, setting="mainstream")
    assert dict(budget.answers) == GOOD
    assert (budget.stream_amounts, budget.element3) == (same.stream_amounts, same.element3)


def test_a_multiindex_row_is_named_in_plain_python(scheme: ras.Scheme) -> None:
    index = pd.MultiIndex.from_tuples([("north", 1), ("south", 2)], names=["area", "child"])
    cohort = pd.DataFrame({"speech": ["some", "often"], "listening": ["none", "none"],
                           "breaks": ["none", "none"], "setting": "mainstream"}, index=index)
    with pytest.raises(ras.AnswerError) as caught:
        scheme.calculate_frame(cohort)
    assert caught.value.row == ("south", 2)
    assert "('south', 2)" in str(caught.value)  # not np.int64(2)


@pytest.mark.parametrize(("given", "meant"), [
    (" none ", "none"), ("None", "none"), ("NONE", "none"), ("ｎｏｎｅ", "none"),
    ("substantal", "substantial"), ("Substantial ", "substantial"), ("som", "some")])
def test_an_unknown_option_suggests_the_option_meant(
        points_rate: ras.Scheme, given: str, meant: str) -> None:
    answers = dict.fromkeys(points_rate.question_ids, 0) | {"expressive_language": given}
    with pytest.raises(ras.AnswerError) as caught:
        points_rate.calculate(answers, setting="mainstream")
    assert str(caught.value).endswith(f"; did you mean {meant!r}?")
    cohort = pd.DataFrame({**{q: [0] for q in points_rate.question_ids},
                           "expressive_language": [given], "setting": ["mainstream"]})
    flagged = points_rate.calculate_frame(cohort, errors="flag")
    assert flagged["error"].iloc[0].endswith(f"; did you mean {meant!r}?")


@pytest.mark.parametrize(("given", "meant"), [
    ("Mainstream", "mainstream"), (" special", "special"), ("mainstrem", "mainstream"),
    ("EARLY_YEARS", "early_years")])
def test_an_unknown_setting_suggests_the_setting_meant(
        points_rate: ras.Scheme, given: str, meant: str) -> None:
    answers = dict.fromkeys(points_rate.question_ids, 0)
    with pytest.raises(ras.AnswerError) as caught:
        points_rate.calculate(answers, setting=given)
    assert caught.value.question == "setting"
    assert str(caught.value).endswith(f"; did you mean {meant!r}?")


def test_nothing_is_suggested_when_nothing_is_near(points_rate: ras.Scheme) -> None:
    answers = dict.fromkeys(points_rate.question_ids, 0) | {"expressive_language": "often"}
    with pytest.raises(ras.AnswerError) as caught:
        points_rate.calculate(answers, setting="home")
    assert "did you mean" not in str(caught.value)
