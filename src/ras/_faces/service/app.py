"""The ASGI application of ``ras serve``: the endpoints of service.md on FastAPI.

Every figure comes from ``scheme.calculate`` (the batch kernel on one row), so the service can
never disagree with the library. Routes are plain functions, run in the server's thread pool.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs

from fastapi import FastAPI, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import TypeAdapter, ValidationError

from ras._base import AnswerError, RasError, RecordError, __version__
from ras._faces.service.catalogue import Catalogue
from ras._faces.service.form import form_page, read_form, result_page
from ras._faces.service.guards import ApiKey, BodyLimit
from ras._faces.service.problems import (
    PROBLEM_JSON,
    Refusal,
    answer_problems,
    answers_detail,
    install,
    shape_problems,
)
from ras._faces.service.wire import (
    DATE_PATTERN,
    BatchAnswer,
    BatchRequest,
    BudgetAnswer,
    BudgetRequest,
    ChildRequest,
    Health,
    LetterRequest,
    Problem,
    SchemeDetail,
    SchemeSummary,
    VerifyAnswer,
    VerifyRequest,
    budget_wire,
    scheme_detail,
    scheme_summary,
)
from ras._plans import SchemeSet
from ras._reasons import read_record, verify
from ras._scheme import Budget, Scheme

__all__ = ["MAX_BODY", "MAX_CHILDREN", "build_app"]

MAX_BODY = 1_000_000  # bytes: service.md's 1 MB
MAX_CHILDREN = 10_000

_DESCRIPTION = """\
Indicative personal SEN budgets from a council's resource allocation scheme: the same library,
the same kernel, behind JSON. Money is text of two-decimal pounds ("4000.00") and points are
decimal text, never JSON numbers. Every refusal is `application/problem+json` (RFC 9457).
When the service was started with `RAS_API_KEY` set, every JSON endpoint but `/health` needs
`Authorization: Bearer <key>`.
"""

DateQuery = Annotated[str | None, Query(json_schema_extra={"format": "date"},
                                        examples=["2026-09-01"],
                                        description="the date that picks the version in "
                                                    "force (default today), YYYY-MM-DD")]
Format = Literal["text", "markdown", "html", "json"]


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    reasons = {400: "the body is not valid JSON", 401: "no API key, or the wrong one",
               415: "the body is not sent as application/json",
               404: "no such scheme, or no version in force on the date",
               413: "the body (or the batch) is over the limit",
               422: "the answers, setting or request cannot be used; `errors` says which"}
    ref = {"$ref": "#/components/schemas/Problem"}
    return {code: {"description": reasons[code], "content": {PROBLEM_JSON: {"schema": ref}}}
            for code in codes}


def _day(text: str | None, field: str = "date") -> dt.date | None:
    if text is None:
        return None
    try:
        if not re.fullmatch(DATE_PATTERN, text):  # fromisoformat takes 20260901 and weeks too
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refusal(422, f"{text!r} is not a date; expected an ISO date like 2026-09-01",
                      kind="invalid-request",
                      errors=[{"question": field, "problem": "not a date"}]) from None


def _calculate(scheme: Scheme, answers: dict[str, Any], setting: str | int) -> Budget:
    return scheme.calculate(answers, setting=setting)


def build_app(schemes: SchemeSet, *, max_children: int = MAX_CHILDREN,
              max_body: int = MAX_BODY, api_key: str | None = None) -> Any:
    """The application over these schemes; see ``ras.service.create_app``."""
    catalogue = Catalogue(schemes)
    app = FastAPI(title="ras: indicative personal SEN budgets", version=__version__,
                  description=_DESCRIPTION, redoc_url=None)
    install(app)
    child_adapter: TypeAdapter[ChildRequest] = TypeAdapter(ChildRequest)

    @app.get("/health", response_model=Health, tags=["service"])
    def health() -> dict[str, Any]:
        """Whether the service is up, how many scheme files it holds, and its ras version."""
        return {"status": "ok", "schemes": len(schemes), "version": __version__}

    @app.get("/schemes", response_model=list[SchemeSummary], tags=["schemes"],
             responses=_problems(401))
    def list_schemes() -> list[dict[str, Any]]:
        """Every scheme version loaded, with the dates it is in force."""
        return [scheme_summary(s) for s in schemes]

    @app.get("/schemes/{scheme_id}", response_model=SchemeDetail, tags=["schemes"],
             responses=_problems(401, 404, 422))
    def get_scheme(scheme_id: str, date: DateQuery = None) -> dict[str, Any]:
        """The version in force on the date: its questions, options, settings and period."""
        return scheme_detail(catalogue.find(scheme_id, _day(date)))

    @app.post("/schemes/{scheme_id}/budget", response_model=BudgetAnswer, tags=["budgets"],
              responses=_problems(400, 401, 404, 413, 415, 422))
    def budget(scheme_id: str, request: BudgetRequest) -> dict[str, Any]:
        """One child's budget under the version in force on `date` (default today)."""
        scheme = catalogue.find(scheme_id, _day(request.date))
        return budget_wire(_calculate(scheme, request.answers, request.setting))

    @app.post("/schemes/{scheme_id}/explanation", tags=["budgets"],
              responses={200: {"description": "the explanation in the format asked for",
                               "content": {"text/plain": {"schema": {"type": "string"}},
                                           "text/markdown": {"schema": {"type": "string"}},
                                           "text/html": {"schema": {"type": "string"}},
                                           "application/json": {"schema": {
                                               "type": "object"}}}},
                         **_problems(400, 401, 404, 413, 415, 422)})
    def explanation(scheme_id: str, request: BudgetRequest,
                    format: Format = "text") -> Response:
        """How one child's budget was reached, step by step, as text, Markdown, HTML or JSON."""
        scheme = catalogue.find(scheme_id, _day(request.date))
        explained = _calculate(scheme, request.answers, request.setting).explain()
        if format == "json":
            return JSONResponse(explained.to_dict())
        if format == "html":
            return HTMLResponse(explained._repr_html_())
        if format == "markdown":
            return Response(explained.to_markdown(), media_type="text/markdown; charset=utf-8")
        return PlainTextResponse(explained.to_text())

    @app.post("/schemes/{scheme_id}/letter", tags=["budgets"],
              responses={200: {"description": "the family letter in the format asked for",
                               "content": {"text/plain": {"schema": {"type": "string"}},
                                           "text/markdown": {"schema": {"type": "string"}},
                                           "text/html": {"schema": {"type": "string"}},
                                           "application/json": {"schema": {
                                               "type": "object"}}}},
                         **_problems(400, 401, 404, 413, 415, 422)})
    def letter(scheme_id: str, request: LetterRequest, format: Format = "text",
               document: bool = False) -> Response:
        """The letter a family receives about this budget: text, Markdown, HTML (a fragment,
        or with `document=true` a whole printable page) or JSON (its sections, for a case
        system's own templates). The child's name, reference and school are not kept."""
        scheme = catalogue.find(scheme_id, _day(request.date))
        written = _calculate(scheme, request.answers, request.setting).letter(
            child=request.child, reference=request.reference, school=request.school,
            date=_day(request.letter_date, "letter_date"))
        if format == "json":
            return JSONResponse(written.to_dict())
        if format == "html":
            return HTMLResponse(written.to_html(document=document))
        if format == "markdown":
            return Response(written.to_markdown(), media_type="text/markdown; charset=utf-8")
        return PlainTextResponse(written.to_text())

    @app.post("/schemes/{scheme_id}/budgets", response_model=BatchAnswer, tags=["budgets"],
              responses=_problems(400, 401, 404, 413, 415, 422))
    def budgets(scheme_id: str, request: BatchRequest) -> dict[str, Any]:
        """Many children, one result each, in order: a bad child gets its error and no
        figures, and the others are still answered."""
        if len(request.children) > max_children:
            raise Refusal(413, f"{len(request.children):,} children is over this service's "
                          f"limit of {max_children:,} a request; send them in parts",
                          kind="too-many-children")
        scheme = catalogue.find(scheme_id, _day(request.date))
        results = [_child(scheme, raw) for raw in request.children]
        answered = sum(r["error"] is None for r in results)
        return {"scheme_id": scheme.id, "scheme_version": scheme.version,
                "scheme_fingerprint": scheme.fingerprint, "children": len(results),
                "answered": answered, "refused": len(results) - answered, "results": results}

    def _child(scheme: Scheme, raw: Any) -> dict[str, Any]:
        own_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(own_id, str | int) or isinstance(own_id, bool):
            own_id = None
        try:
            child = child_adapter.validate_python(raw)
        except ValidationError as error:
            problems = shape_problems([{**e, "loc": ("body", *e["loc"])}
                                       for e in error.errors()])
            return {"id": own_id, "budget": None, "error": {
                "title": "Unprocessable Content",
                "detail": "this child does not have the shape a child takes: "
                          + "; ".join(f"{p['question']}: {p['problem']}" for p in problems),
                "errors": problems}}
        try:
            figures = budget_wire(_calculate(scheme, child.answers, child.setting))
        except AnswerError as error:
            return {"id": child.id, "budget": None, "error": {
                "title": "Unprocessable Content", "detail": answers_detail(error),
                "errors": answer_problems(error)}}
        except RasError as error:
            return {"id": child.id, "budget": None, "error": {
                "title": "Unprocessable Content", "detail": str(error), "errors": []}}
        return {"id": child.id, "budget": figures, "error": None}

    @app.post("/verify", response_model=VerifyAnswer, tags=["records"],
              responses=_problems(400, 401, 404, 413, 415, 422))
    def verify_record(request: VerifyRequest) -> dict[str, Any]:
        """Recalculate an audit record under the scheme it names and list every difference."""
        try:
            record = read_record(request.record)
        except RecordError as error:  # not an audit record: a body of the wrong shape
            where = f"record.{error.key_path}" if error.key_path else "record"
            raise Refusal(422, f"not a budget record (what a budget answer's `record` is): "
                          f"{error}", kind="not-a-record",
                          errors=[{"question": where, "problem": str(error)}]) from None
        fingerprint = record["scheme"]["fingerprint"]
        scheme = catalogue.by_fingerprint(fingerprint)
        if scheme is None:
            raise Refusal(404, "no scheme loaded here has the fingerprint this record names "
                          f"({str(fingerprint)[:64]!r}); verify it where its scheme is loaded",
                          kind="unknown-scheme")
        report = verify(record, scheme)
        return {"ok": report.ok, "scheme_id": report.scheme_id,
                "scheme_version": report.scheme_version,
                "scheme_fingerprint": report.scheme_fingerprint,
                "recorded_ras_version": report.recorded_ras_version,
                "ras_version": report.ras_version,
                "differences": [{"key": d.key, "recorded": d.recorded,
                                 "recomputed": d.recomputed, "note": d.note}
                                for d in report.differences]}

    @app.get("/schemes/{scheme_id}/form", response_class=HTMLResponse, tags=["pages"],
             responses=_problems(404, 422))
    def form(scheme_id: str, date: DateQuery = None) -> HTMLResponse:
        """An assessment form built from the scheme; sending it shows the budget and letter."""
        return HTMLResponse(form_page(catalogue.find(scheme_id, _day(date))))

    @app.post("/schemes/{scheme_id}/form", response_class=HTMLResponse,
              include_in_schema=False)
    async def send_form(scheme_id: str, request: Request) -> HTMLResponse:
        body = await request.body()
        fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True,
                          max_num_fields=2_000)
        sent = read_form({k: v[-1] for k, v in fields.items()})
        scheme = catalogue.find(scheme_id, _day(sent.date))
        try:
            result = _calculate(scheme, sent.answers, sent.setting)
        except AnswerError as error:
            return HTMLResponse(form_page(scheme, sent, error), status_code=422)
        return HTMLResponse(result_page(scheme, sent, result))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version,
                               description=app.description, routes=app.routes)
            components = spec.setdefault("components", {}).setdefault("schemas", {})
            for model in (Problem, ChildRequest):
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(schema.pop("$defs", {}))
                components[model.__name__] = schema
            if api_key:
                spec["components"]["securitySchemes"] = {
                    "bearer": {"type": "http", "scheme": "bearer"}}
                spec["security"] = [{"bearer": []}]
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(ApiKey, key=api_key)
    return app


