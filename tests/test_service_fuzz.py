"""No 500 for anything a caller sends: the service fuzzed from its own OpenAPI description
(Schemathesis: valid and invalid requests for every operation, every response checked against
the description), and arbitrary JSON and form fields sent to every endpoint (Hypothesis).

Bounded by examples, so that the suite stays quick; `HYPOTHESIS_PROFILE=thorough` runs more.
The counts of requests sent are printed at the end of the module.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.paths import SCHEMES
from tests.serving import Server

schemathesis = pytest.importorskip("schemathesis")

SENT: Counter[str] = Counter()
# a tenth of the profile's examples: 6 a test in dev, 15 in CI, 200 with thorough
EXAMPLES = max(6, settings.default.max_examples // 10)
PROBLEM_JSON = "application/problem+json"
PATHS = ["/schemes/northshire-points-rate/budget", "/schemes/eastborough-banded-referral/budget",
         "/schemes/northshire-points-rate/explanation", "/schemes/service-hours-termly/letter",
         "/schemes/northshire-points-rate/budgets", "/verify", "/schemes/nowhere/budget"]


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"service fuzzing: requests sent {dict(SENT)}")


def _operations() -> list[Any]:
    """The operations of the description, read from the application the server runs (the
    first test checks that the server serves this same description)."""
    if importlib.util.find_spec("fastapi") is None:
        return []
    from ras.service import create_app

    loaded = schemathesis.openapi.from_dict(create_app(SCHEMES).openapi())
    return [result.ok() for result in loaded.get_all_operations()]


OPERATIONS = _operations()
SCHEME_IDS = ["northshire-points-rate", "service-hours-termly", "nowhere"]
POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
NO_INPUT = {"GET /health", "GET /schemes"}  # nothing to send wrong
CASES = [(operation, mode) for operation in OPERATIONS for mode in (POSITIVE, NEGATIVE)
         if mode is POSITIVE or operation.label not in NO_INPUT]


def test_the_server_serves_this_description(service: Server) -> None:
    from ras.service import create_app

    served = httpx.get(f"{service.url}/openapi.json").json()
    assert served == json.loads(json.dumps(create_app(SCHEMES).openapi()))
    assert len(OPERATIONS) == 9


def excluded(operation: Any) -> list[Any]:
    """Checks that assume what the service rightly does not do.

    A body can match the description and still be refused: the description cannot say "an
    answer to every question of this scheme", so a valid shape with missing answers is a 422,
    not the 2xx that positive_data_acceptance expects. And a batch answers a malformed child
    with that child's own error beside the others (service.md), not with a 422 for the batch,
    which negative_data_rejection would expect.
    """
    from schemathesis.specs.openapi.checks import (
        negative_data_rejection,
        positive_data_acceptance,
    )

    checks = [positive_data_acceptance]
    if operation.label == "POST /schemes/{scheme_id}/budgets":
        checks.append(negative_data_rejection)
    return checks


# Schemathesis's own pytest plugin (from_fixture) does not run under pytest 9 (it reads a
# private node attribute that is gone), so each operation's strategy is drawn here directly
@pytest.mark.parametrize(("operation", "mode"), CASES,
                         ids=[f"{o.label} {m.value}" for o, m in CASES])
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_description_holds_and_nothing_is_a_500(
    service: Server, operation: Any, mode: Any, data: st.DataObject
) -> None:
    # a scheme that exists, mostly, so that the bodies reach the calculation, not the 404
    known = {"scheme_id": data.draw(st.sampled_from(SCHEME_IDS))}
    has_id = "{scheme_id}" in operation.path
    case = data.draw(operation.as_strategy(generation_mode=mode,
                                           path_parameters=known if has_id else None))
    response = case.call(base_url=service.url)
    SENT[f"schemathesis {mode.value}"] += 1
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"][0] == PROBLEM_JSON
    case.validate_response(response, excluded_checks=excluded(operation))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=20)


@st.composite
def bodies(draw: st.DrawFn) -> Any:
    """Mostly the right shape with wrong parts: real keys, anything as their values."""
    keys = st.sampled_from(["answers", "setting", "date", "children", "record", "id",
                            "mobility", "kind", "scheme", "inputs"])
    shaped = st.dictionaries(keys, json_values, max_size=5)
    return draw(shaped | json_values)


@pytest.fixture(scope="module")
def client(service: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=30) as c:
        yield c


@settings(max_examples=5 * EXAMPLES, deadline=None)
@given(path=st.sampled_from(PATHS), body=bodies(),
       query=st.dictionaries(st.sampled_from(["format", "date"]), st.text(max_size=12),
                             max_size=2))
def test_arbitrary_json_is_answered_or_refused_never_a_500(
    client: httpx.Client, path: str, body: Any, query: dict[str, str]
) -> None:
    response = client.post(path, content=json.dumps(body), params=query,
                           headers={"content-type": "application/json"})
    SENT["json"] += 1
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.json()["status"] == response.status_code


@settings(max_examples=3 * EXAMPLES, deadline=None)
@given(fields=st.dictionaries(
    st.sampled_from(["setting", "date", "child", "q.mobility", "q.short_breaks", "q.", "x"])
    | st.text(max_size=10), st.text(max_size=30), max_size=8))
def test_arbitrary_form_fields_are_never_a_500(client: httpx.Client,
                                               fields: dict[str, str]) -> None:
    response = client.post("/schemes/northshire-points-rate/form", data=fields)
    SENT["form"] += 1
    assert response.status_code < 500, response.text
    assert response.status_code in (200, 404, 422)
