"""Shared test setup: Hypothesis profiles and the example schemes as fixtures.

`dev` (default) runs quickly while editing; `ci` (chosen when CI is set) runs more examples but
keeps the whole suite well inside the CI time limit; `thorough` is for a long local run.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

import ras
from tests.paths import SCHEMES

settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


# The example schemes, loaded once per test module.


@pytest.fixture(scope="module")
def points_rate() -> ras.Scheme:
    return ras.load_scheme(SCHEMES / "points_rate.yaml")


@pytest.fixture(scope="module")
def banded() -> ras.Scheme:
    return ras.load_scheme(SCHEMES / "banded_referral.yaml")


@pytest.fixture(scope="module")
def need_levels() -> ras.Scheme:
    return ras.load_scheme(SCHEMES / "need_levels.yaml")


# A real `ras serve` process, shared by the service, fuzzing and browser tests
from tests.serving import keyed_service, service  # noqa: E402, F401
