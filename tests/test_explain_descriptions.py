"""Markdown and HTML explanations show each answer's and area's description beside its figure,
as the text form does, and a description can neither inject HTML nor break the markdown."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import ras
from tests.paths import SCHEMES

OPTION = '<script>alert("x")</script> | **bold** [link](http://evil.example) &amp;'
AREA = "<img src=x onerror=alert(1)> # not a heading\n- not a list | pipe"
PLAIN = "No additional need in this area."


@pytest.fixture(scope="module")
def explanation(tmp_path_factory: pytest.TempPathFactory) -> ras.Explanation:
    text = (SCHEMES / "highest_need_banding.yaml").read_text(encoding="utf-8")
    level4 = "description: Needs individual adult support for most of the school day.}"
    area = "description: The highest of the child's vision, hearing and physical needs."
    assert level4 in text
    assert area in text
    # a JSON string is a YAML double-quoted scalar: the hostile text exactly as written
    text = text.replace(level4, f"description: {json.dumps(OPTION)}}}")
    text = text.replace(area, f"description: {json.dumps(AREA)}")
    path: Path = tmp_path_factory.mktemp("hostile") / "scheme.yaml"
    path.write_text(text, encoding="utf-8")
    scheme = ras.load_scheme(path)
    answers = dict.fromkeys(scheme.question_ids, "0") | {"communication_level": "4"}
    return scheme.calculate(answers, setting=scheme.setting_ids[0]).explain()


def test_the_hostile_scheme_carries_the_descriptions(explanation: ras.Explanation) -> None:
    text = " ".join(explanation.to_text().split())
    assert OPTION in text
    assert " ".join(AREA.split()) in text


def test_html_shows_each_description_escaped(explanation: ras.Explanation) -> None:
    page = explanation._repr_html_()
    assert "<script" not in page
    assert "<img" not in page
    assert html.escape(OPTION) in page
    assert html.escape(" ".join(AREA.split())) in " ".join(page.split())
    assert PLAIN in page  # the other answers' descriptions, beside their figures
    assert "What it means" in page


def test_markdown_shows_each_description_escaped(explanation: ras.Explanation) -> None:
    md = explanation.to_markdown()
    assert re.search(r"(?<!\\)<", md) is None  # every < of the scheme's text escaped
    assert PLAIN in md
    for line in md.splitlines():
        if "alert" in line:  # a table row: every pipe of the description is escaped
            assert line.startswith("| ")
            assert line.count(" | ") + line.count("| ") >= 1
            assert "\\|" in line
            assert "**bold**" not in line
            assert re.search(r"(?<!\\)\]\(", line) is None
    header = next(line for line in md.splitlines() if line.startswith("| Area of need | Q"))
    rows = [line for line in md.splitlines() if "| Level of need in " in line]
    assert "What it means" in header
    assert rows
    # every row of the answers table has the header's number of cells
    cells = header.count(" | ")
    assert all(row.replace("\\|", "").count(" | ") == cells for row in rows)
    assert not any(line.startswith(("# not", "- not")) for line in md.splitlines())
