"""Every example scheme's letters and explanations, built for its example cohort in one traced
run, say exactly what the one-child path says for each child, in every format.

The cohort path reuses sentences and rendered blocks across children (they repeat from child to
child), so this is the check that nothing one child said leaks into another's letter: children
are taken in an order that puts different settings and answers next to each other.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ras
from tests.paths import ROOT, SCHEMES
from tests.strategies import Cohort, as_answers, scheme_and_cohort

SCHEME_STEMS = sorted(p.stem for p in SCHEMES.glob("*.yaml"))
DAY = dt.date(2026, 3, 4)


def _example_cohort(scheme: ras.Scheme, stem: str) -> pd.DataFrame:
    frame = pd.read_csv(ROOT / "examples" / f"{stem}.csv", dtype=str).set_index("child_id")
    frame = frame[[*scheme.question_ids, "setting"]]
    return frame.iloc[::7]  # every seventh child: all settings, low and high needs


def _letter_forms(letter: ras.Letter) -> list[str]:
    return [letter.to_text(), letter.to_markdown(), letter.to_html(),
            letter.to_html(document=True), json.dumps(letter.to_dict(), default=str)]


def _explanation_forms(e: ras.Explanation) -> list[str]:
    data = e.to_dict()
    del data["row"]  # the cohort's row label; a single child has none
    return [e.to_text(), e.to_markdown(), e._repr_html_(), json.dumps(data, default=str)]


@pytest.mark.parametrize("stem", SCHEME_STEMS)
def test_cohort_letters_and_explanations_equal_the_one_child_path(stem: str) -> None:
    scheme = ras.load_scheme(SCHEMES / f"{stem}.yaml")
    frame = _example_cohort(scheme, stem)
    details = {"child": "Sam", "reference": "R-7", "date": DAY, "school": "Hill School"}
    letters = scheme.letters(frame, **details)
    explanations = scheme.explain_frame(frame, frame.index)
    assert list(letters) == list(frame.index) == list(explanations)
    for label in reversed(frame.index):  # the other order from the cohort's
        row = frame.loc[label]
        budget = scheme.calculate({q: row[q] for q in scheme.question_ids},
                                  setting=row["setting"])
        assert _letter_forms(letters[label]) == _letter_forms(budget.letter(**details)), label
        assert _explanation_forms(explanations[label]) == _explanation_forms(budget.explain())


def _frame(data: dict[str, Any], cohort: Cohort) -> pd.DataFrame:
    rows = [as_answers(data, answers) | {"setting": setting} for answers, setting in cohort]
    return pd.DataFrame(rows, index=[f"child {i}" for i in range(len(rows))])


@settings(deadline=None)
@given(scheme_and_cohort(version=2), st.randoms(use_true_random=False))
def test_cohort_path_equals_one_child_on_drawn_schemes(
    case: tuple[dict[str, Any], Cohort], order: random.Random
) -> None:
    """Drawn schemes (both versions' keys, max streams, number questions, periods) and cohorts
    with repeated and neighbouring children: each child's letter and explanation from the
    cohort run equal the one-child path's, in every format."""
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    frame = _frame(data, cohort + cohort[:3])  # repeats: steps shared between children
    letters = scheme.letters(frame, child="Sam", date=DAY)
    explanations = scheme.explain_frame(frame, frame.index)
    labels = list(frame.index)
    order.shuffle(labels)
    for label in labels[:8]:
        row = frame.loc[label]
        budget = scheme.calculate({q: row[q] for q in scheme.question_ids},
                                  setting=row["setting"])
        assert _letter_forms(letters[label]) == _letter_forms(
            budget.letter(child="Sam", date=DAY)), label
        assert _explanation_forms(explanations[label]) == _explanation_forms(budget.explain())


@settings(deadline=None)
@given(scheme_and_cohort(version=2))
def test_the_letters_shared_working_is_the_working_as_blocks(
    case: tuple[dict[str, Any], Cohort]
) -> None:
    """The oracle for the letter's working: ``working``'s blocks laid out one by one, for each
    child of a cohort run (whose steps are shared) after the runs were kept for others."""
    from ras._reasons.budget_letter import _blocks, _family_voice, shared_working
    from ras._reasons.council import council_words
    from ras._reasons.letter_parts import clean
    from ras._reasons.sentences import working

    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    frame = _frame(data, cohort + cohort[:3])
    words = council_words(scheme)
    for e in scheme.explain_frame(frame, frame.index).values():
        voice = _family_voice(words.point, words.points, e.period)
        assert shared_working(e, words, voice) == _blocks(e, working(e, clean, voice), voice)
