"""Loading schemes: every refusal rule of the format, with the words and the line it names."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import ras
from tests.paths import FIXTURES, SCHEMES

BAD = sorted((FIXTURES / "bad").glob("*.yaml"))


def _expectation(path: Path) -> tuple[int, list[str]]:
    header = path.read_text().splitlines()[0]
    match = re.fullmatch(r"# refuse: line (\d+) \| (.*)", header)
    assert match, f"{path.name} needs a '# refuse: line N | words' header"
    return int(match.group(1)), [w.strip() for w in match.group(2).split("|")]


def test_there_is_a_bad_fixture_for_each_rule() -> None:
    assert len(BAD) >= 30


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_fixture_is_refused_with_line_and_words(path: Path) -> None:
    line, words = _expectation(path)
    with pytest.raises(ras.SchemeError) as caught:
        ras.load_scheme(path)
    error = caught.value
    assert error.file == str(path)
    message = str(error)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert line in [p.line for p in error.problems], (line, error.problems)
    assert f"line {line}" in message


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_text_is_refused_by_from_yaml_too(path: Path) -> None:
    with pytest.raises(ras.SchemeError):
        ras.Scheme.from_yaml(path.read_text())


def test_the_base_of_the_bad_fixtures_is_valid() -> None:
    scheme = ras.load_scheme(FIXTURES / "valid_small.yaml")
    assert scheme.question_ids == ("speech", "listening", "breaks")
    assert scheme.setting_ids == ("mainstream", "special")


def test_every_example_scheme_loads() -> None:
    paths = sorted(SCHEMES.glob("*.yaml"))
    assert len(paths) >= 3
    for path in paths:
        assert ras.load_scheme(path).source == str(path)


def test_several_problems_are_reported_in_one_error() -> None:
    text = (FIXTURES / "valid_small.yaml").read_text()
    text = text.replace("cap: 12", "cap: -12").replace("rate: 300.2", "rate: lots")
    text = text.replace("{id: lots, points: 6}", "{id: lots, pts: 6}")
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_yaml(text, source="three.yaml")
    paths = {p.key_path for p in caught.value.problems}
    assert {"domains[0].cap", "pricing.education.rate", "domains[0].questions[0].options[2].pts",
            "domains[0].questions[0].options[2].points"} <= paths
    assert "problems in the scheme" in str(caught.value)


def test_several_rule_problems_are_reported_in_one_error() -> None:
    text = (FIXTURES / "valid_small.yaml").read_text()
    text = text.replace("effective_to: 2027-03-31", "effective_to: 2025-03-31")
    text = text.replace("- id: family", "- id: communication")
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_yaml(text)
    messages = " ".join(p.message for p in caught.value.problems)
    assert "before effective_from" in messages
    assert "duplicate domain id" in messages


def test_error_carries_key_path_and_line_as_attributes() -> None:
    text = (FIXTURES / "valid_small.yaml").read_text().replace("points: 2.5", "points: x")
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_yaml(text, source="mine.yaml")
    error = caught.value
    assert error.key_path == "domains[0].questions[1].options[1].points"
    assert error.line == 24  # the line of "- {id: some, points: 2.5}"
    assert error.file == "mine.yaml"
    assert isinstance(error, ValueError)


def test_from_dict_takes_plain_data_with_dates_and_floats() -> None:
    data = yaml.safe_load((FIXTURES / "valid_small.yaml").read_text())
    data["effective_from"] = "2026-04-01"
    data["effective_to"] = dt.date(2027, 3, 31)
    scheme = ras.Scheme.from_dict(data)
    assert scheme.effective_from == dt.date(2026, 4, 1)
    # 300.2 as a float is taken by its shortest repr, exactly 300.2 pounds a point
    assert scheme.model.pricing["education"].rate == Decimal("300.2")
    assert scheme.fingerprint == ras.load_scheme(FIXTURES / "valid_small.yaml").fingerprint


def test_from_dict_refuses_nan_and_objects() -> None:
    data = yaml.safe_load((FIXTURES / "valid_small.yaml").read_text())
    data["pricing"]["education"]["rate"] = float("nan")
    data["name"] = object()
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_dict(data)
    text = str(caught.value)
    assert "pricing.education.rate: nan is not a finite number" in text
    assert "name: must be plain data" in text


def test_a_missing_file_is_a_scheme_error() -> None:
    with pytest.raises(ras.SchemeError, match="cannot read the file"):
        ras.load_scheme("no/such/scheme.yaml")


def test_yaml_1_2_scalars_keep_yes_and_no_as_text() -> None:
    text = (FIXTURES / "valid_small.yaml").read_text()
    text = text.replace("{id: none, points: 0}\n          - {id: some, points: 4}",
                        "{id: no, points: 0}\n          - {id: yes, points: 4}")
    scheme = ras.Scheme.from_yaml(text)
    assert scheme.option_ids["breaks"] == ("no", "yes")


def test_scheme_is_immutable() -> None:
    scheme = ras.load_scheme(FIXTURES / "valid_small.yaml")
    with pytest.raises(AttributeError):
        scheme.id = "other"  # type: ignore[misc]
    pricing = scheme.model.pricing["education"]
    rate = pricing.rate
    with pytest.raises((TypeError, ValueError, AttributeError)):  # whatever pydantic raises
        pricing.rate = Decimal(1)  # type: ignore[misc]
    assert pricing.rate == rate
    assert not scheme.compiled.option_points.flags.writeable


def test_fingerprint_ignores_neutral_spellings_and_sees_real_changes() -> None:
    text = (FIXTURES / "valid_small.yaml").read_text()
    base = ras.Scheme.from_yaml(text).fingerprint
    spelled_out = text.replace("    rate: 300.2\n",
                               "    rate: 300.20\n    base: 0\n    minimum: 0.0\n")
    assert ras.Scheme.from_yaml(spelled_out).fingerprint == base
    assert ras.Scheme.from_yaml(text.replace("rate: 300.2", "rate: 300.3")).fingerprint != base
    assert ras.Scheme.from_yaml(text.replace("    rate: 300.2\n",
                                             "    rate: 300.2\n    base: 1\n")).fingerprint != base


FREE_IDS = """
ras_scheme: 1
id: free-ids
name: Ids as a council writes them
version: "1"
effective_from: 2026-04-01
domains:
  - id: Cyfathrebu a rhyngweithio
    questions:
      - id: iaith ŵyr
        options:
          - {id: none, points: 0}
          - {id: "1:1", points: 5}
pricing:
  education: {method: rate, rate: 1000}
settings:
  early years: {element1: 0, element2: 0, ras_covers: additional_support}
  mainstream: {element1: 4500, element2: 6000, ras_covers: additional_support}
"""


def test_ids_are_any_text_the_format_page_allows() -> None:
    """The format page sets no alphabet for ids: spaces, colons and Welsh letters load, and
    every route reads them."""
    import pandas as pd

    scheme = ras.Scheme.from_yaml(FREE_IDS)
    budget = scheme.calculate({"iaith ŵyr": "1:1"}, setting="early years")
    assert budget.element3 == Decimal("5000.00")  # 5 points x £1,000, nothing deducted
    frame = scheme.calculate_frame(pd.DataFrame({"iaith ŵyr": ["1:1", "none"],
                                                 "setting": ["early years", "mainstream"]}))
    assert frame["points_Cyfathrebu a rhyngweithio"].tolist() == [5.0, 0.0]
    assert frame["element3"].tolist() == [5000.0, 0.0]
    cheaper = scheme.with_changes({"settings.early years.element2": 1000})
    assert cheaper.calculate({"iaith ŵyr": "1:1"}, setting="early years").element3 == 4000
    assert "Cyfathrebu a rhyngweithio" in budget.explain().to_text()


@pytest.mark.parametrize("bad", [" early years", "early years ", "early\tyears", ""])
def test_an_id_with_a_space_at_either_end_or_a_control_character_is_refused(bad: str) -> None:
    text = FREE_IDS.replace("  early years:", f"  {yaml.safe_dump(bad).splitlines()[0]}:")
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_yaml(text)
    assert "settings" in str(caught.value)
    assert caught.value.problems[0].line == 17  # the line of that setting


def test_in_force_takes_iso_text_and_refuses_what_is_not_a_date() -> None:
    # a text date was a TypeError from comparing a date with a str, not a RasError
    scheme = ras.load_scheme(SCHEMES / "points_rate.yaml")  # 1 April 2026 to 31 March 2027
    assert scheme.in_force("2027-03-31")
    assert not scheme.in_force("2027-04-01")
    for bad in ("1 April 2026", 20260401, dt.datetime(2026, 9, 1)):
        with pytest.raises(ras.UsageError, match="in_force needs a date"):
            scheme.in_force(bad)  # type: ignore[arg-type]
