"""A budget letter's areas table ends each area's sentence with the area's description as the
council wrote it: the description's own full stop is kept, and the sentence before it ends."""

from __future__ import annotations

import json
from pathlib import Path

import ras
from tests.paths import SCHEMES

DESCRIPTION = "The highest of the child's vision, hearing and physical needs."


def _areas(scheme: ras.Scheme, answers: dict[str, object]) -> str:
    text = scheme.calculate(answers, setting=scheme.setting_ids[0]).letter().to_text()
    return " ".join(text.split())


def test_the_banding_matrix_letter_keeps_the_description_whole() -> None:
    scheme = ras.load_scheme(SCHEMES / "highest_need_banding.yaml")
    text = _areas(scheme, dict.fromkeys(scheme.question_ids, "3"))
    assert f"The highest answer is 3 levels, so it counts 3 levels. {DESCRIPTION}" in text
    # the areas without a description read as before: no full stop added
    assert ("Cognition and learning: The answers add up to 3 levels, so it counts 3 levels "
            "- Social") in text


def test_a_description_ending_in_an_abbreviation_keeps_it(tmp_path: Path) -> None:
    source = (SCHEMES / "highest_need_banding.yaml").read_text(encoding="utf-8")
    assert f"description: {DESCRIPTION}" in source
    ending = "Vision, hearing or physical needs, e.g."
    path = tmp_path / "scheme.yaml"
    path.write_text(source.replace(f"description: {DESCRIPTION}",
                                   f"description: {json.dumps(ending)}"), encoding="utf-8")
    scheme = ras.load_scheme(path)
    text = _areas(scheme, dict.fromkeys(scheme.question_ids, "2"))
    assert f"so it counts 2 levels. {ending}" in text


def test_every_domain_description_of_the_example_schemes_reads_whole() -> None:
    for name in ("highest_need_banding", "hours_top_up", "early_years_inclusion"):
        scheme = ras.load_scheme(SCHEMES / f"{name}.yaml")
        answers = {q: ids[1] for q, ids in scheme.option_ids.items()}
        text = _areas(scheme, answers)
        explanation = scheme.calculate(answers, setting=scheme.setting_ids[0]).explain()
        for d in explanation.domains:
            if d.description:
                assert f". {' '.join(d.description.split())}" in text, (name, d.domain)
