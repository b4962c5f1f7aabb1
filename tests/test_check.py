"""The scheme checker: one small scheme per finding, and properties that tie its exact bounds to
what the engine actually gives children."""

from __future__ import annotations

import copy
import itertools
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given

import ras
from ras._changes.check import _stream_ranges, price
from tests import strategies
from tests.paths import SCHEMES


def scheme(**changes: Any) -> dict[str, Any]:
    """A small clean scheme: one education question scoring 0, 5 or 10 points at £100 a point,
    one setting with no elements. Keyword arguments replace top-level keys."""
    data: dict[str, Any] = {
        "ras_scheme": 1, "id": "check-test", "name": "Check test", "version": "1",
        "effective_from": "2026-04-01",
        "domains": [{"id": "d", "questions": [{"id": "q", "options": [
            {"id": "a", "points": 0}, {"id": "b", "points": 5}, {"id": "c", "points": 10}]}]}],
        "pricing": {"education": {"method": "rate", "rate": 100}},
        "settings": {"mainstream": {"element1": 0, "element2": 0,
                                    "ras_covers": "additional_support"}},
    }
    data.update(changes)
    return data


def findings(data: dict[str, Any], severity: str | None = None) -> list[ras.Finding]:
    found = ras.Scheme.from_dict(data).check()
    return [f for f in found if severity is None or f.severity == severity]


def at(data: dict[str, Any], key_path: str) -> list[ras.Finding]:
    return [f for f in findings(data) if f.key_path == key_path]


def options(*points: float) -> list[dict[str, Any]]:
    return [{"id": f"o{i}", "points": p} for i, p in enumerate(points)]


def bands(*rows: tuple[float, float]) -> dict[str, Any]:
    return {"method": "bands", "bands": [{"label": chr(65 + i), "from_points": f, "amount": a}
                                         for i, (f, a) in enumerate(rows)]}


def test_a_clean_scheme_has_no_warnings() -> None:
    assert findings(scheme(), "warning") == []


@pytest.mark.parametrize("path", sorted(SCHEMES.glob("*.yaml")), ids=lambda p: p.name)
def test_the_example_schemes_have_no_warnings(path: Any) -> None:
    assert [str(f) for f in ras.load_scheme(path).check() if f.severity == "warning"] == []


def test_options_out_of_order() -> None:
    data = scheme()
    data["domains"][0]["questions"][0]["options"] = options(0, 10, 5, 7, 12)
    found = findings(data, "warning")
    assert [f.key_path for f in found] == ["domains[0].questions[0].options[2].points",
                                           "domains[0].questions[0].options[3].points"]
    assert "fewer than 'o1'" in found[0].message
    assert "least to most need" in found[0].message


def test_negative_points_are_reported_as_info() -> None:
    data = scheme()
    data["domains"][0]["questions"][0]["options"] = options(-2, 0, 5)
    [found] = at(data, "domains[0].questions[0].options[0].points")
    assert found.severity == "info"
    assert "-2 points" in found.message
    assert "carer" in found.message


def test_a_band_above_the_largest_possible_points() -> None:
    data = scheme(pricing={"education": bands((0, 0), (5, 1000), (10, 2000), (10.5, 3000))})
    [found] = at(data, "pricing.education.bands[3].from_points")
    assert found.severity == "warning"
    assert "no child can reach band 'D'" in found.message
    assert "the most a child can score in stream 'education' is 10" in found.message
    assert at(data, "pricing.education.bands[2].from_points") == []  # exactly reachable


def test_a_band_below_the_fewest_possible_points() -> None:
    data = scheme(pricing={"education": bands((0, 0), (5, 1000), (8, 2000))})
    data["domains"][0]["questions"][0]["options"] = options(6, 10)
    [found] = at(data, "pricing.education.bands[0].from_points")
    assert "no child is in band 'A'" in found.message
    assert "at least 6 points" in found.message
    assert at(data, "pricing.education.bands[1].from_points") == []


def test_a_step_no_child_reaches() -> None:
    table = {"method": "steps", "steps": [{"from_points": 0, "rate": 10},
                                          {"from_points": 20, "rate": 50}]}
    [found] = at(scheme(pricing={"education": table}), "pricing.education.steps[1].from_points")
    assert "no child can reach step from 20" in found.message


def test_refer_above_no_child_can_reach() -> None:
    data = scheme(pricing={"education": {"method": "rate", "rate": 100, "refer_above": 10}})
    [found] = at(data, "pricing.education.refer_above")
    assert found.severity == "warning"
    assert "no child can score above refer_above 10" in found.message
    data["pricing"]["education"]["refer_above"] = 9.5
    assert at(data, "pricing.education.refer_above") == []


def test_refer_above_below_the_largest_band() -> None:
    table = bands((0, 0), (4, 1000), (7, 2000)) | {"refer_above": 6}
    [found] = at(scheme(pricing={"education": table}), "pricing.education.refer_above")
    assert "below the start of band 'C'" in found.message
    assert "never used" in found.message


def test_a_cap_reached_by_the_lowest_answers_makes_every_answer_pointless() -> None:
    data = scheme()
    data["domains"][0] |= {"cap": 3, "questions": [
        {"id": "q1", "options": options(2, 4)}, {"id": "q2", "options": options(2, 6)}]}
    [found] = at(data, "domains[0].cap")
    assert found.severity == "warning"
    assert "no answer in domain 'd' ever changes the result" in found.message


def test_a_cap_one_question_reaches_alone() -> None:
    data = scheme()
    data["domains"][0] |= {"cap": 10, "weight": 2, "questions": [
        {"id": "q1", "options": options(0, 2, 5, 8)}, {"id": "q2", "options": options(0, 1)}]}
    [found] = at(data, "domains[0].cap")
    assert found.severity == "warning"
    assert "question 'q1' alone" in found.message
    assert "'o2' and 'o3' always give the domain the same points" in found.message


def test_a_cap_never_reached_is_info() -> None:
    data = scheme()
    data["domains"][0]["cap"] = 12
    [found] = at(data, "domains[0].cap")
    assert found.severity == "info"
    assert "never reached" in found.message


@pytest.mark.parametrize(("covers", "element1", "element2", "warned", "what"), [
    ("additional_support", 0, 1000, True, "element 2 (£1,000)"),
    ("additional_support", 5000, 999.99, False, ""),
    ("whole_place", 600, 400, True, "element 1 + element 2 (£1,000)"),
    ("top_up", 5000, 6000, False, ""),
])
def test_a_setting_that_never_gets_a_top_up(covers: str, element1: float, element2: float,
                                            warned: bool, what: str) -> None:
    data = scheme(settings={"here": {"element1": element1, "element2": element2,
                                     "ras_covers": covers}})
    found = at(data, "settings.here.element2")
    assert bool(found) is warned
    if warned:
        assert what in found[0].message
        assert "largest education amount the scheme can give in setting 'here' (£1,000)" in (
            found[0].message)


def test_a_setting_with_its_own_pricing_is_judged_on_it() -> None:
    data = scheme(settings={"special": {
        "element1": 4000, "element2": 6000, "ras_covers": "whole_place",
        "pricing": {"education": bands((0, 10000), (5, 16000))}}})
    assert at(data, "settings.special.element2") == []
    data["settings"]["special"]["pricing"]["education"] = bands((0, 10000), (50, 16000))
    [found] = at(data, "settings.special.element2")  # band B is out of reach: £10,000 at most
    assert "(£10,000)" in found.message


def test_the_largest_jump_for_one_more_point_in_each_table() -> None:
    data = scheme(pricing={"education": bands((0, 0), (5, 1500), (8, 2800))})
    data["domains"][0]["questions"][0]["options"] = options(0, 3, 5, 8, 10)
    data["settings"]["special"] = {"element1": 0, "element2": 0, "ras_covers": "top_up",
                                   "pricing": {"education": {"method": "rate", "rate": 250}}}
    [cliff] = at(data, "pricing.education.bands[1]")
    assert cliff.severity == "info"
    assert "from 4 to 5 points the education amount goes from £0 to £1,500 (+£1,500)" in (
        cliff.message)
    [own] = at(data, "settings.special.pricing.education")
    assert "(+£250)" in own.message


def test_the_largest_jump_sees_past_a_clamp_and_the_rounding() -> None:
    table = {"method": "rate", "rate": 285, "base": 1500, "minimum": 2000, "maximum": 3000}
    data = scheme(pricing={"education": table}, rounding={"unit": 10, "mode": "half_up"})
    [cliff] = at(data, "pricing.education")
    assert "(+£290)" in cliff.message  # 285 a point, rounded to tens: some steps are 290


def test_findings_are_plain_values() -> None:
    finding = ras.Finding("pricing.education.rate", "warning", "check this")
    assert str(finding) == "warning: pricing.education.rate: check this"
    with pytest.raises(AttributeError):
        finding.message = "changed"  # type: ignore[misc]


# -- the bounds are exact: tie them to the engine on every child of small random schemes -------


def _every_child(data: dict[str, Any]) -> tuple[ras.Scheme, dict[str, np.ndarray[Any, Any]],
                                                 np.ndarray[Any, Any]] | None:
    built = ras.Scheme.from_dict(data)
    counts = [len(built.option_ids[q]) for q in built.question_ids]
    n = int(np.prod(counts)) * len(built.setting_ids)
    if n > 4000:
        return None
    rows = list(itertools.product(*[range(c) for c in counts], range(len(built.setting_ids))))
    grid = np.array(rows, dtype=np.int64)
    return built, built.calculate_codes(grid[:, :-1], grid[:, -1]), grid[:, -1]


@given(strategies.schemes())
def test_bounds_and_prices_agree_with_the_engine_on_every_child(data: dict[str, Any]) -> None:
    run = _every_child(copy.deepcopy(data))
    if run is None:
        return
    built, out, settings = run
    model = built.model
    ranges = _stream_ranges(model)
    for stream in built.stream_ids:
        if stream not in ranges:
            continue
        points = np.maximum(out[f"{stream}_points"], 0)
        low, high = ranges[stream]
        assert float(low) == pytest.approx(points.min())
        assert float(high) == pytest.approx(points.max())
        for i, setting_id in enumerate(built.setting_ids):
            own = built.settings[setting_id].pricing or {}
            table = own.get(stream) or model.pricing[stream]
            where = np.flatnonzero(settings == i)[:50]
            for row in where:
                expected = price(table, Decimal(repr(float(points[row]))), model)
                amount = out[f"{stream}_amount"][row]
                if expected is None:
                    assert np.isnan(amount)
                else:
                    assert float(expected) == pytest.approx(amount, abs=0.005)


@given(strategies.schemes())
def test_what_the_checker_says_no_child_gets_no_child_gets(data: dict[str, Any]) -> None:
    run = _every_child(copy.deepcopy(data))
    if run is None:
        return
    built, out, settings = run
    for finding in built.check():
        if finding.key_path.endswith(".element2") and finding.severity == "warning":
            setting_id = finding.key_path.split(".")[1]
            rows = settings == built.setting_ids.index(setting_id)
            element3 = out["element3"][rows]
            assert np.all(np.isnan(element3) | (element3 == 0)), finding
        if "no child can score above refer_above" in finding.message and \
                finding.key_path.startswith("pricing."):
            stream = finding.key_path.split(".")[1]
            own = [i for i, s in enumerate(built.setting_ids)
                   if stream in (built.settings[s].pricing or {})]
            rows = ~np.isin(settings, own)
            assert not np.isnan(out[f"{stream}_amount"][rows]).any(), finding


@given(strategies.schemes(monotone=True))
def test_monotone_schemes_have_no_options_out_of_order(data: dict[str, Any]) -> None:
    found = ras.Scheme.from_dict(data).check()
    assert not [f for f in found if "least to most need" in f.message]


def test_a_clamp_that_rounding_steps_past() -> None:
    """Clamped, then rounded (the format's order): with £100 units rounded half up, 10 points
    at £100 = £1,000 is cut to a maximum of £950 and then paid as £1,000, above the maximum; a
    minimum of £250 rounded down pays £200, below it. A maximum of £900 is a whole unit."""
    data = scheme(pricing={"education": {"method": "rate", "rate": 100, "maximum": 950}},
                  rounding={"unit": 100, "mode": "half_up"})
    [finding] = at(data, "pricing.education.maximum")
    assert finding.severity == "warning"
    assert "paid as £1,000, above the maximum" in finding.message
    paid = ras.Scheme.from_dict(data).calculate({"q": "c"}, setting="mainstream")
    assert paid.stream_amounts["education"] == Decimal("1000.00")  # what the warning says
    data = scheme(pricing={"education": {"method": "rate", "rate": 100, "minimum": 250}},
                  rounding={"unit": 100, "mode": "down"})
    [finding] = at(data, "pricing.education.minimum")
    assert "paid as £200, below the minimum" in finding.message
    for rounding in ({"unit": 100, "mode": "up"}, {"unit": 100, "mode": "half_up"}):
        data = scheme(pricing={"education": {"method": "rate", "rate": 100, "minimum": 250,
                                             "maximum": 900}}, rounding=rounding)
        assert at(data, "pricing.education.minimum") == []  # rounded up: above the minimum
        assert at(data, "pricing.education.maximum") == []
