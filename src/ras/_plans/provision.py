"""One line of provision in an agreed plan: what it is, who delivers it, how it is paid, its cost.

Every value goes through one converter per field (``convert``), used alike by ``ProvisionLine``
and, on the distinct values of each column, by the cohort form; the checks that relate fields
(``cross_problems``) have a vectorised twin in ``_plan_frame``. So a line is refused, or not, for
the same reasons in both forms, with the same words.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ras._base import PlanError, PlanProblem

__all__ = [
    "DELIVERED_BY",
    "FIELDS",
    "HOURLY",
    "LIMITS",
    "MECHANISMS",
    "MISSING",
    "STREAMS",
    "ProvisionLine",
    "check_line",
    "convert",
    "cross_problems",
    "money",
]

Stream = Literal["education", "social_care", "health"]
Mechanism = Literal["direct_payment", "arrangement", "third_party"]
DeliveredBy = Literal["setting", "other"]

STREAMS: tuple[Stream, ...] = ("education", "social_care", "health")
MECHANISMS: tuple[Mechanism, ...] = ("direct_payment", "arrangement", "third_party")
DELIVERED_BY: tuple[DeliveredBy, ...] = ("setting", "other")
HOURLY = ("hours_per_week", "weeks", "hourly_rate")
FIELDS = ("description", "stream", "cost", *HOURLY, "on_costs", "delivery", "delivered_by",
          "on_premises", "consent", "is_place")
PENNY = Decimal("0.01")

# Plausibility limits: beyond them a value is a slip (28.68 typed for 0.2868), not a plan.
MAX_HOURS_PER_WEEK = Decimal(168)
MAX_WEEKS = Decimal(53)
MAX_ON_COSTS = Decimal(1)
LIMITS = {"hours_per_week": MAX_HOURS_PER_WEEK, "weeks": MAX_WEEKS, "on_costs": MAX_ON_COSTS}

# The messages of the checks that relate fields, shared with the cohort form.
BOTH_COSTS = "give either cost or hours_per_week, weeks and hourly_rate, not both"
NO_COST = ("no cost: give cost (a fixed annual amount), or hours_per_week, weeks and "
           "hourly_rate")
ON_COSTS_FIXED = ("on_costs applies only to an hourly cost; include any on-costs in the fixed "
                  "cost")
ZERO_COST = "no cost: the line costs £0.00, and a line of the budget must cost something"
DP_PLACE = ("a direct payment cannot pay for a school or college place (SEN (Personal Budgets) "
            "Regulations 2014); take the place as an arrangement")
_CONSENT = ("a direct payment for provision on the school's or college's premises needs the "
            "head teacher's or principal's consent, {found}; take this line as an arrangement "
            "or a third-party arrangement, or deliver it off the premises")
DP_REFUSED = _CONSENT.format(found="and consent was refused (consent=False)")
DP_NO_CONSENT = _CONSENT.format(found="and none is recorded (record consent=True once given)")


def partial_hourly(missing: tuple[str, ...]) -> str:
    return (f"an hourly cost needs hours_per_week, weeks and hourly_rate; "
            f"missing {' and '.join(missing)}")


class _Missing:
    """A key that is absent (or a column the frame does not have): distinct from None."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def _blank(value: Any) -> bool:
    """None, NaN and pandas' NA all mean 'no value' (a blank cell in a frame)."""
    if value is None or value is MISSING:
        return True
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, float):
        return value != value  # NaN
    return type(value).__name__ in ("NAType", "NaTType")


def _suggest(value: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, allowed, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _choice(name: str, allowed: tuple[str, ...], required: bool, default: str | None,
            what: str) -> Callable[[Any], tuple[Any, str | None]]:
    listed = ", ".join(allowed[:-1]) + " or " + allowed[-1]

    def check(value: Any) -> tuple[Any, str | None]:
        if _blank(value):
            if required:
                return None, f"no {name}; expected {listed}"
            return default, None
        if isinstance(value, str) and value.strip() in allowed:
            return value.strip(), None
        shown = value.strip() if isinstance(value, str) else value
        hint = _suggest(shown, allowed) if isinstance(shown, str) else ""
        field = "" if what == name else f" for {name}"
        return None, f"unknown {what} {shown!r}{field}; expected {listed}{hint}"

    return check


def _description(value: Any) -> tuple[Any, str | None]:
    if _blank(value):
        return None, "no description: every line needs one, for the family's statement"
    if not isinstance(value, str):
        return None, f"description must be text (found {value!r})"
    if not value.strip():
        return None, "the description is empty: every line needs one, for the family's statement"
    return value.strip(), None


_TOO_LARGE = Decimal(10) ** 15  # £1,000,000,000,000,000: far beyond any plan, within int64 pence


def _number(name: str, limit: Decimal | None = None,
            hint: str = "") -> Callable[[Any], tuple[Any, str | None]]:
    def check(value: Any) -> tuple[Any, str | None]:
        if _blank(value):
            return None, None
        if isinstance(value, bool | np.bool_):
            return None, f"{name} must be a number (found {str(value).lower()})"
        number: Decimal
        try:
            if isinstance(value, Decimal):
                number = value
            elif isinstance(value, numbers.Integral):
                number = Decimal(int(value))
            elif isinstance(value, numbers.Real):
                as_float = float(value)
                if not math.isfinite(as_float):
                    return None, f"{name} must be a finite number (found {value!r})"
                number = Decimal(repr(as_float))  # the shortest text that reads back exactly
            elif isinstance(value, str):
                if not value.strip():
                    return None, None
                number = Decimal(value.strip())
            else:
                return None, f"{name} must be a number (found {value!r})"
        except (InvalidOperation, ValueError):
            return None, f"{name} must be a number (found {value!r})"
        if not number.is_finite():
            return None, f"{name} must be a finite number (found {value!r})"
        if abs(number) >= _TOO_LARGE:  # 1e400 would break every sum in pence
            return None, (f"{name} is far too large a number (found {value!r}); it must be "
                          f"below {_TOO_LARGE:,}")
        shown = format(number.normalize(), "f")  # -1 and -1.0 read alike
        if number < 0:
            return None, f"{name} must not be negative (found {shown})"
        if limit is not None and number > limit:
            return None, f"{name} must be at most {limit} (found {shown}){hint}"
        return number + 0, None  # + 0 turns -0 into 0

    return check


def _flag(name: str, default: bool | None) -> Callable[[Any], tuple[Any, str | None]]:
    true = {"true", "yes", "y", "1"}
    false = {"false", "no", "n", "0"}

    def check(value: Any) -> tuple[Any, str | None]:
        if _blank(value):
            return default, None
        if isinstance(value, bool | np.bool_):
            return bool(value), None
        if isinstance(value, numbers.Integral) and int(value) in (0, 1):
            return bool(int(value)), None
        if isinstance(value, float | np.floating) and value in (0.0, 1.0):
            return bool(value == 1.0), None  # a CSV column of 1, 0 and blanks reads as floats
        if isinstance(value, str) and value.strip().lower() in true | false:
            return value.strip().lower() in true, None
        return None, f"{name} must be true or false (found {value!r})"

    return check


convert: dict[str, Callable[[Any], tuple[Any, str | None]]] = {
    "description": _description,
    "stream": _choice("stream", STREAMS, True, None, "stream"),
    "cost": _number("cost"),
    "hours_per_week": _number("hours_per_week", MAX_HOURS_PER_WEEK, " (a week has 168 hours)"),
    "weeks": _number("weeks", MAX_WEEKS, " (a year has at most 53 weeks)"),
    "hourly_rate": _number("hourly_rate"),
    "on_costs": _number("on_costs", MAX_ON_COSTS,
                        "; give it as a fraction: 0.2868 adds 28.68%"),
    "delivery": _choice("delivery", MECHANISMS, True, None, "mechanism"),
    "delivered_by": _choice("delivered_by", DELIVERED_BY, False, "other", "value"),
    "on_premises": _flag("on_premises", False),
    "consent": _flag("consent", None),
    "is_place": _flag("is_place", False),
}
"""Field name -> converter: a raw value (or MISSING) -> (clean value, problem or None)."""


def cross_problems(v: Mapping[str, Any]) -> list[str]:
    """The checks that relate fields, on converted values; the cohort form vectorises these."""
    problems = []
    given = [v[name] is not None for name in HOURLY]
    if v["cost"] is not None and any(given):
        problems.append(BOTH_COSTS)
    elif v["cost"] is None and not any(given):
        problems.append(NO_COST)
    elif v["cost"] is None and not all(given):
        problems.append(partial_hourly(tuple(n for n, g in zip(HOURLY, given, strict=True)
                                             if not g)))
    elif v["cost"] is not None and v["on_costs"]:
        problems.append(ON_COSTS_FIXED)
    elif money(_exact_cost(v)) == 0:
        problems.append(ZERO_COST)
    if v["delivery"] == "direct_payment" and v["is_place"]:
        problems.append(DP_PLACE)
    if v["delivery"] == "direct_payment" and v["on_premises"] and v["consent"] is not True:
        problems.append(DP_REFUSED if v["consent"] is False else DP_NO_CONSENT)
    return problems


def check_line(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Convert and check one line's fields: (clean values, problems in a fixed order)."""
    problems = []
    for key in data:
        if key not in FIELDS:
            hint = _suggest(key, FIELDS) if isinstance(key, str) else ""
            problems.append(f"unknown key {key!r}; allowed keys are {', '.join(FIELDS)}{hint}")
    clean: dict[str, Any] = {}
    for name in FIELDS:
        value, problem = convert[name](data.get(name, MISSING))
        clean[name] = value
        if problem:
            problems.append(problem)
    if not problems:
        problems = cross_problems(clean)
    return clean, problems


def _exact_cost(v: Mapping[str, Any]) -> Decimal:
    """The cost before rounding: exact, whatever the number of digits."""
    if v["cost"] is not None:
        return Decimal(v["cost"])
    factors = [v["hours_per_week"], v["weeks"], v["hourly_rate"],
               Decimal(1) + (v["on_costs"] or Decimal(0))]
    digits = sum(len(f.as_tuple().digits) for f in factors)
    with localcontext(prec=digits + 10):
        product = Decimal(1)
        for factor in factors:
            product *= factor
    return product


def money(amount: Decimal) -> Decimal:
    """Pounds rounded half up to the penny, exactly."""
    with localcontext(prec=max(28, len(amount.as_tuple().digits) + 5)):
        return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


class _LineProblemsError(ValueError):
    def __init__(self, problems: list[str], description: str | None) -> None:
        self.problems = problems
        self.description = description
        super().__init__("; ".join(problems))


class ProvisionLine(BaseModel):
    """One line of provision in an agreed EHC plan, checked when it is made.

    The cost is either ``cost`` (a fixed annual amount) or ``hours_per_week`` x ``weeks`` x
    ``hourly_rate`` x (1 + ``on_costs``), exact and then rounded half up to the penny. A bad
    line raises ``ras.PlanError`` listing every problem, including the two rules the law puts
    on direct payments: none for a school or college place, and none for provision on the
    setting's premises without the head teacher's or principal's consent.

    >>> line = ProvisionLine(description="Teaching assistant", stream="education",
    ...                      hours_per_week=15, weeks=39, hourly_rate="14.50", on_costs="0.2868",
    ...                      delivery="arrangement", delivered_by="setting")
    >>> line.annual_cost
    Decimal('10915.28')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str
    stream: Stream
    cost: Decimal | None = None
    hours_per_week: Decimal | None = None
    weeks: Decimal | None = None
    hourly_rate: Decimal | None = None
    on_costs: Decimal | None = None
    delivery: Mechanism
    delivered_by: DeliveredBy = "other"
    on_premises: bool = False
    consent: bool | None = None
    is_place: bool = False

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _as_plan_error(exc) from None

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any) -> Any:
        if isinstance(data, ProvisionLine):
            return data.model_dump()
        if not isinstance(data, Mapping):
            raise _LineProblemsError([f"a line must be a mapping of field names to values "
                                 f"(found {type(data).__name__})"], None)
        clean, problems = check_line(data)
        if problems:
            raise _LineProblemsError(problems, clean["description"])
        return clean

    @property
    def is_hourly(self) -> bool:
        return self.cost is None

    @property
    def exact_cost(self) -> Decimal:
        """The cost before rounding to the penny."""
        return _exact_cost(self.__dict__)

    @property
    def annual_cost(self) -> Decimal:
        """The cost of the line in pounds, rounded half up to the penny."""
        return money(self.exact_cost)


def _as_plan_error(exc: ValidationError) -> PlanError:
    problems: list[PlanProblem] = []
    for error in exc.errors():
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, _LineProblemsError):
            problems += [PlanProblem(None, cause.description, m) for m in cause.problems]
        else:  # pragma: no cover - every field is converted by _check first
            problems.append(PlanProblem(None, None, str(error["msg"])))
    return PlanError(problems)
