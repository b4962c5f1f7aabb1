"""Shared test setup: Hypothesis profiles and the example schemes as fixtures.

`dev` (default) runs quickly while editing; `ci` (chosen when CI is set) runs more examples but
keeps the whole suite well inside the CI time limit; `thorough` is for a long local run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

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


@pytest.fixture(params=["pyarrow", "pandas"])
def csv_reader(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each CSV cohort read by pyarrow's reader (the default when pyarrow is installed) and
    again by pandas' (the reader without pyarrow, and for what pyarrow hands over)."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "pandas":
            from ras._faces import files

            patch.setattr(files, "arrow_csv", lambda: None)
        yield request.param


# A real `ras serve` process, shared by the service, fuzzing and browser tests
from tests.serving import keyed_service, service  # noqa: E402, F401
