"""The one kernel: option codes and setting codes in, every figure of the budget out.

gather -> sum (or max) per domain -> weight and cap -> sum (or max) per stream -> price -> clamp
-> round -> elements -> totals. Each step is whole-array numpy on scaled integers (see
``_compile``), so a single child and a million children take the same path and get the same,
exact, answer.

Two tables made once per scheme do most of the work: per group of questions, the summed points
of every combination of answers (one gather per group instead of one per question), and per
stream, its pricing evaluated at every points value a child can reach (one gather per figure
instead of search, clamp and round per row). Both are filled by the same arithmetic that
would otherwise run per row, and property tests force the per-row forms too.

Rows run in blocks (``run_blocks``): every step of a block stays in the processor's cache, and
a cohort's output columns are filled block by block, so no full-size intermediate is ever
made. One child is one block; ``run`` joins the blocks when every row's figures are wanted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from ras._engine.compile import Compiled, PricingTable
from ras._engine.rounding import round_to_unit

__all__ = ["REVIEW_CLAMPED", "REVIEW_NONE", "REVIEW_REFERRED", "Raw", "Want", "run",
           "run_blocks"]

Array = npt.NDArray[Any]
REVIEW_NONE, REVIEW_REFERRED, REVIEW_CLAMPED = 0, 1, 2
FEW_ROWS = 64  # up to this many rows, whole-block steps beat one gather per domain
BLOCK_ROWS = 1 << 14  # rows per block: a block's intermediates fit in a core's cache
PLANS_KEPT = 64  # distinct Wants whose plans a compiled scheme keeps


@dataclass(frozen=True, slots=True)
class Want:
    """Which parts of the calculation to run; what no wanted output needs is skipped."""

    domains: tuple[int, ...]
    streams: tuple[int, ...]  # streams to price (their domains are implied)
    ranges: bool = False
    elements: bool = False  # element 3 and the personal SEN budget (education among streams)
    total: bool = False  # the total personal budget (every stream among streams)
    trace: bool = False  # intermediate figures for explanations
    reviews: bool = True  # each priced stream's review flag
    bands: bool = True  # each priced stream's band label
    setting_elements: bool = True  # elements 1 and 2, which come from the setting alone


@dataclass(slots=True)
class Raw:
    """Kernel output in scaled integers. Points in point units, money in pence.

    A figure that no wanted output needs is None (reviews, bands, elements 1 and 2, the trace).
    Not frozen only because a frozen dataclass's __init__ costs a tenth of a one-child call;
    nothing changes a Raw after the kernel made it.
    """

    n: int
    domain_points: Array  # (n, domains)
    stream_points: Array  # (n, streams); zero for a stream no wanted output needs
    amount: Array  # (n, streams) pence; meaningless where missing
    missing: Array  # (n, streams) bool: referred above the table
    review: Array | None  # (n, streams) int8 REVIEW_*
    band: Array | None  # (n, streams) label position, -1 for none
    variant: Array | None  # (n, streams) which pricing table priced the row
    lower: Array | None  # (n, streams) pence
    upper: Array | None
    element1: Array | None  # (n,) pence; 0 where not known (see element1_unknown)
    element2: Array | None
    element3: Array | None
    element3_missing: Array | None
    total: Array | None
    total_missing: Array | None
    domain_sum: Array | None  # trace: (n, domains) question points summed (max: the highest),
    # in 10**-option_exp points
    priced: Array | None  # trace: (n, streams) money units before clamping and rounding
    weighted: Array | None = None  # trace: (n, domains) weight x question points, before the cap
    clamped: Array | None = None  # trace: (n, streams) money units after clamping, before rounding
    tier: Array | None = None  # trace: (n, streams) position of the band or step in its table
    element1_unknown: Array | None = None  # (n,) bool: the setting's element 1 is not known


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a call needs, worked out once for all its blocks."""

    domains: list[int]  # domains to score, in order
    groups: list[int]  # their lookup groups, in order
    places: npt.NDArray[np.int32]  # (questions, groups) place values of those groups
    digits: tuple[tuple[tuple[int, int], ...], ...]  # per group: (question, its place value)
    to_price: list[int]  # streams to price: those the compiled scheme marks stream_priced
    others: list[int]  # every stream but education: what the total adds to element 3
    summed: list[tuple[int, int]]  # (domain, its stream) for the summed streams whose points
    # are used
    maxed: list[tuple[int, list[int]]]  # (stream, its domains) for the combine: max streams
    highest: Array | None  # (domains, 1) bool: combine max, when such a domain has several groups
    first_group: list[tuple[int, int]]  # (domain, the row of its first group among groups)
    # the tables' rows for these domains, groups and streams, taken once (a few rows pay for
    # every per-call step, so none is repeated per block)
    group_offsets: Array  # (groups, 1)
    firsts: Array | None  # each domain's first group among groups, when a domain has several
    factor: Array  # (domains, 1)
    cap: Array  # (domains, 1)
    membership: Array  # (domains, streams), zero for streams whose points are not used
    lookup: tuple[Array, Array, Array] | None  # the joined lookups' low, step (priced
    # streams,) and start (priced streams, settings); None without joined lookups
    pricing_of_setting: Array  # (priced streams, settings)


def _plan(c: Compiled, want: Want) -> _Plan:
    """The plan for this Want, made on first use and kept with the compiled scheme."""
    plan: _Plan | None = c.plans.get(want)
    if plan is None:
        plan = _make_plan(c, want)
        if len(c.plans) < PLANS_KEPT:
            c.plans[want] = plan
    return plan


def _make_plan(c: Compiled, want: Want) -> _Plan:
    streams = list(range(len(c.stream_ids)) if want.total else want.streams)
    domains = sorted(set(want.domains).union(*(c.stream_domains[s] for s in streams)))
    groups = sorted({g for d in domains for g in c.domain_groups[d]})
    places = np.ascontiguousarray(c.group_radix[groups].T).astype(np.int32)
    digits = tuple(tuple((q, int(places[q, k])) for q in np.flatnonzero(places[:, k]).tolist())
                   for k in range(len(groups)))
    to_price = [s for s in streams if c.stream_priced[s]]
    others = [s for s in range(len(c.stream_ids)) if s != c.education]
    firsts = None
    if len(groups) > len(domains):
        firsts = np.searchsorted(groups, [c.domain_groups[d][0] for d in domains])
    joined: JoinedLookups | None = c.joined_lookups
    summed = [(d, int(c.domain_stream[d])) for d in domains
              if c.domain_stream[d] in streams and not c.stream_max[int(c.domain_stream[d])]]
    maxed = [(s, list(c.stream_domains[s])) for s in streams if c.stream_max[s]]
    highest = None
    if firsts is not None and any(c.domain_max[d] and len(c.domain_groups[d]) > 1
                                  for d in domains):
        highest = np.array([c.domain_max[d] for d in domains])[:, None]
    summed_streams = [s for s in streams if not c.stream_max[s]]
    row_of = {g: k for k, g in enumerate(groups)}
    first_group = [(d, row_of[c.domain_groups[d][0]]) for d in domains]
    return _Plan(
        domains, groups, places, digits, to_price, others, summed, maxed, highest,
        first_group,
        group_offsets=c.group_offsets[groups][:, None],
        firsts=firsts,
        factor=c.domain_factor[domains][:, None],
        cap=c.domain_cap[domains][:, None],
        membership=c.domain_membership[domains] * np.isin(np.arange(len(c.stream_ids)),
                                                          summed_streams),
        lookup=(None if joined is None else
                (joined.low[to_price], joined.step[to_price], joined.start[to_price])),
        pricing_of_setting=c.pricing_of_setting[to_price],
    )


def run_blocks(c: Compiled, codes: Array, settings: Array, want: Want
               ) -> Iterator[tuple[slice, Raw]]:
    """The figures of each block of rows, in order: (rows, their Raw). No rows, one empty block."""
    n = codes.shape[0]
    plan = _plan(c, want)
    for lo in range(0, max(n, 1), BLOCK_ROWS):
        rows = slice(lo, min(n, lo + BLOCK_ROWS))
        yield rows, _block(c, codes[rows], settings[rows], want, plan)


def run(c: Compiled, codes: Array, settings: Array, want: Want) -> Raw:
    """Every row's figures in one Raw: one child, or the rows an explanation reads."""
    blocks = [raw for _, raw in run_blocks(c, codes, settings, want)]
    if len(blocks) == 1:
        return blocks[0]
    joined: dict[str, Any] = {"n": codes.shape[0]}
    for f in fields(Raw):
        parts = [getattr(raw, f.name) for raw in blocks]
        if isinstance(parts[0], np.ndarray):
            joined[f.name] = np.concatenate(parts)
    return replace(blocks[0], **joined)


def _block(c: Compiled, codes: Array, settings: Array, want: Want, plan: _Plan) -> Raw:
    """One block of rows (validated codes (n x questions) and settings (n,)) through the kernel."""
    n = codes.shape[0]
    n_domains, n_streams = len(c.domain_ids), len(c.stream_ids)
    trace = want.trace
    every = len(plan.domains) == n_domains  # then every column is written: no need to zero
    domain_points = (np.empty if every else np.zeros)((n, n_domains), dtype=c.points_dtype,
                                                      order="F")
    domain_sum = np.zeros((n, n_domains), dtype=c.dtype) if trace else None
    weighted = np.zeros((n, n_domains), dtype=c.dtype) if trace else None
    if plan.domains:
        _domains(c, codes, plan, domain_points, domain_sum, weighted)

    stream_points = np.zeros((n, n_streams), dtype=c.dtype, order="F")
    if n <= FEW_ROWS:  # one product instead of one addition per domain
        chosen = domain_points if every else domain_points[:, plan.domains]
        stream_points[:] = chosen @ plan.membership
    else:
        for d, stream in plan.summed:
            stream_points[:, stream] += domain_points[:, d]
    for stream, members in plan.maxed:  # combine: max, the highest domain (none: 0 points)
        if members:
            stream_points[:, stream] = domain_points[:, members].max(axis=1)

    to_price = plan.to_price
    amount = np.zeros((n, n_streams), dtype=c.dtype, order="F")
    missing = np.zeros((n, n_streams), dtype=bool, order="F")
    reviews, bands = want.reviews or trace, want.bands or trace
    review = np.zeros((n, n_streams), dtype=np.int8, order="F") if reviews else None
    band = np.full((n, n_streams), -1, dtype=np.int64, order="F") if bands else None
    variant = None
    priced = np.zeros((n, n_streams), dtype=c.dtype) if trace else None
    clamped = np.zeros((n, n_streams), dtype=c.dtype) if trace else None
    tier = np.full((n, n_streams), -1, dtype=np.int64) if trace else None
    # (a stream not priced, such as education with no domains, keeps an amount of zero)
    joined: JoinedLookups | None = c.joined_lookups
    lower = upper = None
    if joined is not None and plan.lookup is not None and to_price:
        low, step, start = plan.lookup
        if trace:
            variant = np.zeros((n, n_streams), dtype=np.int64, order="F")
        if want.ranges and joined.lower is not None and joined.upper is not None:
            lower = np.zeros((n, n_streams), dtype=c.dtype)
            upper = np.zeros((n, n_streams), dtype=c.dtype)
        # a few rows: all streams in one step; many rows: a stream at a time, contiguous
        for k, cols in ([(slice(None), to_price)] if n <= FEW_ROWS else enumerate(to_price)):
            if isinstance(cols, list):
                at = (stream_points[:, cols] - low) // step
                at += start[:, settings].T
                if variant is not None:
                    variant[:, cols] = plan.pricing_of_setting[:, settings].T
            else:
                at = (stream_points[:, cols] - low[k]) // step[k]
                at += start[k].take(settings, mode="clip")
                if variant is not None:
                    variant[:, cols] = plan.pricing_of_setting[k][settings]
            found = joined.priced
            for out, values in ((amount, found.pence), (missing, found.referred),
                                (review, found.flag), (band, found.band),
                                (priced, found.raw), (clamped, found.clamped),
                                (tier, found.tier), (lower, joined.lower),
                                (upper, joined.upper)):
                if out is None or values is None:  # not wanted, or not available
                    continue
                if isinstance(cols, list):
                    out[:, cols] = values[at]
                else:  # straight into the column (contiguous: the outputs are column-major)
                    values.take(at, out=out[:, cols], mode="clip")
    else:
        variant = np.zeros((n, n_streams), dtype=np.int64, order="F")
        if review is None or band is None:  # pricing row by row makes them anyway
            review = np.zeros((n, n_streams), dtype=np.int8, order="F")
            band = np.full((n, n_streams), -1, dtype=np.int64, order="F")
        for s in to_price:
            variant[:, s] = c.pricing_of_setting[s][settings]
            price_stream(c, s, stream_points[:, s], variant[:, s], amount, missing, review,
                          band, priced, clamped, tier)
        if want.ranges and c.range_below is not None and c.range_above is not None:
            lower = _bound(c, amount, 10**c.range_exp - c.range_below)
            upper = _bound(c, amount, 10**c.range_exp + c.range_above)

    element3 = element3_missing = total = total_missing = None
    if want.elements or want.total:
        education = c.education
        if education is not None and c.stream_has_domains[education]:
            edu, edu_missing = amount[:, education], missing[:, education]
        else:
            edu, edu_missing = np.zeros(n, dtype=c.dtype), np.zeros(n, dtype=bool)
        element3 = np.maximum(edu - c.deduction.take(settings, mode="clip"), 0)
        element3_missing = edu_missing.copy()
    if want.total and element3 is not None and element3_missing is not None:
        others = plan.others
        total = element3 + amount[:, others].sum(axis=1) if others else element3.copy()
        total_missing = element3_missing | missing[:, others].any(axis=1)
    fixed = want.setting_elements or trace

    return Raw(
        n=n,
        domain_points=domain_points,
        stream_points=stream_points,
        amount=amount,
        missing=missing,
        review=review,
        band=band,
        variant=variant,
        lower=lower,
        upper=upper,
        element1=c.element1.take(settings, mode="clip") if fixed else None,
        element1_unknown=c.element1_unknown.take(settings, mode="clip") if fixed else None,
        element2=c.element2.take(settings, mode="clip") if fixed else None,
        element3=element3,
        element3_missing=element3_missing,
        total=total,
        total_missing=total_missing,
        domain_sum=domain_sum,
        priced=priced,
        weighted=weighted,
        clamped=clamped,
        tier=tier,
    )


def _domains(
    c: Compiled,
    codes: Array,
    plan: _Plan,
    out: Array,
    sums_out: Array | None,
    weighted_out: Array | None = None,
) -> None:
    """Sum, weight and cap points per domain for a block of rows.

    Each group of questions has a table of summed points for every combination of its answers;
    a row's combination is its codes times the group's place values, so a group costs one
    gather whatever its size. A domain that is one group reads its weighted, capped points
    straight from its own table. Results are written column by column (``out`` is
    column-major), so no block is transposed or scattered.
    """
    combination = _combinations(codes, plan)
    trace = sums_out is not None or weighted_out is not None
    if codes.shape[0] <= FEW_ROWS or trace:
        _domains_at_once(c, plan, combination, out, sums_out, weighted_out)
        return
    for d, first in plan.first_group:
        table = c.domain_table[d]
        if table is not None:
            # mode="clip": no bounds check and no buffering; every combination is in range
            table.take(combination[first], out=out[:, d], mode="clip")
            continue
        own = c.domain_groups[d]  # several groups, in order, so their rows follow the first
        sums = c.group_tables[own[0]][combination[first]]
        join = np.maximum if c.domain_max[d] else np.add
        for k, g in enumerate(own[1:], start=1):
            sums = join(sums, c.group_tables[g][combination[first + k]])
        out[:, d] = np.minimum(sums * c.domain_factor[d], c.domain_cap[d])


def _combinations(codes: Array, plan: _Plan) -> Array:
    """Each group's combination number per row, (groups, rows) int32, in whole numbers.

    No BLAS: a float matrix product is what OpenBLAS runs on its own threads, which doubles the
    time (and worse) whenever anything else uses the other cores, and no library call can bound
    them. A few rows take numpy's integer product; a block sums each group's codes times their
    place values, column by column, which on one core is as fast as the float product was.
    """
    n = codes.shape[0]
    if n <= FEW_ROWS:
        combination: Array = (codes.astype(np.int32) @ plan.places).T
        return combination
    combination = np.empty((len(plan.groups), n), dtype=np.int32)
    digit = np.empty(n, dtype=np.int32)
    for row, group in zip(combination, plan.digits, strict=True):
        if not group:  # a domain with no questions: its one combination
            row[:] = 0
        for k, (question, place) in enumerate(group):
            np.multiply(codes[:, question], place, out=digit if k else row, dtype=np.int32)
            if k:
                row += digit
    return combination


def _domains_at_once(
    c: Compiled,
    plan: _Plan,
    combination: Array,
    out: Array,
    sums_out: Array | None,
    weighted_out: Array | None,
) -> None:
    """The same figures in a handful of whole-block operations: fewer calls for a few rows."""
    domains = plan.domains
    sums = c.group_sums[combination + plan.group_offsets]  # (groups, rows)
    if plan.firsts is not None:
        summed = np.add.reduceat(sums, plan.firsts, axis=0)
        if plan.highest is not None:  # combine: max domains take their groups' highest
            summed = np.where(plan.highest, np.maximum.reduceat(sums, plan.firsts, axis=0),
                              summed)
        sums = summed
    weighted = sums * plan.factor
    if sums_out is not None:
        sums_out[:, domains] = sums.T
    if weighted_out is not None:
        weighted_out[:, domains] = weighted.T
    out[:, domains] = np.minimum(weighted, plan.cap).T


@dataclass(frozen=True, slots=True)
class Priced:
    """One pricing table applied to points: every figure the kernel keeps of it."""

    raw: Array  # money units, before clamping
    tier: Array  # band or step position, -1 for a rate
    clamped: Array  # money units, after clamping, before rounding
    flag: Array  # REVIEW_*
    pence: Array  # rounded amount (0 where referred)
    referred: Array
    band: Array  # label position, -1 for none


def _price_points(c: Compiled, s: int, v: int, points: Array) -> Priced:
    """Apply pricing table v of stream s to stream points: price, clamp, round, refer."""
    table = c.pricings[s][v]
    raw, position = _price(table, np.maximum(points, 0))
    tier = position if position is not None else np.full(points.shape, -1, dtype=np.int64)
    clamped = np.maximum(raw, table.minimum)
    flag = np.full(points.shape, REVIEW_NONE, dtype=np.int8)
    if table.maximum is not None:
        over = clamped > table.maximum
        clamped = np.minimum(clamped, table.maximum)
        flag[over] = REVIEW_CLAMPED
    pence = round_to_unit(clamped, c.rounding_unit, c.rounding_mode) // 10 ** (c.money_exp - 2)
    referred = np.zeros(points.shape, dtype=bool)
    if table.refer_above is not None:
        referred = points > table.refer_above
        flag[referred] = REVIEW_REFERRED
        pence = np.where(referred, 0, pence)
    band = np.full(points.shape, -1, dtype=np.int64)
    if table.method == "bands":
        band = np.where(referred, -1, c.band_label_of[s][v][position])
    return Priced(raw, tier, clamped, flag, pence, referred, band)


def price_stream(
    c: Compiled,
    s: int,
    points: Array,
    variant: Array,
    amount: Array,
    missing: Array,
    review: Array,
    band: Array,
    priced: Array | None,
    clamped_out: Array | None = None,
    tier: Array | None = None,
) -> None:
    """Price one stream's points into column s of the outputs, directly.

    Each pricing table in use (the scheme's own, a setting's override) prices its rows. The
    kernel reads the joined lookups instead where it can; they were made by this function.
    """
    tables = c.pricings[s]
    if len(tables) == 1 or len(variant) == 1:
        used = variant[:1]
    else:
        used = np.flatnonzero(np.bincount(variant, minlength=len(tables)))
    for v in used.tolist():
        rows = slice(None) if len(used) == 1 else np.flatnonzero(variant == v)
        result = _price_points(c, s, v, points[rows])
        _store(result, rows, s, amount, missing, review, band, priced, clamped_out, tier)


def _store(
    result: Priced,
    rows: slice | Array,
    s: int,
    amount: Array,
    missing: Array,
    review: Array,
    band: Array,
    priced: Array | None,
    clamped_out: Array | None,
    tier: Array | None,
) -> None:
    amount[rows, s] = result.pence
    missing[rows, s] = result.referred
    review[rows, s] = result.flag
    band[rows, s] = result.band
    if priced is not None:
        priced[rows, s] = result.raw
    if clamped_out is not None:
        clamped_out[rows, s] = result.clamped
    if tier is not None:
        tier[rows, s] = result.tier


@dataclass(frozen=True, slots=True)
class PriceLookup:
    """A stream's pricing evaluated once for every points value its children can reach.

    A stream's points are sums of domain values; each domain's values differ by multiples of
    a common step, so every reachable total is ``low + k * step`` for k below ``width``. The
    figures for each k (and each pricing table, side by side) come from ``_price_points``, the
    same function that prices rows directly, so reading them is the same calculation.
    """

    low: int
    step: int
    width: int
    priced: Priced


LOOKUP_ENTRIES = 1 << 18  # points values x pricing tables; beyond this, price rows directly


def price_lookups(c: Compiled) -> tuple[PriceLookup | None, ...]:
    """A lookup per stream where its reachable points are few enough (else None)."""
    out: list[PriceLookup | None] = []
    for s in range(len(c.stream_ids)):
        tables = [c.domain_table[d] for d in c.stream_domains[s]]
        if c.dtype is object or not c.stream_priced[s] or any(t is None for t in tables):
            out.append(None)
            continue
        values = [t for t in tables if t is not None]  # none: a stream priced at 0 points
        if c.stream_max[s] and values:  # the highest domain: one of the domains' values
            low = min(int(t.min()) for t in values)
            high = max(int(t.max()) for t in values)
            step = int(np.gcd.reduce(np.concatenate([t.astype(np.int64) - low
                                                     for t in values]))) or 1
        else:
            low = sum(int(t.min()) for t in values)
            high = sum(int(t.max()) for t in values)
            step = (int(np.gcd.reduce(np.concatenate([t - t.min() for t in values])))
                    if values else 0) or 1
        width = (high - low) // step + 1
        if width * len(c.pricings[s]) > LOOKUP_ENTRIES:
            out.append(None)
            continue
        lattice = low + step * np.arange(width, dtype=np.int64)
        parts = [_price_points(c, s, v, lattice) for v in range(len(c.pricings[s]))]
        joined = _joined(parts)
        for name in Priced.__slots__:
            getattr(joined, name).flags.writeable = False
        out.append(PriceLookup(low, step, width, joined))
    return tuple(out)


def _joined(parts: list[Priced]) -> Priced:
    """Priced figures side by side: each figure's arrays, one after another."""
    return Priced(*(np.concatenate([getattr(p, name) for p in parts])
                    for name in Priced.__slots__))


def _price(table: PricingTable, points: Array) -> tuple[Array, Array | None]:
    """The priced amount in money units, and the band or step each row fell in (None for rate)."""
    if table.method == "rate":
        return table.base + points * table.rate, None
    position = np.searchsorted(table.starts, points, side="right") - 1
    if table.method == "bands":
        return table.values[position], position
    reached = points - table.starts[position]
    return table.cumulative[position] + table.values[position] * reached, position


@dataclass(frozen=True, slots=True)
class JoinedLookups:
    """Every priced stream's lookup side by side: one gather per figure prices all streams.

    Entry ``(points - low[s]) // step[s] + start[s, setting]`` of each array holds stream s's
    figures for those points under the pricing table the setting uses.
    """

    low: Array  # (streams,)
    step: Array  # (streams,)
    start: Array  # (streams, settings)
    priced: Priced
    lower: Array | None  # indicative range bounds of each entry's amount, in pence
    upper: Array | None
    money_bound: int = 0  # no money figure of a row priced by these tables exceeds this, in
    # pence either way: every stream's amount and range is a table entry, element 3 at most
    # the education amount, the total their sum, elements 1 and 2 are the settings' own


def join_lookups(
    c: Compiled, lookups: tuple[PriceLookup | None, ...]
) -> JoinedLookups | None:
    """Join the streams' lookups, when every stream that is priced has one."""
    priced = [s for s in range(len(c.stream_ids)) if c.stream_priced[s]]
    if not priced or any(lookups[s] is None for s in priced):
        return None
    n_streams, n_settings = len(c.stream_ids), len(c.setting_ids)
    low = np.zeros(n_streams, dtype=np.int64)
    step = np.ones(n_streams, dtype=np.int64)
    start = np.zeros((n_streams, n_settings), dtype=np.int64)
    parts: list[Priced] = []
    offset = 0
    for s in priced:
        lookup = lookups[s]
        assert lookup is not None
        low[s], step[s] = lookup.low, lookup.step
        start[s] = offset + c.pricing_of_setting[s] * lookup.width
        parts.append(lookup.priced)
        offset += len(lookup.priced.pence)
    joined = _joined(parts)
    lower = upper = None
    if c.range_below is not None and c.range_above is not None:
        lower = _bound(c, joined.pence, 10**c.range_exp - c.range_below)
        upper = _bound(c, joined.pence, 10**c.range_exp + c.range_above)
    arrays = [low, step, start, lower, upper, *(getattr(joined, n) for n in Priced.__slots__)]
    for array in arrays:
        if array is not None:
            array.flags.writeable = False
    return JoinedLookups(low, step, start, joined, lower, upper,
                         _money_bound(c, [joined.pence, lower, upper]))


def _money_bound(c: Compiled, tables: list[Array | None]) -> int:
    """The largest pence, either way, of any money figure of a row priced by lookup tables."""

    def largest(array: Array | None) -> int:
        if array is None or not array.size:
            return 0
        return max(abs(int(array.min())), abs(int(array.max())))

    entry = max(largest(t) for t in tables)
    deduction = largest(c.deduction)
    # element 3 = max(education - deduction, 0) is at most entry + deduction; the total adds
    # every other stream's amount (counted here for every stream: a bound, not the figure)
    total = entry + deduction + entry * len(c.stream_ids)
    return max(total, largest(c.element1), largest(c.element2))


def _bound(c: Compiled, amount: Array, factor: int) -> Array:
    """amount x factor / 10**range_exp, rounded as the scheme rounds, in pence."""
    scale = 10**c.range_exp
    unit = c.rounding_unit * scale // 10 ** (c.money_exp - 2)
    if unit == 0:  # pragma: no cover - the smallest unit is a penny
        unit = 1
    bound: Array = round_to_unit(amount * factor, unit, c.rounding_mode) // scale
    return bound
