"""A slow, plainly written reference implementation of "How a budget is calculated".

Written from /work/shared/scheme-format.md and scheme-format-v2.md only (version 2: `combine`,
`number` questions, an element 1 left out), as an independent oracle for the fast engine.
Every step is exact `decimal.Decimal` arithmetic in a local context with 100 digits of precision
and the `Inexact` signal trapped, so any arithmetic that would lose a digit raises instead of
silently rounding. Rounding to the scheme's unit uses `to_integral_value`, which does not signal.

The scheme is plain Python data as in the format page (the YAML parsed into dicts and lists),
assumed valid. Numbers may be int, Decimal, float (converted with `Decimal(repr(x))`) or str.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

EDUCATION = "education"
ZERO = Decimal(0)
ONE = Decimal(1)

# Amounts are never negative, so "up" is towards the larger amount and "down" the smaller.
ROUNDING_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "up": decimal.ROUND_CEILING,
    "down": decimal.ROUND_FLOOR,
}


@dataclass(frozen=True)
class RefResult:
    domain_points: dict[str, Decimal]
    stream_points: dict[str, Decimal]
    stream_amounts: dict[str, Decimal | None]
    bands: dict[str, str | None]
    ranges: dict[str, tuple[Decimal, Decimal] | None]
    reviews: dict[str, str | None]
    element1: Decimal | None  # None: version 2 leaves it out (not known)
    element2: Decimal
    element3: Decimal | None
    personal_sen_budget: Decimal | None
    total_personal_budget: Decimal | None


def dec(x: Any) -> Decimal:
    """A scheme number as an exact Decimal."""
    if isinstance(x, bool):
        raise TypeError(f"not a number: {x!r}")
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int | str):
        return Decimal(x)
    if isinstance(x, float):
        return Decimal(repr(x))
    raise TypeError(f"not a number: {x!r}")


def stream_ids(scheme: Mapping[str, Any]) -> list[str]:
    """The declared streams, in order; just education when `streams` is absent."""
    return list(scheme.get("streams") or {EDUCATION: {}})


# Step 1 -------------------------------------------------------------------------------------


def question_points(question: Mapping[str, Any], answer: Any) -> Decimal:
    """The points of the chosen option (by position, or by option id); for a number question
    (version 2), the answer x points_per_unit, the answer being the number itself (a Decimal,
    int, float or decimal text) or, as an int in `answers_as_codes`, see `number_answer`."""
    number = question.get("number")
    if number is not None:
        return dec(answer) * dec(number["points_per_unit"])
    options = question["options"]
    if isinstance(answer, str):
        [option] = [o for o in options if o["id"] == answer]
    else:
        option = options[answer]
    return dec(option["points"])


# Step 2 -------------------------------------------------------------------------------------


def number_answer(question: Mapping[str, Any], code: int) -> Decimal:
    """The answer a step index stands for: min + code x step (section 2)."""
    number = question["number"]
    return dec(number["min"]) + code * dec(number["step"])


def combine(rule: str | None, values: list[Decimal]) -> Decimal:
    """`sum` (the default) or `max` (version 2, section 1)."""
    if rule == "max":
        return max(values)
    return sum(values, ZERO)


def domain_points(domain: Mapping[str, Any], answers: Mapping[str, Any]) -> Decimal:
    """min(cap, weight x combine(its question points)); weight 1, sum and no cap by default."""
    points_of = [question_points(q, answers[q["id"]]) for q in domain["questions"]]
    total = combine(domain.get("combine"), points_of)
    points = dec(domain.get("weight", 1)) * total
    if domain.get("cap") is not None:
        points = min(dec(domain["cap"]), points)
    return points


# Step 3 -------------------------------------------------------------------------------------


def stream_points(
    scheme: Mapping[str, Any], domains: Mapping[str, Decimal], stream: str
) -> Decimal:
    """combine(the domain points of the stream's domains); no domains: 0 under either rule."""
    values = [domains[d["id"]] for d in scheme["domains"] if d.get("stream", EDUCATION) == stream]
    if not values:
        return ZERO
    declared = (scheme.get("streams") or {}).get(stream) or {}
    return combine(declared.get("combine"), values)


def stream_has_domains(scheme: Mapping[str, Any], stream: str) -> bool:
    return any(d.get("stream", EDUCATION) == stream for d in scheme["domains"])


# Step 4 -------------------------------------------------------------------------------------


def pricing_for(scheme: Mapping[str, Any], setting: Mapping[str, Any], stream: str) -> Any:
    """The setting's own pricing for the stream if it has one, else the scheme's."""
    own = setting.get("pricing") or {}
    if stream in own:
        return own[stream]
    return scheme["pricing"][stream]


def price_rate(pricing: Mapping[str, Any], points: Decimal) -> Decimal:
    """base + points x rate."""
    return dec(pricing.get("base", 0)) + points * dec(pricing["rate"])


def band_for(pricing: Mapping[str, Any], points: Decimal) -> Mapping[str, Any]:
    """The highest band whose from_points <= points."""
    reached = [b for b in pricing["bands"] if dec(b["from_points"]) <= points]
    return max(reached, key=lambda b: dec(b["from_points"]))


def price_steps(pricing: Mapping[str, Any], points: Decimal) -> Decimal:
    """Marginal sum: each point is priced at the rate of the step it falls in."""
    steps = sorted(pricing["steps"], key=lambda s: dec(s["from_points"]))
    total = ZERO
    for i, step in enumerate(steps):
        start = dec(step["from_points"])
        end = dec(steps[i + 1]["from_points"]) if i + 1 < len(steps) else None
        top = points if end is None else min(points, end)
        if top > start:
            total += (top - start) * dec(step["rate"])
    return total


def round_amount(amount: Decimal, rounding: Mapping[str, Any]) -> Decimal:
    """Round to a multiple of `unit` with `mode`: divide by the unit, round to an integer, multiply
    back (exact for units 0.01, 1, 10 and 100)."""
    unit = dec(rounding.get("unit", Decimal("0.01")))
    mode = ROUNDING_MODES[rounding.get("mode", "half_up")]
    return (amount / unit).to_integral_value(rounding=mode) * unit


@dataclass(frozen=True)
class StreamAmount:
    amount: Decimal | None
    band: str | None
    review: str | None


def stream_amount(
    pricing: Mapping[str, Any], points: Decimal, rounding: Mapping[str, Any]
) -> StreamAmount:
    """Price, refer above refer_above, clamp to [minimum, maximum], round."""
    method = pricing["method"]
    band = None
    refer_above = pricing.get("refer_above")
    if refer_above is not None and points > dec(refer_above):
        return StreamAmount(None, None, "refer_above")

    priced_points = max(ZERO, points)  # below zero, points are priced as zero
    if method == "rate":
        amount = price_rate(pricing, priced_points)
    elif method == "bands":
        chosen = band_for(pricing, priced_points)
        band = str(chosen["label"])
        amount = dec(chosen["amount"])
    elif method == "steps":
        amount = price_steps(pricing, priced_points)
    else:
        raise ValueError(f"unknown pricing method {method!r}")

    review = None
    amount = max(dec(pricing.get("minimum", 0)), amount)
    if pricing.get("maximum") is not None and amount > dec(pricing["maximum"]):
        amount = dec(pricing["maximum"])
        review = "maximum"
    return StreamAmount(round_amount(amount, rounding), band, review)


def indicative_range(
    amount: Decimal | None, spec: Mapping[str, Any], rounding: Mapping[str, Any]
) -> tuple[Decimal, Decimal] | None:
    """(rounded amount x (1 - below), rounded amount x (1 + above)), each rounded the same way."""
    if amount is None:
        return None
    below = dec(spec.get("below", 0))
    above = dec(spec.get("above", 0))
    lower = round_amount(amount * (ONE - below), rounding)
    upper = round_amount(amount * (ONE + above), rounding)
    return lower, upper


# Step 5 -------------------------------------------------------------------------------------


def element3(education_amount: Decimal | None, setting: Mapping[str, Any]) -> Decimal | None:
    if education_amount is None:
        return None
    e1 = dec(setting["element1"]) if setting.get("element1") is not None else None
    e2 = dec(setting["element2"])
    covers = setting["ras_covers"]
    if covers == "additional_support":
        return max(ZERO, education_amount - e2)
    if covers == "whole_place":
        assert e1 is not None, "a whole_place setting always has element 1"
        return max(ZERO, education_amount - e1 - e2)
    if covers == "top_up":
        return education_amount
    raise ValueError(f"unknown ras_covers {covers!r}")


# Step 6 and the whole calculation -------------------------------------------------------------


def total_personal_budget(
    e3: Decimal | None, amounts: Mapping[str, Decimal | None]
) -> Decimal | None:
    """element 3 plus the amounts of the other (non-education) streams; None if any is None."""
    parts = [e3] + [a for s, a in amounts.items() if s != EDUCATION]
    if any(p is None for p in parts):
        return None
    return sum((p for p in parts if p is not None), ZERO)


def reference_calculate(
    scheme: Mapping[str, Any], answers: Mapping[str, Any], setting: str
) -> RefResult:
    with decimal.localcontext() as ctx:
        ctx.prec = 100
        ctx.traps[decimal.Inexact] = True
        return _calculate(scheme, answers, scheme["settings"][setting])


def _calculate(
    scheme: Mapping[str, Any], answers: Mapping[str, Any], setting: Mapping[str, Any]
) -> RefResult:
    rounding = scheme.get("rounding") or {}
    spec = scheme.get("indicative_range")

    d_points = {d["id"]: domain_points(d, answers) for d in scheme["domains"]}
    s_points: dict[str, Decimal] = {}
    amounts: dict[str, Decimal | None] = {}
    bands: dict[str, str | None] = {}
    reviews: dict[str, str | None] = {}
    for stream in stream_ids(scheme):
        s_points[stream] = stream_points(scheme, d_points, stream)
        if stream not in scheme["pricing"] or (stream == EDUCATION
                                               and not stream_has_domains(scheme, stream)):
            # not priced: nothing to price with, or step 5 (no education domains: zero);
            # any other stream without domains is priced at its 0 points (steps 3 and 4)
            amounts[stream], reviews[stream] = ZERO, None
            continue
        pricing = pricing_for(scheme, setting, stream)
        priced = stream_amount(pricing, s_points[stream], rounding)
        amounts[stream], reviews[stream] = priced.amount, priced.review
        if pricing["method"] == "bands":
            bands[stream] = priced.band

    ranges: dict[str, tuple[Decimal, Decimal] | None] = {}
    if spec is not None:
        ranges = {s: indicative_range(a, spec, rounding) for s, a in amounts.items()}

    e3 = element3(amounts.get(EDUCATION, ZERO), setting)
    return RefResult(
        domain_points=d_points,
        stream_points=s_points,
        stream_amounts=amounts,
        bands=bands,
        ranges=ranges,
        reviews=reviews,
        element1=dec(setting["element1"]) if setting.get("element1") is not None else None,
        element2=dec(setting["element2"]),
        element3=e3,
        personal_sen_budget=e3,
        total_personal_budget=total_personal_budget(e3, amounts),
    )
