"""The shipped examples work on a fresh clone, as written.

A fresh clone is a temporary folder holding copies of what the repository ships
(``scoring_schemes/`` and ``examples/``). In it run (``*`` expanded as a shell does) the ``ras``
part of README.md's first command (and its printed summary is the one README shows), README's
other command lines, every example of ``ras --help`` and of each command's ``--help``, and every
``ras`` line of a ```bash block in docs/. Each must exit 0. The cohorts are what
``examples/make_cohorts.py`` writes, byte for byte, and every one scores without a bad row.
"""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import io
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

import ras
from ras._faces import cli
from tests.paths import ROOT, SCHEMES

EXAMPLES = ROOT / "examples"
_RAS = re.compile(r"^(?:\.venv/bin/)?ras(?: |$)")


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder laid out as a fresh clone, the current directory for the test."""
    for name in ("scoring_schemes", "examples"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(line: str) -> tuple[int, str, str]:
    """One command line as a shell would run it: ``# comments`` and ``> FILE`` understood."""
    words = shlex.split(line, comments=True)
    assert _RAS.match(line.strip()), line
    words = [found for word in words
             for found in (sorted(glob.glob(word)) or [word] if "*" in word else [word])]
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(words[1:])
    if target is not None:
        Path(target).write_text(out.getvalue(), encoding="utf-8")
    return status, out.getvalue(), err.getvalue()


def run_all(lines: list[str], where: str) -> None:
    assert lines, f"no ras command lines in {where}"
    for line in lines:
        status, out, err = run(line)
        assert status == 0, f"{where}: `{line}` exited {status}:\n{out}\n{err}"


def _help(*command: str) -> str:
    status, out, _ = run(" ".join(("ras", *command, "--help")))
    assert status == 0
    return out


def _example_lines(text: str) -> list[str]:
    """The indented ``ras ...`` lines under ``examples:`` in a help text, a line ending in a
    backslash joined to the next, as a shell joins them."""
    _, _, tail = text.partition("examples:\n")
    lines: list[str] = []
    joining = False
    for line in tail.splitlines():
        if not line.startswith("  "):
            break
        if joining:
            lines[-1] = lines[-1][:-1] + " " + line.strip()
        elif _RAS.match(line.strip()):
            lines.append(line.strip())
        joining = bool(lines) and lines[-1].endswith("\\")
    return lines


def _commands() -> list[str]:
    found = re.findall(r"^    ([a-z]+)(?:  |$)", _help(), flags=re.M)
    assert len(found) >= 7, found
    return found


def _readme_bash() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def _bash_lines(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if _RAS.match(line.strip())]


# -- the README -----------------------------------------------------------------------------


def test_readme_first_command_ends_with_ras_calculate_whose_summary_readme_shows(
        clone: Path) -> None:
    setup = _readme_bash()[0].splitlines()[0]
    steps = [step.strip() for step in setup.split("&&")]
    assert steps[0] == "python3 -m venv .venv"
    calculate = steps[-1]
    assert calculate.startswith(".venv/bin/ras calculate ")
    status, out, err = run(calculate)
    assert status == 0, err
    target = shlex.split(calculate)[shlex.split(calculate).index("-o") + 1]
    assert (clone / target).is_file()
    assert f"written to {target}" in out
    shown = re.search(r"```text\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    assert shown, "README.md shows no summary"

    def untimed(text: str) -> list[str]:
        return [re.sub(r" in [0-9.]+ s, [0-9,]+ rows/s", "", line) for line in
                text.strip().splitlines()]

    assert untimed(out) == untimed(shown.group(1))


def test_readme_first_command_writes_no_tracked_file() -> None:
    setup = _readme_bash()[0].splitlines()[0]
    words = shlex.split(setup.split("&&")[-1])
    target = words[words.index("-o") + 1]
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert f"/{target}" in ignored  # written at the top of the clone, and ignored by git
    assert "/" not in target  # so not inside a tracked folder


def test_readme_other_command_lines_run(clone: Path) -> None:
    lines = [line for block in _readme_bash()[1:] for line in _bash_lines(block)]
    run_all(lines, "README.md")


# -- ras --help -----------------------------------------------------------------------------


def test_every_example_in_the_help_runs_as_written(clone: Path) -> None:
    lines = _example_lines(_help())
    for command in _commands():
        found = _example_lines(_help(command))
        assert found, f"`ras {command} --help` shows no example"
        lines += found
    run_all(lines, "ras --help")


# -- docs -----------------------------------------------------------------------------------


DOCS = sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_every_ras_line_in_the_docs_runs(path: Path, clone: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = [line for block in re.findall(r"^```bash\n(.*?)^```", text, flags=re.S | re.M)
             for line in _bash_lines(block)]
    if not lines:
        pytest.skip(f"{path.name} has no ras command line")
    run_all(lines, path.name)


# -- the cohorts ----------------------------------------------------------------------------


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_cohorts", EXAMPLES / "make_cohorts.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_makes_the_shipped_cohorts_byte_for_byte(tmp_path: Path) -> None:
    written = _maker().write(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{p.stem}.csv"
                                                      for p in SCHEMES.glob("*.yaml"))
    for path in written:
        assert path.read_bytes() == (EXAMPLES / path.name).read_bytes(), (
            f"examples/{path.name} is not what examples/make_cohorts.py writes: run it again")


def _cohorts() -> Iterator[tuple[ras.Scheme, pd.DataFrame]]:
    for path in sorted(SCHEMES.glob("*.yaml")):
        cohort = pd.read_csv(EXAMPLES / f"{path.stem}.csv", dtype=str, keep_default_na=False)
        yield ras.load_scheme(path), cohort


def test_every_cohort_is_a_few_hundred_children_with_ids_and_council_columns() -> None:
    for scheme, cohort in _cohorts():
        assert 200 <= len(cohort) <= 1000
        assert cohort["child_id"].is_unique
        assert {"year_group", "primary_need", "setting", *scheme.question_ids} <= set(cohort)
        assert set(cohort["setting"]) == set(scheme.setting_ids)  # every setting occurs


def test_every_cohort_scores_without_a_bad_row_and_sends_some_children_to_panel(
        tmp_path: Path) -> None:
    referred = 0
    for scheme, _ in _cohorts():
        target = tmp_path / f"{scheme.id}.csv"
        summary = ras.calculate_file(scheme, EXAMPLES / f"{Path(scheme.source or '').stem}.csv",
                                     target, errors="flag", progress=False)
        assert summary.rows == 300
        assert summary.bad_rows == 0
        assert summary.personal_sen_budget > 0
        referred += summary.referred
    assert referred > 0  # the examples show what a referral looks like
