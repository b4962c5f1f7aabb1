"""Every mistake in a file is one RasError naming the file and what is wrong, and exit status 1
on the command line, never a traceback (issue 13: 15, 19, 20)."""

from __future__ import annotations

import errno
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import ras
from ras._faces.cli import main
from tests.paths import FIXTURES, ROOT, SCHEMES

SMALL = FIXTURES / "valid_small.yaml"
RATE = SCHEMES / "points_rate.yaml"
COHORT = "child_id,speech,listening,breaks,setting\n" + "".join(
    f"A{i},some,none,some,mainstream\n" for i in range(400))


@pytest.fixture(scope="module")
def small() -> ras.Scheme:
    return ras.load_scheme(SMALL)


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


# -- item 15: tracebacks become one error -----------------------------------------------------


def test_a_truncated_gzip_cohort_is_named(small: ras.Scheme, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    whole = gzip.compress(COHORT.encode())
    source = tmp_path / "cohort.csv.gz"
    source.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ras.CalculationError, match=r"cohort\.csv\.gz: not a readable gzip file"):
        ras.calculate_file(small, source, tmp_path / "out.csv", progress=False)
    source.write_bytes(b"\x1f\x8b" + b"not gzip at all" * 10)
    with pytest.raises(ras.CalculationError, match="not a readable gzip file"):
        ras.calculate_file(small, source, tmp_path / "out.csv", progress=False)
    for command in (["calculate", SMALL, source, "-o", tmp_path / "o.csv"],
                    ["compare", SMALL, SMALL, source]):
        status, _, err = run(capsys, *command)
        assert status == 1
        assert "not a readable gzip file" in err


def test_a_damaged_parquet_cohort_is_named(small: ras.Scheme, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pyarrow")
    good = tmp_path / "good.parquet"
    pd.read_csv(pd.io.common.StringIO(COHORT), dtype=str).to_parquet(good)
    truncated, garbage = tmp_path / "cut.parquet", tmp_path / "junk.parquet"
    truncated.write_bytes(good.read_bytes()[:-40])
    garbage.write_bytes(b"this is not parquet\n" * 20)
    for source in (truncated, garbage):
        with pytest.raises(ras.CalculationError, match="not a readable Parquet file"):
            ras.calculate_file(small, source, tmp_path / "out.csv", progress=False)
        for command in (["calculate", SMALL, source, "-o", tmp_path / "o.csv"],
                        ["compare", SMALL, SMALL, source]):
            status, _, err = run(capsys, *command)
            assert status == 1
            assert f"{source}: not a readable Parquet file" in err


def test_output_folders_and_targets_are_checked_before_the_work(
        small: ras.Scheme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "cohort.csv"
    source.write_text(COHORT)

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cohort was scored before the target was checked")

    monkeypatch.setattr(ras.Scheme, "calculate_frame", no_work)
    with pytest.raises(ras.CalculationError, match=r"the folder .* does not exist"):
        ras.calculate_file(small, source, tmp_path / "nowhere" / "out.csv", progress=False)
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(ras.CalculationError, match="it is a folder"):
        ras.calculate_file(small, source, tmp_path / "out.csv", progress=False)


def test_explain_refuses_a_record_whose_answers_are_not_a_mapping(
        small: ras.Scheme, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = small.calculate({"speech": "some", "listening": "none", "breaks": "some"},
                             setting="mainstream").to_record()
    record["inputs"]["answers"] = ["some", "none", "some"]
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record))
    status, _, err = run(capsys, "explain", SMALL, path)
    assert status == 1
    assert "inputs.answers must map question ids to answers, not a list" in err


def test_a_dollar_in_scheme_text_is_not_mathtext(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    reform = tmp_path / "reform.yaml"
    reform.write_text(SMALL.read_text().replace('version: "1"', 'version: "$\\\\frac{$"'))
    cohort = tmp_path / "c.csv"
    cohort.write_text(COHORT)
    base = ras.load_scheme(SMALL)
    comparison = ras.compare(base, ras.load_scheme(reform),
                             pd.read_csv(cohort, dtype=str).drop(columns="child_id"))
    comparison.plot().savefig(tmp_path / "chart.png")  # drawing parses text: no error
    status, _, err = run(capsys, "compare", SMALL, reform, cohort, "--html",
                         tmp_path / "r.html")
    assert (status, err) == (0, "")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_devices_and_fifos_are_refused_without_reading_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo_scheme, fifo_answers = tmp_path / "scheme.yaml", tmp_path / "child.yaml"
    fifo_cohort = tmp_path / "cohort.csv"
    for fifo in (fifo_scheme, fifo_answers, fifo_cohort):
        os.mkfifo(fifo)
    # in a subprocess: without the fix, these wait for a writer or read /dev/zero for ever
    cases = [
        (["validate", "/dev/zero", fifo_scheme],
         ["/dev/zero: a device, not a file", f"{fifo_scheme}: a pipe (FIFO), not a file"]),
        (["explain", SMALL, fifo_answers], [f"{fifo_answers}: a pipe (FIFO), not a file"])]
    started = [subprocess.Popen([sys.executable, "-m", "ras", *map(str, args)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for args, _ in cases]
    try:
        for (args, words), process in zip(cases, started, strict=True):
            try:
                _, err = process.communicate(timeout=60)
            except subprocess.TimeoutExpired:  # pragma: no cover - the bug: waiting for ever
                pytest.fail(f"ras {' '.join(map(str, args))} hung")
            assert process.returncode == 1, args
            assert all(w in err for w in words), (args, err)
            assert "Traceback" not in err
    finally:
        for process in started:
            if process.poll() is None:  # pragma: no cover
                process.kill()
    # a cohort is only looked at (stat), never opened, before it is refused
    for command in (["calculate", SMALL, fifo_cohort, "-o", tmp_path / "o.csv"],
                    ["compare", SMALL, SMALL, fifo_cohort]):
        status, _, err = run(capsys, *command)
        assert status == 1
        assert f"{fifo_cohort}: a pipe (FIFO), not a file" in err


def test_plan_costs_too_large_for_pence_are_refused() -> None:
    for cost in ("1e400", 1e300):
        with pytest.raises(ras.PlanError, match="far too large"):
            ras.ProvisionLine(description="speech therapy", stream="education",
                              delivery="direct_payment", cost=cost)


def test_verify_refuses_deeply_nested_json(small: ras.Scheme) -> None:
    with pytest.raises(ras.RecordError, match="nested far too deeply"):
        ras.verify("[" * 100_000 + "]" * 100_000, small)


# -- item 19: near misses and other separators --------------------------------------------


def test_a_header_differing_in_case_or_spaces_is_named(small: ras.Scheme, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "cohort.csv"
    source.write_text(COHORT.replace("speech,", " Speech ,", 1))
    with pytest.raises(ras.AnswerError, match="its column ' Speech ' differs only in case or "
                                              "spaces: rename it 'speech'"):
        ras.calculate_file(small, source, tmp_path / "out.csv", progress=False)
    with pytest.raises(ras.AnswerError, match="' Speech ' differs only in case"):
        small.calculate_frame(pd.read_csv(source, dtype=str))
    for command in (["calculate", SMALL, source, "-o", tmp_path / "o.csv"],
                    ["compare", SMALL, SMALL, source]):
        status, _, err = run(capsys, *command)
        assert status == 1
        assert "' Speech ' differs only in case or spaces" in err


@pytest.mark.parametrize(("separator", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_separated_otherwise_is_named(small: ras.Scheme, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             separator: str, name: str) -> None:
    source = tmp_path / "cohort.csv"
    source.write_text(COHORT.replace(",", separator))
    with pytest.raises(ras.CalculationError, match=f"separated by {name}"):
        ras.calculate_file(small, source, tmp_path / "out.csv", progress=False)
    status, _, err = run(capsys, "compare", SMALL, SMALL, source)
    assert status == 1
    assert f"separated by {name}" in err


# -- item 20: words for what each thing is ---------------------------------------------------


def test_answers_file_errors_speak_of_an_answers_file(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    big, empty = tmp_path / "big.yaml", tmp_path / "empty.yaml"
    big.write_text("setting: mainstream\n" + "# padding\n" * 250_000)
    empty.write_text("# nothing\n")
    status, _, err = run(capsys, "explain", SMALL, big)
    assert status == 1
    assert "an answers file is at most 2,000,000" in err
    assert "scheme" not in err.split("error:")[1]
    status, _, err = run(capsys, "explain", SMALL, empty)
    assert status == 1
    assert "the answers file is empty" in err
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e]\n")
    status, _, err = run(capsys, "explain", SMALL, bomb)
    assert status == 1
    assert "write the answers file out plainly" in err  # said "write the scheme out plainly"


def test_a_full_disk_is_said_in_words(small: ras.Scheme, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    source, target = tmp_path / "cohort.csv", tmp_path / "out.csv"
    source.write_text(COHORT)
    target.write_text("old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ras.CalculationError, match=r"out\.csv: cannot write the file: the disk "
                                                   r"is full; nothing was written"):
        ras.calculate_file(small, source, target, progress=False)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.csv", "out.csv"]


def test_validate_prints_problems_on_standard_error(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("rate: 300.2", "rate: -1"))
    status, out, err = run(capsys, "validate", SMALL, bad)
    assert status == 1
    assert f"{bad}:" in err
    assert f"{bad}:" not in out
    assert f"{SMALL}: ok" in out


def test_a_number_too_large_is_said_to_be_too_large(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SMALL.read_text().replace("rate: 300.2", "rate: 1e400"))
    with pytest.raises(ras.SchemeError) as caught:
        ras.load_scheme(path)
    assert "far too large a number" in str(caught.value)
    assert "finite" not in str(caught.value)
