"""Letters and explanations per child, beside calculate_frame in the same run (issues 16, 19).

Run from the repository root::

    .venv/bin/python benchmarks/bench_letters.py               # 20,000 children
    .venv/bin/python benchmarks/bench_letters.py --n 2000      # a quicker run

Rows, each the median of --repeat runs on the same synthetic cohort of the Northshire example
scheme (a quarter of the children in each setting):

- floor: ``scheme.calculate_frame(cohort)``, the batch kernel with every output;
- floor for text: the same plus one f-string line per answer of every child, the plainest
  possible text of a child's figures (issue 19's floor for ``to_text()``);
- ``scheme.letters(cohort)``: every child's letter built (one traced kernel run, then each row's
  explanation and letter), and then each rendered ``to_text()`` and ``to_html()``;
- ``scheme.explain_frame(cohort, rows)`` then ``to_text()``: the officers' explanation.

Targets: letters under 250 us a child (20,000 letters in under 5 s, issue 16); an explanation's
``to_text()`` at most 25 x the text floor and at most 150 us a child (issue 19). PASS means the
median met the target in this run; MISS that it did not (the row says by how much). The machine
is shared: the load average is printed, and a busy machine makes every row slower alike.
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

ROOT = Path(__file__).resolve().parents[1]


def cohort(scheme: ras.Scheme, n: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    need = rng.random(n)
    data: dict[str, Any] = {}
    for q, options in scheme.option_ids.items():
        level = np.clip(need * len(options) + rng.normal(0, 0.8, n), 0, len(options) - 1)
        data[q] = [options[int(i)] for i in level]
    settings = list(scheme.setting_ids)
    data["setting"] = [settings[i % len(settings)] for i in range(n)]
    return pd.DataFrame(data, index=[f"c{i:06d}" for i in range(n)])


def timed(work: Callable[[pd.DataFrame], object], frames: list[pd.DataFrame]
          ) -> tuple[float, float]:
    """Fastest and median seconds, one run for each cohort: no run sees the children of an
    earlier one, so nothing comes from a cache of what an earlier run made for those
    children (ras keeps the sentences and tables it has made; a new cohort shares only those
    its children share with earlier ones by chance, as children of one cohort do)."""
    runs = []
    for frame in frames:
        start = time.perf_counter()
        work(frame)
        runs.append(time.perf_counter() - start)
    return min(runs), statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="children (default 20000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each row (median)")
    args = parser.parse_args()
    scheme = ras.load_scheme(ROOT / "scoring_schemes" / "points_rate.yaml")
    frames = [cohort(scheme, args.n, seed=3 + run) for run in range(args.repeat)]
    n, questions = args.n, scheme.question_ids

    def text_floor(frame: pd.DataFrame) -> None:
        out = scheme.calculate_frame(frame)
        answers = frame[list(questions)].to_numpy()
        amounts = out["element3"].to_numpy()
        for row, amount in zip(answers, amounts, strict=True):
            "\n".join([f"{q}: {a}" for q, a in zip(questions, row, strict=True)]
                      + [f"element 3: {amount}"])

    def letters_built(frame: pd.DataFrame) -> None:
        scheme.letters(frame)

    def letters_text(frame: pd.DataFrame) -> None:
        for letter in scheme.letters(frame).values():
            letter.to_text()

    def letters_html(frame: pd.DataFrame) -> None:
        for letter in scheme.letters(frame).values():
            letter.to_html(document=True)

    def explanations_built(frame: pd.DataFrame) -> None:
        scheme.explain_frame(frame, frame.index)

    def explanations_text(frame: pd.DataFrame) -> None:
        for e in scheme.explain_frame(frame, frame.index).values():
            e.to_text()

    warm = cohort(scheme, 50, seed=1)  # first calls (imports, compiled tables) are not timed
    for work in (letters_text, letters_html, explanations_text):
        work(warm)

    rows = [
        ("floor: calculate_frame", scheme.calculate_frame, None),
        ("floor for text: + an f-string line per answer", text_floor, None),
        ("scheme.letters(cohort)", letters_built, 250.0),
        ("scheme.letters(cohort), each to_text()", letters_text, 250.0),
        ("scheme.letters(cohort), each to_html(document=True)", letters_html, None),
        ("explain_frame (the explanations built)", explanations_built, None),
        ("explain_frame, each to_text()", explanations_text, 150.0),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{n:,} children, ras {ras.__version__}, load average {load:.1f} "
          f"({os.cpu_count()} cores), median of {args.repeat}, a different cohort each run")
    print(f"{'row':56} {'fastest':>9} {'median':>9} {'per child':>10} {'x floor':>8}  target")
    floors: dict[str, float] = {}
    medians: dict[str, float] = {}
    for name, work, target in rows:
        fastest, median = timed(work, frames)
        medians[name] = median
        per = median / n * 1e6
        if name.startswith("floor"):
            floors[name] = median
        base = floors.get("floor for text: + an f-string line per answer",
                          floors.get("floor: calculate_frame", median))
        verdict = ""
        if target is not None:
            verdict = (f"< {target:.0f} us: " + ("PASS" if per < target else
                       f"MISS by {per - target:.0f} us"))
            if name.startswith("explain_frame, each"):
                ratio_ok = median / base <= 25
                verdict += f"; <= 25 x floor: {'PASS' if ratio_ok else 'MISS'}"
        print(f"{name:56} {fastest:8.2f}s {median:8.2f}s {per:8.1f}us {median / base:7.1f}x  "
              f"{verdict}")
    alone = (medians["explain_frame, each to_text()"]
             - medians["explain_frame (the explanations built)"]) / n * 1e6
    print(f"{'  of which to_text() alone (the difference of the medians)':56} "
          f"{'':9} {'':9} {alone:8.1f}us")
    print("PASS: the median met the target in this run; MISS: it did not, by the figure given. "
          "x floor is the row's median over the text floor's (the floor's own row: over "
          "calculate_frame).")


if __name__ == "__main__":
    main()
