"""Writing files safely and reading cohort files faithfully (issue 13: 1, 2, 3, 4, 6, 13).

Every file ras writes goes to its own exclusively created temporary file beside the target and is
renamed over it whole; outputs never overwrite the command's inputs; a cell with a line break
reads back as one cell.
"""

from __future__ import annotations

import itertools
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ras
from ras._faces.cli import main
from tests.paths import FIXTURES, SCHEMES

pytestmark = pytest.mark.usefixtures("csv_reader")  # each test with both CSV readers

SMALL = FIXTURES / "valid_small.yaml"
RATE = SCHEMES / "points_rate.yaml"
HEADER = "child_id,speech,listening,breaks,setting"


@pytest.fixture(scope="module")
def small() -> ras.Scheme:
    return ras.load_scheme(SMALL)


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def write_cohort(path: Path, rows: int, label: str) -> None:
    lines = [HEADER] + [f"{label}{i},some,none,some,mainstream" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")


# -- item 1: rows wider than the header ----------------------------------------------------


@pytest.mark.parametrize("body", [
    "A1,some,none,some,mainstream,x\nA2,lots,some,none,special,y\n",  # every row one wider
    "A1,some,none,some,mainstream,x\nA2,lots,some,none,special\n",  # only the first
])
def test_rows_wider_than_the_header_are_refused_naming_the_first_such_line(
        small: ras.Scheme, tmp_path: Path, body: str) -> None:
    source = tmp_path / "cohort.csv"
    source.write_text(HEADER + "\n" + body)
    with pytest.raises(ras.CalculationError, match=r"cohort\.csv: line 2 has 6 fields but the "
                                                   r"header has 5"):
        ras.calculate_file(small, source, tmp_path / "out.csv", progress=False)
    assert not (tmp_path / "out.csv").exists()


def test_a_wider_row_further_down_is_named_too(small: ras.Scheme, tmp_path: Path) -> None:
    source = tmp_path / "cohort.csv"
    source.write_text(HEADER + "\nA1,some,none,some,mainstream\n"
                      "A2,lots,some,none,special,stray\n")
    with pytest.raises(ras.CalculationError, match=r"line 3"):
        ras.calculate_file(small, source, tmp_path / "out.csv", progress=False)


def test_the_command_line_names_the_wider_line(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    source = tmp_path / "cohort.csv"
    source.write_text(HEADER + "\nA1,some,none,some,mainstream,x\n")
    status, _, err = run(capsys, "calculate", SMALL, source, "-o", tmp_path / "out.csv")
    assert status == 1
    assert "line 2 has 6 fields" in err


# -- item 2: concurrent calls on one target ---------------------------------------------------


def test_concurrent_calls_on_one_target_each_write_whole(small: ras.Scheme,
                                                         tmp_path: Path) -> None:
    sources = []
    for label in "AB":
        sources.append(tmp_path / f"{label}.csv")
        write_cohort(sources[-1], 1_000, label)
    target = tmp_path / "out.csv"
    problems: list[BaseException] = []

    def call(source: Path) -> None:
        try:
            ras.calculate_file(small, source, target, chunksize=100, progress=False)
        except BaseException as error:  # pragma: no cover - reported below
            problems.append(error)

    for _ in range(3):
        threads = [threading.Thread(target=call, args=(s,)) for s in sources]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert problems == []
        written = pd.read_csv(target, dtype=str)
        assert len(written) == 1_000
        labels = set(written["child_id"].str[0])
        assert len(labels) == 1  # one cohort whole, never rows of both
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


# -- item 3: line breaks inside cells ----------------------------------------------------------


def test_a_lone_carriage_return_in_a_cell_reads_back_as_one_cell(small: ras.Scheme,
                                                                 tmp_path: Path) -> None:
    source, target = tmp_path / "cohort.csv", tmp_path / "out.csv"
    source.write_bytes(b'child_id,speech,listening,breaks,setting,note\n'
                       b'A1,some,none,some,mainstream,"one\rtwo"\n'
                       b'A2,lots,some,none,special,"three\nfour"\n'
                       b'A3,none,none,none,mainstream,"five\r\nsix"\n')
    ras.calculate_file(small, source, target, progress=False)
    back = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert back["child_id"].tolist() == ["A1", "A2", "A3"]
    assert back["note"].tolist() == ["one\rtwo", "three\nfour", "five\r\nsix"]
    expected = small.calculate_frame(pd.DataFrame(
        {"speech": ["some", "lots", "none"], "listening": ["none", "some", "none"],
         "breaks": ["some", "none", "none"], "setting": ["mainstream", "special", "mainstream"]}))
    assert back["element3"].astype(float).tolist() == expected["element3"].tolist()


def test_a_parquet_string_with_a_carriage_return_keeps_its_row(small: ras.Scheme,
                                                               tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    source, target = tmp_path / "cohort.parquet", tmp_path / "out.csv"
    pd.DataFrame({"child_id": ["A1\r", "A2"], "speech": ["some", "lots"],
                  "listening": ["none", "some"], "breaks": ["some", "none"],
                  "setting": ["mainstream", "special"]}).to_parquet(source)
    ras.calculate_file(small, source, target, progress=False)
    back = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert back["child_id"].tolist() == ["A1\r", "A2"]
    assert len(back) == 2


# -- item 4: an output that is an input --------------------------------------------------------


@pytest.mark.parametrize("victim", ["base", "reform", "cohort"])
def test_compare_refuses_a_report_over_one_of_its_inputs(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, victim: str) -> None:
    base, reform, cohort = tmp_path / "base.yaml", tmp_path / "reform.yaml", tmp_path / "c.csv"
    base.write_text(SMALL.read_text())
    reform.write_text(SMALL.read_text().replace("rate: 300.2", "rate: 310"))
    write_cohort(cohort, 3, "A")
    paths = {"base": base, "reform": reform, "cohort": cohort}
    before = paths[victim].read_bytes()
    status, _, err = run(capsys, "compare", base, reform, cohort, "--html", paths[victim])
    assert status == 1
    assert "choose another output" in err
    assert paths[victim].read_bytes() == before


def test_compare_refuses_a_report_that_is_a_link_to_an_input(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cohort = tmp_path / "c.csv"
    write_cohort(cohort, 3, "A")
    (tmp_path / "report.html").symlink_to(cohort)
    before = cohort.read_bytes()
    status, _, _ = run(capsys, "compare", SMALL, SMALL, cohort, "--html",
                       tmp_path / "report.html")
    assert status == 1
    assert cohort.read_bytes() == before


def test_calculate_refuses_an_output_that_is_its_scheme_or_cohort(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cohort = tmp_path / "c.csv"
    write_cohort(cohort, 3, "A")
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(SMALL.read_text())
    os.link(scheme, tmp_path / "hard.csv")  # the scheme under a name with a CSV suffix
    before = scheme.read_bytes()
    status, _, err = run(capsys, "calculate", scheme, cohort, "-o", tmp_path / "hard.csv")
    assert (status, scheme.read_bytes()) == (1, before)
    assert "scheme" in err
    (tmp_path / "alias.csv").symlink_to(cohort)
    before = cohort.read_bytes()
    status, _, _ = run(capsys, "calculate", scheme, cohort, "-o", tmp_path / "alias.csv")
    assert (status, cohort.read_bytes()) == (1, before)


def test_schema_output_replaces_only_a_schema(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(SMALL.read_text())
    before = scheme.read_bytes()
    status, _, err = run(capsys, "schema", "-o", scheme)
    assert status == 1
    assert "not a JSON Schema" in err
    assert scheme.read_bytes() == before
    target = tmp_path / "s.json"
    assert run(capsys, "schema", "-o", target)[0] == 0
    assert run(capsys, "schema", "-o", target)[0] == 0  # its own output may be replaced


# -- item 6: no writing through planted links ------------------------------------------------


def planted_names(monkeypatch: pytest.MonkeyPatch, first: str) -> None:
    """Make the first temporary name the planted one, the rest fresh."""
    import ras._base.writing as writing

    tokens = itertools.chain([first], (f"fresh{i}" for i in itertools.count()))
    monkeypatch.setattr(writing.secrets, "token_hex", lambda n: next(tokens))


def test_a_link_planted_at_the_temporary_name_is_not_written_through(
        small: ras.Scheme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    source, target = tmp_path / "cohort.csv", tmp_path / "out.csv"
    write_cohort(source, 5, "A")
    (tmp_path / ".out.csv.guess.partial").symlink_to(victim)
    planted_names(monkeypatch, "guess")
    ras.calculate_file(small, source, target, progress=False)
    assert victim.read_text() == "precious"
    assert len(pd.read_csv(target)) == 5
    assert (tmp_path / ".out.csv.guess.partial").is_symlink()  # left as it was


def test_the_old_predictable_temporary_name_is_harmless(small: ras.Scheme,
                                                        tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    source, target = tmp_path / "cohort.csv", tmp_path / "out.csv"
    write_cohort(source, 5, "A")
    (tmp_path / f".out.csv.{os.getpid()}.partial").symlink_to(victim)
    ras.calculate_file(small, source, target, progress=False)
    assert victim.read_text() == "precious"


def test_the_html_report_is_not_written_through_a_planted_link(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    cohort = tmp_path / "c.csv"
    write_cohort(cohort, 3, "A")
    (tmp_path / f".report.html.{os.getpid()}.partial").symlink_to(victim)
    (tmp_path / ".report.html.guess.partial").symlink_to(victim)
    planted_names(monkeypatch, "guess")
    status, _, _ = run(capsys, "compare", SMALL, SMALL, cohort, "--html",
                       tmp_path / "report.html")
    assert status == 0
    assert victim.read_text() == "precious"
    assert "<html" in (tmp_path / "report.html").read_text()


# -- item 13: the target's mode is kept, and the data is on disk before the rename -----------


def test_a_private_target_stays_private(small: ras.Scheme, tmp_path: Path) -> None:
    source, target = tmp_path / "cohort.csv", tmp_path / "out.csv"
    write_cohort(source, 5, "A")
    target.write_text("old")
    target.chmod(0o600)
    ras.calculate_file(small, source, target, progress=False)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert len(pd.read_csv(target)) == 5


def test_a_new_target_gets_the_usual_mode(small: ras.Scheme, tmp_path: Path) -> None:
    source, target = tmp_path / "cohort.csv", tmp_path / "out.csv"
    write_cohort(source, 5, "A")
    ras.calculate_file(small, source, target, progress=False)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_the_data_is_synced_before_the_rename(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync-folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync-file")
        real_fsync(fd)

    def replace(a: Any, b: Any) -> None:
        events.append("replace")
        real_replace(a, b)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    source, target = tmp_path / "cohort.csv", tmp_path / "out.csv"
    write_cohort(source, 5, "A")
    ras.calculate_file(ras.load_scheme(SMALL), source, target, progress=False)
    assert events[:2] == ["fsync-file", "replace"]
    assert len(pd.read_csv(target)) == 5


def test_a_failed_write_leaves_the_old_target_and_no_temporary_file(tmp_path: Path) -> None:
    from ras._base import replacing

    target = tmp_path / "out.txt"
    target.write_text("old")

    def half_then_fail() -> None:
        with replacing(target) as sink:
            sink.write(b"half")
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        half_then_fail()
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_reform_refuses_to_write_over_its_base(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(SMALL.read_text())
    before = base.read_bytes()
    status, _, err = run(capsys, "reform", base, "--set", "pricing.education.rate=310",
                         "-o", base)
    assert status == 1
    assert "base scheme" in err
    assert base.read_bytes() == before
