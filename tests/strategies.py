"""Hypothesis strategies for valid scoring schemes (plain Python data, as for `Scheme.from_dict`)
and for cohorts of answers valid for a scheme.

Everything is built valid by construction (no filtering). Ids are short and generated: streams
from education/social_care/health, domains d0.., questions q0.. (unique across the scheme),
options o0.. (unique within a question), settings s0.., band labels b0...
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

STREAMS = ("education", "social_care", "health")
UNITS: tuple[Decimal | int, ...] = (Decimal("0.01"), 1, 10, 100)
MODES = ("half_up", "half_even", "up", "down")
COVERS = ("additional_support", "whole_place", "top_up")

Scheme = dict[str, Any]
Cohort = list[tuple[dict[str, int], str]]


def fixed(
    low: int | str | Decimal, high: int | str | Decimal, places: int = 2
) -> st.SearchStrategy[Decimal]:
    """Decimals in [low, high] with at most `places` decimals; whole numbers are common."""
    lo, hi = Decimal(low), Decimal(high)
    scale = 10**places
    # Decimal(n) / scale is exact and keeps no trailing zeros: 350 / 100 == Decimal("3.5").
    exact = st.integers(math.ceil(lo * scale), math.floor(hi * scale)).map(
        lambda n: Decimal(n) / scale
    )
    whole = st.integers(math.ceil(lo), math.floor(hi)).map(Decimal)
    return st.one_of(whole, exact) if math.ceil(lo) <= math.floor(hi) else exact


def increasing_from_zero(
    draw: st.DrawFn, n: int, max_gap: int | str, places: int = 2
) -> list[Decimal]:
    """n strictly increasing numbers starting at 0, with at most `places` decimals."""
    gaps = draw(
        st.lists(fixed(Decimal(1).scaleb(-places), max_gap, places), min_size=n - 1, max_size=n - 1)
    )
    values = [Decimal(0)]
    for gap in gaps:
        values.append(values[-1] + gap)
    return values


# Pieces of a scheme ------------------------------------------------------------------------------


@st.composite
def option_points(draw: st.DrawFn, n: int, monotone: bool) -> list[Decimal]:
    if monotone:
        return sorted(draw(st.lists(fixed(0, 40), min_size=n, max_size=n)))
    return draw(st.lists(fixed(-5, 40), min_size=n, max_size=n))


@st.composite
def domain(
    draw: st.DrawFn,
    index: int,
    first_question: int,
    streams: list[str],
    declared: bool,
    monotone: bool,
) -> Scheme:
    n_questions = draw(st.integers(1, 4))
    questions = []
    for q in range(first_question, first_question + n_questions):
        n_options = draw(st.integers(2, 5))
        points = draw(option_points(n_options, monotone))
        options = [
            {"id": f"o{i}", "label": f"Option {i}", "points": p} for i, p in enumerate(points)
        ]
        questions.append({"id": f"q{q}", "label": f"Question {q}", "options": options})
    result: Scheme = {"id": f"d{index}", "label": f"Domain {index}"}
    # Education, when declared, gets about half of the domains.
    stream = draw(
        st.sampled_from(streams + ["education"] * len(streams) * ("education" in streams))
    )
    if stream != "education" or (declared and draw(st.booleans())):
        result["stream"] = stream
    weight = draw(st.one_of(st.none(), st.just(Decimal(1)), fixed(0, 3)))
    if weight is not None:
        result["weight"] = weight
    cap = draw(st.one_of(st.none(), fixed(0, 60)))
    if cap is not None:
        result["cap"] = cap
    result["questions"] = questions
    return result


money = fixed(0, 20000)


@st.composite
def pricing(draw: st.DrawFn) -> Scheme:
    method = draw(st.sampled_from(["rate", "bands", "steps"]))
    result: Scheme = {"method": method}
    if method == "rate":
        result["rate"] = draw(fixed(0, 1000, places=3))
        if draw(st.booleans()):
            result["base"] = draw(money)
        minimum = draw(st.one_of(st.none(), money))
        if minimum is not None:
            result["minimum"] = minimum
        if draw(st.booleans()):
            result["maximum"] = (minimum or Decimal(0)) + draw(fixed(0, 60000))
    elif method == "bands":
        n = draw(st.integers(1, 6))
        starts = increasing_from_zero(draw, n, 30)
        amounts = draw(st.lists(money, min_size=n, max_size=n))
        result["bands"] = [
            {"label": f"b{i}", "from_points": f, "amount": a}
            for i, (f, a) in enumerate(zip(starts, amounts, strict=True))
        ]
    else:
        n = draw(st.integers(1, 5))
        starts = increasing_from_zero(draw, n, 40)
        rates = draw(st.lists(fixed(0, 1000, places=3), min_size=n, max_size=n))
        result["steps"] = [
            {"from_points": f, "rate": r} for f, r in zip(starts, rates, strict=True)
        ]
    if draw(st.integers(0, 3)) == 0:
        result["refer_above"] = draw(fixed(0, 150))
    return result


@st.composite
def setting(draw: st.DrawFn, index: int, priced_streams: list[str]) -> Scheme:
    result: Scheme = {
        "label": f"Setting {index}",
        "element1": draw(fixed(0, 12000)),
        "element2": draw(fixed(0, 12000)),
        "ras_covers": draw(st.sampled_from(COVERS)),
    }
    if draw(st.integers(0, 3)) == 0:
        overridden = draw(st.lists(st.sampled_from(priced_streams), min_size=1, unique=True))
        result["pricing"] = {s: draw(pricing()) for s in priced_streams if s in overridden}
    return result


# A whole scheme ----------------------------------------------------------------------------------


@st.composite
def schemes(draw: st.DrawFn, monotone: bool = False) -> Scheme:
    """A random valid scheme dict. With `monotone`, option points are non-negative and
    non-decreasing along each question's options."""
    with_education = draw(st.integers(0, 4)) > 0  # education present 80% of the time
    others = draw(st.lists(st.sampled_from(STREAMS[1:]), unique=True))
    streams = (["education"] if with_education else []) + others
    if not streams:
        streams = ["education"]
    streams = list(draw(st.permutations(streams)))
    declared = streams != ["education"] or draw(st.booleans())

    domains = []
    n_questions = 0
    for index in range(draw(st.integers(1, 4))):
        d = draw(domain(index, n_questions, streams, declared, monotone))
        n_questions += len(d["questions"])
        domains.append(d)
    priced = [s for s in streams if any(d.get("stream", "education") == s for d in domains)]

    scheme: Scheme = {
        "ras_scheme": 1,
        "id": draw(st.sampled_from(["test", "county-sen", "a_1"])),
        "name": "Generated scheme",
        "version": draw(st.sampled_from(["1", "2026-27", "v2"])),
        "effective_from": draw(st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))),
        "currency": "GBP",
    }
    if draw(st.booleans()):
        scheme["effective_to"] = scheme["effective_from"] + datetime.timedelta(
            days=draw(st.integers(0, 800))
        )
    if declared:
        scheme["streams"] = {s: {"label": s.replace("_", " ").capitalize()} for s in streams}
    scheme["domains"] = domains
    scheme["pricing"] = {s: draw(pricing()) for s in priced}
    if draw(st.booleans()):
        scheme["rounding"] = {
            "unit": draw(st.sampled_from(UNITS)),
            "mode": draw(st.sampled_from(MODES)),
        }
    if draw(st.booleans()):
        scheme["indicative_range"] = {"below": draw(fixed(0, 1)), "above": draw(fixed(0, 2))}
    n_settings = draw(st.integers(1, 4))
    scheme["settings"] = {f"s{i}": draw(setting(i, priced)) for i in range(n_settings)}
    return scheme


# Cohorts -----------------------------------------------------------------------------------------


def answers(scheme: Scheme) -> st.SearchStrategy[dict[str, int]]:
    """One child's answers: question id -> option position."""
    return st.fixed_dictionaries(
        {
            q["id"]: st.integers(0, len(q["options"]) - 1)
            for d in scheme["domains"]
            for q in d["questions"]
        }
    )


def cohorts(scheme: Scheme, min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[Cohort]:
    """A list of (answers, setting id) pairs valid for the scheme."""
    child = st.tuples(answers(scheme), st.sampled_from(list(scheme["settings"])))
    return st.lists(child, min_size=min_size, max_size=max_size)


@st.composite
def scheme_and_cohort(draw: st.DrawFn, monotone: bool = False) -> tuple[Scheme, Cohort]:
    scheme = draw(schemes(monotone=monotone))
    return scheme, draw(cohorts(scheme))
