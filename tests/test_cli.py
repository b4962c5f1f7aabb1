"""The ``ras`` command, run as users run it: ``python -m ras ...`` in a subprocess.

One subprocess per command (with its error case), all started at once so the suite pays for
Python's start-up about once; the many smaller error cases call ``main(argv)`` in-process, which
is the same code behind the same argument parser.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ras
from ras._faces.cli import main
from tests.paths import FIXTURES, ROOT, SCHEMES

RATE = SCHEMES / "points_rate.yaml"
BANDED = SCHEMES / "banded_referral.yaml"
SMALL = FIXTURES / "valid_small.yaml"


def write_inputs(folder: Path) -> None:
    """A 12-child cohort (one with a bad answer), one child's answers, and a reform."""
    scheme = ras.load_scheme(RATE)
    rows = []
    for i in range(12):
        row: dict[str, Any] = {"child_id": f"C{i:03d}"}
        for j, q in enumerate(scheme.question_ids):
            row[q] = scheme.option_ids[q][(i + j) % len(scheme.option_ids[q])]
        row["setting"] = scheme.setting_ids[i % len(scheme.setting_ids)]
        rows.append(row)
    cohort = pd.DataFrame(rows)
    cohort.to_csv(folder / "cohort.csv", index=False)
    cohort.loc[3, "mobility"] = "flying"
    cohort.to_csv(folder / "bad_cohort.csv", index=False)
    answers = dict.fromkeys(scheme.question_ids, 1) | {"setting": "mainstream"}
    (folder / "child.json").write_text(json.dumps(answers))
    (folder / "reform.yaml").write_text(
        RATE.read_text().replace("rate: 285 ", "rate: 300 "))


RUNS: dict[str, list[str]] = {
    "validate": ["validate", str(SCHEMES), str(FIXTURES / "bad" / "unknown_key_typo.yaml"),
                 "{tmp}/missing.yaml"],
    "calculate": ["calculate", str(RATE), "{tmp}/bad_cohort.csv", "-o", "{tmp}/out.csv",
                  "--errors", "flag", "--chunksize", "5"],
    "explain": ["explain", str(RATE), "{tmp}/child.json", "--format", "markdown"],
    "compare": ["compare", str(RATE), "{tmp}/reform.yaml", "{tmp}/cohort.csv",
                "--html", "{tmp}/report.html"],
    "check": ["check", str(SMALL)],
    "schema": ["schema"],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("cli")
    write_inputs(folder)
    started = {
        name: subprocess.Popen(
            [sys.executable, "-m", "ras", *(a.replace("{tmp}", str(folder)) for a in args)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            encoding="utf-8")
        for name, args in RUNS.items()
    }
    results: dict[str, Any] = {"folder": folder}
    for name, process in started.items():
        out, err = process.communicate(timeout=120)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return results


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr


def test_validate_lists_every_problem_of_every_file(runs: dict[str, Any]) -> None:
    result = runs["validate"]
    no_traceback(result)
    assert result.returncode == 1
    assert sum(line.endswith("ok (eastborough-banded-referral 2026-27, 13 questions, "
                              "4 settings)") for line in result.stdout.splitlines()) == 1
    lines = result.stderr.splitlines()  # problems are diagnostics: standard error
    typo = str(FIXTURES / "bad" / "unknown_key_typo.yaml")
    assert (f"{typo}:23: domains[0].questions[1].optons: unknown key 'optons'; allowed keys are "
            "id, label, options; did you mean 'options'?") in lines
    assert any(line.endswith("missing.yaml: cannot read the file: No such file or directory")
               for line in lines)
    assert lines[-1] == "8 file(s): 6 ok, 2 with 3 problem(s)"


def test_calculate_flags_bad_rows_and_writes_every_row(runs: dict[str, Any]) -> None:
    result = runs["calculate"]
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "12 rows from" in result.stdout
    assert "(1 bad)" in result.stdout
    out = pd.read_csv(runs["folder"] / "out.csv", keep_default_na=False)
    assert len(out) == 12
    assert str(out.loc[3, "error"]).startswith("mobility: unknown option 'flying'")
    assert out["child_id"].tolist()[:2] == ["C000", "C001"]


def test_explain_prints_the_explanation(runs: dict[str, Any]) -> None:
    result = runs["explain"]
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    scheme = ras.load_scheme(RATE)
    budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
    assert result.stdout == budget.explain().to_markdown() + "\n"


def test_compare_prints_the_summary_and_writes_the_page(runs: dict[str, Any]) -> None:
    result = runs["compare"]
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "personal SEN budget: a reform of northshire-points-rate 2026-27"
    assert lines[1].split()[:3] == ["setting", "children", "base"]
    assert lines[2].split()[:2] == ["all", "12"]
    assert any(line.startswith("change: like for like") for line in lines)
    page = (runs["folder"] / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "</html>" in page
    assert "reform of northshire-points-rate" in page


def test_check_lists_findings_by_line_and_fails_on_warnings(runs: dict[str, Any]) -> None:
    result = runs["check"]
    no_traceback(result)
    assert result.returncode == 1
    assert (f"{SMALL}:45: warning: settings.mainstream.element2: element 2 (£6,000) is at least "
            "the largest education amount") in result.stdout
    assert result.stdout.splitlines()[-1] == f"{SMALL}: 3 warning(s), 2 note(s)"


def test_schema_prints_the_json_schema(runs: dict[str, Any]) -> None:
    result = runs["schema"]
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ras.json_schema()


# -- in-process: help, usage and the user's mistakes ---------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


@pytest.mark.parametrize("command", ["validate", "calculate", "explain", "letter", "compare",
                                     "check", "schema"])
def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str],
                                                 command: str) -> None:
    status, out, _ = run(capsys, command, "--help")
    assert status == 0
    assert "examples:" in out
    assert f"ras {command}" in out.split("examples:")[1]


def test_usage_mistakes_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "calculate", RATE, "cohort.csv")[0] == 2  # no -o
    assert run(capsys, "calculate", RATE, "c.csv", "-o", "o.csv", "--chunksize", "0")[0] == 2
    assert run(capsys, "explain", RATE, "a.yaml", "--format", "pdf")[0] == 2
    assert run(capsys, "frobnicate")[0] == 2
    status, _, err = run(capsys)
    assert status == 2
    assert "validate" in err


def test_a_bad_scheme_is_one_line_naming_file_line_and_key(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = FIXTURES / "bad" / "negative_rate.yaml"
    status, _, err = run(capsys, "check", bad)
    assert status == 1
    assert err == (f"ras check: error: {bad}:36: pricing.education.rate: must be 0 or more "
                   "(found -300.2)\n")
    status, _, err = run(capsys, "explain", tmp_path / "nope.yaml", tmp_path / "a.yaml")
    assert status == 1
    assert err.count("\n") == 1
    assert "cannot read the file: No such file or directory" in err


def test_bad_paths_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "calculate", RATE, tmp_path / "none.csv", "-o",
                         tmp_path / "o.csv")
    assert (status, err.count("\n")) == (1, 1)
    assert "no such cohort file" in err
    status, _, err = run(capsys, "calculate", RATE, tmp_path / "c.txt", "-o", tmp_path / "o.csv")
    assert status == 1
    assert "cannot tell the format" in err
    status, _, err = run(capsys, "calculate", RATE, tmp_path / "c.csv", "-o",
                         tmp_path / "no" / "o.csv")
    assert status == 1
    assert "the folder" in err
    assert "does not exist" in err
    status, _, err = run(capsys, "validate", tmp_path)
    assert status == 1
    assert "no .yaml or .yml files" in err
    status, _, err = run(capsys, "compare", RATE, RATE, tmp_path / "none.csv")
    assert status == 1
    assert "no such cohort file" in err


@pytest.mark.parametrize(("content", "message"), [
    ("{bad", "not a readable YAML or JSON answers file"),
    ("[1, 2]", "must map question ids to answers"),
    ('{"expressive_language": 1}', "no setting: add `setting: <id>`"),
])
def test_bad_answers_files(capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str,
                           message: str) -> None:
    answers = tmp_path / "child.json"
    answers.write_text(content)
    status, _, err = run(capsys, "explain", RATE, answers)
    assert status == 1
    assert message in err


def test_explain_answers_by_position_in_yaml_with_a_setting_option(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scheme = ras.load_scheme(BANDED)
    answers = tmp_path / "child.yaml"
    answers.write_text("".join(f"{q}: {'none' if i % 2 else 1}\n"
                               for i, q in enumerate(scheme.question_ids)))
    status, out, err = run(capsys, "explain", BANDED, answers, "--setting", "special")
    assert status == 0, err
    chosen = {q: "none" if i % 2 else 1 for i, q in enumerate(scheme.question_ids)}
    assert out == scheme.calculate(chosen, setting="special").explain().to_text() + "\n"
    status, _, err = run(capsys, "explain", BANDED, answers)
    assert status == 1
    assert "no setting" in err
    assert "mainstream, special" in err
    status, _, err = run(capsys, "explain", BANDED, answers, "--setting", "moon")
    assert status == 1
    assert "unknown setting 'moon'" in err


def test_explain_reads_an_audit_record(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    scheme = ras.load_scheme(RATE)
    budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 2), setting="special")
    record = tmp_path / "record.json"
    record.write_text(json.dumps(budget.to_record()))
    status, out, _ = run(capsys, "explain", RATE, record, "--format", "json")
    assert status == 0
    assert json.loads(out) == json.loads(json.dumps(budget.explain().to_dict()))
    # under a changed scheme the record's figures are not this scheme's: refused, not
    # explained as if it were
    changed = tmp_path / "changed.yaml"
    changed.write_text(RATE.read_text().replace("rate: 285", "rate: 300"))
    assert ras.load_scheme(changed).fingerprint != scheme.fingerprint
    status, out, err = run(capsys, "explain", changed, record)
    assert status == 1
    assert out == ""
    assert "this record was made under scheme 'northshire-points-rate'" in err


def test_calculate_stops_at_bad_answers_with_a_clear_error(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write_inputs(tmp_path)
    status, _, err = run(capsys, "calculate", RATE, tmp_path / "bad_cohort.csv", "-o",
                         tmp_path / "no.csv")
    assert status == 1
    first = err.splitlines()[0]
    assert first.startswith("ras calculate: error: ")
    assert "row 3, mobility: unknown option 'flying'" in first
    assert "--errors flag" in err
    assert not (tmp_path / "no.csv").exists()


def test_compare_names_missing_columns_once(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("child_id,setting\nA,mainstream\n")
    status, _, err = run(capsys, "compare", RATE, RATE, tmp_path / "c.csv")
    assert status == 1
    # the words of calculate_file: every missing question once, named, and no row blamed
    assert err.startswith(f"ras compare: error: {tmp_path / 'c.csv'}: cannot score any row:")
    assert "  - expressive_language: the cohort has no 'expressive_language' column" in err
    assert "row" not in err.split("any row:")[1]


def test_the_html_report_embeds_the_chart_when_matplotlib_draws_it(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Figure:
        def savefig(self, target: Any, **options: Any) -> None:
            target.write(b"\x89PNG fake")

    monkeypatch.setattr(ras.Comparison, "plot", lambda self: Figure())
    write_inputs(tmp_path)
    status, out, _ = run(capsys, "compare", RATE, tmp_path / "reform.yaml",
                         tmp_path / "cohort.csv", "--html", tmp_path / "r.html")
    assert status == 0
    assert "without the chart" not in out
    assert 'src="data:image/png;base64,iVBORyBmYWtl"' in (tmp_path / "r.html").read_text()


def test_schema_to_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, _ = run(capsys, "schema", "-o", tmp_path / "s.json")
    assert status == 0
    assert json.loads((tmp_path / "s.json").read_text()) == ras.json_schema()


def test_validate_one_good_file_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", SMALL)
    assert status == 0
    assert out == f"{SMALL}: ok (small-test 1, 3 questions, 2 settings)\n"


def test_an_unreadable_cohort_file_is_one_line_not_a_traceback(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for command in (("calculate", RATE, empty, "-o", tmp_path / "out.csv"),
                    ("compare", RATE, RATE, empty)):
        status, _, err = run(capsys, *command)
        assert status == 1
        assert "Traceback" not in err
        assert err.startswith(f"ras {command[0]}: error: {empty}: the file is empty")


def test_a_cohort_without_a_question_column_is_not_told_to_flag(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("child_id,setting\nC1,mainstream\n")
    for flag in ((), ("--errors", "flag")):
        status, _, err = run(capsys, "calculate", RATE, cohort, "-o", tmp_path / "out.csv",
                             *flag)
        assert status == 1
        assert "cannot score any row:" in err
        assert "use --errors flag" not in err  # flagging cannot help a missing column


# -- the summary of ras calculate, and ras reform ------------------------------------------


def _hand_worked_cohort(folder: Path, filename: str) -> Path:
    """The children of tests/test_worked_examples.py, whose budgets were worked by hand."""
    from tests.test_worked_examples import COHORTS

    scheme = ras.load_scheme(SCHEMES / filename)
    rows = []
    for name, setting, answers in COHORTS[filename]:
        row = {"child_id": name, "setting": setting}
        for question, answer in answers.items():
            row[question] = (scheme.option_ids[question][answer] if isinstance(answer, int)
                             else answer)
        rows.append(row)
    path = folder / f"{Path(filename).stem}.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_calculate_prints_the_totals_and_referrals_worked_by_hand(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # points_rate: 2630 + 2620 + 16000 + 2000 + 0 = 23250; totals add social care
    # 130 + 630 + 2730 + 0 + 0 = 3490 -> 26740; Callum is clamped at the maximum: referred,
    # with an amount
    cohort = _hand_worked_cohort(tmp_path, "points_rate.yaml")
    status, out, _ = run(capsys, "calculate", RATE, cohort, "-o", tmp_path / "out.csv")
    assert status == 0
    assert "personal SEN budgets (element 3): £23,250.00 in total for 5 children" in out
    assert "total personal budgets (all streams): £26,740.00 for 5 children" in out
    assert "referred to panel: 1 child\n" in out
    # banded: 4000 + 7500 + 24000 + 3800 = 39300 without Jack (education above the table);
    # the totals leave out Harry (social care above the table) and Jack; both are referred
    cohort = _hand_worked_cohort(tmp_path, "banded_referral.yaml")
    status, out, _ = run(capsys, "calculate", BANDED, cohort, "-o", tmp_path / "out.csv")
    assert status == 0
    assert "£39,300.00 in total for 4 children" in out
    # Finn 5500 + Grace 10300 + Isla 3800 = 19600
    assert "total personal budgets (all streams): £19,600.00 for 3 children" in out
    assert ("referred to panel: 2 children, 1 of them with no personal SEN budget until it "
            "decides") in out


def test_calculate_totals_say_the_period_of_a_termly_scheme(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # early_years_inclusion is per term (version 2, section 3): two children at Level 2
    # (emerging 2 + emerging 2 + expected 0 + care_plan 1 = 5 points) get 700 a term each, so
    # the totals are 1,400 a term, never a bare figure a finance officer would read as yearly
    cohort = tmp_path / "termly.csv"
    cohort.write_text("talking_listening,moving_care,play_feelings,medical,setting\n"
                      "emerging,emerging,expected,care_plan,nursery\n"
                      "emerging,emerging,expected,care_plan,childminder\n", encoding="utf-8")
    status, out, _ = run(capsys, "calculate", SCHEMES / "early_years_inclusion.yaml", cohort,
                         "-o", tmp_path / "out.csv")
    assert status == 0
    assert "personal SEN budgets (element 3): £1,400.00 a term in total for 2 children" in out
    assert "total personal budgets (all streams): £1,400.00 a term for 2 children" in out


def test_reform_writes_a_scheme_that_prices_the_change(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "reform.yaml"
    status, out, _ = run(capsys, "reform", RATE, "--set", "pricing.education.rate=300",
                         "--set", "domains[2].cap=", "-o", target)
    assert status == 0
    assert out.startswith(f"wrote {target}: northshire-points-rate version 2026-27")
    assert "pricing.education.rate 285 -> 300; domains.semh.cap 18 -> (none)" in out
    reform = ras.load_scheme(target)
    base = ras.load_scheme(RATE)
    assert reform == base.with_changes({"pricing.education.rate": 300,
                                        "domains.semh.cap": None})
    assert not list(tmp_path.glob(".*partial"))


def test_reform_without_output_prints_the_scheme(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "reform", RATE, "--set", "version=2027-draft")
    assert status == 0
    assert ras.Scheme.from_yaml(out).version == "2027-draft"


@pytest.mark.parametrize(("change", "status", "words"), [
    ("pricing.education.rat=300", 1, "did you mean 'pricing.education.rate'"),
    ("pricing.education.rate=lots", 1, "must be a number"),
    ("pricing.education.rate", 2, "expected PATH=VALUE"),
    ("settings.mainstream.ras_covers=all", 1, "ras_covers"),
])
def test_reform_refuses_a_bad_change_in_one_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, change: str, status: int,
        words: str) -> None:
    target = tmp_path / "reform.yaml"
    found, _, err = run(capsys, "reform", RATE, "--set", change, "-o", target)
    assert found == status
    assert words in err
    assert "Traceback" not in err
    assert not target.exists()
