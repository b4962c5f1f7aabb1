"""The README's quick start works when pasted, and its two commands are the ones CI runs."""

from __future__ import annotations

import os
import re

from tests.paths import ROOT


def _blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_quick_start_runs(capsys: object) -> None:
    blocks = _blocks("python")
    assert blocks, "README.md has no python block"
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(here)


def test_ci_runs_exactly_the_readme_commands() -> None:
    setup, tests = _blocks("bash")[0].strip().splitlines()
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert setup in ci
    assert tests in ci
