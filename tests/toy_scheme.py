"""A scheme small enough to work every figure out by hand, and a five-child cohort for it.

Education: communication (cap 10) = expressive_language [0, 3, 6] + social [0, 2, 5], priced at
£1,000 a point; rounding to the penny. Social care: family_support [0, 4, 8] in bands A (0) £0,
B (4) £1,500, C (8) £3,200. Settings: mainstream (element 2 £6,000, additional support), special
(£4,000 + £6,000, whole place), unit (top-up: the amount is the top-up).

child  answers (expr, social, family)  setting     edu points  edu amount  element 3  social care
0      2, 2, 0                         mainstream  10 (capped) 10,000      4,000      0 (A)
1      1, 1, 1                         mainstream  5           5,000       0          1,500 (B)
2      2, 1, 2                         unit        8           8,000       8,000      3,200 (C)
3      2, 2, 0                         special     10          10,000      0          0 (A)
4      1, 0, 1                         unit        3           3,000       3,000      1,500 (B)
"""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd

import ras

TOY: dict[str, Any] = {
    "ras_scheme": 1,
    "id": "toy",
    "name": "Toy county",
    "version": "1",
    "effective_from": "2026-04-01",
    "streams": {"education": {"label": "Education"}, "social_care": {"label": "Social care"}},
    "domains": [
        {"id": "communication", "cap": 10, "questions": [
            {"id": "expressive_language", "options": [
                {"id": "none", "points": 0}, {"id": "some", "points": 3},
                {"id": "substantial", "points": 6}]},
            {"id": "social", "options": [
                {"id": "none", "points": 0}, {"id": "some", "points": 2},
                {"id": "substantial", "points": 5}]},
        ]},
        {"id": "family", "stream": "social_care", "questions": [
            {"id": "family_support", "options": [
                {"id": "none", "points": 0}, {"id": "some", "points": 4},
                {"id": "lots", "points": 8}]},
        ]},
    ],
    "pricing": {
        "education": {"method": "rate", "rate": 1000},
        "social_care": {"method": "bands", "bands": [
            {"label": "A", "from_points": 0, "amount": 0},
            {"label": "B", "from_points": 4, "amount": 1500},
            {"label": "C", "from_points": 8, "amount": 3200}]},
    },
    "settings": {
        "mainstream": {"element1": 4500, "element2": 6000, "ras_covers": "additional_support"},
        "special": {"element1": 4000, "element2": 6000, "ras_covers": "whole_place"},
        "unit": {"element1": 4500, "element2": 6000, "ras_covers": "top_up"},
    },
}

ELEMENT3 = [4000.0, 0.0, 8000.0, 0.0, 3000.0]
SOCIAL_CARE = [0.0, 1500.0, 3200.0, 0.0, 1500.0]


def toy(**changes: Any) -> ras.Scheme:
    data = copy.deepcopy(TOY)
    data.update(changes)
    return ras.Scheme.from_dict(data)


def cohort() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "expressive_language": [2, 1, 2, 2, 1],
            "social": [2, 1, 1, 2, 0],
            "family_support": [0, 1, 2, 0, 1],
            "setting": ["mainstream", "mainstream", "unit", "special", "unit"],
        },
        index=pd.Index(["c0", "c1", "c2", "c3", "c4"], name="child"),
    )
