"""The scheme format, versions 1 and 2, as frozen pydantic models.

These models check shape and types: every key known, every number a finite decimal of the right
sign. Rules that relate one part of a scheme to another (ids unique, streams declared, bands
increasing) live in ``_rules.py``, so that each can name the exact key path it is about.

One set of models holds both versions. Every key that version 2 adds defaults to None, so a
version 1 file's model dumps exactly as before (its fingerprint is unchanged); ``load`` refuses
those keys in a version 1 file as unknown, as version 1 always did (``VERSION_2_KEYS``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ras._base import has_line_break

__all__ = [
    "DEFAULT_POINTS_WORD",
    "PERIODS",
    "VERSION_2_KEYS",
    "Band",
    "Domain",
    "IndicativeRange",
    "LetterText",
    "NumberAnswer",
    "Option",
    "PointsWord",
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
Combine = Literal["sum", "max"]
Period = Literal["year", "term", "week", "one_off"]
PERIODS = ("year", "term", "week", "one_off")


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
# words for families: one or two plain sentences beside a figure
Description = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=500)]
Word = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=40)]
Hundredths = Annotated[Number, Field(decimal_places=2)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


class Option(_Frozen):
    id: Id
    label: Text | None = None
    points: Points
    description: Description | None = None


class NumberAnswer(_Frozen):
    """A question answered with a number on a grid: ``min + k x step`` up to ``max``."""

    unit: Text
    min: Annotated[Hundredths, Field(ge=0)]
    max: Hundredths
    step: Annotated[Hundredths, Field(gt=0)]
    points_per_unit: Annotated[Number, Field(decimal_places=4)]

    @property
    def steps(self) -> int:
        """How many answers the grid has (checked whole by the rules)."""
        return int((self.max - self.min) / self.step) + 1

    def value(self, index: int) -> Decimal:
        """The answer at this step index."""
        return self.min + index * self.step


class Question(_Frozen):
    id: Id
    label: Text | None = None
    options: Annotated[tuple[Option, ...], Field(min_length=2)] | None = None
    number: NumberAnswer | None = None
    description: Description | None = None

    @property
    def choices(self) -> int:
        """How many codes the question has: its options, or the steps of its number grid."""
        if self.number is not None:
            return self.number.steps
        return len(self.options or ())

    def points_at(self, index: int) -> Decimal:
        """The points of the answer with this code (an option position or a step index)."""
        if self.number is not None:
            return self.number.value(index) * self.number.points_per_unit
        assert self.options is not None
        return self.options[index].points


class Domain(_Frozen):
    id: Id
    label: Text | None = None
    stream: Id = "education"
    weight: Annotated[Number, Field(ge=0)] = Decimal(1)
    cap: NonNegativePoints | None = None
    combine: Combine | None = None
    description: Description | None = None
    questions: tuple[Question, ...] = Field(min_length=1)


class Stream(_Frozen):
    label: Text | None = None
    combine: Combine | None = None
    description: Description | None = None


class Band(_Frozen):
    label: Text
    from_points: Points
    amount: Amount
    description: Description | None = None


class Step(_Frozen):
    from_points: Points
    rate: Rate
    description: Description | None = None


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
    element1: Amount | None = None  # version 2: may be left out unless whole_place (not known)
    element2: Amount
    ras_covers: Covers
    pricing: dict[Id, Pricing] | None = None
    description: Description | None = None


class PointsWord(_Frozen):
    """What the scheme calls its points, in the singular and the plural."""

    one: Word
    other: Word

    def of(self, count: Decimal | int) -> str:
        """The word for this many: 1 level, 2 levels, 0 levels, 1.5 points."""
        return self.one if count == 1 else self.other


DEFAULT_POINTS_WORD = PointsWord(one="point", other="points")


class LetterText(_Frozen):
    """The council's own words that every letter carries."""

    council: Text | None = None
    contact: Text | None = None
    advice: Text | None = None
    next_steps: Text | None = None
    review: Text | None = None


class SchemeModel(_Frozen):
    """A whole scheme file. Field order here is the canonical order used for the fingerprint."""

    ras_scheme: Literal[1, 2]
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
    period: Period | None = None
    points_word: PointsWord | None = None
    letter: LetterText | None = None

    @property
    def amounts_per(self) -> str:
        """What every amount is per: year (the default), term, week or one_off."""
        return self.period or "year"

    @property
    def words(self) -> PointsWord:
        """What points are called: the scheme's points_word, or point/points."""
        return self.points_word or DEFAULT_POINTS_WORD

    @property
    def stream_ids(self) -> tuple[str, ...]:
        """Declared streams in order; one stream, education, when none are declared."""
        return tuple(self.streams) if self.streams is not None else ("education",)


# Keys that version 2 adds, by model: a version 1 file that uses one is refused as unknown.
VERSION_2_KEYS: dict[str, frozenset[str]] = {
    "SchemeModel": frozenset({"period", "points_word", "letter"}),
    "Stream": frozenset({"combine", "description"}),
    "Domain": frozenset({"combine", "description"}),
    "Question": frozenset({"number", "description"}),
    "Option": frozenset({"description"}),
    "Band": frozenset({"description"}),
    "Step": frozenset({"description"}),
    "Setting": frozenset({"description"}),
}
