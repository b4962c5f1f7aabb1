"""A scheme shared by the threads of a web server: concurrent calls give the serial results."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pytest

import ras
from tests.paths import SCHEMES

CHILDREN, FRAME_ROWS, THREADS = 160, 40, 8


@pytest.fixture(autouse=True)
def switch_often() -> Iterator[None]:
    """Make the interpreter switch threads very often, so that calls really interleave."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


def budget_figures(budget: ras.Budget) -> tuple[Any, ...]:
    return (budget.setting, dict(budget.answers), dict(budget.domain_points),
            dict(budget.stream_points), dict(budget.stream_amounts), dict(budget.bands),
            dict(budget.ranges), dict(budget.reviews), budget.element1, budget.element2,
            budget.element3, budget.total_personal_budget)


def children(scheme: ras.Scheme, seed: int) -> tuple[list[dict[str, str]], list[str]]:
    rng = np.random.default_rng(seed)
    answers = [{q: scheme.option_ids[q][rng.integers(len(scheme.option_ids[q]))]
                for q in scheme.question_ids} for _ in range(CHILDREN)]
    settings = [scheme.setting_ids[rng.integers(len(scheme.setting_ids))]
                for _ in range(CHILDREN)]
    return answers, settings


@pytest.mark.parametrize("name", ["banded_referral.yaml", "points_rate.yaml",
                                  "need_levels.yaml"])
def test_threads_sharing_a_scheme_get_the_serial_results(name: str) -> None:
    serial_scheme = ras.load_scheme(SCHEMES / name)
    answers, settings = children(serial_scheme, seed=len(name))
    cohort = pd.DataFrame(answers).assign(setting=settings)
    frames = [cohort.iloc[lo:lo + FRAME_ROWS] for lo in range(0, CHILDREN, FRAME_ROWS)]
    encoded = serial_scheme.encode(cohort)
    names = serial_scheme.output_columns
    subsets = [names[k::3] for k in range(3)]  # each call its own plan of what to compute

    def one(scheme: ras.Scheme, i: int) -> tuple[Any, ...]:
        budget = scheme.calculate(answers[i], setting=settings[i])
        return (*budget_figures(budget), budget.explain().to_text())

    def frame(scheme: ras.Scheme, k: int) -> pd.DataFrame:
        return scheme.calculate_frame(frames[k])

    def codes(scheme: ras.Scheme, k: int) -> dict[str, Any]:
        rows = slice(k * FRAME_ROWS, (k + 1) * FRAME_ROWS)
        return scheme.calculate_codes(encoded.codes[rows], encoded.settings[rows],
                                      columns=subsets[k % len(subsets)])

    serial_one = [one(serial_scheme, i) for i in range(CHILDREN)]
    serial_frames = [frame(serial_scheme, k) for k in range(len(frames))]
    serial_codes = [codes(serial_scheme, k) for k in range(len(frames))]

    for _ in range(2):
        # a scheme loaded afresh: whatever it works out once and keeps (the plan of each set of
        # columns) is worked out by the threads themselves, at the same time
        scheme = ras.load_scheme(SCHEMES / name)
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            # interleave the three kinds of call, so each thread runs all of them
            jobs: list[tuple[str, int, Any]] = []
            for i in range(CHILDREN):
                jobs.append(("one", i, pool.submit(one, scheme, i)))
                if i % 6 == 0:
                    k = (i // 6) % len(frames)
                    jobs.append(("frame", k, pool.submit(frame, scheme, k)))
                    jobs.append(("codes", k, pool.submit(codes, scheme, k)))
            for kind, i, future in jobs:
                result = future.result()
                if kind == "one":
                    assert result == serial_one[i]
                elif kind == "frame":
                    pd.testing.assert_frame_equal(result, serial_frames[i])
                else:
                    assert result.keys() == serial_codes[i].keys()
                    for column, values in result.items():
                        np.testing.assert_array_equal(values, serial_codes[i][column])
