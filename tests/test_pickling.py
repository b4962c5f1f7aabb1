"""Schemes, budgets and every error pickle and copy to equal objects (issue 13, item 14).

Dask, Spark and process pools ship a scheme to their workers by pickling it, and ship errors
back the same way: an AnswerError that could not be unpickled hung a multiprocessing pool for
ever.
"""

from __future__ import annotations

import copy
import multiprocessing
import pickle
from typing import Any

import pandas as pd
import pytest

import ras
from ras._base import ALL_ROWS, AnswerProblem, MissingFileError, PlanProblem, Problem
from tests.toy_scheme import cohort, toy

ANSWERS = {"expressive_language": "some", "social": "substantial", "family_support": "lots"}


@pytest.fixture(scope="module")
def scheme() -> ras.Scheme:
    return toy(indicative_range={"below": "0.1", "above": "0.2"})


@pytest.mark.parametrize("duplicate", [lambda x: pickle.loads(pickle.dumps(x)), copy.deepcopy,
                                       copy.copy], ids=["pickle", "deepcopy", "copy"])
def test_a_scheme_copies_to_an_equal_scheme_that_calculates_alike(
        scheme: ras.Scheme, duplicate: Any) -> None:
    again = duplicate(scheme)
    assert again == scheme
    assert again.fingerprint == scheme.fingerprint
    assert (again.source, again.model) == (scheme.source, scheme.model)
    pd.testing.assert_frame_equal(again.calculate_frame(cohort()),
                                  scheme.calculate_frame(cohort()))
    with pytest.raises(AttributeError):
        again.anything = 1  # type: ignore[attr-defined]


def test_a_loaded_scheme_keeps_its_source_through_pickle() -> None:
    from tests.paths import SCHEMES

    loaded = ras.load_scheme(SCHEMES / "points_rate.yaml")
    again = pickle.loads(pickle.dumps(loaded))
    assert (again, again.source) == (loaded, loaded.source)


@pytest.mark.parametrize("duplicate", [lambda x: pickle.loads(pickle.dumps(x)), copy.deepcopy,
                                       copy.copy], ids=["pickle", "deepcopy", "copy"])
def test_a_budget_copies_to_an_equal_budget(scheme: ras.Scheme, duplicate: Any) -> None:
    budget = scheme.calculate(ANSWERS, setting="mainstream")
    again = duplicate(budget)
    assert again == budget
    assert hash(again) == hash(budget)
    assert again.to_record() == budget.to_record()
    assert again.ranges == budget.ranges
    assert again.explain().to_text() == budget.explain().to_text()


def test_budgets_of_other_children_are_not_equal(scheme: ras.Scheme) -> None:
    budget = scheme.calculate(ANSWERS, setting="mainstream")
    assert budget != scheme.calculate(ANSWERS, setting="unit")
    assert budget != scheme.calculate(ANSWERS | {"social": "none"}, setting="mainstream")
    assert budget != scheme.with_changes({"pricing.education.rate": 999}).calculate(
        ANSWERS, setting="mainstream")


def _every_subclass(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_every_subclass(sub)]
    return found


EXAMPLES: dict[str, ras.RasError] = {
    "SchemeError": ras.SchemeError([Problem("pricing.rate", "must be a number", 4, "s.yaml"),
                                    Problem("id", "must be a slug", 2, "s.yaml")], "s.yaml"),
    "AnswerError": ras.AnswerError([AnswerProblem("c1", "speech", "unknown option 'x'"),
                                    AnswerProblem(ALL_ROWS, "setting", "no column")], 7),
    "FingerprintError": ras.FingerprintError(recorded="abc", expected="def",
                                             recorded_scheme="'a' version '1'", scheme="b"),
    "RecordError": ras.RecordError("inputs: not a mapping", key_path="inputs"),
    "PlanError": ras.PlanError([PlanProblem(1, "Tutor", "no stream", child="c", row=3)]),
    "CalculationError": ras.CalculationError("no scheme in force"),
    "DecisionError": ras.DecisionError("a reason is required"),
    "UsageError": ras.UsageError("errors must be 'raise' or 'flag'"),
    "MissingFileError": MissingFileError("cohort.csv: no such file"),
}


def test_every_ras_error_has_an_example() -> None:
    names = {cls.__name__ for cls in _every_subclass(ras.RasError)
             if not cls.__name__.startswith("_")}
    assert names <= set(EXAMPLES), names - set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_ras_error_round_trips_through_pickle(name: str) -> None:
    error = EXAMPLES[name]
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error)
    assert again.args == error.args
    assert vars(again) == vars(error)
    assert copy.deepcopy(error).args == error.args


def test_an_error_raised_by_ras_round_trips(scheme: ras.Scheme) -> None:
    with pytest.raises(ras.AnswerError) as caught:
        scheme.calculate(ANSWERS | {"social": "lots"}, setting="home")
    again = pickle.loads(pickle.dumps(caught.value))
    assert (again.problems, again.rows, again.questions) == (
        caught.value.problems, caught.value.rows, caught.value.questions)


def _score(job: tuple[ras.Scheme, dict[str, Any], str]) -> str:
    scheme, answers, setting = job
    return str(scheme.calculate(answers, setting=setting).personal_sen_budget)


def _refuse(setting: str) -> str:
    return str(toy().calculate(ANSWERS, setting=setting).personal_sen_budget)


def test_an_answer_error_in_a_pool_worker_reaches_the_caller(scheme: ras.Scheme) -> None:
    """The scheme goes to the worker by pickle, and the AnswerError comes back by pickle; before
    errors could be unpickled the pool waited for ever, so the wait here is bounded."""
    jobs = [(scheme, ANSWERS, "mainstream"), (scheme, ANSWERS | {"social": "often"}, "unit")]
    pool = multiprocessing.get_context("fork").Pool(1)
    try:
        assert pool.map_async(_score, jobs[:1]).get(timeout=20) == ["2000.00"]
        with pytest.raises(ras.AnswerError, match="unknown setting 'home'"):
            pool.map_async(_refuse, ["home"]).get(timeout=20)  # only the error is pickled
        with pytest.raises(ras.AnswerError) as caught:
            pool.map_async(_score, jobs).get(timeout=20)
        assert caught.value.question == "social"
        assert "unknown option 'often'" in str(caught.value)
    finally:
        pool.terminate()
        pool.join()
