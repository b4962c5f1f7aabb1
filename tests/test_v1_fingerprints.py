"""Version 2 of the format must leave every version 1 file exactly as it was.

The fingerprints below were computed on main before any version 2 work began (commit aa06586),
so a v2 default that leaks into a v1 model (a ``combine: sum`` or ``period: year`` written into
the dump) changes a hash here and fails. Audit records made under these schemes carry these
fingerprints; if one changed, every stored record would stop verifying.
"""

from __future__ import annotations

import pytest

import ras
from tests.paths import FIXTURES, ROOT, SCHEMES

PINNED = {
    SCHEMES / "banded_referral.yaml":
        "1413f800418a1add926d4266ca54b1ddbe046cc593a4435469fecca61b00f50e",
    SCHEMES / "need_levels.yaml":
        "937457f82bcb7f7c66e7470ffda016427d5ceefd3956ce879388819db6665dbe",
    SCHEMES / "points_rate.yaml":
        "54a90bdfb91989ea1eb60d28d555cc3c7f3dff90786dd9ddaa247690be30a95e",
    FIXTURES / "valid_small.yaml":
        "8f6bb889e37c281b71906cd129bd99471d1ca640b7874985816c8fbde67bb9d1",
    ROOT / "benchmarks" / "scheme_40q.yaml":
        "7a876fd89520ef559e61ea1963f6ffb8557fb031e0361355e9f1af46ab764812",
}


@pytest.mark.parametrize("path", sorted(PINNED), ids=lambda p: p.name)
def test_version_1_fingerprint_is_unchanged(path):
    assert ras.load_scheme(path).fingerprint == PINNED[path]


def test_every_version_1_file_shipped_is_pinned():
    shipped = {p for p in SCHEMES.glob("*.yaml") if "ras_scheme: 1" in p.read_text()}
    assert shipped <= set(PINNED)
