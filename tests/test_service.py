"""`ras serve` against a real server process: figures, batches, records, errors, the key, the log.

Expected figures come from the library (`scheme.calculate`) read as Decimals; the service's text
must be exact two-decimal pounds that equal them, never a float.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ras
from tests.paths import SCHEMES
from tests.serving import API_KEY, SERVED_FILES, Server

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SCHEME_SET = ras.SchemeSet(ras.load_scheme(path) for path in SERVED_FILES)
V1 = [s for s in SCHEME_SET if s.format_version == 1]
HOURS = "service-hours-termly"  # format version 2: number questions, amounts per term
DAY = "2026-09-01"  # every example scheme is in force
MONEY = re.compile(r"^-?[0-9]+\.[0-9]{2}$")
PROBLEM_JSON = "application/problem+json"


def by_id(scheme_id: str) -> ras.Scheme:
    return SCHEME_SET.for_date(dt.date(2026, 9, 1), scheme_id=scheme_id)


def money(text: str | None) -> Decimal | None:
    if text is None:
        return None
    assert isinstance(text, str)
    assert MONEY.match(text), f"not two-decimal pounds: {text!r}"
    return Decimal(text)


def points(text: str) -> Decimal:
    assert isinstance(text, str)
    assert re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text), text
    return Decimal(text)


def assert_same_budget(wire: dict[str, Any], budget: ras.Budget) -> None:
    """Every figure of the answer equals the library's, as exact decimals."""
    assert wire["scheme_id"] == budget.scheme_id
    assert wire["scheme_version"] == budget.scheme_version
    assert wire["scheme_fingerprint"] == budget.scheme_fingerprint
    assert wire["setting"] == budget.setting
    assert {k: points(v) for k, v in wire["domain_points"].items()} == dict(budget.domain_points)
    assert {k: points(v) for k, v in wire["stream_points"].items()} == dict(budget.stream_points)
    assert {k: money(v) for k, v in wire["stream_amounts"].items()} == dict(
        budget.stream_amounts)
    assert wire["bands"] == dict(budget.bands)
    assert {k: None if r is None else (money(r["lower"]), money(r["upper"]))
            for k, r in wire["ranges"].items()} == dict(budget.ranges)
    assert wire["reviews"] == dict(budget.reviews)
    for name in ("element1", "element2", "element3", "personal_sen_budget",
                 "total_personal_budget"):
        assert money(wire[name]) == getattr(budget, name), name
    assert wire["record"] == json.loads(json.dumps(budget.to_record()))


def _answer(question: Any) -> st.SearchStrategy[Any]:
    """An option id or position; for a number question a number on its grid, as a JSON number
    or as decimal text."""
    if question.number is None:
        ids = [o.id for o in question.options]
        return st.sampled_from(ids) | st.integers(0, len(ids) - 1)
    rule = question.number
    on_grid = st.integers(0, rule.steps - 1).map(lambda k: rule.min + k * rule.step)
    return on_grid.map(lambda d: format(d, "f")) | on_grid.map(float)


def answers_for(scheme: ras.Scheme) -> st.SearchStrategy[dict[str, Any]]:
    """Every question answered."""
    return st.fixed_dictionaries({q.id: _answer(q) for d in scheme.model.domains
                                  for q in d.questions})


@st.composite
def child(draw: st.DrawFn) -> tuple[ras.Scheme, dict[str, str | int], str]:
    scheme = draw(st.sampled_from(list(SCHEME_SET)))
    return scheme, draw(answers_for(scheme)), draw(st.sampled_from(scheme.setting_ids))


@pytest.fixture(scope="module")
def client(service: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def keyed(keyed_service: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=keyed_service.url, timeout=30) as c:
        yield c


# -- what the service holds ---------------------------------------------------------------


def test_health(client: httpx.Client) -> None:
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "schemes": len(SERVED_FILES),
                             "version": ras.__version__}


def test_schemes_lists_every_version(client: httpx.Client) -> None:
    listed = client.get("/schemes").json()
    assert [(s["id"], s["version"], s["fingerprint"]) for s in listed] == [
        (s.id, s.version, s.fingerprint) for s in SCHEME_SET]
    assert {s["effective_from"] for s in listed} == {s.effective_from.isoformat()
                                                     for s in SCHEME_SET}


@pytest.mark.parametrize("scheme", V1, ids=lambda s: s.id)
def test_scheme_detail_is_what_a_form_needs(client: httpx.Client, scheme: ras.Scheme) -> None:
    detail = client.get(f"/schemes/{scheme.id}", params={"date": DAY}).json()
    assert detail["fingerprint"] == scheme.fingerprint
    assert detail["period"] == "year"
    assert [q["id"] for q in detail["questions"]] == list(scheme.question_ids)
    model_questions = {q.id: q for d in scheme.model.domains for q in d.questions}
    for q in detail["questions"]:
        options = model_questions[q["id"]].options
        assert [(o["id"], o["label"], Decimal(o["points"])) for o in q["options"]] == [
            (o.id, o.label, o.points) for o in options]
    assert [s["id"] for s in detail["settings"]] == list(scheme.setting_ids)
    for s in detail["settings"]:
        assert money(s["element2"]) == scheme.settings[s["id"]].element2


def test_a_number_question_and_the_period_are_described(client: httpx.Client) -> None:
    detail = client.get(f"/schemes/{HOURS}", params={"date": DAY}).json()
    assert detail["period"] == "term"
    hours = detail["questions"][0]
    assert hours["options"] is None
    assert hours["number"] == {"unit": "hours a week", "min": "0", "max": "32.5",
                               "step": "0.25", "points_per_unit": "11.81"}
    assert hours["description"] == "Hours a week of a teaching assistant beside the child."
    care = detail["questions"][2]
    assert care["number"] is None
    assert care["options"][1]["description"] == "An adult helps once a day."
    mainstream = detail["settings"][0]
    assert mainstream["element1"] is None  # not published: not known, never £0
    assert mainstream["description"].startswith("The school pays")


def test_number_answers_as_numbers_or_text(client: httpx.Client) -> None:
    scheme = by_id(HOURS)
    answers = {"assistant_hours": 23.25, "teacher_hours": "1.5", "personal_care": "some"}
    wire = client.post(f"/schemes/{HOURS}/budget",
                       json={"answers": answers, "setting": "mainstream", "date": DAY}).json()
    assert_same_budget(wire, scheme.calculate(answers, setting="mainstream"))
    # by hand: 23.25 x 11.81 + 1.5 x 42.96 = 274.5825 + 64.44 = 339.0225 units of support
    assert wire["domain_points"]["support"] == "339.0225"
    # (339.0225 + 40) x £1.50 = £568.53375, to the penny £568.53; less element 2 of £200
    assert wire["stream_amounts"]["education"] == "568.53"
    assert wire["element3"] == "368.53"
    assert wire["element1"] is None


@pytest.mark.parametrize("hours", [27.3, 40, -1, "23,5", "lots", True])
def test_a_number_off_the_grid_is_refused_by_name(client: httpx.Client, hours: Any) -> None:
    answers = {"assistant_hours": 1, "teacher_hours": hours, "personal_care": "none"}
    refused = client.post(f"/schemes/{HOURS}/budget",
                          json={"answers": answers, "setting": "mainstream", "date": DAY})
    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM_JSON
    assert [e["question"] for e in refused.json()["errors"]] == ["teacher_hours"]


def test_the_date_picks_the_version_and_defaults_to_today(client: httpx.Client) -> None:
    scheme = SCHEME_SET[0]
    before = client.get(f"/schemes/{scheme.id}", params={"date": "2001-01-01"})
    assert before.status_code == 404
    assert before.headers["content-type"] == PROBLEM_JSON
    assert "in force" in before.json()["detail"]
    today = client.get(f"/schemes/{scheme.id}")
    expected = 200 if scheme.in_force(dt.date.today()) else 404
    assert today.status_code == expected


# -- figures ------------------------------------------------------------------------------


@settings(max_examples=max(10, settings.default.max_examples // 3))
@given(child())
def test_every_figure_equals_the_librarys(
    client: httpx.Client, case: tuple[ras.Scheme, dict[str, str | int], str]
) -> None:
    scheme, answers, setting = case
    answer = client.post(f"/schemes/{scheme.id}/budget",
                        json={"answers": answers, "setting": setting, "date": DAY})
    assert answer.status_code == 200, answer.text
    assert_same_budget(answer.json(), scheme.calculate(answers, setting=setting))


def test_money_is_text_in_the_body_not_a_json_number(client: httpx.Client) -> None:
    scheme = by_id("northshire-points-rate")
    answers = dict.fromkeys(scheme.question_ids, 1)
    raw = client.post(f"/schemes/{scheme.id}/budget",
                      json={"answers": answers, "setting": "mainstream", "date": DAY}).text
    assert '"element2":"6000.00"' in raw
    assert '"personal_sen_budget":"3050.00"' in raw  # the worked example of points_rate


def test_a_referred_amount_is_null(client: httpx.Client) -> None:
    scheme = by_id("northshire-points-rate")
    answers = {q: len(ids) - 1 for q, ids in scheme.option_ids.items()}  # the most need
    budget = scheme.calculate(answers, setting="mainstream")
    wire = client.post(f"/schemes/{scheme.id}/budget",
                       json={"answers": answers, "setting": "mainstream", "date": DAY}).json()
    assert_same_budget(wire, budget)
    referred = [s for s, a in budget.stream_amounts.items() if a is None]
    for stream in referred:
        assert wire["stream_amounts"][stream] is None
    assert (wire["personal_sen_budget"] is None) == (budget.personal_sen_budget is None)


@pytest.mark.parametrize("kind", ["text", "markdown", "html", "json"])
def test_explanation_in_each_format(client: httpx.Client, kind: str) -> None:
    scheme = by_id("eastborough-banded-referral")
    answers = dict.fromkeys(scheme.question_ids, 1)
    setting = scheme.setting_ids[0]
    answer = client.post(f"/schemes/{scheme.id}/explanation", params={"format": kind},
                         json={"answers": answers, "setting": setting, "date": DAY})
    assert answer.status_code == 200, answer.text
    explained = scheme.calculate(answers, setting=setting).explain()
    media = {"text": "text/plain", "markdown": "text/markdown", "html": "text/html",
             "json": "application/json"}[kind]
    assert answer.headers["content-type"].startswith(media)
    if kind == "json":
        assert answer.json() == json.loads(json.dumps(explained.to_dict()))
    else:
        assert answer.text == {"text": explained.to_text(), "markdown": explained.to_markdown(),
                               "html": explained._repr_html_()}[kind]


# -- letters ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["text", "markdown", "html", "json"])
@pytest.mark.parametrize("scheme_id", ["northshire-points-rate", HOURS])
def test_the_letter_in_each_format(client: httpx.Client, kind: str, scheme_id: str) -> None:
    scheme = by_id(scheme_id)
    answers = {q.id: (q.options[1].id if q.options else "2.5")
               for d in scheme.model.domains for q in d.questions}
    details = {"child": "Amir <Khan>", "reference": "EHC/2026/0142",
               "school": "Northshire Primary"}
    answer = client.post(f"/schemes/{scheme_id}/letter", params={"format": kind}, json={
        "answers": answers, "setting": "mainstream", "date": DAY, **details,
        "letter_date": "2026-09-02"})
    assert answer.status_code == 200, answer.text
    letter = scheme.calculate(answers, setting="mainstream").letter(
        **details, date=dt.date(2026, 9, 2))
    if kind == "json":
        assert answer.json() == json.loads(json.dumps(letter.to_dict()))
    else:
        assert answer.text == {"text": letter.to_text(), "markdown": letter.to_markdown(),
                               "html": letter.to_html()}[kind]
    assert "Amir <Khan>" not in answer.text or kind != "html"  # escaped in HTML


def test_the_letter_as_a_whole_page(client: httpx.Client) -> None:
    scheme = by_id("northshire-points-rate")
    answers = dict.fromkeys(scheme.question_ids, 0)
    page = client.post(f"/schemes/{scheme.id}/letter",
                       params={"format": "html", "document": "true"},
                       json={"answers": answers, "setting": "special", "date": DAY})
    assert page.text == scheme.calculate(answers, setting="special").letter().to_html(
        document=True)
    assert page.text.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(("extra", "where"), [({"letter_date": "2-9-2026"}, "letter_date"),
                                              ({"child": "x" * 201}, "child"),
                                              ({"school": 12}, "school")])
def test_the_letters_details_are_checked(client: httpx.Client, extra: dict[str, Any],
                                         where: str) -> None:
    refused = client.post("/schemes/northshire-points-rate/letter", json={
        "answers": _answers(), "setting": "mainstream", "date": DAY, **extra})
    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM_JSON
    assert where in json.dumps(refused.json()["errors"])


# -- batches ------------------------------------------------------------------------------

BAD_CHILDREN = [
    lambda a: {"answers": dict(list(a.items())[1:])},  # one answer missing
    lambda a: {"answers": {**a, next(iter(a)): "no-such-option"}},
    lambda a: {"setting": "no-such-setting"},
    lambda a: {"answers": {**a, "no_such_question": 0}},
    lambda a: {"answers": {**a, next(iter(a)): [1, 2]}},  # not an answer at all
    lambda a: {"answers": "everything"},
]


@settings(max_examples=max(6, settings.default.max_examples // 6))
@given(st.data())
def test_batch_keeps_order_and_answers_good_children_beside_bad(
    client: httpx.Client, data: st.DataObject
) -> None:
    scheme = data.draw(st.sampled_from(list(SCHEME_SET)))
    n = data.draw(st.integers(1, 12))
    children: list[Any] = []
    good: list[bool] = []
    for i in range(n):
        answers = data.draw(answers_for(scheme))
        entry: Any = {"id": f"child-{i}", "answers": answers,
                      "setting": data.draw(st.sampled_from(scheme.setting_ids))}
        spoil = data.draw(st.none() | st.sampled_from(range(len(BAD_CHILDREN) + 1)))
        if spoil is not None and spoil < len(BAD_CHILDREN):
            entry = {**entry, **BAD_CHILDREN[spoil](answers)}
        elif spoil is not None:
            entry = ["not", "a", "child"]
        children.append(entry)
        good.append(spoil is None)
    answer = client.post(f"/schemes/{scheme.id}/budgets",
                         json={"date": DAY, "children": children})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    results = body["results"]
    assert len(results) == n
    assert (body["children"], body["answered"], body["refused"]) == (n, sum(good),
                                                                     n - sum(good))
    for entry, ok, result in zip(children, good, results, strict=True):
        expected_id = entry.get("id") if isinstance(entry, dict) else None
        assert result["id"] == expected_id
        if ok:
            assert result["error"] is None
            assert_same_budget(result["budget"],
                               scheme.calculate(entry["answers"], setting=entry["setting"]))
        else:
            assert result["budget"] is None
            assert result["error"]["detail"]
            assert isinstance(result["error"]["errors"], list)


def test_a_bad_child_names_its_question(client: httpx.Client) -> None:
    scheme = by_id("northshire-points-rate")
    answers = dict.fromkeys(scheme.question_ids, 0)
    children = [{"id": 1, "answers": answers, "setting": "mainstream"},
                {"id": 2, "answers": {**answers, "mobility": "flying"}, "setting": "mainstream"}]
    results = client.post(f"/schemes/{scheme.id}/budgets",
                          json={"date": DAY, "children": children}).json()["results"]
    assert results[0]["error"] is None
    assert [e["question"] for e in results[1]["error"]["errors"]] == ["mobility"]
    assert "flying" in results[1]["error"]["errors"][0]["problem"]


# -- audit records ------------------------------------------------------------------------


def test_a_record_verifies_and_a_changed_one_does_not(client: httpx.Client) -> None:
    scheme = by_id("need-levels") if "need-levels" in SCHEME_SET.ids else SCHEME_SET[-1]
    answers = dict.fromkeys(scheme.question_ids, 1)
    record = client.post(f"/schemes/{scheme.id}/budget", json={
        "answers": answers, "setting": scheme.setting_ids[0], "date": DAY}).json()["record"]
    checked = client.post("/verify", json={"record": record})
    assert checked.status_code == 200
    assert checked.json()["ok"] is True
    assert checked.json()["differences"] == []
    record["outputs"]["element2"] = "1.00"
    changed = client.post("/verify", json={"record": record}).json()
    assert changed["ok"] is False
    assert [d["key"] for d in changed["differences"]] == ["outputs.element2"]
    record["scheme"]["fingerprint"] = "0" * 64
    unknown = client.post("/verify", json={"record": record})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == PROBLEM_JSON


@pytest.mark.parametrize(("record", "where"), [
    ({}, "record.kind"),
    ({"kind": "ras.budget", "format": 1}, "record.scheme"),
    ({"kind": "ras.budget", "format": 1, "scheme": {"id": "x"}}, "record.scheme.fingerprint"),
    ({"kind": "ras.budget", "format": 1, "scheme": {"fingerprint": "f"}}, "record.inputs"),
    ({"kind": "ras.budget", "format": 1, "outcome": "yes"}, "record.outcome"),
])
def test_a_body_that_is_not_an_audit_record_is_422_naming_the_part(
        client: httpx.Client, record: dict[str, Any], where: str) -> None:
    # was 404 "no scheme loaded here has the fingerprint this record names ('None')": the
    # record was never read, only searched for a fingerprint
    answer = client.post("/verify", json={"record": record})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM_JSON
    body = answer.json()
    assert body["type"] == "urn:ras:problem:not-a-record"
    assert body["detail"].startswith("not a budget record")
    assert [e["question"] for e in body["errors"]] == [where]


# -- every error of service.md ------------------------------------------------------------


def _answers() -> dict[str, int]:
    return dict.fromkeys(by_id("northshire-points-rate").question_ids, 0)


ERRORS: list[tuple[str, str, str, dict[str, Any], int, str]] = [
    # name, method, path, request, status, what the problem names
    ("unknown scheme", "POST", "/schemes/nowhere/budget",
     {"json": {"answers": {}, "setting": "mainstream", "date": DAY}}, 404, "nowhere"),
    ("no version in force", "POST", "/schemes/northshire-points-rate/budget",
     {"json": {"answers": _answers(), "setting": "mainstream", "date": "1999-04-01"}}, 404,
     "1999-04-01"),
    ("unknown scheme's form", "GET", "/schemes/nowhere/form", {}, 404, "nowhere"),
    ("bad answers", "POST", "/schemes/northshire-points-rate/budget",
     {"json": {"answers": {**_answers(), "mobility": "flying"}, "setting": "mainstream",
               "date": DAY}}, 422, "mobility"),
    ("bad setting", "POST", "/schemes/northshire-points-rate/budget",
     {"json": {"answers": _answers(), "setting": "prison", "date": DAY}}, 422, "setting"),
    ("an answer of the wrong type", "POST", "/schemes/northshire-points-rate/budget",
     {"json": {"answers": {**_answers(), "mobility": None}, "setting": "mainstream"}}, 422,
     "mobility"),
    ("not a date", "POST", "/schemes/northshire-points-rate/budget",
     {"json": {"answers": _answers(), "setting": "mainstream", "date": "2026-02-30"}}, 422,
     "date"),
    ("bad explanation format", "POST", "/schemes/northshire-points-rate/explanation?format=pdf",
     {"json": {"answers": _answers(), "setting": "mainstream", "date": DAY}}, 422, "format"),
    ("malformed JSON", "POST", "/schemes/northshire-points-rate/budget",
     {"content": b'{"answers": {', "headers": {"content-type": "application/json"}}, 400,
     "JSON"),
    ("not JSON", "POST", "/schemes/northshire-points-rate/budget",
     {"content": b"answers=1", "headers": {"content-type": "text/plain"}}, 415, "JSON"),
    ("a body over 1 MB", "POST", "/schemes/northshire-points-rate/budgets",
     {"content": b'{"children": [' + b"0," * 600_000 + b"0]}",
      "headers": {"content-type": "application/json"}}, 413, "limit"),
    ("more children than the limit", "POST", "/schemes/northshire-points-rate/budgets",
     {"json": {"children": [{}] * 10_001}}, 413, "10,000"),
    ("no such path", "GET", "/budgets", {}, 404, "/budgets"),
    ("no such method", "DELETE", "/schemes", {}, 405, "DELETE"),
    ("a record that is not one", "POST", "/verify",
     {"json": {"record": {"kind": "something else"}}}, 422, "record.kind"),
    ("a record of a scheme not loaded", "POST", "/verify",
     {"json": {"record": {"kind": "ras.budget", "format": 1, "scheme": {"fingerprint": "0" * 64},
                          "inputs": {}, "outputs": {}}}}, 404, "fingerprint"),
]


@pytest.mark.parametrize(("method", "path", "request_", "status", "names"),
                         [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_every_error_is_problem_json(client: httpx.Client, method: str, path: str,
                                     request_: dict[str, Any], status: int, names: str) -> None:
    answer = client.request(method, path, **request_)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM_JSON
    body = answer.json()
    assert body["status"] == status
    assert body["title"]
    assert body["type"]
    assert names in body["detail"] + json.dumps(body.get("errors"))
    if status == 422 and path.endswith("/budget"):
        assert [e["question"] for e in body["errors"]] == [names]


def test_a_chunked_body_over_the_limit_is_refused(service: Server) -> None:
    """No Content-Length: the body is counted as it arrives."""
    def chunks() -> Any:
        yield b'{"children": ['
        for _ in range(200):
            yield b"0," * 5_000
        yield b"0]}"

    with httpx.Client(timeout=30) as c:
        answer = c.post(f"{service.url}/schemes/northshire-points-rate/budgets",
                        content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert answer.headers["content-type"] == PROBLEM_JSON


# -- the API key --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/schemes", "/openapi.json",
                                  "/schemes/northshire-points-rate"])
def test_the_api_key_is_needed_when_set(keyed: httpx.Client, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": API_KEY},
                    {"Authorization": f"Basic {API_KEY}"}):
        refused = keyed.get(path, headers=headers)
        assert refused.status_code == 401, headers
        assert refused.headers["content-type"] == PROBLEM_JSON
        assert refused.headers["www-authenticate"].startswith("Bearer")
    assert keyed.get(path, headers={"Authorization": f"Bearer {API_KEY}"}).status_code == 200


def test_the_api_key_guards_posts(keyed: httpx.Client) -> None:
    path = "/schemes/northshire-points-rate/budget"
    body = {"answers": _answers(), "setting": "mainstream", "date": DAY}
    assert keyed.post(path, json=body).status_code == 401
    assert keyed.post(path, json=body,
                      headers={"Authorization": f"Bearer {API_KEY}"}).status_code == 200


def test_health_and_the_pages_need_no_key(keyed: httpx.Client) -> None:
    for path in ("/health", "/docs", "/schemes/northshire-points-rate/form"):
        assert keyed.get(path).status_code == 200, path


def test_without_a_key_nothing_is_asked(client: httpx.Client) -> None:
    assert client.get("/schemes").status_code == 200
    assert "securitySchemes" not in client.get("/openapi.json").json().get("components", {})


# -- the OpenAPI description --------------------------------------------------------------


def test_openapi_says_money_is_text(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    budget = spec["components"]["schemas"]["BudgetAnswer"]["properties"]
    for name in ("element2", "personal_sen_budget"):
        text = json.dumps(budget[name])
        assert '"type": "string"' in text, text
        assert "[0-9]{2}" in text, text
        assert '"number"' not in text
    refusal = spec["paths"]["/schemes/{scheme_id}/budget"]["post"]["responses"]["422"]
    assert PROBLEM_JSON in refusal["content"]


# -- the form without a browser -----------------------------------------------------------


def test_the_form_asks_every_question_with_escaped_labels(client: httpx.Client) -> None:
    scheme = by_id("northshire-points-rate")
    page = client.get(f"/schemes/{scheme.id}/form", params={"date": DAY})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text
    for question in scheme.question_ids:
        assert f'name="q.{question}"' in page.text
    assert "Needs frequent 1:1 adult support" in page.text
    assert "Needs BSL, braille or tactile support throughout the day" in page.text


def test_the_form_asks_a_number_question_with_a_number_input(client: httpx.Client) -> None:
    page = client.get(f"/schemes/{HOURS}/form", params={"date": DAY}).text
    assert ('<input type="number" name="q.assistant_hours" min="0" max="32.5" step="0.25"'
            in page)
    assert 'name="q.teacher_hours" min="0" max="5" step="0.5"' in page
    assert "Testshire &lt;Hours&gt; &amp; Support top-up" in page
    assert "Amounts are a term" in page
    assert "An adult helps once a day." in page


def test_the_form_sent_shows_the_librarys_budget(client: httpx.Client) -> None:
    scheme = by_id("northshire-points-rate")
    answers = dict.fromkeys(scheme.question_ids, "some") | {"short_breaks": "occasional"}
    fields = {f"q.{q}": a for q, a in answers.items()} | {
        "setting": "mainstream", "date": DAY, "child": "<b>Amir</b>"}
    page = client.post(f"/schemes/{scheme.id}/form", data=fields)
    assert page.status_code == 200, page.text
    budget = scheme.calculate(answers, setting="mainstream")
    assert f'data-pounds="{budget.personal_sen_budget}"' in page.text
    assert "<b>Amir</b>" not in page.text  # escaped wherever it is written
    letter = budget.letter(child="<b>Amir</b>")
    assert letter.to_html() in page.text  # the family letter, with the child's name


def test_the_form_sent_with_a_gap_says_which_question(client: httpx.Client) -> None:
    scheme = by_id("northshire-points-rate")
    fields = {f"q.{q}": "none" for q in scheme.question_ids[1:]} | {"setting": "mainstream",
                                                                    "date": DAY}
    page = client.post(f"/schemes/{scheme.id}/form", data=fields)
    assert page.status_code == 422
    assert f'id="error-{scheme.question_ids[0]}"' in page.text


# -- the log ------------------------------------------------------------------------------


def test_no_childs_name_in_the_log(service: Server, client: httpx.Client) -> None:
    name = "Zebedee Quartermaine"
    scheme = by_id("northshire-points-rate")
    fields = {f"q.{q}": "none" for q in scheme.question_ids} | {
        "setting": "mainstream", "date": DAY, "child": name, "school": name}
    assert client.post(f"/schemes/{scheme.id}/form", data=fields).status_code == 200
    refused = client.post(f"/schemes/{scheme.id}/budget", json={
        "answers": {**_answers(), "mobility": name}, "setting": name, "date": DAY})
    assert refused.status_code == 422
    assert client.post(f"/schemes/{scheme.id}/budgets", json={
        "children": [{"id": name, "answers": {}, "setting": name}]}).status_code == 200
    assert client.post("/verify", json={"record": {"child": name}}).status_code == 422
    for kind in ("text", "html", "json"):
        letter = client.post(f"/schemes/{scheme.id}/letter", params={"format": kind}, json={
            "answers": _answers(), "setting": "mainstream", "date": DAY, "child": name,
            "school": name, "reference": name})
        assert letter.status_code == 200
        assert "Zebedee" in letter.text  # the letter has the name; the log must not
    log = service.log_text()
    assert f"/schemes/{scheme.id}/form" in log  # the requests were logged ...
    assert "Zebedee" not in log
    assert "Quartermaine" not in log


# -- the library without the extra --------------------------------------------------------


def test_create_app_says_how_to_install_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from ras.service import create_app

    monkeypatch.setitem(sys.modules, "fastapi", None)
    monkeypatch.delitem(sys.modules, "ras._faces.service.app", raising=False)
    with pytest.raises(ras.RasError, match=r"pip install 'ras\[serve\]'"):
        create_app(SCHEMES)


def test_serve_stops_at_a_broken_scheme_with_the_validate_message(
    capsys: pytest.CaptureFixture[str]
) -> None:
    from ras._faces import main

    assert main(["serve", str(SCHEMES.parent / "tests" / "fixtures" / "bad")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("ras serve: error: ")
    assert ".yaml:" in error  # file and line, as `ras validate` says it


def test_serve_dry_run_says_what_it_would_serve(capsys: pytest.CaptureFixture[str]) -> None:
    from ras._faces import main

    assert main(["serve", str(SCHEMES), "--dry-run", "--port", "9999"]) == 0
    said = capsys.readouterr().out
    assert "http://127.0.0.1:9999" in said
    for scheme in V1:
        assert f"/schemes/{scheme.id}/form" in said
