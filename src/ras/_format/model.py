"""The scheme format, version 1, as frozen pydantic models.

These models check shape and types: every key known, every number a finite decimal of the right
sign. Rules that relate one part of a scheme to another (ids unique, streams declared, bands
increasing) live in ``_rules.py``, so that each can name the exact key path it is about.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ras._base import has_line_break

__all__ = [
    "Band",
    "Domain",
    "IndicativeRange",
    "Option",
    "Pricing",
    "Question",
    "Rounding",
    "SchemeModel",
    "Setting",
    "Step",
    "Stream",
]

ROUNDING_UNITS = (Decimal("0.01"), Decimal("1"), Decimal("10"), Decimal("100"))
RoundingMode = Literal["half_up", "half_even", "up", "down"]
Covers = Literal["additional_support", "whole_place", "top_up"]
Method = Literal["rate", "bands", "steps"]


def _text(value: Any) -> Any:
    """Let a label or id written as a bare number (``label: 1``) stand as the text it shows."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


def _one_line(value: Any) -> Any:
    """Labels, names and ids are printed on one line of letters and tables, where a line break
    would start a line of its own ("Indicative personal SEN budget: £99,999.00")."""
    if isinstance(value, str) and has_line_break(value):
        hint = (" (a YAML block scalar, | or >, ends with one: write the text on one line, or "
                "use >-)" if value.endswith("\n") else "")
        raise ValueError(f"must be one line, without line breaks (found {value!r}){hint}")
    return value


def _id(value: Any) -> Any:
    """Ids are compared as text: one spelling (NFC) of each, so that "café" typed on two
    keyboards is one id, not two that look alike."""
    value = _one_line(_text(value))
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _iso_date(value: Any) -> Any:
    """A date, or an ISO date string; not a datetime, not a number of seconds."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"must be a date without a time (found {value.isoformat()})")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"must be an ISO date like 2026-04-01 (found {value!r})") from None
    if not isinstance(value, dt.date):
        raise ValueError(f"must be a date like 2026-04-01 (found {value!r})")
    return value


def _number(value: Any) -> Any:
    """Numbers only: refuse booleans, which pydantic would otherwise read as 0 and 1, and more
    significant digits than exact decimal arithmetic (28 digits) keeps: past them
    ``300.0000000000000000000000000001`` would be worked with, and fingerprinted, as 300."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number (found {str(value).lower()})")
    digits = significant_digits(value)
    if digits > MAX_DIGITS:
        raise ValueError(f"has {digits} significant digits; a number in a scheme has at most "
                         f"{MAX_DIGITS} (found {value})")
    return value


def significant_digits(value: Any) -> int:
    """The digits a number carries, counted from its exact text (no rounding context):
    300.50 -> 4, 1E+40 -> 1. Zero for anything that is not a finite number."""
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except (ArithmeticError, TypeError, ValueError):
        return 0
    if not number.is_finite():
        return 0
    return max(len("".join(map(str, number.as_tuple().digits)).strip("0")), 1)


MAX_DIGITS = 28  # Python's default decimal context, which the arithmetic on a model's numbers uses

Text = Annotated[str, BeforeValidator(_one_line), BeforeValidator(_text), Field(min_length=1)]
# An id is any text (the format page sets no alphabet: "early years", "1:1", Welsh names) that
# has no control characters and no space at either end, where it would be invisible.
Id = Annotated[str, BeforeValidator(_id),
               Field(pattern=r"^[^\s\x00-\x1f\x7f]([^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9_-]+$")]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Number = Annotated[Decimal, BeforeValidator(_number), Field(allow_inf_nan=False)]
Points = Annotated[Number, Field(decimal_places=2)]
NonNegativePoints = Annotated[Points, Field(ge=0)]
Amount = Annotated[Number, Field(ge=0)]
Rate = Annotated[Number, Field(ge=0)]
Fraction = Annotated[Number, Field(ge=0)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


class Option(_Frozen):
    id: Id
    label: Text | None = None
    points: Points


class Question(_Frozen):
    id: Id
    label: Text | None = None
    options: tuple[Option, ...] = Field(min_length=2)


class Domain(_Frozen):
    id: Id
    label: Text | None = None
    stream: Id = "education"
    weight: Annotated[Number, Field(ge=0)] = Decimal(1)
    cap: NonNegativePoints | None = None
    questions: tuple[Question, ...] = Field(min_length=1)


class Stream(_Frozen):
    label: Text | None = None


class Band(_Frozen):
    label: Text
    from_points: Points
    amount: Amount


class Step(_Frozen):
    from_points: Points
    rate: Rate


class Pricing(_Frozen):
    """How one stream's points become pounds. Which keys a method takes is checked in _rules."""

    method: Method
    rate: Rate | None = None
    base: Amount | None = None
    bands: tuple[Band, ...] | None = None
    steps: tuple[Step, ...] | None = None
    minimum: Amount | None = None
    maximum: Amount | None = None
    refer_above: NonNegativePoints | None = None


class Rounding(_Frozen):
    unit: Number = Decimal("0.01")
    mode: RoundingMode = "half_up"


class IndicativeRange(_Frozen):
    below: Annotated[Fraction, Field(le=1)] = Decimal(0)
    above: Fraction = Decimal(0)


class Setting(_Frozen):
    label: Text | None = None
    element1: Amount
    element2: Amount
    ras_covers: Covers
    pricing: dict[Id, Pricing] | None = None


class SchemeModel(_Frozen):
    """A whole scheme file. Field order here is the canonical order used for the fingerprint."""

    ras_scheme: Literal[1]
    id: Slug
    name: Text
    version: Annotated[str, BeforeValidator(_one_line), BeforeValidator(_text),
                       Field(min_length=1)]
    effective_from: IsoDate
    effective_to: IsoDate | None = None
    currency: Literal["GBP"] = "GBP"
    streams: dict[Id, Stream] | None = None
    domains: tuple[Domain, ...] = Field(min_length=1)
    pricing: dict[Id, Pricing] = Field(default_factory=dict)
    rounding: Rounding = Rounding()
    indicative_range: IndicativeRange | None = None
    settings: dict[Id, Setting] = Field(min_length=1)

    @property
    def stream_ids(self) -> tuple[str, ...]:
        """Declared streams in order; one stream, education, when none are declared."""
        return tuple(self.streams) if self.streams is not None else ("education",)
