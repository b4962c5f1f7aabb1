"""The public namespace is exactly ``__all__``, sorted, and every documented name is in it."""

from __future__ import annotations

import ras

DOCUMENTED = {"load_scheme", "Scheme", "Budget", "RasError", "SchemeError", "AnswerError"}


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
