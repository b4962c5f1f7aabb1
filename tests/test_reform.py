"""Scheme.with_changes: readable paths, all-or-nothing validation, the original left untouched."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ras
from tests.strategies import schemes
from tests.toy_scheme import cohort, toy


def test_every_path_form_of_the_issue(points_rate: ras.Scheme) -> None:
    reform = points_rate.with_changes({
        "domains.communication.cap": 25,
        "settings.mainstream.element2": 7000,
        "domains.communication.questions.expressive_language.options.some.points": 4,
        "pricing.education.rate": 320,
        "rounding.unit": 1,
    })
    m = reform.model
    assert m.domains[0].cap == 25
    assert m.settings["mainstream"].element2 == 7000
    assert m.domains[0].questions[0].options[1].points == 4
    assert m.pricing["education"].rate == 320
    assert m.rounding.unit == 1
    # the original is untouched, and the reform is a different scheme
    assert points_rate.model.pricing["education"].rate == 285
    assert points_rate.model.domains[0].cap == 20
    assert reform.fingerprint != points_rate.fingerprint


def test_a_band_by_its_label_and_the_new_amount_is_paid() -> None:
    scheme = toy()
    reform = scheme.with_changes({"pricing.social_care.bands.B.amount": 1600})
    # child c1 has 4 social care points: band B, now £1,600 instead of £1,500
    answers = {"expressive_language": 1, "social": 1, "family_support": 1}
    assert scheme.calculate(answers, setting="mainstream").stream_amounts["social_care"] == 1500
    assert reform.calculate(answers, setting="mainstream").stream_amounts["social_care"] == 1600


def test_numeric_band_labels_are_labels_not_positions(banded: ras.Scheme) -> None:
    # band labels "1".."6": "2" is the second band (from 20 points, £7,500), not position 2
    reform = banded.with_changes({"pricing.education.bands.2.amount": 7700})
    bands = reform.model.pricing["education"].bands
    assert bands is not None
    assert bands[1].amount == 7700
    assert bands[2].amount == 10000


def test_steps_by_position_and_setting_pricing(points_rate: ras.Scheme,
                                               banded: ras.Scheme) -> None:
    reform = points_rate.with_changes({"pricing.social_care.steps.1.rate": 130})
    assert reform.model.pricing["social_care"].steps[1].rate == 130  # type: ignore[index]
    special = banded.with_changes({"settings.special.pricing.education.bands.S2.amount": 16500})
    assert special.model.settings["special"].pricing["education"].bands[1].amount == 16500  # type: ignore[index]


def test_error_key_paths_are_accepted_too() -> None:
    reform = toy().with_changes({"domains[0].cap": 12, "pricing.education.rate": "1100.5"})
    assert reform.model.domains[0].cap == 12
    assert reform.model.pricing["education"].rate == Decimal("1100.5")


def test_values_are_exact_whatever_their_type() -> None:
    scheme = toy()
    assert scheme.with_changes({"pricing.education.rate": 0.1}).model.pricing[
        "education"].rate == Decimal("0.1")
    assert scheme.with_changes({"pricing.education.rate": np.float64(2.5)}).model.pricing[
        "education"].rate == Decimal("2.5")
    assert scheme.with_changes({"pricing.education.rate": np.int64(7)}).model.pricing[
        "education"].rate == 7


def test_optional_values_can_be_added_and_removed() -> None:
    scheme = toy()
    capped = scheme.with_changes({"pricing.education.maximum": 9000,
                                  "domains.communication.cap": None})
    assert capped.model.pricing["education"].maximum == 9000
    assert capped.model.domains[0].cap is None
    # c0 now has 11 points: 11,000 cut to the 9,000 maximum, element 3 = 3,000
    frame = capped.calculate_frame(cohort())
    assert frame.loc["c0", "education_amount"] == 9000
    assert frame.loc["c0", "personal_sen_budget"] == 3000
    ranged = scheme.with_changes({"indicative_range.below": 0.1})
    assert ranged.model.indicative_range is not None
    assert ranged.model.indicative_range.below == Decimal("0.1")


def test_text_and_choices() -> None:
    scheme = toy()
    reform = scheme.with_changes({"rounding.mode": "down", "version": "1-reform",
                                  "settings.special.ras_covers": "top_up"})
    assert reform.version == "1-reform"
    assert reform.model.rounding.mode == "down"
    assert reform.model.settings["special"].ras_covers == "top_up"


def test_unknown_paths_suggest_the_nearest_and_nothing_is_applied() -> None:
    scheme = toy()
    with pytest.raises(ras.SchemeError) as caught:
        scheme.with_changes({
            "pricing.education.rte": 1,
            "domains.comunication.cap": 3,
            "pricing.education.rate": 1200,
        })
    error = caught.value
    assert len(error.problems) == 2
    rte, comm = error.problems
    assert rte.key_path == "pricing.education.rte"
    assert "did you mean 'pricing.education.rate'" in rte.message
    assert "'domains.communication.cap'" in comm.message
    assert scheme.model.pricing["education"].rate == 1000


def test_a_path_with_nothing_close_lists_what_is_under_its_prefix() -> None:
    with pytest.raises(ras.SchemeError) as caught:
        toy().with_changes({"settings.mainstream.xyzzy_total_nonsense": 1})
    message = caught.value.problems[0].message
    assert "settings.mainstream." in message
    assert "ras.parameters(scheme)" in message


def test_bad_values_are_all_reported_together() -> None:
    with pytest.raises(ras.SchemeError) as caught:
        toy().with_changes({"pricing.education.rate": "lots", "settings.unit.element2": True,
                            "settings.unit.element1": None, "effective_from": "soon"})
    messages = {p.key_path: p.message for p in caught.value.problems}
    assert messages["pricing.education.rate"] == "must be a number (found 'lots')"
    assert messages["settings.unit.element2"] == "must be a number (found True)"
    assert "cannot be removed" in messages["settings.unit.element1"]
    assert "must be a date" in messages["effective_from"]


def test_an_invalid_result_names_the_change_that_caused_it() -> None:
    with pytest.raises(ras.SchemeError) as caught:
        toy().with_changes({"pricing.social_care.bands.C.from_points": 3})
    problem = caught.value.problems[0]
    assert problem.key_path == "pricing.social_care.bands[2].from_points"
    assert "strictly increasing" in problem.message
    assert "after the change pricing.social_care.bands.C.from_points = 3" in problem.message
    with pytest.raises(ras.SchemeError, match="must be 0 or more"):
        toy().with_changes({"pricing.education.rate": -1})


def test_two_paths_to_one_value_are_refused() -> None:
    with pytest.raises(ras.SchemeError, match="same value"):
        toy().with_changes({"domains.communication.cap": 1, "domains[0].cap": 2})


def test_ids_are_structure_not_parameters() -> None:
    names = ras.parameters(toy())
    assert "domains.communication.id" not in names
    assert "domains.family.stream" not in names
    assert names["pricing.education.rate"] == 1000
    assert names["pricing.education.maximum"] is None  # absent, and can be set
    assert "pricing.social_care.rate" not in names  # not a key of method bands
    assert names["pricing.social_care.bands.B.amount"] == 1500


def test_no_changes_is_the_same_scheme() -> None:
    scheme = toy()
    assert scheme.with_changes({}) is scheme
    with pytest.raises(TypeError):
        scheme.with_changes([("pricing.education.rate", 1)])  # type: ignore[arg-type]


@given(schemes(), st.data())
def test_setting_any_number_to_its_own_value_changes_nothing(
    data: dict[str, object], draw: st.DataObject
) -> None:
    scheme = ras.Scheme.from_dict(data)
    numbers = {k: v for k, v in ras.parameters(scheme).items()
               if isinstance(v, Decimal)}
    assume(numbers)
    path = draw.draw(st.sampled_from(sorted(numbers)))
    same = scheme.with_changes({path: numbers[path]})
    assert same.fingerprint == scheme.fingerprint


def test_parameters_of_something_not_a_scheme_is_a_usage_error() -> None:
    # it was an AttributeError ('int' object has no attribute 'model'), not a RasError
    with pytest.raises(ras.UsageError, match=r"values of a ras\.Scheme, not int"):
        ras.parameters(5)  # type: ignore[arg-type]


# -- numbers written with an exponent: 1E+30 is a valid scheme number --------------------------

NONE_POINTS = "domains.communication.questions.expressive_language.options.none.points"


@pytest.mark.parametrize("huge", [Decimal("1E+30"), "1E+30", "1e30", 10**30])
def test_option_points_of_1e30_compile_and_are_capped_by_hand(points_rate: ras.Scheme,
                                                               huge: object) -> None:
    # raised decimal.InvalidOperation while compiling (points x weight quantized in 28 digits)
    reform = points_rate.with_changes({NONE_POINTS: huge})
    budget = reform.calculate(dict.fromkeys(points_rate.question_ids, 0), setting="mainstream")
    # communication: min(1E+30, cap 20) = 20 points; education 1,500 + 20 x 285 = 7,200;
    # element 3 = 7,200 - 6,000 = 1,200
    assert budget.domain_points["communication"] == 20
    assert budget.stream_amounts["education"] == Decimal("7200")
    assert budget.element3 == Decimal("1200.00")


def test_caps_and_step_starts_of_1e30_compile(points_rate: ras.Scheme) -> None:
    # raised OverflowError (a Python int too large for an int64 table)
    reform = points_rate.with_changes({"domains.communication.cap": "1E+30",
                                       "pricing.social_care.steps.2.from_points": "1E+30"})
    assert reform.compiled.dtype is object
    budget = reform.calculate(dict.fromkeys(points_rate.question_ids, 0), setting="mainstream")
    assert budget.stream_amounts["education"] == Decimal("2000")  # 1,500 up to the minimum
    assert ras.Scheme.from_yaml(reform.to_yaml()) == reform  # a file of them loads too


def test_a_rate_of_1e30_explains_and_writes_its_letter(points_rate: ras.Scheme) -> None:
    # the explanation printed the rate quantized to whole pounds in 28 digits: InvalidOperation
    reform = points_rate.with_changes({"pricing.education.rate": "1E+30"})
    answers = dict.fromkeys(points_rate.question_ids, 0) | {"hearing_vision": "some"}
    budget = reform.calculate(answers, setting="mainstream")
    assert budget.element3 == Decimal("16000.00")  # cut to the maximum 22,000, less 6,000
    text = budget.explain().to_text()
    assert "1000000000000000000000000000000" in text.replace(",", "")
    assert "£16,000" in budget.letter().to_text()
    # scheme.check() quantized where a maximum of 1E+300 meets the points grid
    assert points_rate.with_changes({"pricing.education.maximum": "1E+300"}).check() is not None


@pytest.mark.parametrize("bad", ["NaN", Decimal("NaN"), "Infinity", Decimal("-Infinity"),
                                 float("inf"), "1E+400"])
def test_numbers_that_are_not_finite_name_the_change(points_rate: ras.Scheme,
                                                     bad: object) -> None:
    for path in (NONE_POINTS, "pricing.education.rate",
                 "pricing.social_care.steps.2.from_points"):
        with pytest.raises(ras.SchemeError) as caught:
            points_rate.with_changes({path: bad})
        message = str(caught.value)
        assert "must be a number" in message or "far too large a number" in message
        assert path in message
        assert len(message) < 400  # 1E+400 was written out in full, 401 digits
