"""The steps of an explanation, in calculation order: answers, areas of need, streams, elements.

Plain frozen data read off the kernel's trace (``trace.py``); the wording (``sentences.py``) and the
renderers read them, and ``to_dict()`` turns them into JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

__all__ = ["AnswerStep", "Clamp", "DomainStep", "ElementStep", "StepPart", "StreamStep"]

Clamp = Literal["minimum", "maximum"]


@dataclass(frozen=True, slots=True)
class AnswerStep:
    """One answer: the question, the option chosen and the points it scores."""

    question: str
    question_label: str
    domain: str
    option: str
    option_label: str
    position: int  # the option's position, or a number question's step index
    points: Decimal
    description: str | None = None  # the option's (else the question's) words for families
    number: Decimal | None = None  # version 2: the answer of a number question
    unit: str | None = None  # its unit, "hours a week"
    per_unit: Decimal | None = None  # its points_per_unit


@dataclass(frozen=True, slots=True)
class DomainStep:
    """One area of need: its answers' points summed, weighted and capped."""

    domain: str
    label: str
    stream: str
    answers_total: Decimal  # the question points summed
    weight: Decimal
    weighted: Decimal  # weight x answers_total, before the cap
    cap: Decimal | None
    capped: bool  # the cap bit: the area counts less than its weighted points
    points: Decimal  # what the area counts towards its stream
    combine: str = "sum"  # version 2: "max", answers_total is the highest question points
    description: str | None = None


@dataclass(frozen=True, slots=True)
class StepPart:
    """The points of one marginal step and what they are worth (``steps`` pricing)."""

    from_points: Decimal
    points: Decimal
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class StreamStep:
    """One stream (education, social care, health): its points priced, clamped and rounded.

    ``method`` is None for a declared stream with no questions (its amount is zero). Money
    before rounding (``priced``, ``clamped``) is exact, with as many decimals as it has.
    """

    stream: str
    label: str
    points: Decimal
    method: str | None
    pricing_setting: str | None  # the setting whose own table priced it; None: the scheme's
    base: Decimal | None
    rate: Decimal | None
    band: str | None
    band_from: Decimal | None
    band_to: Decimal | None  # where the next band starts; None for the top band
    step_parts: tuple[StepPart, ...]
    priced: Decimal | None  # before clamping; None when referred
    minimum: Decimal | None
    maximum: Decimal | None
    clamp: Clamp | None
    clamped: Decimal | None  # after clamping, before rounding; None when referred
    rounding_unit: Decimal
    rounding_mode: str
    rounding_changed: bool
    amount: Decimal | None  # None when referred to panel
    refer_above: Decimal | None
    referred: bool
    review: str  # empty, or why the stream goes to panel
    lower: Decimal | None
    upper: Decimal | None
    range_below: Decimal | None
    range_above: Decimal | None
    combine: str = "sum"  # version 2: "max", the stream's points are its highest area's
    highest_domain: str | None = None  # with max: the area that set the points (first of ties)
    description: str | None = None  # the stream's words for families
    band_description: str | None = None  # the band's (or step's) words for families


@dataclass(frozen=True, slots=True)
class ElementStep:
    """The setting's elements 1 and 2 and how element 3, the top-up, follows from them."""

    setting: str
    setting_label: str
    covers: str
    element1: Decimal | None  # None: the scheme does not say (version 2), never £0
    element2: Decimal
    education_amount: Decimal | None  # None when referred to panel
    has_education: bool  # False: the scheme has no education questions, so the amount is zero
    deduction: Decimal  # taken off the education amount: element 2, 1 + 2, or nothing
    floored: bool  # the deduction was more than the amount, so element 3 stopped at zero
    element3: Decimal | None
    description: str | None = None  # the setting's words for families
