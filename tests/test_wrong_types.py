"""A public entry point given an argument of the wrong kind refuses it with a UsageError that
names what it takes and what it was given, never Python's own TypeError or AttributeError
(found by calling each with 5, None and text: issue 13's standard, the errfixes session)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ras
from tests.paths import SCHEMES

SCHEME = ras.load_scheme(SCHEMES / "points_rate.yaml")
COHORT = pd.DataFrame([dict.fromkeys(SCHEME.question_ids, 0) | {"setting": "mainstream"}])
PATH = "load_scheme takes a path (text or a pathlib.Path), not "

CALLS: list[tuple[str, Callable[[], Any], str]] = [
    ("load_scheme(5)", lambda: ras.load_scheme(5), PATH + "an int"),  # type: ignore[arg-type]
    ("load_schemes(None)", lambda: ras.load_schemes(None),  # type: ignore[arg-type]
     "load_schemes takes a path (text or a pathlib.Path), not None"),
    ("run_cases(5)", lambda: ras.run_cases(5),  # type: ignore[arg-type]
     "run_cases takes a path (text or a pathlib.Path), not an int"),
    ("run_cases(scheme=5)", lambda: ras.run_cases("c.yaml", scheme=5),  # type: ignore[arg-type]
     "run_cases runs against a ras.Scheme (or the file's own, with scheme=None), not an int"),
    ("Plan(5)", lambda: ras.Plan(5), "Plan() takes a list of lines, not an int"),  # type: ignore[arg-type]
    ("SchemeSet(5)", lambda: ras.SchemeSet(5),  # type: ignore[arg-type]
     "SchemeSet() takes a list of ras.Scheme objects, not an int"),
    ("SchemeSet('x')", lambda: ras.SchemeSet("x"),  # type: ignore[arg-type]
     "SchemeSet() takes a list of ras.Scheme objects, not a str"),
    ("SchemeSet([5])", lambda: ras.SchemeSet([5]),  # type: ignore[list-item]
     "schemes[0] is an int, not a ras.Scheme"),
    ("protect(5)", lambda: ras.protect(5, max_loss=0.1),  # type: ignore[arg-type]
     "protect takes a comparison (ras.compare(base, reform, cohort)), not an int"),
    ("total_pounds('x')", lambda: ras.total_pounds("x"),
     "total_pounds totals amounts in pounds"),
    ("total_pounds([object()])", lambda: ras.total_pounds([object()]),
     "total_pounds totals amounts in pounds"),
    ("compare(scheme, 5, cohort)", lambda: ras.compare(SCHEME, 5, COHORT),  # type: ignore[arg-type]
     "compare takes two ras.Scheme objects; the reform is an int"),
    ("calculate_file(5, ...)", lambda: ras.calculate_file(5, "a.csv", "b.csv"),  # type: ignore[arg-type]
     "calculate_file scores with a ras.Scheme, not an int"),
    ("calculate_file(scheme, 5, ...)", lambda: ras.calculate_file(SCHEME, 5, "b.csv"),  # type: ignore[arg-type]
     "calculate_file takes a path (text or a pathlib.Path), not an int"),
]


@pytest.mark.parametrize(("call", "words"), [c[1:] for c in CALLS], ids=[c[0] for c in CALLS])
def test_a_wrong_kind_of_argument_is_a_usage_error_that_says_what_is_taken(
        call: Callable[[], Any], words: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # nothing a call might touch is anywhere real
    with pytest.raises(ras.UsageError) as raised:
        call()
    assert str(raised.value).startswith(words)
