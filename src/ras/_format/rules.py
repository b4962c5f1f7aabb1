"""The rules of the format that relate one part of a scheme to another.

Each rule returns problems as (key path, message) so that the loader can add file and line.
All rules run and all problems are reported together: a finance officer fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from ras._format.model import ROUNDING_UNITS, Pricing, SchemeModel
from ras._format.yaml import KeyPath, format_key_path

__all__ = ["MAX_STEPS", "RESERVED_QUESTION_IDS", "check_rules", "decimals"]

Finding = tuple[KeyPath, str]

RESERVED_QUESTION_IDS = frozenset({"setting"})  # column names a cohort frame already uses
MAX_DECIMALS = 6  # weights, rates, fractions and money amounts: far beyond any published scheme
MAX_STEPS = 100_000  # answers on one number question's grid (0 to 1,000 hours by 0.01 is 100,001)

METHOD_KEYS = {"rate": {"rate", "base"}, "bands": {"bands"}, "steps": {"steps"}}
SHARED_KEYS = {"method", "minimum", "maximum", "refer_above"}


def decimals(value: Decimal) -> int:
    """Digits after the decimal point that carry value: 1.50 -> 1, 300 -> 0.

    Counted from the digits themselves: ``normalize()`` would first round to the context's 28
    digits, and 300.0000000000000000000000000001 would count as 300."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return 0 if trailing == len(digits) else max(0, -(exponent + trailing))


def check_rules(model: SchemeModel) -> list[Finding]:
    """Every cross-reference and ordering rule of the format, in file order."""
    findings: list[Finding] = []
    findings += _dates(model)
    findings += _unique_ids(model)
    findings += _streams(model)
    findings += _output_columns(model)
    findings += _precision(model)
    findings += _rounding(model)
    findings += _numbers(model)
    findings += _elements(model)
    for stream, pricing in model.pricing.items():
        findings += _pricing(pricing, ("pricing", stream))
    for setting_id, setting in model.settings.items():
        for stream, pricing in (setting.pricing or {}).items():
            findings += _pricing(pricing, ("settings", setting_id, "pricing", stream))
    return findings


def _dates(model: SchemeModel) -> Iterator[Finding]:
    if model.effective_to is not None and model.effective_to < model.effective_from:
        yield (
            ("effective_to",),
            f"effective_to {model.effective_to} is before effective_from {model.effective_from}",
        )


def _duplicates(ids: Iterable[tuple[str, KeyPath]], what: str) -> Iterator[Finding]:
    seen: dict[str, KeyPath] = {}
    for id_, path in ids:
        if id_ in seen:
            first = format_key_path(seen[id_])
            yield (path, f"duplicate {what} id '{id_}' (already used at {first})")
        else:
            seen[id_] = path


def _unique_ids(model: SchemeModel) -> Iterator[Finding]:
    yield from _duplicates(
        ((d.id, ("domains", i, "id")) for i, d in enumerate(model.domains)), "domain"
    )
    yield from _duplicates(
        (
            (q.id, ("domains", i, "questions", j, "id"))
            for i, d in enumerate(model.domains)
            for j, q in enumerate(d.questions)
        ),
        "question",
    )
    for i, d in enumerate(model.domains):
        for j, q in enumerate(d.questions):
            path = ("domains", i, "questions", j)
            if q.id in RESERVED_QUESTION_IDS:
                yield (
                    (*path, "id"),
                    f"'{q.id}' cannot be a question id: a cohort's '{q.id}' column holds "
                    "where the child is educated",
                )
            yield from _duplicates(
                ((o.id, (*path, "options", k, "id")) for k, o in enumerate(q.options or ())),
                "option",
            )


_STREAM_COLUMNS = ("points", "amount", "band", "lower", "upper", "review")


def _output_columns(model: SchemeModel) -> Iterator[Finding]:
    """Output columns must have distinct names: a stream called 'points' would name its columns
    like the points of domains called 'amount', 'band' and so on."""
    if "points" not in model.stream_ids:
        return
    for i, domain in enumerate(model.domains):
        if domain.id in _STREAM_COLUMNS:
            yield (("domains", i, "id"),
                   f"domain id '{domain.id}' would name its output column 'points_{domain.id}', "
                   f"which stream 'points' also names (its {domain.id}); rename one of them")


def _streams(model: SchemeModel) -> Iterator[Finding]:
    declared = model.stream_ids
    allowed = ", ".join(declared)
    used: dict[str, int] = {}
    for i, domain in enumerate(model.domains):
        used.setdefault(domain.stream, i)
        if domain.stream not in declared:
            yield (
                ("domains", i, "stream"),
                f"stream '{domain.stream}' is not declared in streams; declared: {allowed}",
            )
    for stream, i in used.items():
        if stream in declared and stream not in model.pricing:
            yield (
                ("pricing",),
                f"stream '{stream}' has domains (first domains[{i}]) but no pricing; "
                f"add pricing.{stream}",
            )
    for stream in model.pricing:
        if stream not in declared:
            yield (("pricing", stream), f"'{stream}' is not a declared stream; declared: {allowed}")
    for setting_id, setting in model.settings.items():
        for stream in setting.pricing or {}:
            if stream not in declared:
                yield (
                    ("settings", setting_id, "pricing", stream),
                    f"'{stream}' is not a declared stream; declared: {allowed}",
                )


def _precision(model: SchemeModel) -> Iterator[Finding]:
    """Elements are money paid in pence; other numbers may be finer, but not absurdly fine."""
    for setting_id, setting in model.settings.items():
        for key in ("element1", "element2"):
            value: Decimal | None = getattr(setting, key)
            if value is not None and decimals(value) > 2:
                yield (
                    ("settings", setting_id, key),
                    f"must be pounds and pence, at most 2 decimals (found {value})",
                )
    for i, domain in enumerate(model.domains):
        if decimals(domain.weight) > MAX_DECIMALS:
            yield (
                ("domains", i, "weight"),
                f"at most {MAX_DECIMALS} decimals (found {domain.weight})",
            )
    if model.indicative_range is not None:
        for key in ("below", "above"):
            value = getattr(model.indicative_range, key)
            if decimals(value) > MAX_DECIMALS:
                found = f"at most {MAX_DECIMALS} decimals (found {value})"
                yield (("indicative_range", key), found)


def _numbers(model: SchemeModel) -> Iterator[Finding]:
    """A number question's grid: min below max, a whole number of steps between, not huge."""
    for i, domain in enumerate(model.domains):
        for j, question in enumerate(domain.questions):
            number = question.number
            if number is None:
                continue
            path: KeyPath = ("domains", i, "questions", j, "number")
            if number.min >= number.max:
                yield ((*path, "max"), f"max {number.max} must be above min {number.min}")
                continue
            steps = (number.max - number.min) / number.step
            if steps != steps.to_integral_value():
                yield ((*path, "step"),
                       f"max - min ({number.max - number.min}) must be a whole number of "
                       f"steps of {number.step}")
            elif steps + 1 > MAX_STEPS:
                yield ((*path, "step"),
                       f"{int(steps) + 1:,} answers from {number.min} to {number.max} by "
                       f"{number.step}: at most {MAX_STEPS:,}; use a coarser step")


def _elements(model: SchemeModel) -> Iterator[Finding]:
    """Element 1 may be unknown, except where the top-up pays for the place (it is deducted)."""
    for setting_id, setting in model.settings.items():
        if setting.element1 is None and setting.ras_covers == "whole_place":
            yield (("settings", setting_id),
                   "'element1' is required here: a whole_place setting's top-up is the "
                   "amount less elements 1 and 2")


def _rounding(model: SchemeModel) -> Iterator[Finding]:
    unit = model.rounding.unit
    if unit not in ROUNDING_UNITS:
        yield (
            ("rounding", "unit"),
            f"unknown rounding unit {unit}; allowed: 0.01, 1, 10, 100",
        )


def _pricing(pricing: Pricing, path: KeyPath) -> Iterator[Finding]:
    given = {key for key in type(pricing).model_fields if getattr(pricing, key) is not None}
    allowed = METHOD_KEYS[pricing.method] | SHARED_KEYS
    for key in sorted(given - allowed):
        yield (
            (*path, key),
            f"'{key}' does not belong to method {pricing.method}; "
            f"its keys are {', '.join(sorted(allowed))}",
        )
    required = {"rate": "rate", "bands": "bands", "steps": "steps"}[pricing.method]
    if required not in given:
        yield (path, f"method {pricing.method} needs '{required}'")
    for key in ("rate", "base", "minimum", "maximum"):
        value = getattr(pricing, key)
        if value is not None and decimals(value) > MAX_DECIMALS:
            yield ((*path, key), f"at most {MAX_DECIMALS} decimals (found {value})")
    if (
        pricing.minimum is not None
        and pricing.maximum is not None
        and pricing.minimum > pricing.maximum
    ):
        yield (
            (*path, "minimum"),
            f"minimum {pricing.minimum} is above maximum {pricing.maximum}",
        )
    if pricing.bands is not None:
        yield from _table([b.from_points for b in pricing.bands], (*path, "bands"), "bands")
        yield from _duplicates(
            ((b.label, (*path, "bands", i, "label")) for i, b in enumerate(pricing.bands)), "band"
        )
        for i, band in enumerate(pricing.bands):
            if decimals(band.amount) > MAX_DECIMALS:
                yield ((*path, "bands", i, "amount"), f"at most {MAX_DECIMALS} decimals")
    if pricing.steps is not None:
        yield from _table([s.from_points for s in pricing.steps], (*path, "steps"), "steps")
        for i, step in enumerate(pricing.steps):
            if decimals(step.rate) > MAX_DECIMALS:
                yield ((*path, "steps", i, "rate"), f"at most {MAX_DECIMALS} decimals")


def _table(starts: Sequence[Decimal], path: KeyPath, what: str) -> Iterator[Finding]:
    if not starts:
        yield (path, f"{what} need at least one entry, starting at from_points 0")
        return
    if starts[0] != 0:
        yield ((*path, 0, "from_points"), f"{what} must start at from_points 0 (found {starts[0]})")
    for i in range(1, len(starts)):
        if starts[i] <= starts[i - 1]:
            yield (
                (*path, i, "from_points"),
                f"{what} must be strictly increasing in from_points: {starts[i]} follows "
                f"{starts[i - 1]}",
            )

