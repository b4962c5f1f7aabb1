"""A scheme number written -0 (``points: -0.0``) reads 0 in explanations and letters, whatever
was explained before it in the process.

The figures are cached by value (``plain``, ``number``, ``pounds``, ``whole_pounds``), and
Decimal('-0') equals Decimal('0') with the same hash, so the two shared one cache entry: the
first to be printed decided how the other read ("−0 points" or "0 points", "-0" or "0" in
``to_dict``), and one scheme's figure leaked into another's explanation.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

import ras
from ras._reasons import figures


def _scheme(zero: Decimal) -> dict[str, Any]:
    return {
        "ras_scheme": 1, "id": "zero", "name": "Zero", "version": "1",
        "effective_from": dt.date(2026, 4, 1),
        "domains": [{"id": "d", "label": "Area", "questions": [
            {"id": "q", "label": "Question", "options": [
                {"id": "a", "label": "None", "points": zero},
                {"id": "b", "label": "Some", "points": 4}]}]}],
        "pricing": {"education": {"method": "rate", "rate": 100, "base": zero}},
        "settings": {"top": {"element1": 0, "element2": 0, "ras_covers": "top_up"}},
    }


def _forms(scheme: ras.Scheme) -> list[str]:
    budget = scheme.calculate({"q": "a"}, setting="top")
    e = budget.explain()
    letter = budget.letter(child="Sam", date=dt.date(2026, 3, 4))
    return [e.to_text(), e.to_markdown(), e._repr_html_(), json.dumps(e.to_dict()),
            letter.to_text(), letter.to_html(), json.dumps(letter.to_dict())]


def _clear() -> None:
    for cached in (figures.plain, figures.number, figures.pounds, figures.whole_pounds):
        cached.cache_clear()


@pytest.mark.parametrize("first", ["minus zero", "zero"])
def test_minus_zero_reads_as_zero_whichever_scheme_is_explained_first(first: str) -> None:
    minus = ras.Scheme.from_dict(_scheme(Decimal("-0.0")))
    zero = ras.Scheme.from_dict(_scheme(Decimal(0)))
    _clear()
    order = [minus, zero] if first == "minus zero" else [zero, minus]
    told = {id(s): _forms(s) for s in order}
    for forms in told.values():
        assert not any("−0" in f or "-0 " in f or '"-0' in f or "£-0" in f for f in forms)
    data = json.loads(told[id(minus)][3])
    assert data["answers"][0]["points"] == "0"
    assert data["streams"][0]["base"] == "0"
    # the same words as the scheme that wrote 0, but for the fingerprint the texts carry
    assert [f.replace(minus.fingerprint, "") .replace(minus.fingerprint[:12], "")
            for f in told[id(minus)]] == [
        f.replace(zero.fingerprint, "").replace(zero.fingerprint[:12], "")
        for f in told[id(zero)]]


@pytest.mark.parametrize("value", [Decimal("-0"), Decimal("-0.00"), Decimal("-0E+3")])
def test_each_cached_figure_reads_minus_zero_as_zero_when_it_comes_first(value: Decimal) -> None:
    _clear()
    assert str(figures.plain(value)) == "0"
    assert figures.number(value) == "0"
    assert figures.pounds(value) == "£0.00"
    assert figures.whole_pounds(value) == "£0"
