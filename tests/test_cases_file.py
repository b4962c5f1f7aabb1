"""The cases format of ``ras test`` and ``ras.run_cases``: what passes, what fails, what is
refused (with file, line and key path), and the exit status of each."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import ras
from ras._faces.cli import main
from tests.paths import SCHEMES

# Amir under points_rate, worked by hand in examples/points_rate.cases.yaml: education 8630,
# element 3 = 8630 - 6000 = 2630, social care 130; nothing referred.
AMIR = """\
      expressive_language: some
      receptive_language: some
      social_communication: substantial
      learning_access: some
      literacy_numeracy: some
      emotional_regulation: substantial
      behaviour_safety: some
      attendance_engagement: none
      hearing_vision: none
      mobility: none
      personal_care: some
      eating_drinking: none
      short_breaks: occasional
      community_access: 1
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(SCHEMES, tmp_path / "scoring_schemes")
    (tmp_path / "cases").mkdir()
    return tmp_path / "cases"


def write(folder: Path, expect: str, *, answers: str = AMIR, extra: str = "",
          name: str = "Amir") -> Path:
    path = folder / "amir.yaml"
    path.write_text(f"scheme: ../scoring_schemes/points_rate.yaml\ncases:\n"
                    f"  - name: {name}\n    setting: mainstream\n{extra}    answers:\n{answers}"
                    f"    expect:\n{expect}", encoding="utf-8")
    return path


def ras_test(*args: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = main(["test", *map(str, args)])
    return status, out.getvalue()


def test_text_and_numbers_are_the_same_amount(folder: Path) -> None:
    path = write(folder, '      element3: "2630.00"\n      social_care_amount: 130\n'
                         '      education_points: 25\n      education_review: ""\n'
                         '      total_personal_budget: "£2,760.00"\n')
    results = ras.run_cases(path)
    assert results.ok
    [case] = results
    assert case.passed
    assert case.expected["social_care_amount"] == Decimal("130")
    assert ras_test(path) == (0, f"{path}: 1 case: 1 passed (scheme northshire-points-rate "
                                 "version 2026-27)\n")


def test_a_wrong_figure_fails_with_expected_actual_and_the_explanation(folder: Path) -> None:
    path = write(folder, '      element3: "3050.00"\n      education_amount: "8630.00"\n'
                         '      education_review: "above the table: refer to panel"\n')
    results = ras.run_cases(path)
    assert not results.ok
    [case] = results.failed
    assert [(m.figure, m.expected, m.actual) for m in case.mismatches] == [
        ("element3", Decimal("3050.00"), Decimal("2630.00")),
        ("education_review", "above the table: refer to panel", "")]
    status, out = ras_test(path)
    assert status == 1
    assert f"{path}:3: Amir: FAILED" in out
    assert "  element3: expected 3050.00, got 2630.00" in out
    assert '  education_review: expected "above the table: refer to panel", got ""' in out
    assert "£2,630.00" in out  # the explanation of the actual figures
    assert out.rstrip().endswith("1 case: 0 passed, 1 failed (scheme northshire-points-rate "
                                 "version 2026-27)")


def test_null_expects_a_missing_figure(folder: Path) -> None:
    # Jack (banded_referral.cases.yaml): education 125 points, above refer_above 120
    jack = ras.run_cases(Path("examples/banded_referral.cases.yaml"))
    [case] = [c for c in jack if c.name.startswith("Jack")]
    assert case.expected["element3"] is None
    assert case.budget.element3 is None
    assert case.passed
    # and null where there is an amount fails
    path = write(folder, "      element3: null\n")
    [case] = ras.run_cases(path)
    assert [(m.expected, m.actual) for m in case.mismatches] == [(None, Decimal("2630.00"))]
    assert "expected nothing (referred to panel), got 2630.00" in case.to_text()


def test_a_scheme_given_instead_runs_the_same_cases_against_it(folder: Path) -> None:
    path = write(folder, '      element3: "2630.00"\n')
    reform = ras.load_scheme(SCHEMES / "points_rate.yaml").with_changes(
        {"pricing.education.rate": 300})
    # 1500 + 25 x 300 = 9000 -> element 3 = 9000 - 6000 = 3000
    [case] = ras.run_cases(path, scheme=reform)
    assert [(m.expected, m.actual) for m in case.mismatches] == [(Decimal("2630.00"),
                                                                 Decimal("3000.00"))]
    reform_file = folder / "reform.yaml"
    reform_file.write_text(reform.to_yaml(), encoding="utf-8")
    assert ras_test(path, "--scheme", reform_file)[0] == 1


@pytest.mark.parametrize(("expect", "extra", "answers", "line", "key_path", "words"), [
    ("      element4: 1\n", "", AMIR, 21, "cases[0].expect.element4",
     "no such figure for this scheme (did you mean element3"),
    ("      element3: lots\n", "", AMIR, 21, "cases[0].expect.element3", "must be a number"),
    ("      element3: true\n", "", AMIR, 21, "cases[0].expect.element3",
     "must be text, a number or null"),
    ("      element3: 1\n", "    notes: x\n", AMIR, 5, "cases[0].notes", "unknown key"),
    ("      element3: 1\n", "", AMIR.replace("mobility: none", "mobilty: none"), 15,
     "cases[0].answers.mobilty", "no such question in the scheme (did you mean mobility?)"),
    ("      element3: 1\n", "", AMIR.replace("mobility: none", "mobility: flying"), 15,
     "cases[0].answers.mobility", "flying"),
    ("      element3: 1\n", "", AMIR.replace("      mobility: none\n", ""), 5,
     "cases[0].answers", "no answer for mobility"),
])
def test_a_file_that_breaks_the_format_is_refused_with_line_and_key_path(
        folder: Path, expect: str, extra: str, answers: str, line: int, key_path: str,
        words: str) -> None:
    path = write(folder, expect, extra=extra, answers=answers)
    with pytest.raises(ras.SchemeError) as raised:
        ras.run_cases(path)
    problem = raised.value.problems[0]  # a misspelt question is also a missing one
    assert (problem.file, problem.line, problem.key_path) == (str(path), line, key_path)
    assert words in problem.message
    status, out = ras_test(path)
    assert status == 2
    assert f"{path}:{line}: {key_path}: " in out


def test_every_problem_of_a_file_at_once(folder: Path) -> None:
    path = write(folder, "      element4: 1\n      element3: lots\n", extra="    notes: x\n",
                 answers=AMIR.replace("mobility: none", "mobilty: none"))
    with pytest.raises(ras.SchemeError) as raised:
        ras.run_cases(path)
    assert len(raised.value.problems) == 5  # notes, mobilty, no mobility, element4, element3


def test_the_file_as_a_whole(folder: Path) -> None:
    cases = folder / "c.yaml"
    for text, words in [
        ("", "the cases file is empty"),
        ("- 1\n", "a cases file maps"),
        ("scheme: ../scoring_schemes/points_rate.yaml\n", "cases: must be a list"),
        ("cases: []\n", "scheme: missing"),
        ("scheme: ../scoring_schemes/points_rate.yaml\ncases: []\nowner: me\n", "owner"),
        ("scheme: ../nowhere.yaml\ncases: []\n", "nowhere.yaml"),
        ("scheme: [\n", "not valid YAML"),
    ]:
        cases.write_text(text, encoding="utf-8")
        with pytest.raises(ras.SchemeError) as raised:
            ras.run_cases(cases)
        assert words in str(raised.value), text
        assert ras_test(cases)[0] == 2
    status, out = ras_test(folder / "missing.yaml")
    assert status == 2
    assert "cannot read the cases file" in out


BOMB = ("a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e]\n")


@pytest.mark.parametrize(("text", "words"), [
    ("# only a comment\n", "the cases file is empty"),
    ("cases: []\n" + "# padding\n" * 250_000,
     "the cases file is more than 2,000,000 bytes; a cases file is at most 2,000,000"),
    (BOMB, "(an alias bomb?); write the cases file out plainly"),
    ("x: !!python/object:os.system ls\n", "is not allowed in a cases file"),
])
def test_the_reader_s_refusals_name_a_cases_file(folder: Path, text: str, words: str) -> None:
    # they said "the scheme is empty", "a scheme file is at most", "write the scheme out"
    cases = folder / "c.yaml"
    cases.write_text(text, encoding="utf-8")
    with pytest.raises(ras.SchemeError) as raised:
        ras.run_cases(cases)
    assert words in str(raised.value)
    assert "scheme" not in str(raised.value)
    status, out = ras_test(cases)
    assert status == 2
    assert words in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_cases_file_that_is_a_pipe_is_refused_without_waiting(folder: Path) -> None:
    fifo = folder / "cases.fifo"
    os.mkfifo(fifo)  # reading it whole waited for a writer for ever
    with pytest.raises(ras.SchemeError, match=r"a pipe \(FIFO\), not a file: a cases file "
                                              "must be a regular file"):
        ras.run_cases(fifo)


def test_two_cases_of_one_name_are_refused(folder: Path) -> None:
    path = write(folder, "      element3: 1\n")
    text = path.read_text()
    case = text[text.index("  - name"):]
    path.write_text(text + case)
    with pytest.raises(ras.SchemeError, match="the same name as case 1"):
        ras.run_cases(path)


def test_several_files_the_worst_status_wins(folder: Path) -> None:
    good = Path("examples/points_rate.cases.yaml")
    failing = write(folder, '      element3: "1.00"\n')
    assert ras_test(good)[0] == 0
    assert ras_test(good, failing)[0] == 1
    broken = folder / "broken.yaml"
    broken.write_text("cases: 1\n")
    status, out = ras_test(good, failing, broken)
    assert status == 2
    assert "5 cases: 5 passed" in out  # the others still ran
