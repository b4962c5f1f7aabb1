"""A value changed in place (a sweep's variants) is the scheme a full load of the changed data
gives, or is left to that full load: never a scheme the loader would refuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import ras
from ras._changes.reform import _set, parameter_table
from ras._format import model_changed, model_from_data
from tests.strategies import schemes
from tests.toy_scheme import toy

VALUES = st.one_of(
    st.sampled_from([Decimal(0), Decimal(1), Decimal("-1"), Decimal("0.5"), Decimal("0.001"),
                     Decimal("1E+12"), Decimal("12345.67"), None, "x", "two\nlines", "a\x00b",
                     "", dt.date(2026, 4, 1), 0.1, float("nan")]),
    st.decimals(min_value=-1000, max_value=100_000, places=2, allow_nan=False),
)


def _full(scheme: ras.Scheme, key: tuple[str | int, ...], value: Any) -> ras.Scheme | None:
    data = dict(ras.Scheme.from_dict(scheme.model.model_dump()).model.model_dump())
    _set(data, key, value)
    try:
        return ras.Scheme(model_from_data(data))
    except ras.SchemeError:
        return None


@given(schemes(), st.data(), VALUES)
def test_a_change_in_place_equals_a_full_load(generated: dict[str, object], data: st.DataObject,
                                              value: Any) -> None:
    scheme = ras.Scheme.from_dict(generated)
    table = parameter_table(scheme.model)
    path = data.draw(st.sampled_from(sorted(table)))
    key = table[path].key
    fast = model_changed(scheme.model, [(key, value)])
    full = _full(scheme, key, value)
    if fast is None:
        return  # left to the full load: nothing to compare
    assert full is not None, f"{path} = {value!r} was accepted in place, refused by a load"
    assert fast == full.model
    assert ras.Scheme(fast).fingerprint == full.fingerprint


def test_refused_changes_are_left_to_the_full_load() -> None:
    model = toy().model
    assert model_changed(model, [(("pricing", "education", "rate"), Decimal(-1))]) is None
    assert model_changed(model, [(("pricing", "education", "rate"), Decimal("0.1234567"))]) is None
    assert model_changed(model, [(("pricing", "education", "rate"), float("inf"))]) is None
    assert model_changed(model, [(("name",), "a\x00b")]) is None
    changed = model_changed(model, [(("pricing", "education", "rate"), Decimal(1100))])
    assert changed is not None
    assert changed.pricing["education"].rate == Decimal(1100)
    assert model.pricing["education"].rate == Decimal(1000)  # the original is untouched
