"""The public namespace is exactly ``__all__``, sorted, and every documented name is in it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import ras
from tests.paths import SCHEMES

DOCUMENTED = {"load_scheme", "Scheme", "Budget", "RasError", "SchemeError", "AnswerError",
              "Letter", "refusal_letter",  # letters.md
              "service"}  # ras.service.create_app (service.md)


def test_namespace_equals_all() -> None:
    public = {name for name in vars(ras) if not name.startswith("_")}
    assert public == set(ras.__all__) - {"__version__"}


def test_all_is_sorted_and_has_the_documented_names() -> None:
    assert list(ras.__all__) == sorted(ras.__all__)
    assert set(ras.__all__) >= DOCUMENTED


def test_error_hierarchy() -> None:
    for error in (ras.SchemeError, ras.AnswerError, ras.CalculationError):
        assert issubclass(error, ras.RasError)
    assert issubclass(ras.RasError, ValueError)


def test_every_error_a_caller_can_cause_is_a_ras_error(tmp_path: Path) -> None:
    """api.md: all errors derive from ras.RasError. Calls that ras cannot make sense of raise
    UsageError, which is also the built-in error such code used to raise."""
    scheme = ras.load_scheme(SCHEMES / "points_rate.yaml")
    cohort = pd.DataFrame({q: [0] for q in scheme.question_ids}).assign(
        setting=scheme.setting_ids[0])
    encoded = scheme.encode(cohort)
    calls: list[tuple[Callable[[], object], type[Exception]]] = [
        (lambda: scheme.calculate_codes(encoded.codes, encoded.settings, columns=["nope"]),
         KeyError),
        (lambda: scheme.calculate_frame(cohort, errors="x"), ValueError),  # type: ignore[arg-type]
        (lambda: scheme.calculate_frame(cohort.to_dict()), TypeError),  # type: ignore[arg-type]
        (lambda: scheme.explain_frame(cohort, rows=["no such row"]), KeyError),
        (lambda: ras.calculate_file(scheme, tmp_path / "absent.csv", tmp_path / "out.csv"),
         FileNotFoundError),
        (lambda: ras.compare(scheme, scheme, cohort, measure="money"), ValueError),
    ]
    for call, builtin in calls:
        with pytest.raises(ras.RasError) as caught:
            call()
        assert isinstance(caught.value, builtin), caught.value
        assert "'" not in str(caught.value)[:1]  # the message, not a quoted repr of it


def test_one_column_name_is_one_column() -> None:
    scheme = ras.load_scheme(SCHEMES / "points_rate.yaml")
    cohort = pd.DataFrame({q: [1] for q in scheme.question_ids}).assign(
        setting=scheme.setting_ids[0])
    encoded = scheme.encode(cohort)
    one = scheme.calculate_codes(encoded.codes, encoded.settings, columns="element3")
    assert list(one) == ["element3"]
