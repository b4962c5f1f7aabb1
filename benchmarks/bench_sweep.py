"""Benchmark: sweeps and calibration over a large synthetic cohort.

    .venv/bin/python benchmarks/bench_sweep.py [children] [values]

Times ``ras.sweep`` over 200 values for 100,000 children (the issue's yardstick: seconds, not
minutes) for three kinds of parameter, and one ``ras.calibrate``. The cohort is encoded once and
reduced to the cases the parameter can tell apart, so the per-value cost does not grow with the
cohort; the figures are printed, and recorded in ``src/ras/_sweep.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import ras
from ras._changes.cases import Cases

ROOT = Path(__file__).resolve().parents[1]


def synthetic_cohort(scheme: ras.Scheme, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    severity = rng.beta(2, 4, size=n)
    columns = {q: rng.binomial(len(options) - 1, severity)
               for q, options in scheme.option_ids.items()}
    others = rng.choice(["mainstream", "early_years", "post16"], size=n, p=[0.75, 0.1, 0.15])
    columns["setting"] = np.where(severity > 0.5, "special", others)
    return pd.DataFrame(columns)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    runs = [
        ("points_rate", "pricing.education.rate", np.round(np.linspace(200, 400, count), 2)),
        ("points_rate",
         "domains.communication.questions.expressive_language.options.some.points",
         np.round(np.linspace(0, 10, count), 2)),
        ("banded_referral", "pricing.education.bands.3.amount",
         np.round(np.linspace(8000, 12000, count), 2)),
    ]
    print(f"{n:,} children, {count} values")
    for name, parameter, values in runs:
        scheme = ras.load_scheme(ROOT / "scoring_schemes" / f"{name}.yaml")
        cohort = synthetic_cohort(scheme, n, seed=1)
        start = time.perf_counter()
        table = ras.sweep(scheme, cohort, parameter, values)
        seconds = time.perf_counter() - start
        cases = Cases(scheme, cohort, parameter).size
        print(f"  sweep {name}: {parameter}: {seconds:.2f} s "
              f"({cases:,} distinct cases; total {table['total'].iloc[0]:,.0f} .. "
              f"{table['total'].iloc[-1]:,.0f})")
    scheme = ras.load_scheme(ROOT / "scoring_schemes" / "points_rate.yaml")
    cohort = synthetic_cohort(scheme, n, seed=1)
    target = float(scheme.calculate_frame(cohort)["personal_sen_budget"].sum()) * 1.05
    start = time.perf_counter()
    result = ras.calibrate(scheme, cohort, round(target, 2), "pricing.education.rate")
    seconds = time.perf_counter() - start
    print(f"  calibrate pricing.education.rate to +5 %: {seconds:.2f} s, "
          f"{result.evaluations} totals, rate {result.value}, gap {result.gap}")


if __name__ == "__main__":
    main()
