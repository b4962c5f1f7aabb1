"""What crosses the wire: the service's request and answer models, and a budget as wire data.

Money is text of two-decimal pounds ("4000.00") and points are decimal text ("12.5"), never JSON
numbers: a case system in another language must never round a float to get the figures the
library computed exactly. The patterns below put that in the OpenAPI description too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

if TYPE_CHECKING:
    from ras._format import Question
    from ras._scheme import Budget, Scheme

__all__ = [
    "BatchAnswer",
    "BatchRequest",
    "BudgetAnswer",
    "BudgetRequest",
    "ChildRequest",
    "ChildResult",
    "Health",
    "LetterRequest",
    "Problem",
    "SchemeDetail",
    "SchemeSummary",
    "VerifyAnswer",
    "VerifyRequest",
    "budget_wire",
    "money_text",
    "scheme_detail",
    "scheme_summary",
]

MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"

Money = Annotated[str, Field(pattern=MONEY_PATTERN, examples=["4000.00"],
                             description="pounds with two decimals, as text (never a float)")]
DecimalText = Annotated[str, Field(pattern=DECIMAL_PATTERN, examples=["12.5"],
                                   description="an exact decimal, as text (never a float)")]
# Text checked by the route (dt.date.fromisoformat): FastAPI validates decoded JSON as Python
# data, where a strict date would refuse text and a lax one would take a number as a timestamp
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
Day = Annotated[str, Field(description="an ISO date, YYYY-MM-DD", examples=["2026-09-01"],
                           json_schema_extra={"format": "date"})]
Answer = Annotated[StrictStr | StrictInt | StrictFloat, Field(
    description="an option id, or its position (0 is the first option); for a question "
                "answered with a number, the number (or decimal text such as \"23.5\")")]
Text = Annotated[str, Field(max_length=500)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- requests -----------------------------------------------------------------------------


class BudgetRequest(_Wire):
    """One child: an answer to every question, the setting, and the date that picks the
    scheme version (default today)."""

    answers: dict[str, Answer] = Field(examples=[{"expressive_language": "some"}])
    setting: StrictStr | StrictInt = Field(examples=["mainstream"])
    date: Day | None = None


class LetterRequest(BudgetRequest):
    """One child, as for a budget, and the letter's optional details: none is kept or logged."""

    child: Annotated[StrictStr, Field(max_length=200)] | None = None
    reference: Annotated[StrictStr, Field(max_length=200)] | None = None
    school: Annotated[StrictStr, Field(max_length=200)] | None = None
    letter_date: Day | None = Field(default=None, description="the date the letter shows")


class ChildRequest(_Wire):
    """One child of a batch; `id` is the caller's own, returned beside the child's result."""

    id: StrictStr | StrictInt | None = None
    answers: dict[str, Answer]
    setting: StrictStr | StrictInt


class BatchRequest(_Wire):
    """Many children under the version in force on `date` (default today). A child that is
    not a ChildRequest, or whose answers cannot be scored, gets its own `error` in `results`;
    the others are still answered."""

    date: Day | None = None
    # Each child is read on its own, so that one malformed child gets its own error and
    # the others are still answered; the description still says what a child is.
    children: list[Annotated[Any, Field(json_schema_extra={"$ref": "#/components/schemas/"
                                                                    "ChildRequest"})]]


class VerifyRequest(_Wire):
    """An audit record, as ``budget.to_record()`` (the `record` of a budget answer) gave it."""

    record: dict[str, Any]


# -- answers ------------------------------------------------------------------------------


class Health(_Wire):
    status: Literal["ok"]
    schemes: int = Field(description="scheme files (versions) loaded")
    version: str = Field(description="the ras version")


class SchemeSummary(_Wire):
    id: str
    name: str
    version: str
    effective_from: dt.date
    effective_to: dt.date | None
    fingerprint: str


class OptionDetail(_Wire):
    id: str
    label: str | None
    description: str | None
    points: DecimalText


class NumberDetail(_Wire):
    """A question answered with a number in [min, max] on the step from min."""

    unit: str
    min: DecimalText
    max: DecimalText
    step: DecimalText
    points_per_unit: DecimalText


class QuestionDetail(_Wire):
    id: str
    label: str | None
    description: str | None
    domain: str
    options: list[OptionDetail] | None
    number: NumberDetail | None


class SettingDetail(_Wire):
    id: str
    label: str | None
    description: str | None
    element1: Money | None
    element2: Money
    ras_covers: str


class SchemeDetail(SchemeSummary):
    period: str = Field(description="what every amount is per: year, term, week or one_off")
    questions: list[QuestionDetail]
    settings: list[SettingDetail]


class Range(_Wire):
    lower: Money
    upper: Money


class BudgetAnswer(_Wire):
    """Every figure of ``scheme.calculate`` under the names of the library; an amount referred
    to panel is null. `record` is ``budget.to_record()``, for ``POST /verify`` later."""

    scheme_id: str
    scheme_version: str
    scheme_fingerprint: str
    setting: str
    domain_points: dict[str, DecimalText]
    stream_points: dict[str, DecimalText]
    stream_amounts: dict[str, Money | None]
    bands: dict[str, str | None]
    ranges: dict[str, Range | None]
    reviews: dict[str, str]
    element1: Money | None
    element2: Money
    element3: Money | None
    personal_sen_budget: Money | None
    total_personal_budget: Money | None
    record: dict[str, Any]


class AnswerProblem(_Wire):
    question: str
    problem: str


class ChildProblem(_Wire):
    title: str
    detail: str
    errors: list[AnswerProblem]


class ChildResult(_Wire):
    """One child of a batch: its figures, or its error and no figures."""

    id: str | int | None
    budget: BudgetAnswer | None
    error: ChildProblem | None


class BatchAnswer(_Wire):
    scheme_id: str
    scheme_version: str
    scheme_fingerprint: str
    children: int
    answered: int
    refused: int
    results: list[ChildResult]


class DifferenceDetail(_Wire):
    key: str
    recorded: Any
    recomputed: Any
    note: str


class VerifyAnswer(_Wire):
    ok: bool
    scheme_id: str
    scheme_version: str
    scheme_fingerprint: str
    recorded_ras_version: str | None
    ras_version: str
    differences: list[DifferenceDetail]


class Problem(_Wire):
    """A refusal, as RFC 9457 problem details (media type application/problem+json)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str
    title: str
    status: int
    detail: str
    errors: list[AnswerProblem] | None = None


# -- from the library to the wire ---------------------------------------------------------


def money_text(value: Decimal | None) -> str | None:
    """Decimal pounds as two-decimal text; None stays None (an amount referred to panel)."""
    return None if value is None else f"{value:.2f}"


def decimal_text(value: Decimal) -> str:
    """An exact decimal as plain text without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def budget_wire(budget: Budget) -> dict[str, Any]:
    """A budget as the wire's plain data (the shape of BudgetAnswer)."""
    return {
        "scheme_id": budget.scheme_id,
        "scheme_version": budget.scheme_version,
        "scheme_fingerprint": budget.scheme_fingerprint,
        "setting": budget.setting,
        "domain_points": {k: decimal_text(v) for k, v in budget.domain_points.items()},
        "stream_points": {k: decimal_text(v) for k, v in budget.stream_points.items()},
        "stream_amounts": {k: money_text(v) for k, v in budget.stream_amounts.items()},
        "bands": dict(budget.bands),
        "ranges": {k: None if r is None else {"lower": money_text(r[0]),
                                              "upper": money_text(r[1])}
                   for k, r in budget.ranges.items()},
        "reviews": dict(budget.reviews),
        "element1": money_text(budget.element1),
        "element2": money_text(budget.element2),
        "element3": money_text(budget.element3),
        "personal_sen_budget": money_text(budget.personal_sen_budget),
        "total_personal_budget": money_text(budget.total_personal_budget),
        "record": budget.to_record(),
    }


def scheme_summary(scheme: Scheme) -> dict[str, Any]:
    return {"id": scheme.id, "name": scheme.name, "version": scheme.version,
            "effective_from": scheme.effective_from, "effective_to": scheme.effective_to,
            "fingerprint": scheme.fingerprint}


def _number(question: Question) -> dict[str, Any] | None:
    rule = question.number  # format version 2: a question answered with a number
    if rule is None:
        return None
    return {"unit": rule.unit, "min": decimal_text(Decimal(rule.min)),
            "max": decimal_text(Decimal(rule.max)), "step": decimal_text(Decimal(rule.step)),
            "points_per_unit": decimal_text(Decimal(rule.points_per_unit))}


def scheme_detail(scheme: Scheme) -> dict[str, Any]:
    """What a form needs: every question with its options (or number rule), labels and
    descriptions, the settings, and what the amounts are per."""
    model = scheme.model
    questions = []
    for domain in model.domains:
        for q in domain.questions:
            questions.append({
                "id": q.id, "label": q.label, "description": q.description, "domain": domain.id,
                "options": None if q.options is None else [
                    {"id": o.id, "label": o.label, "description": o.description,
                     "points": decimal_text(Decimal(o.points))} for o in q.options],
                "number": _number(q),
            })
    settings = [
        {"id": sid, "label": s.label, "description": s.description,
         "element1": None if s.element1 is None else money_text(Decimal(s.element1)),
         "element2": money_text(Decimal(s.element2)), "ras_covers": s.ras_covers}
        for sid, s in model.settings.items()]
    return {**scheme_summary(scheme), "period": scheme.period, "questions": questions,
            "settings": settings}
