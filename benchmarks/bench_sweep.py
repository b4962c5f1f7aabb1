"""Benchmark: sweeps and calibration over a large synthetic cohort.

    .venv/bin/python benchmarks/bench_sweep.py [children] [values]
    .venv/bin/python benchmarks/bench_sweep.py --floor [children] [repeat]   # issue 19's row

``--floor`` times issue 19's row: ``ras.sweep`` of 200 social care rates over 640,000 children of
the 40-question benchmark scheme (measure: the total personal budget, so every child's element 3
is in each total), beside two numpy floors measured in the same run on the same children: (A)
re-pricing precomputed points (the social care points and element 3 of every child, made once
by the engine, untimed) in exact integers and summing the totals, as the issue states the floor;
(B) the same and every other figure the sweep reports (children with a top-up, mean, median,
90th percentile, referred). Both are checked against the sweep before they are timed.

Times ``ras.sweep`` over 200 values for 100,000 children (the issue's yardstick: seconds, not
minutes) for three kinds of parameter, and one ``ras.calibrate``. The cohort is encoded once and
reduced to the cases the parameter can tell apart, so the per-value cost does not grow with the
cohort; the figures are printed, and recorded in ``src/ras/_changes/sweeps.py``.
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


RATES = [float(r) for r in np.round(np.linspace(15, 30, 200), 2)]


def floor_sweep(points: np.ndarray, fixed: np.ndarray, missing: np.ndarray, rates: list[float],
                maximum: int, everything: bool) -> list[dict[str, float]]:
    """numpy re-pricing of precomputed points: social care points in hundredths times the rate
    in hundredths, rounded half up to whole pounds, capped, in pence, plus each child's fixed
    element 3 (pence); missing children (referred for element 3) are left out."""
    base = None
    rows = []
    kept = ~missing
    hundredths = points[kept].astype(np.float64)  # whole numbers: float64 is exact below 2**53
    fixed_kept = fixed[kept].astype(np.float64)
    total = np.empty_like(hundredths)
    for rate in rates:
        np.multiply(hundredths, round(rate * 100), out=total)  # ten-thousandths of a pound
        total += 5000
        total /= 10000  # correctly rounded: a multiple of 10,000 divides exactly
        np.floor(total, out=total)  # half up, to whole pounds
        np.minimum(total, maximum, out=total)
        total *= 100
        total += fixed_kept  # pence
        figure = {"total": float(total.sum()) / 100}
        if base is None:
            base = figure["total"]
        figure["change"] = round(figure["total"] - base, 2)  # like for like: all are kept
        if everything:
            scored = total
            median, p90 = np.percentile(scored, [50, 90]) / 100
            figure |= {"with_top_up": int((scored > 0).sum()), "mean": scored.mean() / 100,
                       "median": median, "p90": p90, "referred": int(missing.sum())}
        rows.append(figure)
    return rows


def floor_main(n: int, repeat: int) -> None:
    """Issue 19's sweep row: ras.sweep beside the numpy floors, in one run, interleaved."""
    import os
    import statistics

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run import SCHEME_PATH, make_cohort

    scheme = ras.load_scheme(SCHEME_PATH)
    cohort = make_cohort(scheme, n)
    frame = cohort.frame_categorical(scheme)
    out = scheme.calculate_codes(cohort.codes, cohort.settings,
                                 columns=["social_care_points", "personal_sen_budget"])
    points = np.rint(out["social_care_points"] * 100).astype(np.int64)
    missing = np.isnan(out["personal_sen_budget"])
    fixed = np.rint(np.nan_to_num(out["personal_sen_budget"]) * 100).astype(np.int64)
    maximum = int(scheme.model.pricing["social_care"].maximum or 0)
    base = RATES[0]
    values = [base, *RATES[1:]]  # the first value is the floor's base for change

    def engine() -> pd.DataFrame:
        return ras.sweep(scheme, frame, "pricing.social_care.rate", values,
                         measure="total_personal_budget")

    table = engine()
    floor_b = floor_sweep(points, fixed, missing, values, maximum, everything=True)
    # the sweep's change is against the scheme as it is (22.5); the floor's against the first rate
    offset = table["total"].iloc[0]
    for row, figures in zip(table.to_dict("records"), floor_b, strict=True):
        agrees = (row["total"] == figures["total"]
                  and round(row["total"] - offset, 2) == figures["change"]
                  and row["with_top_up"] == figures["with_top_up"]
                  and row["referred"] == figures["referred"]
                  and abs(row["median"] - figures["median"]) < 1e-6
                  and abs(row["p90"] - figures["p90"]) < 1e-6)
        if not agrees:
            raise SystemExit(f"the floor DIFFERS from ras.sweep at {row['value']}: {row} "
                             f"against {figures}")
    runs: dict[str, list[float]] = {"sweep": [], "floor A": [], "floor B": []}
    jobs = {"sweep": engine,
            "floor A": lambda: floor_sweep(points, fixed, missing, values, maximum, False),
            "floor B": lambda: floor_sweep(points, fixed, missing, values, maximum, True)}
    for _ in range(repeat):
        for key, job in jobs.items():
            start = time.perf_counter()
            job()
            runs[key].append(time.perf_counter() - start)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"ras.sweep, {len(values)} social care rates x {n:,} children "
          f"(total personal budget; {repeat} runs each, interleaved; load average {load})")
    print(f"  the floors agree with ras.sweep at every rate; "
          f"{Cases(scheme, frame, 'pricing.social_care.rate', 'total_personal_budget').size:,}"
          " distinct cases")
    for key, label in (("sweep", "ras.sweep (encode, reduce, 200 validated variants)"),
                       ("floor A", "floor A: numpy re-pricing, totals"),
                       ("floor B", "floor B: numpy re-pricing, every figure")):
        t = runs[key]
        print(f"  {label:<52} median {statistics.median(t):6.3f} s, fastest {min(t):6.3f} s")
    for floor in ("floor A", "floor B"):
        ratio = statistics.median(runs["sweep"]) / statistics.median(runs[floor])
        fastest = min(runs["sweep"]) / min(runs[floor])
        verdict = ("PASS" if ratio <= 3 else "MISS") if floor == "floor A" else "-"
        print(f"  ras.sweep / {floor}: {ratio:.2f} x (fastest runs {fastest:.2f} x); "
              f"target <= 3 x floor A: {verdict}")
    print("  MISS: the sweep took more than three times floor A in this run; the floors do no "
          "validation and build no scheme, and a busy machine slows the sweep's Python more "
          "than the floors' numpy, so re-run when the load is low before reading it as the code's.")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--floor":
        n = int(sys.argv[2]) if len(sys.argv) > 2 else 640_000
        floor_main(n, int(sys.argv[3]) if len(sys.argv) > 3 else 3)
        return
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
