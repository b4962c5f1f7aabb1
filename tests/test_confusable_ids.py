"""``scheme.check()`` warns of ids that look alike but are not the same (issue 13, item 11)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import ras
from tests.toy_scheme import TOY


def _warnings(data: dict[str, Any]) -> list[ras.Finding]:
    scheme = ras.Scheme.from_dict(data)
    return [f for f in scheme.check() if f.severity == "warning" and " id " in f.message]


def _options(*ids: str) -> dict[str, Any]:
    data = copy.deepcopy(TOY)
    options = data["domains"][0]["questions"][0]["options"]
    for option, id_ in zip(options, ids, strict=False):
        option["id"] = id_
    return data


def test_latin_and_cyrillic_mixed_in_an_option_id() -> None:
    # "s\u043eme": the o is CYRILLIC SMALL LETTER O; it prints as "some", with other points
    found = _warnings(_options("none", "some", "s\u043eme"))
    assert [f.key_path for f in found] == ["domains[0].questions[0].options[2].id"]
    assert "Latin" in found[0].message
    assert "Cyrillic" in found[0].message


@pytest.mark.parametrize("hidden", ["\u200b", "\u2060", "\ufeff", "\u00a0", "\u200d"])
def test_a_hidden_character_in_a_setting_id(hidden: str) -> None:
    data = copy.deepcopy(TOY)
    data["settings"][f"uni{hidden}t"] = data["settings"].pop("unit")
    found = _warnings(data)
    assert found[0].key_path == f"settings.{f'uni{hidden}t'!r}"  # shown escaped
    assert f"U+{ord(hidden):04X}" in found[0].message
    assert "'unit'" in found[0].message


@pytest.mark.parametrize(("first", "second"), [
    ("some", "Some"), ("some", "SOME"), ("some", "ｓｏｍｅ"), ("some", "so\u200bme"),
    ("stra\u00dfe", "strasse")])
def test_ids_equal_but_for_case_width_or_hidden_characters(first: str, second: str) -> None:
    found = _warnings(_options("none", first, second))
    equal = [f for f in found if "only in case, width or invisible" in f.message]
    assert [f.key_path for f in equal] == ["domains[0].questions[0].options[2].id"]
    assert repr(first) in equal[0].message


def test_ids_across_questions_of_the_same_options_are_not_confused() -> None:
    # every question has its own 'none' and 'some': that is not a lookalike
    assert _warnings(copy.deepcopy(TOY)) == []


@pytest.mark.parametrize("honest", ["caf\u00e9", "Llanelli_ŵyn", "支援", "ひらがなカタカナ漢字",
                                    "early years", "1:1"])
def test_ids_in_one_script_are_not_warned_of(honest: str) -> None:
    assert _warnings(_options("none", honest)) == []


def test_shipped_schemes_have_no_confusable_ids() -> None:
    from tests.paths import SCHEMES

    for path in sorted(SCHEMES.glob("*.yaml")):
        assert [f for f in ras.load_scheme(path).check() if " id " in f.message] == [], path
