"""Children of each kind for letters, found in a seeded random cohort of each example scheme.

Kinds: low (the smallest personal SEN budget above zero), typical (the median one), capped (cut
to the scheme's maximum), referred (no amount: the panel decides), zero top-up (the school meets
the support) in a mainstream setting, and special school (a top-up that pays for a place). A
scheme that cannot make a kind (no maximum, no refer_above) is given one by ``with_changes``,
so every kind is read on every example scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import ras
from tests.paths import SCHEMES

KINDS = ("low", "typical", "referred", "capped", "zero top-up", "special school")
SCHEME_FILES = ("points_rate.yaml", "banded_referral.yaml", "need_levels.yaml")
# What each example scheme needs to make every kind (a referral above its table, a maximum).
CHANGES: Mapping[str, Mapping[str, Any]] = {
    "points_rate.yaml": {"pricing.education.refer_above": 80},
    "banded_referral.yaml": {"pricing.education.maximum": 17000},
    "need_levels.yaml": {"pricing.education.refer_above": 56,
                         "pricing.education.maximum": 14000},
}


@dataclass(frozen=True)
class Child:
    kind: str
    answers: dict[str, str]
    setting: str


def cohort(scheme: ras.Scheme, n: int = 1500, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    need = rng.random(n)  # each child's overall level of need, 0 to 1
    data = {}
    for q, options in scheme.option_ids.items():
        spread = np.clip(need * len(options) + rng.normal(0, 0.8, n), 0, len(options) - 1)
        data[q] = [options[int(i)] for i in spread]
    return pd.DataFrame(data)


def children(scheme: ras.Scheme) -> dict[str, Child]:
    """One child of each kind; the mainstream setting except for the special school."""
    frame = cohort(scheme)
    found: dict[str, Child] = {}

    def child(kind: str, setting: str, row: int) -> Child:
        return Child(kind, {q: str(frame.at[row, q]) for q in scheme.question_ids}, setting)

    main = scheme.calculate_frame(frame.assign(setting="mainstream"))
    e3, review = main["element3"], main["education_review"].astype(str)
    plain = main[(e3 > 0) & (review == "")].sort_values("element3", kind="stable")
    found["low"] = child("low", "mainstream", int(plain.index[0]))
    found["typical"] = child("typical", "mainstream", int(plain.index[len(plain) // 2]))
    found["referred"] = child("referred", "mainstream", int(main.index[e3.isna()][0]))
    capped = main.index[review.str.contains("maximum")]
    found["capped"] = child("capped", "mainstream", int(capped[0]))
    zero = main[(e3 == 0) & (main["education_amount"] > 0)]
    if zero.empty:  # a tariff net of element 2: its lowest band gives nothing at all
        zero = main[e3 == 0]
    found["zero top-up"] = child("zero top-up", "mainstream", int(zero.index[0]))
    special = scheme.calculate_frame(frame.assign(setting="special"))
    typical = special[special["element3"] > 0].sort_values("element3", kind="stable")
    found["special school"] = child("special school", "special",
                                    int(typical.index[len(typical) // 2]))
    return found


def example_scheme(name: str) -> ras.Scheme:
    return ras.load_scheme(SCHEMES / name).with_changes(CHANGES[name])
