"""Hypothesis strategies for valid scoring schemes (plain Python data, as for `Scheme.from_dict`)
and for cohorts of answers valid for a scheme.

Everything is built valid by construction (no filtering). ``schemes(version=2)`` also draws the
shapes of format version 2: ``combine`` (sum or max) on domains and declared streams, number
questions (negative ``points_per_unit`` too, unless monotone), a ``period``, a ``points_word``,
descriptions, and element 1 left out of settings that are not ``whole_place``. Ids are short and
generated: streams from education/social_care/health, domains d0.., questions q0.. (unique across
the scheme), options o0.. (unique within a question), settings s0.., band labels b0...

For speed, the leaf strategies are module constants and the pieces of a scheme are drawn by plain
helper functions taking `draw` (building fresh strategy objects per draw is slow in Hypothesis).
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")
Scheme = dict[str, Any]
Cohort = list[tuple[dict[str, int], str]]

STREAMS = ("education", "social_care", "health")
UNITS: tuple[Decimal | int, ...] = (Decimal("0.01"), 1, 10, 100)
MODES = ("half_up", "half_even", "up", "down")
COVERS = ("additional_support", "whole_place", "top_up")
METHODS = ("rate", "bands", "steps")


@functools.cache
def fixed(low: str, high: str, places: int = 2) -> st.SearchStrategy[Decimal]:
    """Decimals in [low, high] with at most `places` decimals; whole numbers are common."""
    lo, hi = Decimal(low), Decimal(high)
    scale = 10**places
    # Decimal(n) / scale is exact and keeps no trailing zeros: 350 / 100 == Decimal("3.5").
    exact = st.integers(math.ceil(lo * scale), math.floor(hi * scale)).map(
        lambda n: Decimal(n) / scale
    )
    if math.ceil(lo) > math.floor(hi):
        return exact
    return st.one_of(st.integers(math.ceil(lo), math.floor(hi)).map(Decimal), exact)


POINTS = fixed("-5", "40")
MONOTONE_POINTS = fixed("0", "40")
WEIGHTS = st.one_of(st.none(), st.just(Decimal(1)), fixed("0", "3"))
CAPS = st.one_of(st.none(), fixed("0", "60"))
MONEY = fixed("0", "20000")
MAXIMUM_ABOVE_MINIMUM = fixed("0", "60000")
RATES = fixed("0", "1000", places=3)
BAND_GAPS = fixed("0.01", "30")
STEP_GAPS = fixed("0.01", "40")
REFER_ABOVE = fixed("0", "150")
ELEMENTS = fixed("0", "12000")
BELOW = fixed("0", "1")
ABOVE = fixed("0", "2")
DATES = st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))
COMBINE = (None, "sum", "max")
PERIODS = (None, "year", "term", "week", "one_off")
GRID_STARTS = fixed("0", "10")
GRID_STEPS = st.sampled_from([Decimal("0.01"), Decimal("0.25"), Decimal("0.5"), Decimal(1),
                              Decimal("2.5"), Decimal(15)])
PER_UNIT = fixed("-5", "50", places=4)
MONOTONE_PER_UNIT = fixed("0", "50", places=4)


def one_in(draw: st.DrawFn, n: int) -> bool:
    """True about once in n draws."""
    return draw(st.integers(0, n - 1)) == 0


def pick(draw: st.DrawFn, items: Sequence[T]) -> T:
    return items[draw(st.integers(0, len(items) - 1))]


def draw_many(draw: st.DrawFn, strategy: st.SearchStrategy[T], n: int) -> list[T]:
    return [draw(strategy) for _ in range(n)]


def increasing_from_zero(
    draw: st.DrawFn, n: int, gaps: st.SearchStrategy[Decimal]
) -> list[Decimal]:
    """n strictly increasing numbers starting at 0 (every gap is positive)."""
    values = [Decimal(0)]
    for _ in range(n - 1):
        values.append(values[-1] + draw(gaps))
    return values


# Pieces of a scheme ------------------------------------------------------------------------------


def draw_number(draw: st.DrawFn, monotone: bool) -> Scheme:
    """A number question's grid: min, min + step, ... max, a whole number of steps."""
    low, step = draw(GRID_STARTS), draw(GRID_STEPS)
    steps = draw(st.integers(1, 40))
    per_unit = draw(MONOTONE_PER_UNIT if monotone else PER_UNIT)
    return {"unit": "hours a week", "min": low, "max": low + steps * step, "step": step,
            "points_per_unit": per_unit}


def draw_question(draw: st.DrawFn, index: int, monotone: bool, version: int = 1) -> Scheme:
    if version == 2 and one_in(draw, 3):
        question: Scheme = {"id": f"q{index}", "label": f"Question {index}",
                            "number": draw_number(draw, monotone)}
        if one_in(draw, 3):
            question["description"] = f"What question {index} asks."
        return question
    n_options = draw(st.integers(2, 5))
    if monotone:  # non-negative and non-decreasing along the options
        points = sorted(draw_many(draw, MONOTONE_POINTS, n_options))
    else:
        points = draw_many(draw, POINTS, n_options)
    options = [{"id": f"o{i}", "label": f"Option {i}", "points": p} for i, p in enumerate(points)]
    if version == 2 and one_in(draw, 3):
        options[0]["description"] = "No additional need."
    return {"id": f"q{index}", "label": f"Question {index}", "options": options}


def draw_domain(
    draw: st.DrawFn,
    index: int,
    first_question: int,
    streams: Sequence[str],
    declared: bool,
    monotone: bool,
    version: int = 1,
) -> Scheme:
    result: Scheme = {"id": f"d{index}", "label": f"Domain {index}"}
    if version == 2:
        rule = pick(draw, COMBINE)
        if rule is not None:
            result["combine"] = rule
    # Education, when declared, gets about half of the domains.
    stream = "education" if "education" in streams and draw(st.booleans()) else pick(draw, streams)
    if stream != "education" or (declared and draw(st.booleans())):
        result["stream"] = stream
    weight = draw(WEIGHTS)
    if weight is not None:
        result["weight"] = weight
    cap = draw(CAPS)
    if cap is not None:
        result["cap"] = cap
    n_questions = draw(st.integers(1, 4))
    result["questions"] = [
        draw_question(draw, q, monotone, version)
        for q in range(first_question, first_question + n_questions)
    ]
    return result


def draw_pricing(draw: st.DrawFn) -> Scheme:
    method = pick(draw, METHODS)
    result: Scheme = {"method": method}
    if method == "rate":
        result["rate"] = draw(RATES)
        if draw(st.booleans()):
            result["base"] = draw(MONEY)
        minimum = draw(MONEY) if draw(st.booleans()) else None
        if minimum is not None:
            result["minimum"] = minimum
        if draw(st.booleans()):
            result["maximum"] = (minimum or Decimal(0)) + draw(MAXIMUM_ABOVE_MINIMUM)
    elif method == "bands":
        n = draw(st.integers(1, 6))
        starts = increasing_from_zero(draw, n, BAND_GAPS)
        result["bands"] = [
            {"label": f"b{i}", "from_points": start, "amount": draw(MONEY)}
            for i, start in enumerate(starts)
        ]
    else:
        n = draw(st.integers(1, 5))
        starts = increasing_from_zero(draw, n, STEP_GAPS)
        result["steps"] = [{"from_points": start, "rate": draw(RATES)} for start in starts]
    if one_in(draw, 4):
        result["refer_above"] = draw(REFER_ABOVE)
    return result


def draw_setting(draw: st.DrawFn, index: int, priced_streams: Sequence[str],
                 version: int = 1) -> Scheme:
    result: Scheme = {
        "label": f"Setting {index}",
        "element1": draw(ELEMENTS),
        "element2": draw(ELEMENTS),
        "ras_covers": pick(draw, COVERS),
    }
    if version == 2 and result["ras_covers"] != "whole_place" and one_in(draw, 3):
        del result["element1"]  # not published: reported as not known
    if one_in(draw, 4):  # this setting prices some of the streams with domains differently
        own = [s for s in priced_streams if draw(st.booleans())] or [pick(draw, priced_streams)]
        result["pricing"] = {s: draw_pricing(draw) for s in own}
    return result


def draw_streams(draw: st.DrawFn) -> list[str]:
    """1-3 streams in a random order; education is present about 80% of the time."""
    streams = [s for s in STREAMS[1:] if draw(st.booleans())]
    if draw(st.integers(0, 4)) > 0 or not streams:
        streams.append("education")
    return list(draw(st.permutations(streams)))


# A whole scheme ----------------------------------------------------------------------------------


@st.composite
def schemes(draw: st.DrawFn, monotone: bool = False, version: int = 1) -> Scheme:
    """A random valid scheme dict. With `monotone`, option points are non-negative and
    non-decreasing along each question's options (and points_per_unit is 0 or more)."""
    streams = draw_streams(draw)
    declared = streams != ["education"] or draw(st.booleans())  # `streams:` may be omitted

    domains: list[Scheme] = []
    n_questions = 0
    for index in range(draw(st.integers(1, 4))):
        d = draw_domain(draw, index, n_questions, streams, declared, monotone, version)
        n_questions += len(d["questions"])
        domains.append(d)
    priced = [s for s in streams if any(d.get("stream", "education") == s for d in domains)]

    scheme: Scheme = {
        "ras_scheme": version,
        "id": pick(draw, ("test", "county-sen", "a_1")),
        "name": "Generated scheme",
        "version": pick(draw, ("1", "2026-27", "v2")),
        "effective_from": draw(DATES),
        "currency": "GBP",
    }
    if draw(st.booleans()):
        days = datetime.timedelta(days=draw(st.integers(0, 800)))
        scheme["effective_to"] = scheme["effective_from"] + days
    if declared:
        scheme["streams"] = {s: {"label": s.replace("_", " ").capitalize()} for s in streams}
        if version == 2:
            for stream in scheme["streams"].values():
                rule = pick(draw, COMBINE)
                if rule is not None:
                    stream["combine"] = rule
    scheme["domains"] = domains
    # now and then a declared stream with no domains is priced too: a flat amount at 0 points
    # (education's is zero whatever its pricing says)
    flat = [s for s in streams if s not in priced and declared and one_in(draw, 3)]
    scheme["pricing"] = {s: draw_pricing(draw) for s in (*priced, *flat)}
    if draw(st.booleans()):
        scheme["rounding"] = {"unit": pick(draw, UNITS), "mode": pick(draw, MODES)}
    if draw(st.booleans()):
        scheme["indicative_range"] = {"below": draw(BELOW), "above": draw(ABOVE)}
    n_settings = draw(st.integers(1, 4))
    scheme["settings"] = {f"s{i}": draw_setting(draw, i, priced, version)
                          for i in range(n_settings)}
    if version == 2:
        period = pick(draw, PERIODS)
        if period is not None:
            scheme["period"] = period
        if draw(st.booleans()):
            scheme["points_word"] = {"one": "level", "other": "levels"}
    return scheme


# Cohorts -----------------------------------------------------------------------------------------


def choices(question: Scheme) -> int:
    """How many codes a question has: its options, or its number grid's steps."""
    number = question.get("number")
    if number is None:
        return len(question["options"])
    return int((number["max"] - number["min"]) / number["step"]) + 1


def answers(scheme: Scheme) -> st.SearchStrategy[dict[str, int]]:
    """One child's answers as codes: question id -> option position (a number question's step
    index: see `as_answers`)."""
    return st.fixed_dictionaries(
        {
            q["id"]: st.integers(0, choices(q) - 1)
            for d in scheme["domains"]
            for q in d["questions"]
        }
    )


def as_answers(scheme: Scheme, codes: dict[str, int]) -> dict[str, Any]:
    """Codes as `calculate` takes them: a number question's answer is its number, min + code x
    step (a Decimal); an option question's stays its position."""
    numbers = {q["id"]: q["number"] for d in scheme["domains"] for q in d["questions"]
               if q.get("number") is not None}
    return {q: numbers[q]["min"] + code * numbers[q]["step"] if q in numbers else code
            for q, code in codes.items()}


def cohorts(scheme: Scheme, min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[Cohort]:
    """A list of (answers, setting id) pairs valid for the scheme."""
    child = st.tuples(answers(scheme), st.sampled_from(tuple(scheme["settings"])))
    return st.lists(child, min_size=min_size, max_size=max_size)


@st.composite
def scheme_and_cohort(draw: st.DrawFn, monotone: bool = False,
                      version: int = 1) -> tuple[Scheme, Cohort]:
    scheme = draw(schemes(monotone=monotone, version=version))
    return scheme, draw(cohorts(scheme))
