"""Scheme.to_yaml: a scheme written back as a file loads to an equal scheme."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import ras
from tests.paths import SCHEMES
from tests.strategies import schemes

# Text that a YAML reader would take for something else when written bare: numbers, dates,
# booleans and nulls in both YAML 1.1 and 1.2 spellings, and YAML's own punctuation.
AWKWARD = ("2", "010", "1e3", "0.10", "-1", ".5", "2026-04-01", "no", "on", "yes", "true",
           "False", "null", "~", ".inf", ".NaN", "- a", "a: b", "#c", "'q'", '"q"', "[x]",
           "{y}", "&a", "*b", "!t", "%p", "@", "`", "a #b", "x:y", "?", "|", ">",
           "Cymraeg ŵ ŷ", "£6,000", "1:1", "early years")
LABELS = st.one_of(st.sampled_from(AWKWARD),
                   st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")),
                           min_size=1, max_size=30))
IDS = st.sampled_from(AWKWARD).filter(lambda t: t == t.strip())


@st.composite
def awkward_schemes(draw: st.DrawFn) -> dict[str, Any]:
    """A generated scheme whose labels, option ids and version are awkward text."""
    scheme = draw(schemes())
    scheme["name"] = draw(LABELS)
    scheme["version"] = draw(IDS)
    for domain in scheme["domains"]:
        domain["label"] = draw(LABELS)
        for question in domain["questions"]:
            question["label"] = draw(LABELS)
            ids = draw(st.lists(IDS, min_size=len(question["options"]),
                                max_size=len(question["options"]), unique=True))
            for option, new_id in zip(question["options"], ids, strict=True):
                option["id"] = new_id
                option["label"] = draw(LABELS)
    return scheme


def _same(scheme: ras.Scheme, again: ras.Scheme) -> None:
    assert again.fingerprint == scheme.fingerprint
    assert (again.effective_from, again.effective_to) == (scheme.effective_from,
                                                          scheme.effective_to)
    assert (again.id, again.version, again.name) == (scheme.id, scheme.version, scheme.name)
    assert again.option_ids == scheme.option_ids
    assert again.model == scheme.model


def test_every_example_scheme_comes_back_the_same() -> None:
    for path in sorted(SCHEMES.glob("*.yaml")):
        scheme = ras.load_scheme(path)
        _same(scheme, ras.Scheme.from_yaml(scheme.to_yaml()))


@given(schemes())
def test_a_generated_scheme_comes_back_with_the_same_fingerprint(data: dict[str, Any]) -> None:
    scheme = ras.Scheme.from_dict(data)
    _same(scheme, ras.Scheme.from_yaml(scheme.to_yaml()))


@given(awkward_schemes())
def test_awkward_text_is_quoted_so_that_it_stays_text(data: dict[str, Any]) -> None:
    scheme = ras.Scheme.from_dict(data)
    _same(scheme, ras.Scheme.from_yaml(scheme.to_yaml()))


def test_a_reform_saved_and_loaded_prices_as_the_reform(points_rate: ras.Scheme) -> None:
    reform = points_rate.with_changes({"pricing.education.rate": "300.50",
                                       "indicative_range.below": "0.125"})
    text = reform.to_yaml()
    assert "rate: 300.50" in text  # exact, never a float's digits
    assert "below: 0.125" in text
    again = ras.Scheme.from_yaml(text)
    answers = dict.fromkeys(points_rate.question_ids, 1)
    assert (again.calculate(answers, setting="mainstream").element3
            == reform.calculate(answers, setting="mainstream").element3
            != points_rate.calculate(answers, setting="mainstream").element3)


def test_the_file_says_which_scheme_it_is_and_that_comments_are_gone(
        points_rate: ras.Scheme) -> None:
    head = points_rate.to_yaml().splitlines()[:3]
    assert all(line.startswith("# ") for line in head)
    assert points_rate.fingerprint[:12] in "\n".join(head)
    assert "comments" in "\n".join(head)
