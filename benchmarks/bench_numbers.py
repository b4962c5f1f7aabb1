"""Benchmark: a format version 2 scheme with number questions (hours a week at hourly costs).

Run from the repository root::

    .venv/bin/python benchmarks/bench_numbers.py                  # 100,000 children
    .venv/bin/python benchmarks/bench_numbers.py --rows 10000 --repeat 3

The scheme is ``scoring_schemes/hours_top_up.yaml``: three number questions (teaching assistant
hours by 0.25, teacher hours by 0.25, therapy minutes by 15), over 38 weeks, a maximum, element 2
taken off. Hours priced to the penny reach millions of point totals, so the engine prices these
rows one by one rather than from a lookup table; this measures what that costs.

The floor, measured in the same run on the same cohort, is a hand-written numpy kernel for this
one scheme in exact integers (ten-thousandths of a pound: step index x the step's cost, x 38,
clamp, round half up, less element 2). It is checked against the engine before it is timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import ras

SCHEME = Path(__file__).resolve().parents[1] / "scoring_schemes" / "hours_top_up.yaml"
SEED = 20261201
# per step, in ten-thousandths of a pound a week: 0.25 h x 11.81, 0.25 h x 42.96, 15 min x 0.79
STEP_COST = np.array([29_525, 107_400, 118_500], dtype=np.int64)
WEEKS, MAXIMUM = 38, 30_000 * 10_000
DEDUCTION_PENCE = np.array([600_000, 1_000_000], dtype=np.int64)  # mainstream, special


def cohort(scheme: ras.Scheme, rows: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    counts = scheme.compiled.option_counts
    codes = np.stack([rng.integers(0, int(k), rows) for k in counts], axis=1)
    return codes, rng.integers(0, len(scheme.setting_ids), rows)


def hand(codes: np.ndarray, settings: np.ndarray) -> np.ndarray:
    """Element 3 in pence, by hand for this scheme."""
    year = (codes.astype(np.int64) @ STEP_COST) * WEEKS
    year = np.minimum(year, MAXIMUM)
    pence = (year + 50) // 100
    return np.maximum(pence - DEDUCTION_PENCE[settings], 0)


def timed(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> bool:
    """Print the table; True when the hand-written kernel agrees with the engine."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    scheme = ras.load_scheme(SCHEME)
    codes, settings = cohort(scheme, args.rows)
    grids = {q: np.array([float(t) for t in scheme.option_ids[q]]) for q in scheme.question_ids}
    numbers = pd.DataFrame({q: grids[q][codes[:, j]] for j, q in enumerate(scheme.question_ids)})
    numbers["setting"] = np.array(scheme.setting_ids, dtype=object)[settings]
    text = numbers.astype(str)  # as read_csv(dtype=str) gives a CSV of hours

    engine = scheme.calculate_codes(codes, settings, columns=["element3"])["element3"]
    agrees = np.array_equal(np.rint(engine * 100).astype(np.int64), hand(codes, settings))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"ras {ras.__version__}: {scheme.id!r}, {args.rows:,} children, 3 number questions "
          f"({', '.join(str(int(k)) for k in scheme.compiled.option_counts)} answers each); "
          f"median of {args.repeat}; load average {load}")
    print(f"hand-written kernel agrees with the engine on element 3: {agrees}")
    rows = [
        ("scheme.calculate_codes, all columns", lambda: scheme.calculate_codes(codes, settings)),
        ("scheme.calculate_codes, columns=element3",
         lambda: scheme.calculate_codes(codes, settings, columns=["element3"])),
        ("scheme.calculate_frame, hours as floats", lambda: scheme.calculate_frame(numbers)),
        ("scheme.calculate_frame, hours as CSV text", lambda: scheme.calculate_frame(text)),
        ("hand-written numpy kernel (element 3)", lambda: hand(codes, settings)),
    ]
    for name, run in rows:
        seconds = timed(run, args.repeat)
        print(f"  {name:<44} {seconds:8.4f} s  {args.rows / seconds / 1e6:6.2f} M rows/s")
    one = {"assistant_hours": 23.5, "teacher_hours": 2, "therapy_minutes": 30}
    calls = [timed(lambda: scheme.calculate(one, setting="mainstream"), 1) for _ in range(500)]
    print(f"  scheme.calculate, one child: median {statistics.median(calls) * 1e6:.1f} µs")
    return agrees


if __name__ == "__main__":
    main()
