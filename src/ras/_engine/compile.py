"""Compile a validated scheme once into frozen integer tables for the kernel.

Exactness comes from scale, not from floats. Every quantity is an integer count of a fixed unit
chosen here from the decimals the scheme actually uses:

- option points in ``10**-option_exp`` points: hundredths (the format allows two decimals), finer
  where a number question's answer x points_per_unit needs it (version 2: up to 6 decimals);
  a number question is compiled to its grid, one "option" per step, so codes stay small ints;
- domain and stream points in ``10**-point_exp`` points, fine enough for weight x points and caps;
- priced money in ``10**-money_exp`` pounds, fine enough for rate x points, so that clamping and
  rounding see the exact product; after rounding every amount is a whole number of pence.

When the largest possible intermediate could leave int64, the tables are built as Python-int
object arrays instead: slower, still exact, and the same kernel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from ras._engine.money import EXACT
from ras._format import NumberAnswer, Pricing, Question, SchemeModel, decimals

__all__ = ["COVERS", "METHODS", "Compiled", "PricingTable", "compile_scheme"]

IntArray = npt.NDArray[Any]  # int64, or object (Python ints) for schemes with huge magnitudes
METHODS = ("rate", "bands", "steps")
COVERS = ("additional_support", "whole_place", "top_up")
ROUNDING_MODES = ("half_up", "half_even", "up", "down")
_INT64_SAFE = 2**62
GROUP_COMBINATIONS = 4096  # answer combinations per lookup table; exact in float32 (< 2**24)


def _frozen(values: Any, dtype: Any) -> IntArray:
    array = np.array(values, dtype=dtype)
    array.flags.writeable = False
    return array


def _scaled(value: Decimal, exp: int) -> int:
    """value x 10**exp as an exact int (the scales are chosen so that it always is one)."""
    scaled = value.scaleb(exp, EXACT)
    assert scaled == scaled.to_integral_value(), (value, exp)
    return int(scaled)


@dataclass(frozen=True, slots=True)
class PricingTable:
    """One way of pricing a stream, in scaled integers. Amounts are in money units."""

    method: str
    base: int
    rate: int  # money units per point unit
    starts: IntArray  # bands or steps: from_points in point units
    values: IntArray  # bands: amounts; steps: rates in money units per point unit
    cumulative: IntArray  # steps: the amount reached at each step's start
    labels: tuple[str, ...]  # bands: labels in table order
    minimum: int
    maximum: int | None
    refer_above: int | None
    source: Pricing  # for explanations and reforms


@dataclass(frozen=True, slots=True)
class Compiled:
    """Everything the kernel needs, nothing it does not."""

    dtype: Any  # np.int64 or object
    points_dtype: Any  # domain points: np.int32 where every domain's points fit, else dtype
    point_exp: int
    money_exp: int
    question_ids: tuple[str, ...]
    option_counts: IntArray  # (questions,) options, or a number question's steps
    option_offsets: IntArray  # (questions,) start of each question in option_points
    option_points: IntArray  # (all options,) in 10**-option_exp points
    group_radix: npt.NDArray[np.float32]  # (groups, questions) place value of a code in a group
    group_offsets: npt.NDArray[np.int32]  # (groups,) where each group's table starts
    group_sums: IntArray  # every answer combination of each group: points summed, in hundredths
    group_domain_starts: IntArray  # (domains,) first group of each domain (groups are in order)
    group_tables: tuple[IntArray, ...]  # per group: its part of group_sums
    domain_groups: tuple[tuple[int, ...], ...]  # per domain: its groups
    domain_table: tuple[IntArray | None, ...]  # per one-group domain: weighted, capped points
    domain_ids: tuple[str, ...]
    domain_max: tuple[bool, ...]  # per domain: combine max (the highest question points)
    stream_max: tuple[bool, ...]  # per stream: combine max (the highest domain points)
    domain_starts: IntArray  # (domains,) first question of each domain (questions are grouped)
    domain_factor: IntArray  # (domains,) weight, scaled from hundredths to point units
    domain_cap: IntArray  # (domains,) in point units; no cap = a value no child can reach
    domain_stream: IntArray  # (domains,) position in stream_ids
    domain_membership: IntArray  # (domains, streams) 1 where the domain belongs to the stream
    stream_ids: tuple[str, ...]
    stream_has_domains: tuple[bool, ...]
    # priced: the scheme prices the stream and it has domains, or it has none and is not
    # education (scheme-format steps 3-4: no domains is 0 points, priced like any other;
    # step 5: a scheme with no education domains has an education amount of zero)
    stream_priced: tuple[bool, ...]
    stream_domains: tuple[tuple[int, ...], ...]  # per stream: positions of its domains
    pricings: tuple[tuple[PricingTable, ...], ...]  # per stream: [scheme's own, overrides...]
    pricing_of_setting: IntArray  # (streams, settings) index into pricings[stream]
    band_labels: tuple[tuple[str, ...], ...]  # per stream: each label any variant can give, once
    band_label_of: tuple[tuple[IntArray, ...], ...]  # per stream, variant: band -> label
    setting_ids: tuple[str, ...]
    element1: IntArray  # (settings,) pence; 0 where not known
    element1_unknown: IntArray  # (settings,) bool: the scheme leaves element 1 out (version 2)
    element2: IntArray  # (settings,) pence
    deduction: IntArray  # (settings,) pence taken off the education amount for element 3
    covers: IntArray  # (settings,) position in COVERS
    rounding_unit: int  # in money units
    rounding_mode: str
    range_exp: int  # indicative range fractions in 10**-range_exp
    range_below: int | None
    range_above: int | None
    price_lookups: tuple[Any, ...] = ()  # per stream: a _kernel.PriceLookup or None
    joined_lookups: Any = None  # a _kernel.JoinedLookups when every priced stream has a lookup
    option_exp: int = 2  # question points in 10**-option_exp points (see the module's note)
    plans: dict[Any, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    # the kernel's per-call plan for each Want it has seen (a few at most), made once

    @property
    def education(self) -> int | None:
        """Position of the education stream, if the scheme has one."""
        return self.stream_ids.index("education") if "education" in self.stream_ids else None


def compile_scheme(model: SchemeModel) -> Compiled:
    questions = [q for d in model.domains for q in d.questions]
    option_exp = max([2] + [_number_exp(q.number) for q in questions if q.number is not None])
    weight_exp = max(decimals(d.weight) for d in model.domains)
    pricings_all = list(model.pricing.values()) + [
        p for s in model.settings.values() for p in (s.pricing or {}).values()
    ]
    point_exp = max(
        [option_exp + weight_exp]
        + [decimals(d.cap) for d in model.domains if d.cap is not None]
        + [decimals(v) for p in pricings_all for v in _point_values(p)]
    )
    money_exp = max(
        [2]
        + [decimals(v) for p in pricings_all for v in _money_values(p)]
        + [point_exp + decimals(v) for p in pricings_all for v in _rate_values(p)]
    )

    grids = [_grid(q, option_exp) for q in questions]
    option_points = [p for grid in grids for p in grid]
    counts = [len(grid) for grid in grids]
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    starts, position = [], 0
    for d in model.domains:
        starts.append(position)
        position += len(d.questions)

    stream_ids = model.stream_ids
    weight_to_points = point_exp - option_exp - weight_exp
    factors = [_scaled(d.weight, weight_exp) * 10**weight_to_points for d in model.domains]
    max_points = _largest_points(model, grids, option_exp, point_exp)
    no_cap = max_points + 1
    caps = [_scaled(d.cap, point_exp) if d.cap is not None else no_cap for d in model.domains]

    per_stream: list[tuple[Pricing, ...]] = []
    of_setting: list[list[int]] = []
    for stream in stream_ids:
        variants: list[Pricing] = []
        if stream in model.pricing:
            variants.append(model.pricing[stream])
        row = []
        for setting in model.settings.values():
            own = (setting.pricing or {}).get(stream)
            if own is None:
                row.append(0)
            else:
                variants.append(own)
                row.append(len(variants) - 1)
        per_stream.append(tuple(variants))
        of_setting.append(row)

    largest_money = max(
        [_largest_amount(p, max_points, point_exp, money_exp) for p in pricings_all] + [0]
    )
    range_exp = 0
    if model.indicative_range is not None:
        range_exp = max(decimals(model.indicative_range.below),
                        decimals(model.indicative_range.above))
    largest_pence = max(
        [largest_money // 10 ** (money_exp - 2) + 1]
        + [_scaled((s.element1 or 0) + s.element2, 2) for s in model.settings.values()]
    )
    widest_range = 10**range_exp + (
        _scaled(model.indicative_range.above, range_exp) if model.indicative_range else 0
    )
    # every number a table holds, whether or not a child's points reach it: a cap, a band's
    # start or a step's amount reached far beyond the largest points still has to be stored
    drafts = [_pricing_table(p, point_exp, money_exp, object) for p in pricings_all]
    widest_held = max([*(abs(cap) for cap in caps), _scaled(model.rounding.unit, money_exp),
                       *(_widest(t) for t in drafts)])
    need_objects = (
        max(largest_money * 2, no_cap * max([*factors, 1]), largest_pence * widest_range * 4,
            widest_held)
        >= _INT64_SAFE
    )
    dtype: Any = object if need_objects else np.int64

    tables = tuple(
        tuple(_pricing_table(p, point_exp, money_exp, dtype) for p in variants)
        for variants in per_stream
    )
    labels, label_of = _band_labels(tables)
    settings = list(model.settings.values())
    e1 = [_scaled(s.element1, 2) if s.element1 is not None else 0 for s in settings]
    e2 = [_scaled(s.element2, 2) for s in settings]
    deduction = [
        {"additional_support": b, "whole_place": a + b, "top_up": 0}[s.ras_covers]
        for s, a, b in zip(settings, e1, e2, strict=True)
    ]
    rng = model.indicative_range
    used_streams = {d.stream for d in model.domains}
    radix, group_offsets, group_sums, group_domain_starts = _groups(model, grids, dtype)
    group_tables = tuple(
        _frozen(part, dtype) for part in np.split(group_sums, group_offsets[1:].tolist())
    )
    ends = [*group_domain_starts[1:].tolist(), len(group_tables)]
    domain_groups = tuple(
        tuple(range(a, b)) for a, b in zip(group_domain_starts.tolist(), ends, strict=True)
    )
    # a domain's points fit in int32 unless the scheme's magnitudes are enormous: half the
    # memory traffic of int64 where the kernel reads and writes them most
    widest_points = max([max_points, *(abs(cap) for cap in caps)])
    points_dtype: Any = np.int32 if dtype is not object and widest_points < 2**31 else dtype
    domain_table = tuple(
        _frozen(np.minimum(group_tables[g[0]] * f, cap), points_dtype) if len(g) == 1 else None
        for g, f, cap in zip(domain_groups, factors, caps, strict=True)
    )
    return Compiled(
        dtype=dtype,
        points_dtype=points_dtype,
        point_exp=point_exp,
        money_exp=money_exp,
        question_ids=tuple(q.id for q in questions),
        option_counts=_frozen(counts, np.int64),
        option_offsets=_frozen(offsets, np.int64),
        option_points=_frozen(option_points, dtype),
        group_radix=radix,
        group_offsets=group_offsets,
        group_sums=group_sums,
        group_domain_starts=group_domain_starts,
        group_tables=group_tables,
        domain_groups=domain_groups,
        domain_table=domain_table,
        domain_ids=tuple(d.id for d in model.domains),
        domain_max=tuple(d.combine == "max" for d in model.domains),
        stream_max=tuple((model.streams or {}).get(s) is not None
                         and (model.streams or {})[s].combine == "max" for s in stream_ids),
        domain_starts=_frozen(starts, np.int64),
        domain_factor=_frozen(factors, dtype),
        domain_cap=_frozen(caps, dtype),
        domain_stream=_frozen([stream_ids.index(d.stream) for d in model.domains], np.int64),
        domain_membership=_frozen(
            [[int(d.stream == s) for s in stream_ids] for d in model.domains], dtype
        ),
        stream_ids=stream_ids,
        stream_has_domains=tuple(s in used_streams for s in stream_ids),
        stream_priced=tuple(s in model.pricing and (s in used_streams or s != "education")
                            for s in stream_ids),
        stream_domains=tuple(
            tuple(i for i, d in enumerate(model.domains) if d.stream == s) for s in stream_ids
        ),
        pricings=tables,
        pricing_of_setting=_frozen(of_setting, np.int64).reshape(len(stream_ids), len(settings)),
        band_labels=labels,
        band_label_of=label_of,
        setting_ids=tuple(model.settings),
        element1=_frozen(e1, dtype),
        element1_unknown=_frozen([s.element1 is None for s in settings], bool),
        element2=_frozen(e2, dtype),
        deduction=_frozen(deduction, dtype),
        covers=_frozen([COVERS.index(s.ras_covers) for s in settings], np.int64),
        rounding_unit=_scaled(model.rounding.unit, money_exp),
        rounding_mode=model.rounding.mode,
        range_exp=range_exp,
        range_below=_scaled(rng.below, range_exp) if rng is not None else None,
        range_above=_scaled(rng.above, range_exp) if rng is not None else None,
        option_exp=option_exp,
    )


def _number_exp(number: NumberAnswer) -> int:
    """Decimals enough for every answer x points_per_unit on the grid, exactly."""
    return max(decimals(number.min), decimals(number.step)) + decimals(number.points_per_unit)


def _grid(question: Question, option_exp: int) -> list[int]:
    """The points of each code of a question in 10**-option_exp points: its options' points,
    or a number question's answer x points_per_unit at each step, in exact integers."""
    number = question.number
    if number is None:
        return [_scaled(o.points, option_exp) for o in question.options or ()]
    a = max(decimals(number.min), decimals(number.step))
    b = decimals(number.points_per_unit)
    low, step = _scaled(number.min, a), _scaled(number.step, a)
    rate = _scaled(number.points_per_unit, b) * 10 ** (option_exp - a - b)
    return [(low + k * step) * rate for k in range(number.steps)]


def _groups(
    model: SchemeModel, grids: list[list[int]], dtype: Any
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32], IntArray, IntArray]:
    """Tables of summed points for every combination of answers to a few questions at once
    (for a ``combine: max`` domain, the highest points of each combination).

    Consecutive questions of a domain form a group while the number of answer combinations
    stays within GROUP_COMBINATIONS. A child's combination is a mixed-radix number (one digit
    per question), found for all groups by one product of codes and place values; the kernel
    then reads each group's summed points with one gather instead of one per question.
    """
    radix_columns: list[list[tuple[int, int]]] = []  # per group: (question, place value)
    tables: list[npt.NDArray[Any]] = []
    domain_starts: list[int] = []
    question = 0
    for domain in model.domains:
        domain_starts.append(len(tables))
        members: list[tuple[int, list[int]]] = []
        highest = domain.combine == "max"
        for _ in domain.questions:
            points = grids[question]
            combos = int(np.prod([len(p) for _, p in members], dtype=np.int64)) * len(points)
            if members and combos > GROUP_COMBINATIONS:
                radix_columns.append(_place_values(members))
                tables.append(_sum_table(members, dtype, highest))
                members = []
            members.append((question, points))
            question += 1
        radix_columns.append(_place_values(members))
        tables.append(_sum_table(members, dtype, highest))
    radix = np.zeros((len(tables), question), dtype=np.float32)
    for g, column in enumerate(radix_columns):
        for position, place in column:
            radix[g, position] = place
    radix.flags.writeable = False
    sizes = [len(t) for t in tables]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return (radix, _frozen(offsets, np.int32), _frozen(np.concatenate(tables), dtype),
            _frozen(domain_starts, np.int64))


def _place_values(members: list[tuple[int, list[int]]]) -> list[tuple[int, int]]:
    """The first question is the most significant digit, as in a C-order flattening."""
    places, place = [], 1
    for q, points in reversed(members):
        places.append((q, place))
        place *= len(points)
    return places[::-1]


def _sum_table(members: list[tuple[int, list[int]]], dtype: Any,
               highest: bool) -> npt.NDArray[Any]:
    """Every combination's summed points (or, ``highest``, its highest question points)."""
    table: npt.NDArray[Any] | None = None
    for _, points in members:
        units = np.array(points, dtype=dtype)
        if table is None:
            table = units
        else:
            table = (np.maximum if highest else np.add).outer(table, units).ravel()
    assert table is not None  # a group has at least one question
    return table


def _point_values(p: Pricing) -> list[Decimal]:
    values = [b.from_points for b in p.bands or ()] + [s.from_points for s in p.steps or ()]
    return values + ([p.refer_above] if p.refer_above is not None else [])


def _money_values(p: Pricing) -> list[Decimal]:
    values = [b.amount for b in p.bands or ()]
    return values + [v for v in (p.base, p.minimum, p.maximum) if v is not None]


def _rate_values(p: Pricing) -> list[Decimal]:
    return [s.rate for s in p.steps or ()] + ([p.rate] if p.rate is not None else [])


def _largest_points(model: SchemeModel, grids: list[list[int]], option_exp: int,
                    point_exp: int) -> int:
    """An upper bound on any domain's or stream's absolute points, in point units.

    In integers throughout: Decimal arithmetic keeps 28 digits, and a scheme's points times its
    weight may have more (1E+30 points is a valid number; quantizing it raised)."""
    total, question = 0, 0
    for d in model.domains:
        units = 0
        for _ in d.questions:
            units += max(abs(p) for p in grids[question])
            question += 1
        weight_exp = decimals(d.weight)
        to_points = 10 ** (point_exp - option_exp - weight_exp)  # point_exp is at least both
        total += units * _scaled(d.weight, weight_exp) * to_points + 10**point_exp
    return total


def _widest(table: PricingTable) -> int:
    """The largest magnitude a pricing table holds, in its own units."""
    held = [table.base, table.rate, table.minimum, table.maximum or 0, table.refer_above or 0]
    held += [abs(int(v)) for part in (table.starts, table.values, table.cumulative)
             for v in part]
    return max(abs(v) for v in held)


def _largest_amount(p: Pricing, max_points: int, point_exp: int, money_exp: int) -> int:
    """An upper bound on the priced amount before clamping, in money units."""
    rates = _rate_values(p)
    top_rate = max(rates) if rates else Decimal(0)
    per_point = _scaled(top_rate, money_exp - point_exp) if rates else 0
    fixed = sum(_scaled(v, money_exp) for v in _money_values(p))
    return fixed + per_point * max_points


def _pricing_table(p: Pricing, point_exp: int, money_exp: int, dtype: Any) -> PricingTable:
    per_point = money_exp - point_exp
    starts: list[int] = []
    values: list[int] = []
    cumulative: list[int] = []
    labels: tuple[str, ...] = ()
    if p.bands is not None:
        starts = [_scaled(b.from_points, point_exp) for b in p.bands]
        values = [_scaled(b.amount, money_exp) for b in p.bands]
        labels = tuple(b.label for b in p.bands)
    if p.steps is not None:
        starts = [_scaled(s.from_points, point_exp) for s in p.steps]
        values = [_scaled(s.rate, per_point) for s in p.steps]
        reached = 0
        for i, value in enumerate(values):
            cumulative.append(reached)
            if i + 1 < len(starts):
                reached += value * (starts[i + 1] - starts[i])
    return PricingTable(
        method=p.method,
        base=_scaled(p.base, money_exp) if p.base is not None else 0,
        rate=_scaled(p.rate, per_point) if p.rate is not None else 0,
        starts=_frozen(starts, dtype),
        values=_frozen(values, dtype),
        cumulative=_frozen(cumulative, dtype),
        labels=labels,
        minimum=_scaled(p.minimum, money_exp) if p.minimum is not None else 0,
        maximum=_scaled(p.maximum, money_exp) if p.maximum is not None else None,
        refer_above=_scaled(p.refer_above, point_exp) if p.refer_above is not None else None,
        source=p,
    )


def _band_labels(
    tables: tuple[tuple[PricingTable, ...], ...],
) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[IntArray, ...], ...]]:
    """Per stream, the band labels of all its variants, once each, and where each band points."""
    all_labels: list[tuple[str, ...]] = []
    all_maps: list[tuple[IntArray, ...]] = []
    for variants in tables:
        labels: dict[str, int] = {}
        maps = []
        for table in variants:
            positions = [labels.setdefault(label, len(labels)) for label in table.labels]
            maps.append(_frozen(positions, np.int64))
        all_labels.append(tuple(labels))
        all_maps.append(tuple(maps))
    return tuple(all_labels), tuple(all_maps)
