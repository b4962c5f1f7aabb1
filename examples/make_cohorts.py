"""Make the example cohorts: one CSV of invented children for each scheme in scoring_schemes/.

Run ``.venv/bin/python examples/make_cohorts.py`` (or give another folder to write to); the
files it writes are committed, and a test checks that running it again gives the same bytes, so the
cohorts can always be rebuilt (for a new example scheme too) and never drift by hand.

Every child is invented. Each has an id, a year group and a primary type of need (the DfE's
SEN2 codes, as a council's case system holds them), a setting, and an answer to every question
of the scheme by option id. A child's answers follow one overall level of need with some
scatter, so most children have low or moderate needs and a few score high enough to be referred
to panel, as in a real cohort. Python's own generator is used (not numpy's), seeded by the
scheme's file name, so the files are the same on every machine and every version, and a new
example scheme adds its cohort without changing the others.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import ras

ROOT = Path(__file__).resolve().parents[1]
CHILDREN = 300
SEED = 2026

# Primary type of need (DfE SEN2 codes) and how often each is recorded in an EHC plan
NEEDS = {"ASD": 30, "SLCN": 15, "SEMH": 14, "MLD": 9, "SLD": 8, "SPLD": 4, "PMLD": 3,
         "PD": 4, "HI": 2, "VI": 1, "MSI": 1, "OTH": 3}
# How often each setting of the example schemes appears; a setting not named here gets 5
SETTINGS = {"mainstream": 55, "special": 25, "early_years": 8, "post16": 12}
YEARS = {
    "early_years": ["Nursery 1", "Nursery 2"],
    "post16": ["Year 12", "Year 13", "Year 14"],
    "special": ["Reception", *(f"Year {n}" for n in range(1, 15))],
}
SCHOOL_YEARS = ["Reception", *(f"Year {n}" for n in range(1, 12))]
EXTRA = ("child_id", "year_group", "primary_need")


def cohort(scheme: ras.Scheme, prefix: str, rng: random.Random) -> list[dict[str, str]]:
    """The children of one scheme's example cohort, as CSV rows of text."""
    settings = list(scheme.setting_ids)
    weights = [SETTINGS.get(s, 5) for s in settings]
    rows = []
    for number in range(1, CHILDREN + 1):
        setting = rng.choices(settings, weights)[0]
        level = rng.random() ** 1.6  # most children low or moderate, a few high
        row = {
            "child_id": f"{prefix}{number:05d}",
            "year_group": rng.choice(YEARS.get(setting, SCHOOL_YEARS)),
            "primary_need": rng.choices(list(NEEDS), list(NEEDS.values()))[0],
        }
        for question in scheme.question_ids:
            options = scheme.option_ids[question]
            top = len(options) - 1
            position = round(level * top + rng.gauss(0, 0.7))
            row[question] = options[min(top, max(0, position))]
        row["setting"] = setting
        rows.append(row)
    return rows


def write(folder: Path) -> list[Path]:
    """Write one cohort per example scheme into the folder; return the files written."""
    written = []
    for path in sorted((ROOT / "scoring_schemes").glob("*.yaml")):
        rng = random.Random(f"{SEED}-{path.stem}")  # each scheme its own: a new one moves none
        scheme = ras.load_scheme(path)
        prefix = "".join(word[0] for word in scheme.id.split("-")).upper() + "-"
        rows = cohort(scheme, prefix, rng)
        target = folder / f"{path.stem}.csv"
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, [*EXTRA, *scheme.question_ids, "setting"],
                                    lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "examples"
    for target in write(folder):
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
