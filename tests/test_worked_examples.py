"""Worked examples for the example scoring schemes in ``scoring_schemes/``.

The children are in ``examples/*.cases.yaml``, the format councils use for their own worked
examples (``ras test``, ``ras.run_cases``; docs/worked-examples.md): every expected figure there
was computed by hand from the scheme file and the rules of the scheme format (version 1), and the
arithmetic is written out in the comments so that a council officer can follow it without
reading the engine. The examples are the contract: if the engine disagrees with one of them, the
engine is wrong (or the hand arithmetic is, and the comment shows where). Each child is one test
here, so the cases format itself is tested on real cases.

Rules used (scheme format, "How a budget is calculated"):

1. question points = points of the chosen option;
2. domain points = min(cap, weight x sum of its question points);
3. stream points = sum of that stream's domain points;
4. stream amount = pricing (rate: base + points x rate; bands: highest band reached;
   steps: marginal sum), clamped to [minimum, maximum], rounded to the unit with the mode;
   the indicative range is the rounded amount x (1 - below) and x (1 + above), each
   rounded the same way; above refer_above there is no amount and the case goes to panel,
   as it does when the amount was clamped at maximum;
5. element 3 = max(0, amount - element2) for additional_support,
   max(0, amount - element1 - element2) for whole_place, the amount itself for top_up;
6. personal SEN budget = element 3; total personal budget = element 3 + the other streams.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

import ras

SCHEMES = Path(__file__).parents[1] / "scoring_schemes"
EXAMPLES = Path(__file__).parents[1] / "examples"
CASE_FILES = sorted(EXAMPLES.glob("*.cases.yaml"))

Answers = dict[str, str | int]


def D(value: str) -> Decimal:  # noqa: N802 - reads like the Decimal it builds
    return Decimal(value)


def _children(path: Path) -> list[tuple[str, str, Answers]]:
    """(first name, setting, answers) of each case, read as plain YAML."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(case["name"].split(",")[0].lower(), case["setting"], case["answers"])
            for case in data["cases"]]


def test_every_example_scheme_has_its_hand_worked_children() -> None:
    stems = sorted(p.name.removesuffix(".cases.yaml") for p in CASE_FILES)
    assert stems == sorted(p.stem for p in SCHEMES.glob("*.yaml"))
    for path in CASE_FILES:
        assert len(ras.run_cases(path)) >= 5, path.name


_CASES = [(path, i) for path in CASE_FILES for i in range(len(_children(path)))]


@pytest.mark.parametrize(("path", "index"), _CASES,
                         ids=[f"{p.name.split('.')[0]}-{_children(p)[i][0]}" for p, i in _CASES])
def test_hand_worked_child(path: Path, index: int) -> None:
    result = ras.run_cases(path)[index]
    assert result.expected, "a case that expects nothing tests nothing"
    assert result.passed, result.to_text()


# ---------------------------------------------------------------------------------------------
# The same children as one cohort through calculate_frame: every figure equals calculate's.
# ---------------------------------------------------------------------------------------------

COHORTS: dict[str, list[tuple[str, str, Answers]]] = {
    f"{path.name.removesuffix('.cases.yaml')}.yaml": _children(path) for path in CASE_FILES
}

MONEY_COLUMNS = ("element1", "element2", "element3", "personal_sen_budget", "total_personal_budget")


def _option_ids(path: Path) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        question["id"]: [str(option["id"]) for option in question["options"]]
        for domain in data["domains"]
        for question in domain["questions"]
        if "options" in question  # a number question (version 2) is answered with its number
    }


def _as_form(answers: Answers, options: dict[str, list[str]], form: str) -> Answers:
    """Every answer as an option id, or every answer as a position."""
    if form == "id":
        return {q: options[q][a] if isinstance(a, int) and q in options else a
                for q, a in answers.items()}
    return {q: options[q].index(a) if isinstance(a, str) and q in options else a
            for q, a in answers.items()}


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _same(value: Any, expected: Decimal | None) -> bool:
    if expected is None:
        return _missing(value)
    return not _missing(value) and Decimal(str(value)) == expected


@pytest.mark.parametrize("form", ["id", "position"])
@pytest.mark.parametrize("filename", list(COHORTS))
def test_cohort_frame_matches_single_child_results(filename: str, form: str) -> None:
    scheme = ras.load_scheme(SCHEMES / filename)
    options = _option_ids(SCHEMES / filename)
    children = COHORTS[filename]
    index = pd.Index([name for name, _, _ in children], name="child")
    cohort = pd.DataFrame.from_records(
        [
            _as_form(answers, options, form) | {"setting": setting}
            for _, setting, answers in children
        ],
        index=index,
    )

    frame = scheme.calculate_frame(cohort)

    assert list(frame.index) == list(index)
    assert len(frame) == len(children)
    for name, setting, answers in children:
        budget = scheme.calculate(answers, setting=setting)
        row = frame.loc[name]
        for domain, points in budget.domain_points.items():
            assert _same(row[f"points_{domain}"], points), (name, domain)
        for stream, points in budget.stream_points.items():
            assert _same(row[f"{stream}_points"], points), (name, stream)
            assert _same(row[f"{stream}_amount"], budget.stream_amounts[stream]), (name, stream)
            assert (row[f"{stream}_review"] != "") == (stream in budget.reviews), (name, stream)
            band = budget.bands.get(stream)
            if band is not None:
                assert row[f"{stream}_band"] == band, (name, stream)
            if stream in budget.ranges:
                lower, upper = budget.ranges[stream]
                assert _same(row[f"{stream}_lower"], lower), (name, stream)
                assert _same(row[f"{stream}_upper"], upper), (name, stream)
        for column in MONEY_COLUMNS:
            assert _same(row[column], getattr(budget, column)), (name, column)


def test_cohort_frame_totals_match_hand_figures() -> None:
    # The personal SEN budgets worked out above, summed by hand per scheme:
    # points_rate:   2630 + 2620 + 16000 + 2000 + 0 = 23250
    # banded:        4000 + 7500 + 24000 + 3800 + (Jack missing) -> 39300 over 4 known
    # need_levels:   7500 + 18000 + 5000 + 14000 + 0 = 44500
    expected = {
        "points_rate.yaml": (D("23250"), 0),
        "banded_referral.yaml": (D("39300"), 1),
        "need_levels.yaml": (D("44500"), 0),
    }
    for filename, (total, missing) in expected.items():
        scheme = ras.load_scheme(SCHEMES / filename)
        options = _option_ids(SCHEMES / filename)
        children = COHORTS[filename]
        cohort = pd.DataFrame.from_records(
            [
                _as_form(answers, options, "id") | {"setting": setting}
                for _, setting, answers in children
            ],
            index=[name for name, _, _ in children],
        )
        frame = scheme.calculate_frame(cohort)
        budgets = frame["personal_sen_budget"]
        known = [Decimal(str(v)) for v in budgets if not _missing(v)]
        assert sum(known, Decimal(0)) == total, filename
        assert sum(_missing(v) for v in budgets) == missing, filename


FLAT_HEALTH = """
ras_scheme: 1
id: flat-health
name: Education by points; a flat health amount for every child
version: "1"
effective_from: 2026-04-01
currency: GBP
streams:
  education: {label: Education}
  health: {label: Health}
domains:
  - id: learning
    questions:
      - id: reading
        options:
          - {id: none, points: 0}
          - {id: some, points: 7}
pricing:
  education: {method: rate, rate: 1000}
  health: {method: rate, rate: 10, base: 250, minimum: 300}
settings:
  mainstream: {element1: 4500, element2: 6000, ras_covers: additional_support}
"""


def test_a_stream_without_domains_is_priced_at_zero_points() -> None:
    """Steps 3-4: health has no domains, so 0 points; base £250 + 0 x £10 = £250, clamped up
    to the £300 minimum. Step 6: the total adds it to element 3 (7 x £1,000 - £6,000)."""
    scheme = ras.Scheme.from_yaml(FLAT_HEALTH)
    budget = scheme.calculate({"reading": "some"}, setting="mainstream")
    assert budget.stream_points["health"] == 0
    assert budget.stream_amounts["health"] == Decimal("300.00")
    assert budget.element3 == Decimal("1000.00")
    assert budget.total_personal_budget == Decimal("1300.00")
    frame = scheme.calculate_frame(pd.DataFrame({"reading": ["none", "some"],
                                                 "setting": "mainstream"}))
    assert frame["health_amount"].tolist() == [300.0, 300.0]
    assert frame["total_personal_budget"].tolist() == [300.0, 1300.0]
    assert "£300.00" in budget.explain().to_text()
    [finding] = [f for f in scheme.check() if f.key_path == "pricing.health"]
    assert finding.message.endswith("this table gives each child £300.00")


def test_education_without_domains_is_zero_whatever_its_pricing_says() -> None:
    """Step 5: a scheme with no education domains has an education amount of zero."""
    text = FLAT_HEALTH.replace("  - id: learning\n", "  - id: learning\n    stream: health\n")
    text = text.replace("  education: {method: rate, rate: 1000}",
                        "  education: {method: rate, rate: 1000, base: 500}")
    scheme = ras.Scheme.from_yaml(text)
    budget = scheme.calculate({"reading": "some"}, setting="mainstream")
    assert budget.stream_amounts["education"] == 0
    assert budget.element3 == 0
    assert budget.stream_amounts["health"] == Decimal("320.00")  # 250 + 7 x 10
    assert budget.total_personal_budget == Decimal("320.00")
    [finding] = [f for f in scheme.check() if f.key_path == "pricing.education"]
    assert finding.severity == "warning"
