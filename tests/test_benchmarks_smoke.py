"""The benchmark's --quick mode runs, and its yardsticks agree with the engine.

The yardsticks are only worth comparing against if they compute the same thing, so this is also
a correctness test of the hand-written kernel and the plain row-by-row Python.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import time
from types import ModuleType

import numpy as np
import pytest

from tests.paths import ROOT


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    path = ROOT / "benchmarks" / "run.py"
    spec = importlib.util.spec_from_file_location("ras_benchmarks_run", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_quick_mode_runs_and_every_yardstick_agrees(bench: ModuleType) -> None:
    out = io.StringIO()
    start = time.perf_counter()
    report = bench.main(["--quick"], out=out)
    assert time.perf_counter() - start < 30  # about 3 s here; generous for a busy machine
    text = out.getvalue()
    assert report.agree, text
    [size] = report.sizes
    assert size.n == 300
    assert set(size.agreement) == {"hand-written numpy", "plain Python"}
    assert "skipped (--quick)" in text
    assert "Targets of issue 3" in text
    assert "ratios of the fastest runs" in text
    for measured in [*size.engine.values(), *size.yardsticks.values()]:
        assert 0 < measured.fastest <= measured.seconds, measured.label
    assert "PASS" in text or "MISS" in text
    assert report.one_child_seconds > 0
    assert report.load_questions == 200


def test_yardsticks_equal_the_engine_on_another_cohort(bench: ModuleType) -> None:
    import ras

    scheme = ras.load_scheme(bench.SCHEME_PATH)
    data = bench.load_data()
    cohort = bench.make_cohort(scheme, 700, seed=11)
    core = bench.core_columns(scheme)
    engine = scheme.calculate_codes(cohort.codes, cohort.settings, columns=core)
    assert np.isnan(engine["education_amount"]).any()  # referrals are exercised
    assert len(np.unique(cohort.settings)) == 3

    hand = bench.HandKernel(data, block=128)  # several blocks, and a ragged last one
    assert bench.compare(engine, hand(cohort.codes, cohort.settings), core) == []
    plain = bench.plain_to_columns(bench.plain_python(data, cohort.records(scheme)))
    assert bench.compare(engine, plain, core) == []

    # and the comparison can fail
    wrong = dict(engine)
    wrong["element3"] = np.nan_to_num(engine["element3"]) + 0.01
    assert bench.compare(engine, wrong, core) == ["element3"]


def test_generated_200_question_scheme_loads(bench: ModuleType) -> None:
    import ras

    scheme = ras.Scheme.from_yaml(bench.scheme_200q_yaml())
    assert len(scheme.question_ids) == 200
    assert len(scheme.setting_ids) == 3


def test_busy_core_and_frame_child_helpers_run(bench: ModuleType, capsys: pytest.CaptureFixture[str]
                                                ) -> None:
    measured = bench.measure_busy("sum", sum, lambda: ([1, 2, 3],), 3, 2)
    assert measured.runs == 2
    assert 0 < measured.fastest <= measured.seconds
    bench.frame_child(50, 2)  # what each environment's child process prints for the parent
    assert len([float(t) for t in capsys.readouterr().out.split()]) == 2


def test_the_service_benchmark_runs_without_an_error() -> None:
    pytest.importorskip("fastapi", reason="the service benchmark needs the serve extra")
    path = ROOT / "benchmarks" / "bench_service.py"
    spec = importlib.util.spec_from_file_location("ras_benchmarks_service", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = io.StringIO()
    figures = module.main(["--quick"], out=out)
    assert figures["errors"] == 0, out.getvalue()
    assert figures["requests"] > 0
    assert "requests/s" in out.getvalue()


def test_the_number_questions_benchmark_runs_and_its_floor_agrees(
        capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "benchmarks" / "bench_numbers.py"
    spec = importlib.util.spec_from_file_location("ras_benchmarks_numbers", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--rows", "300", "--repeat", "1"])
    assert "agrees with the engine on element 3: True" in capsys.readouterr().out
