"""The text and numbers of a scheme, read strictly (issue 13, items 9, 10, 11 and 16).

- A label, name, version or id with a line break is refused at load, naming file, line and key:
  in a letter it would print a line of its own ("Indicative personal SEN budget: £99,999.00").
- ``Scheme.from_dict`` refuses the control characters ``from_yaml`` refuses: the same rules.
- Ids are one Unicode form (NFC): "café" typed composed or apart is one id, and two keys that
  differ only so are refused as duplicates.
- A number with more digits than exact decimal arithmetic keeps is refused from its text, before
  Python's 28-digit context could round it to a number it is not.
"""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import ras
from ras._format import decimals
from tests.toy_scheme import TOY, cohort

BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


def _yaml(data: dict[str, Any]) -> str:
    # JSON is YAML: its escapes (\n, \u2028) are YAML double-quoted escapes, one key a line
    return json.dumps(data, indent=1)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _with(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(TOY)
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


PLACES = [
    (("name",), "name"),
    (("version",), "version"),
    (("streams", "education", "label"), "streams.education.label"),
    (("domains", 0, "questions", 0, "label"), "domains[0].questions[0].label"),
    (("domains", 0, "questions", 0, "options", 1, "label"),
     "domains[0].questions[0].options[1].label"),
    (("domains", 0, "questions", 0, "options", 1, "id"),
     "domains[0].questions[0].options[1].id"),
    (("pricing", "social_care", "bands", 1, "label"), "pricing.social_care.bands[1].label"),
]


@pytest.mark.parametrize("brk", BREAKS, ids=[f"U+{ord(b[-1]):04X}" for b in BREAKS])
@pytest.mark.parametrize(("path", "key"), PLACES, ids=[k for _, k in PLACES])
def test_a_line_break_in_a_label_or_id_is_refused_with_file_line_and_key(
        tmp_path: Path, brk: str, path: tuple[str | int, ...], key: str) -> None:
    forged = f"Speech{brk}Indicative personal SEN budget: £99,999.00"
    text = _yaml(_with(path, forged))
    file = tmp_path / "forged.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ras.SchemeError) as caught:
        ras.load_scheme(file)
    problem = caught.value.problems[0]
    assert (problem.file, problem.key_path) == (str(file), key)
    assert problem.line == _line_of(text, json.dumps(forged)[1:-1])
    # from plain data: the same rule, the same key
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_dict(_with(path, forged))
    assert caught.value.problems[0].key_path == key


@pytest.mark.parametrize("brk", ["\n", "\u2028", "\x85"])
def test_a_setting_id_with_a_line_break_is_refused(brk: str) -> None:
    data = copy.deepcopy(TOY)
    data["settings"][f"main{brk}stream"] = data["settings"].pop("mainstream")
    with pytest.raises(ras.SchemeError, match=r"one line|control character"):
        ras.Scheme.from_yaml(_yaml(data))
    with pytest.raises(ras.SchemeError, match=r"one line|control character"):
        ras.Scheme.from_dict(data)


def test_a_folded_block_label_says_how_to_write_it_on_one_line() -> None:
    text = yaml.safe_dump(TOY, sort_keys=False).replace(
        "name: Toy county", "name: >\n  Toy county\n  of the north")
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_yaml(text)
    assert caught.value.key_path == "name"
    assert caught.value.line == _line_of(text, "name: >")
    assert "use >-" in str(caught.value)
    assert ras.Scheme.from_yaml(text.replace("name: >", "name: >-")).name == (
        "Toy county of the north")


CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x80", "\x9b", "\x9f"]


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_from_dict_refuses_the_control_characters_from_yaml_refuses(char: str) -> None:
    label = f"Speech{char}[2J"
    data = _with(("domains", 0, "questions", 0, "label"), label)
    with pytest.raises(ras.SchemeError) as from_yaml:
        ras.Scheme.from_yaml(_yaml(data))
    with pytest.raises(ras.SchemeError) as from_dict:
        ras.Scheme.from_dict(data)
    for caught in (from_yaml, from_dict):
        assert caught.value.key_path == "domains[0].questions[0].label"
        assert "control character" in str(caught.value)


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x85"])
def test_from_dict_refuses_a_control_character_in_a_key(char: str) -> None:
    data = copy.deepcopy(TOY)
    data["settings"][f"un{char}it"] = data["settings"].pop("unit")
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_dict(data)
    assert "contains a control character" in str(caught.value)
    assert caught.value.key_path == "settings"
    assert str(caught.value).isprintable()  # the key is shown escaped


@pytest.mark.parametrize("brk", ["\u2028", "\x85", "\x1b"])
def test_a_message_about_a_key_shows_the_key_escaped(brk: str) -> None:
    data = copy.deepcopy(TOY)
    data["settings"][f"main{brk}stream"] = data["settings"].pop("mainstream")
    with pytest.raises(ras.SchemeError) as from_yaml:
        ras.Scheme.from_yaml(_yaml(data))
    with pytest.raises(ras.SchemeError) as from_dict:
        ras.Scheme.from_dict(data)
    for caught in (from_yaml, from_dict):
        assert str(caught.value).isprintable(), str(caught.value)


NFC, NFD = "caf\u00e9", "cafe\u0301"


def _cafe_option(option_id: str) -> dict[str, Any]:
    return _with(("domains", 0, "questions", 0, "options", 1, "id"), option_id)


@pytest.mark.parametrize("written", [NFC, NFD])
def test_ids_are_one_unicode_form_and_answers_in_either_form_find_them(written: str) -> None:
    scheme = ras.Scheme.from_yaml(_yaml(_cafe_option(written)))
    assert scheme.option_ids["expressive_language"][1] == NFC
    assert scheme == ras.Scheme.from_dict(_cafe_option(NFC))  # one fingerprint
    for answer in (NFC, NFD):
        budget = scheme.calculate({"expressive_language": answer, "social": 0,
                                   "family_support": 0}, setting="mainstream")
        assert budget.answers["expressive_language"] == NFC
        assert budget.domain_points["communication"] == 3
    frame = cohort().astype({"expressive_language": object})
    frame["expressive_language"] = [NFD, NFC, "none", NFD, "none"]
    # option 1 is 3 points; social gives 5, 2, 2, 5, 0
    assert scheme.calculate_frame(frame)["points_communication"].tolist() == [
        8.0, 5.0, 2.0, 8.0, 0.0]


def test_a_cohort_column_named_in_another_unicode_form_is_found() -> None:
    data = _with(("domains", 0, "questions", 1, "id"), f"soci{NFC}")
    scheme = ras.Scheme.from_dict(data)
    frame = cohort().rename(columns={"social": f"soci{NFD}"})
    assert scheme.calculate_frame(frame)["points_communication"].tolist() == [
        10.0, 5.0, 8.0, 10.0, 3.0]


def test_two_options_one_id_in_two_forms_are_duplicates() -> None:
    data = _cafe_option(NFC)
    data["domains"][0]["questions"][0]["options"][2]["id"] = NFD
    with pytest.raises(ras.SchemeError, match="duplicate option id"):
        ras.Scheme.from_yaml(_yaml(data))
    with pytest.raises(ras.SchemeError, match="duplicate option id"):
        ras.Scheme.from_dict(data)


def test_two_setting_keys_one_text_in_two_forms_are_refused_not_merged() -> None:
    data = copy.deepcopy(TOY)
    data["settings"] = {NFC: data["settings"]["mainstream"], NFD: data["settings"]["special"]}
    text = _yaml(data)
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_yaml(text)
    assert "another Unicode form" in str(caught.value)
    assert caught.value.line == _line_of(text, json.dumps(NFD)[1:-1])
    with pytest.raises(ras.SchemeError, match="another Unicode form"):
        ras.Scheme.from_dict(data)


# -- numbers: digits counted from the text ---------------------------------------------------

LONG = ["300.0000000000000000000000000001", "12345678901234567890123.123456",
        "1.000000000000000000000000000001"]


@pytest.mark.parametrize("rate", LONG)
def test_more_digits_than_exact_arithmetic_keeps_are_refused_from_the_text(rate: str) -> None:
    text = yaml.safe_dump(TOY, sort_keys=False).replace("rate: 1000", f"rate: {rate}")
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_yaml(text)
    assert caught.value.key_path == "pricing.education.rate"
    assert caught.value.line == _line_of(text, rate)
    assert "significant digits" in str(caught.value)
    for value in (Decimal(rate), rate):
        with pytest.raises(ras.SchemeError, match="significant digits"):
            ras.Scheme.from_dict(_with(("pricing", "education", "rate"), value))


@pytest.mark.parametrize(("path", "value"), [
    (("domains", 0, "weight"), "1.0000000000000000000000000001"),
    (("settings", "mainstream", "element2"), "6000.0000000000000000000000001"),
    (("domains", 0, "questions", 0, "options", 1, "points"), "3.0000000000000000000000000001"),
])
def test_long_numbers_are_refused_wherever_they_are(path: tuple[str | int, ...],
                                                    value: str) -> None:
    with pytest.raises(ras.SchemeError, match="significant digits"):
        ras.Scheme.from_dict(_with(path, Decimal(value)))


def test_decimals_are_counted_exactly() -> None:
    assert decimals(Decimal("300.0000000000000000000000000001")) == 28
    assert decimals(Decimal("1.50")) == 1
    assert decimals(Decimal("300")) == 0
    assert decimals(Decimal("0.000")) == 0
    assert decimals(Decimal("1E+3")) == 0
    assert decimals(Decimal("-2.5E-7")) == 8


def test_many_trailing_zeros_are_the_number_they_spell() -> None:
    text = yaml.safe_dump(TOY, sort_keys=False).replace(
        "rate: 1000", "rate: 1000.000000000000000000000000000000000000")
    assert ras.Scheme.from_yaml(text) == ras.Scheme.from_dict(TOY)


@given(st.lists(st.decimals(min_value=0, max_value=Decimal("99999999999999999999.999999"),
                            places=6, allow_nan=False, allow_infinity=False),
                min_size=2, max_size=2, unique=True))
def test_different_rates_have_different_fingerprints(rates: list[Decimal]) -> None:
    first, second = (ras.Scheme.from_dict(_with(("pricing", "education", "rate"), r))
                     for r in rates)
    assert first.fingerprint != second.fingerprint
    assert first.model.pricing["education"].rate == rates[0]


def test_a_cohort_is_still_scored_alike() -> None:
    pd.testing.assert_frame_equal(ras.Scheme.from_dict(TOY).calculate_frame(cohort()),
                                  ras.Scheme.from_yaml(_yaml(TOY)).calculate_frame(cohort()))


@pytest.mark.parametrize("brk", ["\n", "\r", "\u2028", "\u2029", "\r\n\r\n", " \n\t "])
def test_a_line_break_in_a_description_is_collapsed_in_the_text_explanation(brk: str) -> None:
    """Descriptions (format version 2) are sentences and may be written over lines; wherever
    text is written, a break in one is a space: the letter reads as if it had been one."""
    from tests.paths import SCHEMES

    data = yaml.safe_load((SCHEMES / "early_years_inclusion.yaml").read_text(encoding="utf-8"))

    def explained(description: str) -> ras.Explanation:
        edited = copy.deepcopy(data)
        edited["domains"][0]["questions"][0]["options"][2]["description"] = description
        scheme = ras.Scheme.from_dict(edited)
        answers = dict.fromkeys(scheme.question_ids, 0) | {"talking_listening": "significant"}
        return scheme.calculate(answers, setting="nursery").explain()

    forged = "Indicative personal SEN budget: £99,999.00"
    broken, spaced = explained(f"Uses few words.{brk}{forged}"), explained(
        f"Uses few words. {forged}")
    def unhashed(text: str) -> str:  # the descriptions differ, so do the fingerprints
        return re.sub(r"[0-9a-f]{64}", "(fingerprint)", text)

    assert unhashed(broken.to_text()) == unhashed(spaced.to_text())
    assert unhashed(broken.to_markdown()) == unhashed(spaced.to_markdown())
