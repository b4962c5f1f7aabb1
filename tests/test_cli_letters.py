"""``ras letter`` and ``ras explain`` for one child, a record, or chosen rows of a cohort file,
in text, markdown, HTML or JSON; each letter equal to the library's own."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

import ras
from ras._faces.cli import main
from tests.paths import ROOT, SCHEMES

RATE = SCHEMES / "points_rate.yaml"
AMIR = ROOT / "examples" / "amir.yaml"
COHORT = ROOT / "examples" / "points_rate.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def _library_letter(**details: object) -> ras.Letter:
    import yaml

    scheme = ras.load_scheme(RATE)
    data = yaml.safe_load(AMIR.read_text())
    setting = data.pop("setting")
    return scheme.calculate(data, setting=setting).letter(**details)  # type: ignore[arg-type]


def test_letter_for_one_child_in_each_format(capsys: pytest.CaptureFixture[str]) -> None:
    details = ("--child", "Amir Khan", "--reference", "EHC/1", "--date", "2026-09-01")
    expected = _library_letter(child="Amir Khan", reference="EHC/1", date=dt.date(2026, 9, 1))
    status, out, _ = run(capsys, "letter", RATE, AMIR, *details)
    assert status == 0
    assert out == expected.to_text()
    assert run(capsys, "letter", RATE, AMIR, *details, "--format", "markdown")[1] == \
        expected.to_markdown()
    assert run(capsys, "letter", RATE, AMIR, *details, "--format", "html")[1] == \
        expected.to_html(document=True)
    data = json.loads(run(capsys, "letter", RATE, AMIR, *details, "--format", "json")[1])
    assert data == expected.to_dict()


def test_letters_for_chosen_rows_of_a_cohort(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    status, out, _ = run(capsys, "letter", RATE, COHORT, "--rows", "3,0", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert [item["row"] for item in data] == [3, 0]
    frame = pd.read_csv(COHORT, dtype=str)
    scheme = ras.load_scheme(RATE)
    row = frame.iloc[3]
    one = scheme.calculate({q: row[q] for q in scheme.question_ids}, setting=row["setting"])
    assert data[0]["letter"] == one.letter().to_dict()
    by_id = json.loads(run(capsys, "letter", RATE, COHORT, "--id", "child_id", "--rows",
                           str(frame.iloc[3]["child_id"]), "--format", "json")[1])
    assert by_id[0]["letter"] == one.letter().to_dict()
    target = tmp_path / "two.html"
    assert run(capsys, "letter", RATE, COHORT, "--rows", "0,1", "--format", "html", "-o",
               target)[0] == 0
    page = target.read_text()
    assert page.count('<article class="ras-letter">') == 2
    assert page.count("<h1>") == 2 and 'lang="en-GB"' in page  # noqa: PT018
    text = run(capsys, "letter", RATE, COHORT, "--rows", "0,1")[1]
    assert text.count("\f") == 1


def test_explain_a_cohort_row_and_as_html(capsys: pytest.CaptureFixture[str]) -> None:
    scheme = ras.load_scheme(RATE)
    frame = pd.read_csv(COHORT, dtype=str)
    row = frame.iloc[1]
    one = scheme.calculate({q: row[q] for q in scheme.question_ids}, setting=row["setting"])
    status, out, _ = run(capsys, "explain", RATE, COHORT, "--rows", "1")
    assert status == 0
    assert out == one.explain().to_text() + "\n"  # as print() writes it
    page = run(capsys, "explain", RATE, AMIR, "--format", "html")[1]
    assert page.startswith("<!DOCTYPE html>")
    assert 'lang="en-GB"' in page


def test_mistakes_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "letter", RATE, COHORT, "--rows", "9999")
    assert status == 1
    assert "no row 9999" in err
    status, _, err = run(capsys, "letter", RATE, COHORT, "--rows", "x")
    assert status == 1
    assert "row numbers" in err
    status, _, err = run(capsys, "letter", RATE, AMIR, "--rows", "1")
    assert status == 1
    assert "cohort file" in err
    assert run(capsys, "letter", RATE, AMIR, "--date", "1 Sept")[0] == 2
    status, _, err = run(capsys, "letter", RATE, COHORT, "--id", "nope")
    assert status == 1
    assert "no column 'nope'" in err


def test_letter_has_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "letter", "--help")
    assert status == 0
    assert "ras letter" in out.split("examples:")[1]
