"""The scheme checker: what is legal but probably wrong, found before a panel relies on it.

The loader refuses what breaks the format; this reports what a finance officer would want to
know before publishing: options that pay less for more need, bands or steps no child can reach,
a ``refer_above`` that never refers or hides bands, a cap that makes answers pointless, a
setting whose element deduction swallows every amount, negative points, and the biggest jump in
pounds for one more point (a cliff edge). Every bound is computed exactly, in Decimal, from the
model: the fewest and most points each domain and stream can score, and the amount each pricing
table gives at a point total, clamped and rounded as the engine does.

Severities: ``warning`` is probably a mistake; ``info`` is worth knowing (negative points are
allowed for a carer's contribution; every table has a largest jump).
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ras._changes.confusable import confusable_ids
from ras._engine import numerals
from ras._format import (
    Domain,
    KeyPath,
    Option,
    Pricing,
    Question,
    SchemeModel,
    format_key_path,
)

__all__ = ["Finding", "check_scheme"]

Severity = Literal["warning", "info"]
_ZERO = Decimal(0)
_ONE = Decimal(1)
_GRID = Decimal("0.01")  # points have at most two decimals
_EXACT = decimal.Context(prec=decimal.MAX_PREC)  # quantizing 1E+300 points to the grid
_MODES = {"half_up": decimal.ROUND_HALF_UP, "half_even": decimal.ROUND_HALF_EVEN,
          "up": decimal.ROUND_CEILING, "down": decimal.ROUND_FLOOR}
_CONTEXT = decimal.Context(prec=60)
_POINT = re.compile(r"\bpoints?\b(?!_)")  # the word, not points_per_unit or from_points


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing in a scheme that is legal but probably wrong (``warning``) or worth knowing
    (``info``), at a key path such as ``domains[0].questions[1].options[2].points``."""

    key_path: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.key_path}: {self.message}"


def check_scheme(model: SchemeModel) -> list[Finding]:
    """Every finding of the checker, in file order (domains, pricing, then settings)."""
    found: list[Finding] = []

    words = model.points_word

    def add(path: KeyPath, severity: Severity, message: str) -> None:
        if words is not None:  # the scheme's own word for points (version 2), never "points"
            message = _POINT.sub(lambda m: words.other if m.group(0) == "points" else words.one,
                                 message)
        found.append(Finding(format_key_path(path), severity, message))

    with decimal.localcontext(_CONTEXT):
        for d, domain in enumerate(model.domains):
            for path, severity, message in _options(domain, ("domains", d)):
                add(path, severity, message)
            for path, severity, message in _cap(domain, ("domains", d)):
                add(path, severity, message)
        ranges = _stream_ranges(model)
        for path, stream, pricing in _tables(model):
            if stream not in ranges:
                add(path, *_no_domains(stream, pricing, model))
                continue
            for where, severity, message in _table(pricing, path, stream, ranges[stream],
                                                   model):
                add(where, severity, message)
        for where, message in _no_top_up(model, ranges):
            add(where, "warning", message)
        for path, severity, message in _version_2(model):
            add(path, severity, message)
    for where, message in confusable_ids(model):
        add(where, "warning", message)
    return found


# -- options and caps ---------------------------------------------------------------------

Item = tuple[KeyPath, Severity, str]


def _options(domain: Domain, path: KeyPath) -> Iterator[Item]:
    for q, question in enumerate(domain.questions):
        if question.options is None:  # a number question: its points are a straight line
            continue
        ids = [option.id for option in question.options]
        shifted = {n: at for n, at in numerals(ids).items() if n != at}
        if shifted:
            n, at = min(shifted.items())
            yield ((*path, "questions", q, "options", at, "id"), "info",
                   f"option id '{ids[at]}' is a number but not the option's position ({at}); "
                   f"an answer given as the whole number {n} could mean either option, so "
                   "ras refuses it as ambiguous: give these answers as text (read a CSV file "
                   "with dtype=str), or number the options from 0")
        best = question.options[0]
        for o, option in enumerate(question.options):
            where = (*path, "questions", q, "options", o, "points")
            if option.points < best.points:
                yield (where, "warning",
                       f"option '{option.id}' scores {_pts(option.points)} points, fewer than "
                       f"'{best.id}' before it ({_pts(best.points)}); options go from least to "
                       "most need, so more need would get less money")
            elif option.points > best.points:
                best = option
            if option.points < 0:
                yield (where, "info",
                       f"option '{option.id}' scores {_pts(option.points)} points; negative "
                       "points are allowed (a carer's contribution can reduce need), and a "
                       "stream's points below zero are priced as zero")


def _question_points(question: Question) -> list[Decimal]:
    """The points a question can give: its options', or a number question's at either end of
    its grid (a straight line in the answer, so the ends bound it)."""
    if question.options is not None:
        return [o.points for o in question.options]
    return [question.points_at(0), question.points_at(question.choices - 1)]


def _question_bounds(domain: Domain) -> tuple[list[Decimal], list[Decimal]]:
    lows = [min(_question_points(q)) for q in domain.questions]
    highs = [max(_question_points(q)) for q in domain.questions]
    return lows, highs


def _combined(domain: Domain, values: list[Decimal]) -> Decimal:
    return max(values) if domain.combine == "max" else sum(values, _ZERO)


def _domain_range(domain: Domain) -> tuple[Decimal, Decimal]:
    """The fewest and most points the domain can give: min(cap, weight x sum (or max))."""
    lows, highs = _question_bounds(domain)
    low, high = domain.weight * _combined(domain, lows), domain.weight * _combined(domain, highs)
    if domain.cap is not None:
        low, high = min(low, domain.cap), min(high, domain.cap)
    return low, high


def _cap(domain: Domain, path: KeyPath) -> Iterator[Item]:
    cap = domain.cap
    if cap is None:
        return
    where = (*path, "cap")
    lows, highs = _question_bounds(domain)
    floor = domain.weight * _combined(domain, lows)
    if floor >= cap:
        yield (where, "warning",
               f"the cap of {_pts(cap)} is reached even when every question has its lowest "
               f"answer ({_pts(floor)} points after the weight): no answer in domain "
               f"'{domain.id}' ever changes the result")
        return
    for q, question in enumerate(domain.questions):
        if question.options is None or domain.combine == "max":
            continue  # a number question: see _number_alone; max: a cap is a ceiling per answer
        others = floor - domain.weight * lows[q]
        capped = [o for o in question.options if others + domain.weight * o.points >= cap]
        if len(capped) >= 2:
            yield (where, "warning",
                   f"the cap of {_pts(cap)} is reached by question '{question.id}' alone, "
                   f"from option '{capped[0].id}': its options {_names(capped)} always give "
                   "the domain the same points, so choosing between them never changes the "
                   "result")
    ceiling = domain.weight * _combined(domain, highs)
    if ceiling < cap:
        yield (where, "info",
               f"the cap of {_pts(cap)} is never reached: the most domain '{domain.id}' can "
               f"score is {_pts(ceiling)} points")


# -- pricing tables -----------------------------------------------------------------------


def _highest(model: SchemeModel, stream: str) -> bool:
    declared = (model.streams or {}).get(stream)
    return declared is not None and declared.combine == "max"


def _stream_ranges(model: SchemeModel) -> dict[str, tuple[Decimal, Decimal]]:
    """Stream -> the fewest and most points priced (below zero is priced as zero)."""
    parts: dict[str, list[tuple[Decimal, Decimal]]] = {}
    for domain in model.domains:
        parts.setdefault(domain.stream, []).append(_domain_range(domain))
    ranges: dict[str, tuple[Decimal, Decimal]] = {}
    for stream, bounds in parts.items():
        if _highest(model, stream):
            ranges[stream] = (max(lo for lo, _ in bounds), max(hi for _, hi in bounds))
        else:
            ranges[stream] = (sum((lo for lo, _ in bounds), _ZERO),
                              sum((hi for _, hi in bounds), _ZERO))
    return {s: (max(_ZERO, lo), max(_ZERO, hi)) for s, (lo, hi) in ranges.items()}


def _no_domains(stream: str, pricing: Pricing, model: SchemeModel) -> tuple[Severity, str]:
    """A pricing table for a stream that no domain scores."""
    if stream == "education":
        return ("warning", "no domain is in the education stream, so the education amount is "
                "zero whatever this table says (and so is element 3)")
    if stream not in model.pricing:
        return ("warning", f"no domain is in stream '{stream}' and the scheme does not price it, "
                "so this table is never used")
    amount = price(pricing, _ZERO, model)
    each = "refers each child to panel" if amount is None else f"gives each child £{amount:,.2f}"
    return ("info", f"no domain is in stream '{stream}': every child has 0 points there, and "
            f"this table {each}")


def _tables(model: SchemeModel) -> Iterator[tuple[KeyPath, str, Pricing]]:
    for stream, pricing in model.pricing.items():
        yield ("pricing", stream), stream, pricing
    for setting_id, setting in model.settings.items():
        for stream, pricing in (setting.pricing or {}).items():
            yield ("settings", setting_id, "pricing", stream), stream, pricing


def price(pricing: Pricing, points: Decimal, model: SchemeModel) -> Decimal | None:
    """The stream amount at a point total (0 or more): the method, the clamp, the rounding;
    None above ``refer_above``. Exact Decimal, as the format page describes."""
    if pricing.refer_above is not None and points > pricing.refer_above:
        return None
    if pricing.method == "rate":
        amount = (pricing.base or _ZERO) + points * (pricing.rate or _ZERO)
    elif pricing.method == "bands":
        amount = [b.amount for b in pricing.bands or () if b.from_points <= points][-1]
    else:
        steps = list(pricing.steps or ())
        amount = _ZERO
        for i, step in enumerate(steps):
            end = steps[i + 1].from_points if i + 1 < len(steps) else points
            amount += step.rate * max(_ZERO, min(points, end) - step.from_points)
    amount = max(amount, pricing.minimum or _ZERO)
    if pricing.maximum is not None:
        amount = min(amount, pricing.maximum)
    unit = model.rounding.unit
    return (amount / unit).to_integral_value(_MODES[model.rounding.mode]) * unit


def _table(pricing: Pricing, path: KeyPath, stream: str, bounds: tuple[Decimal, Decimal],
           model: SchemeModel) -> Iterator[Item]:
    low, high = bounds
    refer = pricing.refer_above
    starts = _starts(pricing)
    kind = "band" if pricing.method == "bands" else "step"
    for i, (start, name) in enumerate(starts):
        where = (*path, f"{kind}s", i, "from_points")
        if start > high and (refer is None or start <= refer):
            yield (where, "warning",
                   f"no child can reach {kind} {name}: it starts at {_pts(start)} points, but "
                   f"the most a child can score in stream '{stream}' is {_pts(high)}")
        if kind == "band" and i + 1 < len(starts) and starts[i + 1][0] <= low:
            yield (where, "warning",
                   f"no child is in band {name}: every child scores at least {_pts(low)} "
                   f"points in stream '{stream}', which reaches band {starts[i + 1][1]}")
    if refer is not None:
        where = (*path, "refer_above")
        hidden = [name for start, name in starts if start > refer]
        if hidden:
            yield (where, "warning",
                   f"refer_above {_pts(refer)} is below the start of {kind} "
                   f"{_and(hidden)}: children above {_pts(refer)} points are referred to "
                   f"panel, so {'it is' if len(hidden) == 1 else 'they are'} never used")
        if refer >= high:
            yield (where, "warning",
                   f"no child can score above refer_above {_pts(refer)}: the most a child can "
                   f"score in stream '{stream}' is {_pts(high)}, so no case is ever referred "
                   "on points")
    yield from _clamps_off_the_unit(pricing, path, model)
    cliff = _largest_jump(pricing, low, high, model)
    if cliff is not None:
        at, before, after = cliff
        where = path
        if pricing.method == "bands":
            crossed = [i for i, (start, _) in enumerate(starts) if at < start <= at + 1]
            where = (*path, "bands", crossed[-1]) if crossed else path
        yield (where, "info",
               f"the largest jump for one more point: from {_pts(at)} to {_pts(at + 1)} points "
               f"the {stream} amount goes from {_pounds(before)} to {_pounds(after)} "
               f"(+{_pounds(after - before)})")


def _clamps_off_the_unit(pricing: Pricing, path: KeyPath, model: SchemeModel
                         ) -> Iterator[Item]:
    """The format clamps, then rounds: a minimum or maximum that is not a whole number of
    rounding units is rounded past (a maximum of 2,050 rounded to £100 gives 2,100)."""
    unit, mode = model.rounding.unit, model.rounding.mode
    for key, bound in (("minimum", pricing.minimum), ("maximum", pricing.maximum)):
        if bound is None:
            continue
        rounded = (bound / unit).to_integral_value(_MODES[mode]) * unit
        past = rounded > bound if key == "maximum" else rounded < bound
        if past:
            side = "above the maximum" if key == "maximum" else "below the minimum"
            yield ((*path, key), "warning",
                   f"{key} {_pounds(bound)} is not a whole number of the rounding unit "
                   f"({_pounds(unit)}): amounts are clamped, then rounded, so an amount cut to "
                   f"it is paid as {_pounds(rounded)}, {side}")


def _starts(pricing: Pricing) -> list[tuple[Decimal, str]]:
    if pricing.bands is not None:
        return [(b.from_points, f"'{b.label}'") for b in pricing.bands]
    if pricing.steps is not None:
        return [(s.from_points, f"from {_pts(s.from_points)} (rate {_pounds(s.rate)})")
                for s in pricing.steps]
    return []


def _largest_jump(pricing: Pricing, low: Decimal, high: Decimal,
                  model: SchemeModel) -> tuple[Decimal, Decimal, Decimal] | None:
    """The point total p where one more point adds the most money, with both amounts.

    The amount is piecewise linear between breakpoints (band and step starts, where the clamp
    starts to bite), so the one-point increment is largest when p or p + 1 is a breakpoint, or
    at either end of the reachable range.
    """
    top = high if pricing.refer_above is None else min(high, pricing.refer_above)
    if top - low < _ONE:
        return None
    breaks = [start for start, _ in _starts(pricing)] + _clamp_points(pricing)
    candidates = {low, top - _ONE}
    candidates |= {b + shift for b in breaks for shift in (-_ONE, _ZERO)}
    best: tuple[Decimal, Decimal, Decimal] | None = None
    for p in sorted(c for c in candidates if low <= c <= top - _ONE):
        before, after = price(pricing, p, model), price(pricing, p + _ONE, model)
        if before is None or after is None:
            continue
        if after - before > 0 and (best is None or after - before > best[2] - best[1]):
            best = (p, before, after)
    return best


def _clamp_points(pricing: Pricing) -> list[Decimal]:
    """Where a rate or steps amount meets its minimum or maximum, on the points grid."""
    limits = [v for v in (pricing.minimum, pricing.maximum) if v is not None]
    found: list[Decimal] = []
    for limit in limits:
        exact: Decimal | None = None
        if pricing.method == "rate" and pricing.rate:
            exact = (limit - (pricing.base or _ZERO)) / pricing.rate
        elif pricing.method == "steps":
            exact = _steps_reach(pricing, limit)
        if exact is not None and exact >= 0:
            found += [exact.quantize(_GRID, decimal.ROUND_FLOOR, _EXACT),
                      exact.quantize(_GRID, decimal.ROUND_CEILING, _EXACT)]
    return found


def _steps_reach(pricing: Pricing, amount: Decimal) -> Decimal | None:
    steps = list(pricing.steps or ())
    reached = _ZERO
    for i, step in enumerate(steps):
        end = steps[i + 1].from_points if i + 1 < len(steps) else None
        width = None if end is None else end - step.from_points
        if step.rate and (width is None or reached + step.rate * width >= amount):
            return step.from_points + (amount - reached) / step.rate
        if width is not None:
            reached += step.rate * width
    return None


# -- settings -----------------------------------------------------------------------------


def _no_top_up(model: SchemeModel,
               ranges: dict[str, tuple[Decimal, Decimal]]) -> Iterator[tuple[KeyPath, str]]:
    if "education" not in ranges:
        return  # no education domains: the education amount is zero by definition
    low, high = ranges["education"]
    for setting_id, setting in model.settings.items():
        if setting.ras_covers == "top_up":
            continue
        pricing = (setting.pricing or {}).get("education") or model.pricing.get("education")
        if pricing is None:
            continue
        most = _most(pricing, low, high, model)
        if most is None:
            continue
        if setting.ras_covers == "whole_place":
            deduction, what = (setting.element1 or _ZERO) + setting.element2, \
                "element 1 + element 2"
        else:
            deduction, what = setting.element2, "element 2"
        if deduction >= most:
            yield (("settings", setting_id, "element2"),
                   f"{what} ({_pounds(deduction)}) is at least the largest education amount "
                   f"the scheme can give in setting '{setting_id}' ({_pounds(most)}): no "
                   "child here ever gets a top-up (element 3)")


def _most(pricing: Pricing, low: Decimal, high: Decimal, model: SchemeModel) -> Decimal | None:
    """The largest amount a table gives over the reachable points (None: all referred)."""
    top = high if pricing.refer_above is None else min(high, pricing.refer_above)
    if top < low:
        return None
    points = [top]  # rate and steps only grow with points
    if pricing.method == "bands":  # band amounts need not grow: try each reachable band
        points = [max(start, low) for start, _ in _starts(pricing) if start <= top]
    amounts = [a for a in (price(pricing, p, model) for p in points) if a is not None]
    return max(amounts) if amounts else None


# -- words --------------------------------------------------------------------------------


def _pts(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _pounds(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


def _names(options: list[Option]) -> str:
    return _and([f"'{o.id}'" for o in options])


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# -- version 2's shapes -------------------------------------------------------------------


def _version_2(model: SchemeModel) -> Iterator[Item]:
    """Bands a highest-area stream never pays, number questions that refer or hit the maximum on
    their own, and a period other than a year (the yearly tools refuse it unless told)."""
    for path, stream, pricing in _tables(model):
        if _highest(model, stream) and pricing.bands is not None:
            yield from _unreachable_by_one_area(model, stream, pricing, path)
    for path, stream, pricing in _tables(model):
        yield from _number_alone(model, stream, pricing, path)
    if model.amounts_per != "year":
        per = model.amounts_per.replace("_", "-")
        yield (("period",), "info",
               f"every amount is per {per}, not per year: apportion, payment_schedule and "
               "calibrate targets refuse this scheme unless told how many periods make a year "
               "(periods_per_year=)" + (
                   "; a one-off amount has none" if model.amounts_per == "one_off" else ""))


def _area_values(domain: Domain) -> set[Decimal]:
    """Every points value one domain can give (empty when there are too many to list)."""
    values: set[Decimal] | None = None
    for question in domain.questions:
        points = ([o.points for o in question.options] if question.options is not None
                  else [question.points_at(k) for k in range(question.choices)])
        if values is None:
            values = set(points)
        elif domain.combine == "max":
            values = {max(v, p) for v in values for p in points}
        else:
            values = {v + p for v in values for p in points}
        if len(values) > 20_000:
            return set()
    out = {domain.weight * v for v in values or ()}
    return {min(v, domain.cap) for v in out} if domain.cap is not None else out


def _unreachable_by_one_area(model: SchemeModel, stream: str, pricing: Pricing,
                             path: KeyPath) -> Iterator[Item]:
    """With combine: max the stream's points are one area's points, so a band no area's
    points fall in (between two levels, say) is never paid."""
    reachable: set[Decimal] = set()
    for domain in model.domains:
        if domain.stream != stream:
            continue
        values = _area_values(domain)
        if not values:
            return  # too many to list: the band bounds above still apply
        reachable |= {max(_ZERO, v) for v in values}
    bands = list(pricing.bands or ())
    for i, band in enumerate(bands):
        end = bands[i + 1].from_points if i + 1 < len(bands) else None
        if pricing.refer_above is not None and band.from_points > pricing.refer_above:
            continue
        if not any(band.from_points <= v and (end is None or v < end) for v in reachable):
            yield ((*path, "bands", i, "from_points"), "warning",
                   f"no single area of need reaches band '{band.label}' (from "
                   f"{_pts(band.from_points)} {model.words.other}"
                   + (f" to below {_pts(end)}" if end is not None else "")
                   + f"): stream '{stream}' takes the highest area's points, and no area "
                   "scores in that range")


def _number_alone(model: SchemeModel, stream: str, pricing: Pricing,
                  path: KeyPath) -> Iterator[Item]:
    """A number question whose largest answer alone takes the stream past refer_above, or to
    the maximum: every child with that much support is referred or cut, whatever else."""
    for d, domain in enumerate(model.domains):
        if domain.stream != stream:
            continue
        lows, _ = _question_bounds(domain)
        for q, question in enumerate(domain.questions):
            number = question.number
            if number is None:
                continue
            # the rest of the domain at its lowest, the other domains at nothing
            top = question.points_at(question.choices - 1)
            if domain.combine == "max":
                alone = domain.weight * top
            else:
                alone = domain.weight * (top + sum(lows, _ZERO) - lows[q])
            if domain.cap is not None:
                alone = min(alone, domain.cap)
            where = ("domains", d, "questions", q, "number", "max")
            words = model.words
            if pricing.refer_above is not None and alone > pricing.refer_above:
                yield (where, "warning",
                       f"{_pts(number.max)} {number.unit} alone gives {_pts(alone)} "
                       f"{words.of(alone)}, above refer_above {_pts(pricing.refer_above)} at "
                       f"{format_key_path(path)}: a child with that much support is referred to "
                       "panel whatever their other needs")
                continue
            if pricing.maximum is not None:
                amount = price(pricing.model_copy(update={"maximum": None}), max(_ZERO, alone),
                               model)
                if amount is not None and amount > pricing.maximum:
                    yield (where, "warning",
                           f"{_pts(number.max)} {number.unit} alone gives {_pts(alone)} "
                           f"{words.of(alone)}, priced at {_pounds(amount)}, above the maximum "
                           f"{_pounds(pricing.maximum)} at {format_key_path(path)}: such a "
                           "child is cut to the maximum and referred to panel on this answer "
                           "alone")
