"""Format version 2 (scheme-format-v2.md, sections 1-7): what loads, and every refusal, with the
file, line and key path, all at once."""

from __future__ import annotations

from decimal import Decimal

import pytest

import ras
from ras._format import model_from_text
from tests.paths import FIXTURES

V2 = """\
ras_scheme: 2
id: v2-test
name: Version 2 test
version: "1"
effective_from: 2026-04-01
period: term
points_word: {one: level, other: levels}
streams:
  education: {label: Top-up, combine: max, description: The highest area sets the band.}
domains:
  - id: communication
    label: Communication and interaction
    combine: max
    description: Speech, language and social communication.
    questions:
      - id: speech
        description: How the child makes themselves understood.
        options:
          - {id: l0, points: 0, description: No additional need.}
          - {id: l1, points: 1}
  - id: support
    questions:
      - id: assistant_hours
        label: Teaching assistant support
        number: {unit: hours a week, min: 0, max: 32.5, step: 0.25, points_per_unit: 11.81}
pricing:
  education:
    method: bands
    bands:
      - {label: "0", from_points: 0, amount: 0, description: Met from the school's own budget.}
      - {label: "1", from_points: 1, amount: 350}
settings:
  early_years:
    label: Early years setting
    element2: 0
    ras_covers: additional_support
    description: No element 2 in early years.
  special: {element1: 4000, element2: 6000, ras_covers: whole_place}
letter:
  council: Example County Council
  contact: "SEND team: 01234 567890"
  review: Write within 5 working days.
"""


def _problems(text: str, file: str = "v2.yaml") -> dict[str, tuple[int | None, str]]:
    with pytest.raises(ras.SchemeError) as caught:
        model_from_text(text, file=file)
    assert caught.value.file == file
    return {p.key_path: (p.line, p.message) for p in caught.value.problems}


def test_a_version_2_file_loads_with_every_new_key() -> None:
    model = model_from_text(V2)
    assert model.ras_scheme == 2
    assert model.amounts_per == "term"
    assert (model.words.one, model.words.other) == ("level", "levels")
    assert model.streams is not None
    assert model.streams["education"].combine == "max"
    assert model.domains[0].combine == "max"
    assert model.domains[0].questions[0].options is not None
    assert model.domains[0].questions[0].options[0].description == "No additional need."
    number = model.domains[1].questions[0].number
    assert number is not None
    assert number.points_per_unit == Decimal("11.81")
    assert number.steps == 131  # 0, 0.25, ... 32.5: 32.5 / 0.25 = 130 steps, 131 answers
    assert number.value(94) == Decimal("23.5")
    assert model.settings["early_years"].element1 is None
    assert model.letter is not None
    assert model.letter.council == "Example County Council"
    assert model.letter.advice is None
    assert model.pricing["education"].bands is not None
    assert model.pricing["education"].bands[0].description == "Met from the school's own budget."


def test_the_scheme_offers_the_words_letters_need() -> None:
    text = V2.replace("combine: max, ", "").replace("    combine: max\n", "")
    text = text.replace(
        "number: {unit: hours a week, min: 0, max: 32.5, step: 0.25, points_per_unit: 11.81}",
        "options: [{id: none, points: 0}, {id: some, points: 1}]")
    scheme = ras.Scheme.from_yaml(text)
    assert scheme.format_version == 2
    assert scheme.period == "term"
    assert scheme.points_word.of(1) == "level"
    assert scheme.points_word.of(Decimal("2.5")) == "levels"
    assert scheme.letter is not None
    assert scheme.letter.contact == "SEND team: 01234 567890"
    budget = scheme.calculate({"speech": "l1", "assistant_hours": "some"}, setting="early_years")
    assert budget.element1 is None  # not known: never £0
    assert budget.element2 == 0
    frame = scheme.calculate_frame(
        __import__("pandas").DataFrame({"speech": ["l1"], "assistant_hours": ["none"],
                                        "setting": ["early_years"]}))
    assert frame["element1"].isna().all()


def test_a_version_1_scheme_has_the_default_words() -> None:
    scheme = ras.load_scheme(FIXTURES / "valid_small.yaml")
    assert scheme.format_version == 1
    assert scheme.period == "year"
    assert (scheme.points_word.one, scheme.points_word.other) == ("point", "points")
    assert scheme.letter is None


def test_version_2_keys_in_a_version_1_file_are_unknown_keys_all_at_once() -> None:
    text = V2.replace("ras_scheme: 2", "ras_scheme: 1")
    found = _problems(text)
    for key_path, line in [("period", 6), ("points_word", 7), ("streams.education.combine", 9),
                           ("streams.education.description", 9), ("domains[0].combine", 13),
                           ("domains[0].description", 14),
                           ("domains[0].questions[0].description", 17),
                           ("domains[0].questions[0].options[0].description", 19),
                           ("domains[1].questions[0].number", 25),
                           ("pricing.education.bands[0].description", 30),
                           ("settings.early_years.description", 37), ("letter", 39)]:
        assert found[key_path][0] == line, key_path
        assert f"unknown key '{key_path.rsplit('.', 1)[-1]}'" in found[key_path][1]
        assert "description" not in found[key_path][1].split("allowed keys are")[-1]
    # version 1 still needs element 1 and a question's options
    assert found["settings.early_years"] == (33, "'element1' is required here")
    assert found["domains[1].questions[0]"][1] == "'options' is required here"


def test_a_combine_other_than_sum_or_max_is_refused() -> None:
    found = _problems(V2.replace("    combine: max\n", "    combine: highest\n"))
    line, message = found["domains[0].combine"]
    assert line == 13
    assert "'sum'" in message
    assert "'max'" in message
    assert "highest" in message


def test_a_question_with_both_or_neither_is_refused_at_its_own_line() -> None:
    both = V2.replace("        description: How the child makes themselves understood.\n",
                      "        number: {unit: hours, min: 0, max: 1, step: 1, "
                      "points_per_unit: 1}\n")
    assert _problems(both)["domains[0].questions[0]"] == (
        16, "a question has options or a number, not both")
    neither = V2.replace(
        "        number: {unit: hours a week, min: 0, max: 32.5, step: 0.25, "
        "points_per_unit: 11.81}\n", "")
    line, message = _problems(neither)["domains[1].questions[0]"]
    assert line == 23
    assert "needs options" in message
    assert "number" in message


NUMBER = "number: {unit: hours a week, min: 0, max: 32.5, step: 0.25, points_per_unit: 11.81}"


@pytest.mark.parametrize(("number", "key", "words"), [
    ("{unit: hours, min: 0, max: 32.5, step: 0.25}", "points_per_unit", "is required"),
    ("{min: 0, max: 32.5, step: 0.25, points_per_unit: 1}", "unit", "is required"),
    ("{unit: hours, min: -1, max: 32.5, step: 0.25, points_per_unit: 1}", "min", "0 or more"),
    ("{unit: hours, min: 0, max: 32.5, step: 0, points_per_unit: 1}", "step", "more than 0"),
    ("{unit: hours, min: 0.125, max: 32.5, step: 0.25, points_per_unit: 1}", "min",
     "at most 2 decimals"),
    ("{unit: hours, min: 0, max: 32.5, step: 0.25, points_per_unit: 1.23456}",
     "points_per_unit", "at most 4 decimals"),
    ("{unit: hours, min: 5, max: 5, step: 0.25, points_per_unit: 1}", "max", "above min"),
    ("{unit: hours, min: 0, max: 32.5, step: 0.3, points_per_unit: 1}", "step",
     "whole number of steps"),
    ("{unit: hours, min: 0, max: 2000, step: 0.01, points_per_unit: 1}", "step",
     "at most 100,000"),
    ("{unit: hours, min: 0, max: 32.5, step: 0.25, points_per_unit: 1, per: week}", "per",
     "unknown key 'per'"),
    ("{unit: hours, min: 0, max: 32.5, step: 0.25, points_per_unit: one}", "points_per_unit",
     "must be a number"),
])
def test_the_number_rules_are_each_refused_with_their_key(number: str, key: str,
                                                          words: str) -> None:
    found = _problems(V2.replace(NUMBER, f"number: {number}"))
    line, message = found[f"domains[1].questions[0].number.{key}"]
    assert line == 25
    assert words in message


def test_a_negative_points_per_unit_loads() -> None:
    model = model_from_text(V2.replace("points_per_unit: 11.81", "points_per_unit: -0.5"))
    number = model.domains[1].questions[0].number
    assert number is not None
    assert number.points_per_unit == Decimal("-0.5")


@pytest.mark.parametrize(("old", "new", "key", "words"), [
    ("period: term", "period: month", "period", "'year'"),
    ("period: term", "period: [term]", "period", "'year'"),
    ("points_word: {one: level, other: levels}", "points_word: level", "points_word",
     "mapping"),
    ("points_word: {one: level, other: levels}", "points_word: {one: level}",
     "points_word.other", "is required"),
    ("points_word: {one: level, other: levels}",
     "points_word: {one: level, other: levels, few: lvls}", "points_word.few", "unknown key"),
    ("points_word: {one: level, other: levels}", "points_word: {one: level, other: ''}",
     "points_word.other", "text"),
    ("points_word: {one: level, other: levels}",
     f"points_word: {{one: level, other: {'x' * 41}}}", "points_word.other", "at most 40"),
    ("  review: Write within 5 working days.", "  reveiw: Write within 5 working days.",
     "letter.reveiw", "did you mean 'review'"),
    ("  special: {element1: 4000, element2: 6000, ras_covers: whole_place}",
     "  special: {element2: 6000, ras_covers: whole_place}", "settings.special",
     "'element1' is required here"),
    ("    description: No element 2 in early years.", f"    description: {'x' * 501}",
     "settings.early_years.description", "at most 500 characters"),
])
def test_the_other_shapes_are_refused(old: str, new: str, key: str, words: str) -> None:
    assert old in V2
    found = _problems(V2.replace(old, new))
    assert words in found[key][1], found[key]
    assert found[key][0] is not None


def test_every_refusal_comes_at_once() -> None:
    text = (V2.replace("period: term", "period: month")
              .replace("    combine: max\n", "    combine: highest\n")
              .replace("step: 0.25", "step: 0.3")
              .replace("  review: Write", "  appeal: Write")
              .replace("  special: {element1: 4000, ", "  special: {"))
    found = _problems(text)
    assert {"period", "domains[0].combine", "letter.appeal"} <= set(found)
    # the rules (step, element 1) come once the shape is sound: fix the shape, they appear
    text = (V2.replace("step: 0.25", "step: 0.3")
              .replace("  special: {element1: 4000, ", "  special: {"))
    found = _problems(text)
    assert {"domains[1].questions[0].number.step", "settings.special"} <= set(found)
    assert all(line is not None for line, _ in found.values())


def test_version_2_defaults_written_out_hash_as_left_out() -> None:
    plain = V2.replace("combine: max, ", "").replace("    combine: max\n", "").replace(
        NUMBER, "options: [{id: none, points: 0}, {id: some, points: 1}]")
    spelled = (plain.replace("period: term\n", "period: term\n")
               .replace("  education: {label: Top-up,", "  education: {label: Top-up, "
                        "combine: sum,"))
    assert ras.Scheme.from_yaml(plain).fingerprint == ras.Scheme.from_yaml(spelled).fingerprint
    yearly = plain.replace("period: term\n", "")
    assert (ras.Scheme.from_yaml(yearly).fingerprint
            == ras.Scheme.from_yaml(yearly.replace("points_word:", "period: year\npoints_word:"))
            .fingerprint
            != ras.Scheme.from_yaml(plain).fingerprint)
    pointed = yearly.replace("{one: level, other: levels}", "{one: point, other: points}")
    assert (ras.Scheme.from_yaml(pointed).fingerprint
            == ras.Scheme.from_yaml(pointed.replace("points_word: {one: point, other: points}\n",
                                                    "")).fingerprint)
