"""Every ```python block in docs/*.md runs, in order, one namespace per file.

Blocks that draw (they call ``.plot(`` or import matplotlib) are skipped when matplotlib, an
optional extra, is not installed; no later block may depend on them.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest

from tests.paths import ROOT

DOCS = sorted((ROOT / "docs").glob("*.md"))
_BLOCK = re.compile(r"^```python\n(.*?)^```", flags=re.S | re.M)
_DRAWS = re.compile(r"\.plot\(|matplotlib")
HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


def blocks(path: Path) -> list[tuple[int, str]]:
    """(line number, code) of each python block."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in _BLOCK.finditer(text)]


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_doc_code_runs(path: Path) -> None:
    found = blocks(path)
    if not found:
        pytest.skip(f"{path.name} has no python block")
    namespace: dict[str, object] = {"__name__": f"docs.{path.stem}"}
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        for line, code in found:
            if _DRAWS.search(code) and not HAVE_MATPLOTLIB:
                continue
            # pad so tracebacks point at the line in the markdown file
            exec(compile("\n" * (line - 1) + code, str(path), "exec"), namespace)
    finally:
        os.chdir(here)


def test_the_study_is_there() -> None:
    assert (ROOT / "docs" / "scheme-change-study.md") in DOCS
