"""``ras.Explanation``: how one budget was reached, in order, for a parent, a panel or an auditor.

Courts accept a RAS only as a starting point and require reasons, so every amount needs a plain
account of how it was reached. That account is read from the kernel's trace of the child's row
(one row with its trace columns): the points summed per area, the weighted points, the priced,
clamped and rounded amounts, the band or step reached and the elements. ``calculate`` skips the
trace, so the row is run again with it, by the same kernel, and its figures are checked against
the budget's before any is read. Only labels, rule parameters and wording come from the scheme:
an explanation can never disagree with the figure it explains.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ras._base import UsageError
from ras._engine import Compiled, Raw, run, want_for
from ras._reasons.display import markdown_text
from ras._scheme import Budget, pence_to_pounds, points_to_decimal

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = [
    "AnswerStep",
    "DomainStep",
    "ElementStep",
    "Explanation",
    "StepPart",
    "StreamStep",
    "explain_budget",
    "explain_rows",
]

Clamp = Literal["minimum", "maximum"]
_WIDTH = 88  # plain text wraps here: fits a letter template and a terminal
_UNITS = {  # rounding unit -> (the nearest ..., a whole amount of ...)
    Decimal("0.01"): ("penny", "a whole number of pence"),
    Decimal(1): ("pound", "a whole number of pounds"),
    Decimal(10): ("£10", "a multiple of £10"),
    Decimal(100): ("£100", "a multiple of £100"),
}


# The steps ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerStep:
    """One answer: the question, the option chosen and the points it scores."""

    question: str
    question_label: str
    domain: str
    option: str
    option_label: str
    position: int
    points: Decimal


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


@dataclass(frozen=True, slots=True)
class ElementStep:
    """The setting's elements 1 and 2 and how element 3, the top-up, follows from them."""

    setting: str
    setting_label: str
    covers: str
    element1: Decimal
    element2: Decimal
    education_amount: Decimal | None  # None when referred to panel
    has_education: bool  # False: the scheme has no education questions, so the amount is zero
    deduction: Decimal  # taken off the education amount: element 2, 1 + 2, or nothing
    floored: bool  # the deduction was more than the amount, so element 3 stopped at zero
    element3: Decimal | None


@dataclass(frozen=True, slots=True, repr=False)
class Explanation:
    """How one child's indicative budget was reached, step by step, from the kernel's own run.

    The steps are in calculation order: ``answers``, ``domains``, ``streams``, ``elements``,
    then the totals. Render with ``to_text()`` (a decision letter), ``to_markdown()``,
    ``to_dict()`` (JSON-ready) or in a notebook (``_repr_html_``).
    """

    scheme_id: str
    scheme_name: str
    scheme_version: str
    scheme_fingerprint: str
    effective_from: dt.date
    effective_to: dt.date | None
    ras_version: str
    row: Hashable | None
    answers: tuple[AnswerStep, ...]
    domains: tuple[DomainStep, ...]
    streams: tuple[StreamStep, ...]
    elements: ElementStep
    personal_sen_budget: Decimal | None
    total_personal_budget: Decimal | None

    @property
    def setting(self) -> str:
        return self.elements.setting

    @property
    def steps(self) -> tuple[AnswerStep | DomainStep | StreamStep | ElementStep, ...]:
        """Every step in calculation order: answers, areas, streams, then the elements."""
        return (*self.answers, *self.domains, *self.streams, self.elements)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: Decimals as strings, dates as ISO text, tuples as lists."""
        data = _jsonable(self)
        assert isinstance(data, dict)
        return data

    def to_text(self) -> str:
        """Plain English a parent can follow, suitable for a decision letter."""
        out: list[str] = []
        previous = ""
        for kind, text in _expand_lists(self, _document(self)):
            if kind == "title":
                out += [text, "=" * len(text)]
            elif kind == "heading":
                out += ["", text, "-" * len(text)]
            elif kind == "group":
                out += ["", text]
            elif kind == "item":
                if previous not in ("item", "group"):
                    out.append("")
                out.append(textwrap.fill(text, _WIDTH, initial_indent="  - ",
                                         subsequent_indent="    "))
            else:
                out += ["", textwrap.fill(text, _WIDTH)]
            previous = kind
        return "\n".join(out).strip() + "\n"

    def to_markdown(self) -> str:
        """Markdown for case notes and reports: the same account with headings and tables."""
        out: list[str] = []
        for kind, text in _document(self, markup=markdown_text):
            if kind == "title":
                out += [f"# {text}", ""]
            elif kind == "heading":
                out += ["", f"## {text}", ""]
            elif kind == "answers":
                out += _md_answers(self)
            elif kind == "domains":
                out += _md_domains(self)
            elif kind == "group":
                out += ["", f"**{text}**", ""]
            elif kind == "item":
                out.append(f"- {text}")
            else:
                out += ["", text, ""]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"

    def _repr_html_(self) -> str:
        """A notebook view: the same account, escaped, with tables for answers and areas."""
        parts = ['<div class="ras-explanation">']
        open_list = False
        for kind, text in _document(self, markup=html.escape):
            if kind == "item":
                if not open_list:
                    parts.append("<ul>")
                    open_list = True
                parts.append(f"<li>{text}</li>")
                continue
            if open_list:
                parts.append("</ul>")
                open_list = False
            if kind == "title":
                parts.append(f"<h3>{text}</h3>")
            elif kind == "heading":
                parts.append(f"<h4>{text}</h4>")
            elif kind == "answers":
                parts.append(_html_answers(self))
            elif kind == "domains":
                parts.append(_html_domains(self))
            elif kind == "group":
                parts.append(f"<p><strong>{text}</strong></p>")
            else:
                parts.append(f"<p>{text}</p>")
        if open_list:
            parts.append("</ul>")
        parts.append("</div>")
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (f"<Explanation {self.scheme_id!r} {self.scheme_version!r}, "
                f"setting {self.setting!r}: personal SEN budget "
                f"{_money_or_panel(self.personal_sen_budget)}>")


# Building an explanation from the kernel's trace -----------------------------------------------


def explain_budget(budget: Budget, row: Hashable | None = None) -> Explanation:
    """Read the explanation off the kernel's trace of the budget's row."""
    from ras._base import __version__  # at call time: ras/__init__ imports this module's importers

    scheme = budget.scheme
    model, c = scheme.model, scheme.compiled
    positions = {q: scheme.option_ids[q].index(budget.answers[q]) for q in c.question_ids}
    raw = budget._raw if budget._raw.tier is not None else _traced(budget, positions)
    if raw.domain_sum is None or raw.weighted is None or raw.priced is None \
            or raw.clamped is None or raw.tier is None:  # pragma: no cover - traced above
        raise RuntimeError("no kernel trace for this budget")
    domains = model.domains
    answers: list[AnswerStep] = []
    domain_steps: list[DomainStep] = []
    for d, domain in enumerate(domains):
        for question in domain.questions:
            position = positions[question.id]
            option = question.options[position]
            answers.append(AnswerStep(
                question=question.id,
                question_label=question.label or question.id,
                domain=domain.id,
                option=option.id,
                option_label=option.label or option.id,
                position=position,
                points=_plain(option.points),
            ))
        weighted = points_to_decimal(raw.weighted[0, d], c.point_exp)
        points = points_to_decimal(raw.domain_points[0, d], c.point_exp)
        domain_steps.append(DomainStep(
            domain=domain.id,
            label=domain.label or domain.id,
            stream=domain.stream,
            answers_total=points_to_decimal(raw.domain_sum[0, d], 2),
            weight=_plain(domain.weight),
            weighted=weighted,
            cap=_plain(domain.cap) if domain.cap is not None else None,
            capped=points != weighted,
            points=points,
        ))
    streams = tuple(_stream_step(budget, c, raw, s) for s in range(len(c.stream_ids)))
    return Explanation(
        scheme_id=scheme.id,
        scheme_name=scheme.name,
        scheme_version=scheme.version,
        scheme_fingerprint=scheme.fingerprint,
        effective_from=scheme.effective_from,
        effective_to=scheme.effective_to,
        ras_version=__version__,
        row=row,
        answers=tuple(answers),
        domains=tuple(domain_steps),
        streams=streams,
        elements=_element_step(budget, c),
        personal_sen_budget=budget.personal_sen_budget,
        total_personal_budget=budget.total_personal_budget,
    )


def _traced(budget: Budget, positions: dict[str, int]) -> Raw:
    """The budget's row run again with the kernel's trace (``calculate`` skips the trace).

    The kernel is deterministic, so this is the same calculation; its figures are checked
    against the budget's all the same, so an explanation can never disagree with its budget.
    """
    c, raw = budget.scheme.compiled, budget._raw
    codes = np.array([[positions[q] for q in c.question_ids]])
    settings = np.array([c.setting_ids.index(budget.setting)])
    traced = run(c, codes, settings, want_for(c, None, trace=True))
    same = all(np.array_equal(getattr(traced, name), getattr(raw, name))
               for name in ("domain_points", "stream_points", "amount", "missing", "element3",
                            "total"))
    if not same:  # never, unless the budget was altered: the kernel is deterministic
        raise RuntimeError("the traced run differs from the budget's own run")
    return traced


def _stream_step(budget: Budget, c: Compiled, raw: Raw, s: int) -> StreamStep:
    assert raw.priced is not None
    assert raw.clamped is not None
    assert raw.tier is not None
    assert raw.variant is not None
    model = budget.scheme.model
    stream = c.stream_ids[s]
    declared = (model.streams or {}).get(stream)
    label = declared.label if declared is not None else None
    points = points_to_decimal(raw.stream_points[0, s], c.point_exp)
    rng = model.indicative_range
    lower_upper = budget.ranges.get(stream)
    common: dict[str, Any] = {
        "stream": stream,
        "label": label or stream.replace("_", " ").capitalize(),
        "points": points,
        "rounding_unit": _plain(model.rounding.unit),
        "rounding_mode": model.rounding.mode,
        "amount": budget.stream_amounts[stream],
        "review": budget.reviews.get(stream, ""),
        "lower": lower_upper[0] if lower_upper else None,
        "upper": lower_upper[1] if lower_upper else None,
        "range_below": _plain(rng.below) if rng is not None else None,
        "range_above": _plain(rng.above) if rng is not None else None,
    }
    if not c.stream_priced[s]:
        return StreamStep(method=None, pricing_setting=None, base=None, rate=None, band=None,
                          band_from=None, band_to=None, step_parts=(), priced=None,
                          minimum=None, maximum=None, clamp=None, clamped=None,
                          rounding_changed=False, refer_above=None, referred=False, **common)
    variant = int(raw.variant[0, s])
    table = c.pricings[s][variant]
    pricing = table.source
    referred = bool(raw.missing[0, s])
    tier = int(raw.tier[0, s])
    priced_units, clamped_units = int(raw.priced[0, s]), int(raw.clamped[0, s])
    band = band_from = band_to = None
    parts: tuple[StepPart, ...] = ()
    if pricing.bands is not None and tier >= 0:
        band = pricing.bands[tier].label
        band_from = _plain(pricing.bands[tier].from_points)
        if tier + 1 < len(pricing.bands):
            band_to = _plain(pricing.bands[tier + 1].from_points)
    if pricing.steps is not None and tier >= 0:
        parts = _step_parts(c, table.starts, table.cumulative, pricing.steps, tier,
                            max(int(raw.stream_points[0, s]), 0), priced_units)
    pence_units = int(raw.amount[0, s]) * 10 ** (c.money_exp - 2)
    return StreamStep(
        method=pricing.method,
        pricing_setting=budget.setting if variant != 0 else None,
        base=_plain(pricing.base) if pricing.base is not None else None,
        rate=_plain(pricing.rate) if pricing.rate is not None else None,
        band=None if referred else band,
        band_from=None if referred else band_from,
        band_to=None if referred else band_to,
        step_parts=() if referred else parts,
        priced=None if referred else _exact_money(priced_units, c.money_exp),
        minimum=_plain(pricing.minimum) if pricing.minimum is not None else None,
        maximum=_plain(pricing.maximum) if pricing.maximum is not None else None,
        clamp=None if referred or clamped_units == priced_units
        else ("minimum" if clamped_units > priced_units else "maximum"),
        clamped=None if referred else _exact_money(clamped_units, c.money_exp),
        rounding_changed=not referred and pence_units != clamped_units,
        refer_above=_plain(pricing.refer_above) if pricing.refer_above is not None else None,
        referred=referred,
        **common,
    )


def _step_parts(
    c: Compiled, starts: Any, cumulative: Any, steps: Any, tier: int, points: int, priced: int
) -> tuple[StepPart, ...]:
    """Each step's points and amount, from the compiled table's own running totals."""
    parts = []
    for i in range(tier + 1):
        start = int(starts[i])
        last = i == tier
        end = points if last else int(starts[i + 1])
        if last and end == start and i > 0:
            break  # exactly at the start of a step: nothing falls in it
        reached = priced if last else int(cumulative[i + 1])
        amount = reached - int(cumulative[i])
        parts.append(StepPart(
            from_points=points_to_decimal(start, c.point_exp),
            points=points_to_decimal(end - start, c.point_exp),
            rate=_plain(steps[i].rate),
            amount=_exact_money(amount, c.money_exp),
        ))
    return tuple(parts)


def _element_step(budget: Budget, c: Compiled) -> ElementStep:
    model = budget.scheme.model
    setting = model.settings[budget.setting]
    position = c.setting_ids.index(budget.setting)
    education = c.education
    has_education = education is not None and c.stream_has_domains[education]
    amount = budget.stream_amounts["education"] if has_education else Decimal("0.00")
    deduction = pence_to_pounds(c.deduction[position])
    return ElementStep(
        setting=budget.setting,
        setting_label=setting.label or budget.setting,
        covers=setting.ras_covers,
        element1=budget.element1,
        element2=budget.element2,
        education_amount=amount,
        has_education=has_education,
        deduction=deduction,
        floored=amount is not None and amount < deduction,
        element3=budget.element3,
    )


def explain_rows(
    scheme: Scheme, cohort: pd.DataFrame, rows: Iterable[Hashable]
) -> dict[Hashable, Explanation]:
    """Explanations of chosen rows (by index label) of a cohort frame, in the order asked.

    The chosen rows are encoded and run through the kernel with its trace, once; each row's
    explanation is then read exactly as ``scheme.calculate(...).explain()`` would read it.
    """
    if not isinstance(cohort, pd.DataFrame):
        raise UsageError(f"cohort must be a pandas DataFrame, not {type(cohort).__name__}")
    if isinstance(rows, str | bytes) or not isinstance(rows, Iterable):
        rows = [rows]
    labels = list(dict.fromkeys(rows))
    positions = [_position(cohort.index, label) for label in labels]
    subset = cohort.iloc[positions]
    encoded = scheme.encode(subset, errors="raise")
    c = scheme.compiled
    raw = run(c, encoded.codes, encoded.settings, want_for(c, None, trace=True))
    option_ids = scheme.option_ids
    out: dict[Hashable, Explanation] = {}
    for i, label in enumerate(labels):
        chosen = {q: option_ids[q][int(encoded.codes[i, j])]
                  for j, q in enumerate(c.question_ids)}
        setting = c.setting_ids[int(encoded.settings[i])]
        budget = Budget.from_raw(scheme, _one_row(raw, i), chosen, setting)
        out[label] = explain_budget(budget, row=label)
    return out


def _position(index: pd.Index[Any], label: Hashable) -> int:
    try:
        where = index.get_loc(label)
    except KeyError:
        raise UsageError(f"row {label!r} is not in the cohort's index") from None
    if not isinstance(where, int | np.integer):
        raise UsageError(f"row label {label!r} is not unique in the cohort's index; "
                       "give the cohort a unique index to explain its rows")
    return int(where)


def _one_row(raw: Raw, i: int) -> Raw:
    """Row i of a kernel result, as the one-row result that ``Budget.from_raw`` reads."""
    changes: dict[str, Any] = {"n": 1}
    for f in fields(raw):
        value = getattr(raw, f.name)
        if isinstance(value, np.ndarray):
            changes[f.name] = value[i : i + 1]
    return replace(raw, **changes)


# Numbers --------------------------------------------------------------------------------------


def _plain(value: Decimal) -> Decimal:
    """A scheme number without trailing zeros or exponent: 1.50 -> 1.5, 1E+1 -> 10."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def _exact_money(units: int, exp: int) -> Decimal:
    """Money in 10**-exp pounds, exactly, with at least two decimals."""
    value = Decimal(units).scaleb(-exp)
    return _at_least_pennies(value)


def _at_least_pennies(value: Decimal) -> Decimal:
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    assert isinstance(exponent, int)
    return value.quantize(Decimal("0.01")) if exponent >= -2 else normal


def _money(value: Decimal) -> str:
    """£12,345.00; an exact amount with more decimals keeps them: £1,234.5675."""
    return f"£{_at_least_pennies(value):,f}"


def _money_or_panel(value: Decimal | None) -> str:
    return "to be set by the panel" if value is None else _money(value)


def _pts(value: Decimal) -> str:
    return f"{_num(value)} point" if value == 1 else f"{_num(value)} points"


def _num(value: Decimal) -> str:
    """Points, weights and caps as printed: 12,345 and 1.5, with a true minus sign."""
    return f"{_plain(value):,f}".replace("-", "−")


def _percent(fraction: Decimal) -> str:
    return f"{_plain(fraction * 100):f}%"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    return str(value)  # an index label of another type


# Wording --------------------------------------------------------------------------------------

Block = tuple[str, str]  # (kind, text): title, heading, group, item, para, answers or domains


def _same(text: str) -> str:
    return text


def _document(e: Explanation, markup: Any = _same) -> Iterator[Block]:
    """The account as blocks; `markup` escapes the scheme's own text for the output format."""
    m = markup
    el = e.elements
    yield "title", "How this indicative budget was worked out"
    yield "para", f"Indicative personal SEN budget: {_money_or_panel(e.personal_sen_budget)}"
    if len(e.streams) > 1 or e.total_personal_budget != e.personal_sen_budget:
        yield "para", f"Total personal budget: {_money_or_panel(e.total_personal_budget)}"
    yield "para", ("This is an indicative amount: a starting point for planning. The final "
                   "budget is agreed when the plan is finalised, and it must be enough to meet "
                   "the needs assessed in the plan.")
    until = f" to {_date(e.effective_to)}" if e.effective_to else " onwards"
    yield "para", (f"Scheme: {m(e.scheme_name)}, version {m(e.scheme_version)}, in force from "
                   f"{_date(e.effective_from)}{until}.")
    yield "para", f"Setting (where the child is educated): {m(el.setting_label)}."

    yield "heading", "1. The answers"
    yield "para", ("Each answer in the assessment scores points. The more support a need "
                   "calls for, the more points the answer usually scores.")
    yield "answers", ""

    yield "heading", "2. Points for each area of need"
    yield "para", ("The points of each area's answers are added up, multiplied by the area's "
                   "weight where it has one, and limited to the area's cap where it has one.")
    yield "domains", ""

    yield "heading", "3. From points to money"
    stream_labels = {s.stream: s.label for s in e.streams}
    for s in e.streams:
        yield "group", m(s.label)
        areas = [m(d.label) for d in e.domains if d.stream == s.stream]
        for sentence in _stream_sentences(s, areas, m):
            yield "item", sentence

    yield "heading", "4. Who pays what: elements 1, 2 and 3"
    yield from (("item", sentence) for sentence in _element_sentences(el, stream_labels, m))

    yield "heading", "5. The budget"
    yield from (("item", sentence) for sentence in _total_sentences(e, m))
    yield "para", (f"Worked out by ras {m(e.ras_version)} under scheme {m(e.scheme_id)} version "
                   f"{m(e.scheme_version)} (fingerprint {e.scheme_fingerprint}). The same "
                   "answers under the same scheme always give the same amounts.")


def _expand_lists(e: Explanation, blocks: Iterable[Block]) -> Iterator[Block]:
    """Plain text has no tables: the answers and the areas become lists of sentences."""
    labels = {d.domain: d.label for d in e.domains}
    for kind, text in blocks:
        if kind == "answers":
            current = None
            for a in e.answers:
                if a.domain != current:
                    current = a.domain
                    yield "group", labels[a.domain]
                yield "item", f"{a.question_label}: “{a.option_label}” scores {_pts(a.points)}."
        elif kind == "domains":
            for d in e.domains:
                yield "item", f"{d.label}: {_domain_sentence(d)}"
        else:
            yield kind, text


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _domain_sentence(d: DomainStep) -> str:
    text = f"the answers add up to {_pts(d.answers_total)}"
    if d.weight != 1:
        text += (f"; this area's points are multiplied by {_num(d.weight)} (its weight), "
                 f"giving {_pts(d.weighted)}")
    if d.cap is None:
        return text + f", so it counts {_pts(d.points)}."
    if d.capped:
        return text + (f"; this area is limited (capped) at {_pts(d.cap)}, so it counts "
                       f"{_pts(d.points)}.")
    return text + (f"; this is within the area's limit (cap) of {_pts(d.cap)}, so it counts "
                   f"{_pts(d.points)}.")


def _stream_sentences(s: StreamStep, areas: list[str], m: Any) -> list[str]:
    if s.method is None:
        return [f"The scheme has no questions for {m(s.label)}, so its amount is "
                f"{_money(Decimal(0))}."]
    out = [f"The points from {_and(areas)} add up to {_pts(s.points)}."
           if areas else f"The points add up to {_pts(s.points)}."]
    if s.points < 0:
        out.append("Points below zero are counted as zero when they are priced.")
    if s.pricing_setting is not None:
        out.append("This setting has its own price table for this part of the budget, "
                   "which is used instead of the scheme's general one.")
    if s.referred:
        assert s.refer_above is not None
        out.append(f"This is above the top of the scheme's table, which goes up to "
                   f"{_pts(s.refer_above)}, so the scheme gives no amount. The case is "
                   "referred to the panel, which will decide the amount.")
        return out
    assert s.priced is not None
    assert s.clamped is not None
    assert s.amount is not None
    out.append(_pricing_sentence(s, m))
    if s.clamp == "minimum":
        assert s.minimum is not None
        out.append(f"This is less than the scheme's minimum of {_money(s.minimum)}, so it is "
                   f"raised to {_money(s.clamped)}.")
    elif s.clamp == "maximum":
        assert s.maximum is not None
        out.append(f"This is more than the scheme's maximum of {_money(s.maximum)}, so it is "
                   f"cut to {_money(s.clamped)}, and the case goes to the panel to check that "
                   "this amount meets the assessed needs.")
    out.append(_rounding_sentence(s))
    if s.lower is not None and s.upper is not None:
        assert s.range_below is not None
        assert s.range_above is not None
        spread = " and ".join(
            [f"less {_percent(s.range_below)}"] * bool(s.range_below)
            + [f"plus {_percent(s.range_above)}"] * bool(s.range_above)) or "itself"
        out.append(f"The indicative range is {_money(s.lower)} to {_money(s.upper)} (the "
                   f"amount {spread}, rounded the same way).")
    return out


def _pricing_sentence(s: StreamStep, m: Any) -> str:
    assert s.priced is not None
    points = max(s.points, Decimal(0))
    if s.method == "rate":
        assert s.rate is not None
        if s.base:
            return (f"The scheme gives {_money(s.base)} plus {_money(s.rate)} for each point: "
                    f"{_money(s.base)} + {_num(points)} × {_money(s.rate)} = "
                    f"{_money(s.priced)}.")
        return (f"The scheme gives {_money(s.rate)} for each point: {_num(points)} × "
                f"{_money(s.rate)} = {_money(s.priced)}.")
    if s.method == "bands":
        assert s.band is not None
        assert s.band_from is not None
        reach = (f"from {_num(s.band_from)} up to {_num(s.band_to)} points, not including "
                 f"{_num(s.band_to)}" if s.band_to is not None
                 else f"{_num(s.band_from)} points or more")
        return (f"The scheme uses a table of bands, each with a fixed amount. "
                f"A score of {_pts(s.points)} falls in band {m(s.band)} ({reach}), "
                f"which gives {_money(s.priced)}.")
    pieces = []
    for i, part in enumerate(s.step_parts):
        if i + 1 < len(s.step_parts):
            where = f"from {_num(part.from_points)} to {_num(part.from_points + part.points)}"
        else:
            where = f"above {_num(part.from_points)}" if part.from_points else ""
        pieces.append(f"the {_pts(part.points)} {where} at {_money(part.rate)} a point: "
                      f"{_money(part.amount)}".replace("  ", " "))
    told = "; ".join(pieces) if s.points > 0 else "there are no points, so nothing is priced"
    return ("The scheme prices points in steps, like income tax bands: each point is priced "
            f"at the rate of the step it falls in. {told[0].upper() + told[1:]}. "
            f"In all: {_money(s.priced)}.")


def _rounding_sentence(s: StreamStep) -> str:
    assert s.amount is not None
    assert s.clamped is not None
    unit, whole = _UNITS.get(s.rounding_unit, (_money(s.rounding_unit), "a whole amount"))
    if not s.rounding_changed:
        if unit == "penny":
            return f"The amount is {_money(s.amount)}."
        return f"{_money(s.amount)} is already {whole}, so rounding does not change it."
    how = {
        "half_up": f"rounded to the nearest {unit} (an exact half is rounded up)",
        "half_even": f"rounded to the nearest {unit} (an exact half goes to the even one)",
        "up": f"rounded up to {whole}",
        "down": f"rounded down to {whole}",
    }[s.rounding_mode]
    return f"{_money(s.clamped)} is {how}: {_money(s.amount)}."


def _element_sentences(el: ElementStep, stream_labels: dict[str, str], m: Any) -> list[str]:
    out = []
    place = el.covers == "whole_place"  # elements 1 and 2 are the place funding, taken off
    if el.element1 and place:
        out.append(f"Element 1 is {_money(el.element1)}: the core funding the school or college "
                   "gets for every pupil, part of the funding for the place.")
    elif el.element1:
        out.append(f"Element 1 is {_money(el.element1)}: the core funding the school or college "
                   "gets for every pupil. It is not part of this budget.")
    else:
        out.append("Element 1: none in this setting.")
    if el.element2 and place:
        out.append(f"Element 2 is {_money(el.element2)}: with element 1, the place funding "
                   "the school or college gets for each place.")
    elif el.element2:
        out.append(f"Element 2 is {_money(el.element2)}: the first {_money(el.element2)} of "
                   "support, which the school or college pays from its own budget.")
    elif place:
        out.append("Element 2: none in this setting; the place funding is element 1 alone.")
    else:
        out.append("Element 2: none. This setting has no budget of its own for special "
                   "educational needs, so nothing is taken off.")
    education = m(stream_labels.get("education", "education"))
    if not el.has_education:
        out.append(f"This scheme has no education questions, so the education amount is "
                   f"{_money(Decimal(0))}.")
    if el.education_amount is None:
        out.append(f"The {education} amount has been referred to the panel, so element 3, "
                   "the top-up, will be set by the panel.")
        return out
    amount = el.education_amount
    assert el.element3 is not None
    if el.covers == "top_up":
        out.append("The scheme's amount is already the top-up, paid on top of elements 1 and "
                   f"2, so element 3 (the top-up from the council) is the education amount: "
                   f"{_money(el.element3)}.")
        return out
    if el.covers == "whole_place":
        what = (f"The scheme prices the whole cost of the place. The place funding, elements 1 "
                f"and 2 together ({_money(el.deduction)}), already pays for part of it")
        less = "less the place funding"
    else:
        what = ("The scheme prices all the additional support needed. The school or college "
                "pays the first part of it (element 2)")
        less = "less element 2"
    if not el.deduction:
        out.append(f"Nothing is taken off in this setting, so element 3 (the top-up from the "
                   f"council) is the education amount: {_money(el.element3)}.")
    elif el.floored:
        out.append(f"{what}, and that covers all of the education amount of {_money(amount)}, "
                   f"so element 3 (the top-up from the council) is {_money(el.element3)}.")
    else:
        out.append(f"{what}, so element 3 (the top-up from the council) is the education "
                   f"amount {less}: {_money(amount)} − {_money(el.deduction)} = "
                   f"{_money(el.element3)}.")
    return out


def _total_sentences(e: Explanation, m: Any) -> list[str]:
    out = [f"The indicative personal SEN budget is element 3: "
           f"{_money_or_panel(e.personal_sen_budget)}. This is the part of the budget the "
           "family can ask to direct."]
    others = [s for s in e.streams if s.stream != "education"]
    if not others:
        return out
    if e.total_personal_budget is None:
        waiting = [m(s.label) for s in e.streams if s.amount is None]
        out.append("The total personal budget will be known when the panel has decided "
                   f"{_and(waiting)}.")
        return out
    assert e.personal_sen_budget is not None
    terms = [f"element 3 ({_money(e.personal_sen_budget)})"]
    terms += [f"{m(s.label)} ({_money(s.amount or Decimal(0))})" for s in others]
    out.append(f"The total personal budget is {' + '.join(terms)} = "
               f"{_money(e.total_personal_budget)}.")
    return out


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# Tables for Markdown and HTML -----------------------------------------------------------------


def _md_answers(e: Explanation) -> list[str]:
    labels = {d.domain: d.label for d in e.domains}
    rows = ["| Area of need | Question | Answer | Points |", "|---|---|---|---:|"]
    rows += [f"| {markdown_text(labels[a.domain])} | {markdown_text(a.question_label)} | "
             f"{markdown_text(a.option_label)} | {_num(a.points)} |" for a in e.answers]
    return [*rows, ""]


def _md_domains(e: Explanation) -> list[str]:
    rows = ["| Area of need | Answers total | Weight | Weighted | Cap | Counts |",
            "|---|---:|---:|---:|---:|---:|"]
    for d in e.domains:
        cap = "none" if d.cap is None else _num(d.cap) + (" (reached)" if d.capped else "")
        rows.append(f"| {markdown_text(d.label)} | {_num(d.answers_total)} | {_num(d.weight)} | "
                    f"{_num(d.weighted)} | {cap} | {_num(d.points)} |")
    return [*rows, ""]


def _html_table(head: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        style = ' style="text-align: right"' if i in numeric else ""
        return f"<{tag}{style}>{html.escape(text)}</{tag}>"

    out = ["<table>", "<thead><tr>" + "".join(cell("th", i, h) for i, h in enumerate(head))
           + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(cell("td", i, t) for i, t in enumerate(r)) + "</tr>" for r in rows]
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _html_answers(e: Explanation) -> str:
    labels = {d.domain: d.label for d in e.domains}
    return _html_table(["Area of need", "Question", "Answer", "Points"],
                       [[labels[a.domain], a.question_label, a.option_label, _num(a.points)]
                        for a in e.answers], {3})


def _html_domains(e: Explanation) -> str:
    return _html_table(
        ["Area of need", "Answers total", "Weight", "Weighted", "Cap", "Counts"],
        [[d.label, _num(d.answers_total), _num(d.weight), _num(d.weighted),
          "none" if d.cap is None else _num(d.cap) + (" (reached)" if d.capped else ""),
          _num(d.points)] for d in e.domains],
        {1, 2, 3, 4, 5})
