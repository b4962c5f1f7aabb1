"""Building an explanation from the kernel's trace of the child's row (one row with its trace
columns): every figure comes from the same kernel run that priced the budget.

``calculate`` skips the trace, so the row is run again with it and its figures are checked against
the budget's before any is read. A cohort's chosen rows (``explain_rows``) are traced in one run
and each row is read from it, the children sharing every step they have in common (``Steps``).
Only labels, rule parameters and wording come from the scheme.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ras._base import UsageError
from ras._engine import REVIEW_TEXT, Compiled, Raw, run, want_for
from ras._format import Domain, Question
from ras._reasons.explanation import Explanation
from ras._reasons.figures import exact_money, plain
from ras._reasons.steps import AnswerStep, DomainStep, ElementStep, StepPart, StreamStep
from ras._scheme import pence_to_pounds, points_to_decimal, pounds_unless

if TYPE_CHECKING:
    from ras._scheme import Budget, Scheme

__all__ = ["explain_budget", "explain_rows"]


class Steps:
    """The steps already read for one scheme's rows, by the kernel figures they are read from.

    A cohort's children share most of their areas, streams and elements (the same points, the
    same band, the same amounts), and a step is a function of its own figures in the kernel's
    integers, the setting, and the scheme: so ``explain_rows`` reads each distinct step once.
    The keys hold every figure the step is read from, so two children share a step only when
    it would be read the same for both.
    """

    __slots__ = ("answers", "domains", "elements", "scheme", "streams")

    def __init__(self) -> None:
        self.answers: dict[tuple[int, ...], tuple[AnswerStep, ...]] = {}  # an area's answers
        self.domains: dict[tuple[int, ...], DomainStep] = {}
        self.streams: dict[tuple[Any, ...], StreamStep] = {}
        self.elements: dict[tuple[Any, ...], ElementStep] = {}
        self.scheme: dict[str, Any] | None = None  # what every explanation says of the scheme


def _of_the_scheme(scheme: Scheme) -> dict[str, Any]:
    """What an explanation says of its scheme and of ras, the same for each of its children."""
    from ras._base import __version__  # at call time: ras/__init__ imports this module's importers

    return {"scheme_id": scheme.id, "scheme_name": scheme.name,
            "scheme_version": scheme.version, "scheme_fingerprint": scheme.fingerprint,
            "effective_from": scheme.effective_from, "effective_to": scheme.effective_to,
            "ras_version": __version__, "period": scheme.period,
            "points_word": (scheme.points_word.one, scheme.points_word.other)}


def explain_budget(budget: Budget, row: Hashable | None = None) -> Explanation:
    """Read the explanation off the kernel's trace of the budget's row."""
    scheme = budget.scheme
    c = scheme.compiled
    positions = {q: scheme.option_ids[q].index(budget.answers[q]) for q in c.question_ids}
    raw = budget._raw if budget._raw.tier is not None else _traced(budget, positions)
    return _explain(scheme, raw, budget.setting, positions, row, Steps())


def _explain(scheme: Scheme, raw: Raw, setting: str, positions: dict[str, int],
             row: Hashable | None, known: Steps) -> Explanation:
    """The explanation of one traced kernel row (its first), every figure read from the row;
    steps already in ``known`` (read for other rows of the same run) are shared."""
    model, c = scheme.model, scheme.compiled
    if raw.domain_sum is None or raw.weighted is None or raw.priced is None \
            or raw.clamped is None or raw.tier is None or raw.total is None \
            or raw.total_missing is None:  # pragma: no cover - traced above
        raise RuntimeError("no kernel trace for this budget")
    answers: list[AnswerStep] = []
    domain_steps: list[DomainStep] = []
    figures = zip(raw.domain_sum[0].tolist(), raw.weighted[0].tolist(),
                  raw.domain_points[0].tolist(), strict=True)
    for d, (domain, (total, weighted, points)) in enumerate(zip(model.domains, figures,
                                                                 strict=True)):
        chosen = (d, *(positions[q.id] for q in domain.questions))
        run = known.answers.get(chosen)
        if run is None:
            run = known.answers[chosen] = tuple(
                _answer(q, domain.id, positions[q.id]) for q in domain.questions)
        answers += run
        key = (d, total, weighted, points)
        step = known.domains.get(key)
        if step is None:
            step = known.domains[key] = _domain_step(c, domain, total, weighted, points)
        domain_steps.append(step)
    elements = _shared_element_step(scheme, setting, raw, known)
    if known.scheme is None:
        known.scheme = _of_the_scheme(scheme)
    return Explanation(
        **known.scheme,
        row=row,
        answers=tuple(answers),
        domains=tuple(domain_steps),
        streams=tuple(_shared_streams(scheme, setting, raw, known)),
        elements=elements,
        personal_sen_budget=elements.element3,  # the personal SEN budget is element 3
        total_personal_budget=pounds_unless(raw.total[0], raw.total_missing[0]),
    )


_ANSWERS: dict[tuple[int, str, int], tuple[Question, AnswerStep]] = {}


def _answer(question: Question, domain: str, position: int) -> AnswerStep:
    """One answer as the scheme words it: an option, or a number question's number.

    The same question and position always give the same step, so it is made once: a cohort's
    explanations repeat the same few hundred answers (the question is kept with its step, so
    its id cannot be reused while the entry lives).
    """
    key = (id(question), domain, position)
    found = _ANSWERS.get(key)
    if found is not None and found[0] is question:
        return found[1]
    if len(_ANSWERS) > 100_000:
        _ANSWERS.clear()
    step = _make_answer(question, domain, position)
    _ANSWERS[key] = (question, step)
    return step


def _make_answer(question: Question, domain: str, position: int) -> AnswerStep:
    label = question.label or question.id
    number = question.number
    if number is None:
        assert question.options is not None
        option = question.options[position]
        return AnswerStep(question=question.id, question_label=label, domain=domain,
                          option=option.id, option_label=option.label or option.id,
                          position=position, points=plain(option.points),
                          description=option.description or question.description)
    value = plain(number.value(position))
    text = format(value, "f")
    return AnswerStep(question=question.id, question_label=label, domain=domain,
                      option=text, option_label=f"{text} {number.unit}", position=position,
                      points=plain(question.points_at(position)),
                      description=question.description, number=value, unit=number.unit,
                      per_unit=plain(number.points_per_unit))


def _domain_step(c: Compiled, domain: Domain, total: int, weighted: int,
                 points: int) -> DomainStep:
    return DomainStep(
        domain=domain.id,
        label=domain.label or domain.id,
        stream=domain.stream,
        answers_total=points_to_decimal(total, c.option_exp),
        weight=plain(domain.weight),
        weighted=points_to_decimal(weighted, c.point_exp),
        cap=plain(domain.cap) if domain.cap is not None else None,
        capped=points != weighted,
        points=points_to_decimal(points, c.point_exp),
        combine=domain.combine or "sum",
        description=domain.description,
    )


def _shared_streams(scheme: Scheme, setting: str, raw: Raw, known: Steps
                    ) -> Iterator[StreamStep]:
    """Each stream's step, read once for each distinct setting and set of the stream's figures
    (every per-stream array of the trace, and for a max stream the areas' points, which pick
    its highest area; a summed stream reads only their sum)."""
    c = scheme.compiled
    per_stream = [a[0].tolist() for a in (
        raw.stream_points, raw.amount, raw.missing, raw.review, raw.band, raw.variant,
        raw.lower, raw.upper, raw.priced, raw.clamped, raw.tier) if a is not None]
    domain_points = raw.domain_points[0].tolist()
    for s in range(len(c.stream_ids)):
        key = (s, setting, *(row[s] for row in per_stream),
               *(domain_points[d] for d in c.stream_domains[s] if c.stream_max[s]))
        step = known.streams.get(key)
        if step is None:
            step = known.streams[key] = _stream_step(scheme, setting, raw, s)
        yield step


def _shared_element_step(scheme: Scheme, setting: str, raw: Raw, known: Steps) -> ElementStep:
    """The elements, read once for each setting and its education amount and elements."""
    assert raw.element1 is not None
    assert raw.element2 is not None
    assert raw.element3 is not None
    assert raw.element3_missing is not None
    education = scheme.compiled.education
    key = (setting, raw.element1[0], raw.element2[0], raw.element3[0],
           raw.element3_missing[0],
           None if raw.element1_unknown is None else raw.element1_unknown[0],
           None if education is None else raw.amount[0, education],
           None if education is None else raw.missing[0, education])
    step = known.elements.get(key)
    if step is None:
        step = known.elements[key] = _element_step(scheme, setting, raw)
    return step


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


def _stream_step(scheme: Scheme, setting: str, raw: Raw, s: int) -> StreamStep:
    assert raw.priced is not None
    assert raw.clamped is not None
    assert raw.tier is not None
    assert raw.variant is not None
    assert raw.review is not None
    model, c = scheme.model, scheme.compiled
    stream = c.stream_ids[s]
    declared = (model.streams or {}).get(stream)
    label = declared.label if declared is not None else None
    points = points_to_decimal(raw.stream_points[0, s], c.point_exp)
    rng = model.indicative_range
    missing = bool(raw.missing[0, s])
    lower = upper = None  # as Budget.ranges: none where referred, or without a range
    if raw.lower is not None and raw.upper is not None and not missing:
        lower, upper = pence_to_pounds(raw.lower[0, s]), pence_to_pounds(raw.upper[0, s])
    review = int(raw.review[0, s])
    common: dict[str, Any] = {
        "stream": stream,
        "label": label or stream.replace("_", " ").capitalize(),
        "points": points,
        "rounding_unit": plain(model.rounding.unit),
        "rounding_mode": model.rounding.mode,
        "amount": pounds_unless(raw.amount[0, s], missing),  # as Budget.stream_amounts
        "review": REVIEW_TEXT[review] if review else "",
        "lower": lower,
        "upper": upper,
        "range_below": plain(rng.below) if rng is not None else None,
        "range_above": plain(rng.above) if rng is not None else None,
    }
    combine = "max" if c.stream_max[s] else "sum"
    common["combine"] = combine
    common["description"] = declared.description if declared is not None else None
    if combine == "max" and c.stream_domains[s]:
        members = c.stream_domains[s]
        best = max(members, key=lambda d: (int(raw.domain_points[0, d]), -d))
        common["highest_domain"] = c.domain_ids[best]
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
    if pricing.bands is not None and tier >= 0 and not referred:
        common["band_description"] = pricing.bands[tier].description
    if pricing.steps is not None and tier >= 0 and not referred:
        common["band_description"] = pricing.steps[tier].description
    if pricing.bands is not None and tier >= 0:
        band = pricing.bands[tier].label
        band_from = plain(pricing.bands[tier].from_points)
        if tier + 1 < len(pricing.bands):
            band_to = plain(pricing.bands[tier + 1].from_points)
    if pricing.steps is not None and tier >= 0:
        parts = _step_parts(c, table.starts, table.cumulative, pricing.steps, tier,
                            max(int(raw.stream_points[0, s]), 0), priced_units)
    pence_units = int(raw.amount[0, s]) * 10 ** (c.money_exp - 2)
    return StreamStep(
        method=pricing.method,
        pricing_setting=setting if variant != 0 else None,
        base=plain(pricing.base) if pricing.base is not None else None,
        rate=plain(pricing.rate) if pricing.rate is not None else None,
        band=None if referred else band,
        band_from=None if referred else band_from,
        band_to=None if referred else band_to,
        step_parts=() if referred else parts,
        priced=None if referred else exact_money(priced_units, c.money_exp),
        minimum=plain(pricing.minimum) if pricing.minimum is not None else None,
        maximum=plain(pricing.maximum) if pricing.maximum is not None else None,
        clamp=None if referred or clamped_units == priced_units
        else ("minimum" if clamped_units > priced_units else "maximum"),
        clamped=None if referred else exact_money(clamped_units, c.money_exp),
        rounding_changed=not referred and pence_units != clamped_units,
        refer_above=plain(pricing.refer_above) if pricing.refer_above is not None else None,
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
            rate=plain(steps[i].rate),
            amount=exact_money(amount, c.money_exp),
        ))
    return tuple(parts)


def _element_step(scheme: Scheme, setting: str, raw: Raw) -> ElementStep:
    assert raw.element1 is not None
    assert raw.element2 is not None
    assert raw.element3 is not None
    assert raw.element3_missing is not None
    c = scheme.compiled
    setting_model = scheme.model.settings[setting]
    position = c.setting_ids.index(setting)
    education = c.education
    has_education = education is not None and c.stream_has_domains[education]
    amount = (pounds_unless(raw.amount[0, education], raw.missing[0, education])
              if education is not None and has_education else Decimal("0.00"))
    deduction = pence_to_pounds(c.deduction[position])
    unknown = raw.element1_unknown is not None and bool(raw.element1_unknown[0])
    return ElementStep(
        setting=setting,
        setting_label=setting_model.label or setting,
        covers=setting_model.ras_covers,
        element1=pounds_unless(raw.element1[0], unknown),  # None: not known, never £0
        element2=pence_to_pounds(raw.element2[0]),
        education_amount=amount,
        has_education=has_education,
        deduction=deduction,
        floored=amount is not None and amount < deduction,
        element3=pounds_unless(raw.element3[0], raw.element3_missing[0]),
        description=setting_model.description,
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
    values = {f.name: getattr(raw, f.name) for f in fields(raw)}
    arrays = [(name, value) for name, value in values.items() if isinstance(value, np.ndarray)]
    others: dict[str, Any] = {name: value for name, value in values.items()
              if not isinstance(value, np.ndarray)} | {"n": 1}
    steps = Steps()
    out: dict[Hashable, Explanation] = {}
    for i, (label, codes, setting) in enumerate(zip(labels, encoded.codes.tolist(),
                                                    encoded.settings.tolist(), strict=True)):
        at = dict(zip(c.question_ids, codes, strict=True))
        row_arrays: dict[str, Any] = {name: value[i : i + 1] for name, value in arrays}
        one_row = Raw(**others, **row_arrays)
        out[label] = _explain(scheme, one_row, c.setting_ids[setting], at, label, steps)
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
