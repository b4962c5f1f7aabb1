"""Refusals as RFC 9457 problem details (``application/problem+json``), the framework's own
404, 405 and validation errors included, so that a caller parses one shape for every refusal.

No handler writes what the caller sent to the log: a body can hold a child's name.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ras._base import AnswerError, RasError

__all__ = ["PROBLEM_JSON", "Refusal", "answer_problems", "answers_detail", "install",
           "problem_response", "shape_problems"]

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("ras.service")


class Refusal(Exception):  # noqa: N818 (a refusal is not an error of ours)
    """A request the service refuses: its status, a short title and what to do about it."""

    def __init__(self, status: int, detail: str, *, kind: str | None = None,
                 errors: Sequence[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.errors = list(errors) if errors is not None else None
        self.headers = headers


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}  # RFC 9110's words


def _title(status: int) -> str:
    if status in _TITLES:
        return _TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_response(status: int, detail: str, *, kind: str | None = None,
                     errors: Sequence[dict[str, str]] | None = None,
                     headers: Mapping[str, str] | None = None) -> ProblemResponse:
    body: dict[str, Any] = {
        "type": f"urn:ras:problem:{kind}" if kind else "about:blank",
        "title": _title(status),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = list(errors)
    return ProblemResponse(body, status_code=status, headers=headers)


def answer_problems(error: AnswerError) -> list[dict[str, str]]:
    """An AnswerError's problems as the wire's list of {question, problem}."""
    return [{"question": str(p.question), "problem": p.message} for p in error.problems]


def _location(loc: Sequence[Any]) -> str:
    """Where pydantic found a problem, as the question id when the answers are at fault."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    if len(parts) >= 2 and parts[0] == "answers":
        return parts[1]  # the question id
    return ".".join(parts) or "body"


_ANSWER_TYPES = {"string_type", "int_type", "float_type"}
_ANSWER_WORDS = ("an answer is an option id (text), its position (a whole number) or, for a "
                 "question answered with a number, the number")


def shape_problems(found: Sequence[Any]) -> list[dict[str, str]]:
    """Pydantic's findings as {question, problem}, one per place: an answer of the wrong JSON
    type is one problem, not one for each type an answer may have."""
    seen: dict[str, list[str]] = {}
    for e in found:
        loc = tuple(e.get("loc", ()))
        where = _location(loc)
        at_answer = len(loc) >= 2 and "answers" in loc[:-1]
        message = (_ANSWER_WORDS if at_answer and e.get("type") in _ANSWER_TYPES
                   else str(e.get("msg", "not valid")))
        if message not in seen.setdefault(where, []):
            seen[where].append(message)
    return [{"question": where, "problem": "; ".join(messages)}
            for where, messages in seen.items()]


def _validation(error: RequestValidationError) -> ProblemResponse:
    found = error.errors()
    if any(e.get("type") == "json_invalid" for e in found):
        return problem_response(400, "the body is not valid JSON", kind="malformed-json")
    errors = shape_problems(found)
    return problem_response(422, "the request does not have the shape this endpoint takes: "
                            + "; ".join(f"{e['question']}: {e['problem']}" for e in errors[:5]),
                            kind="invalid-request", errors=errors)


def answers_detail(error: AnswerError) -> str:
    """An AnswerError of one child in words without its row number (there is one child)."""
    return "the answers cannot be scored: " + "; ".join(
        f"{p.question}: {p.message}" for p in error.problems)


def install(app: FastAPI) -> None:
    """Answer every refusal, and any fault of ours, as problem details."""

    async def on_refusal(request: Request, exc: Exception) -> ProblemResponse:
        assert isinstance(exc, Refusal)
        return problem_response(exc.status, exc.detail, kind=exc.kind, errors=exc.errors,
                                headers=exc.headers)

    async def on_answers(request: Request, exc: Exception) -> ProblemResponse:
        assert isinstance(exc, AnswerError)
        return problem_response(422, answers_detail(exc), kind="bad-answers",
                                errors=answer_problems(exc))

    async def on_ras(request: Request, exc: Exception) -> ProblemResponse:
        return problem_response(422, str(exc), kind="refused")

    async def on_validation(request: Request, exc: Exception) -> ProblemResponse:
        assert isinstance(exc, RequestValidationError)
        kind = request.headers.get("content-type", "")
        if request.method == "POST" and "json" not in kind.lower():
            return problem_response(415, "send the body as JSON, with the header "
                                    "Content-Type: application/json (found "
                                    f"{kind[:100]!r})", kind="not-json")
        return _validation(exc)

    async def on_http(request: Request, exc: Exception) -> ProblemResponse:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else _title(exc.status_code)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"there is no {request.url.path}; GET /openapi.json lists the endpoints"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem_response(exc.status_code, detail, headers=exc.headers)

    async def on_fault(request: Request, exc: Exception) -> ProblemResponse:
        # the exception's type and where it arose, never its message or the request body:
        # either may hold a child's name
        _log.error("internal error on %s %s: %s\n%s", request.method, request.url.path,
                   type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
        return problem_response(500, "the service failed on this request; it has been "
                                "logged", kind="internal")

    app.add_exception_handler(Refusal, on_refusal)
    app.add_exception_handler(AnswerError, on_answers)
    app.add_exception_handler(RasError, on_ras)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_fault)
