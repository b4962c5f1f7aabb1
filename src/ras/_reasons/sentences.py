"""The wording of an explanation: the account as blocks of (kind, text), one sentence per figure.

The renderers (text, markdown, HTML) lay the same blocks out; `markup` escapes the scheme's own
text (labels, band names) for each output format.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ras._reasons.figures import (
    and_list,
    long_date,
    number,
    percent_text,
    points_phrase,
    pounds,
    pounds_or_panel,
)
from ras._reasons.steps import DomainStep, ElementStep, StreamStep

if TYPE_CHECKING:
    from ras._reasons.explanation import Explanation

__all__ = ["Block", "document", "domain_sentence"]

_UNITS = {  # rounding unit -> (the nearest ..., a whole amount of ...)
    Decimal("0.01"): ("penny", "a whole number of pence"),
    Decimal(1): ("pound", "a whole number of pounds"),
    Decimal(10): ("£10", "a multiple of £10"),
    Decimal(100): ("£100", "a multiple of £100"),
}

Block = tuple[str, str]  # (kind, text): title, heading, group, item, para, answers or domains


def _same(text: str) -> str:
    return text


def document(e: Explanation, markup: Any = _same) -> Iterator[Block]:
    """The account as blocks; `markup` escapes the scheme's own text for the output format."""
    m = markup
    el = e.elements
    yield "title", "How this indicative budget was worked out"
    yield "para", f"Indicative personal SEN budget: {pounds_or_panel(e.personal_sen_budget)}"
    if len(e.streams) > 1 or e.total_personal_budget != e.personal_sen_budget:
        yield "para", f"Total personal budget: {pounds_or_panel(e.total_personal_budget)}"
    yield "para", ("This is an indicative amount: a starting point for planning. The final "
                   "budget is agreed when the plan is finalised, and it must be enough to meet "
                   "the needs assessed in the plan.")
    until = f" to {long_date(e.effective_to)}" if e.effective_to else " onwards"
    yield "para", (f"Scheme: {m(e.scheme_name)}, version {m(e.scheme_version)}, in force from "
                   f"{long_date(e.effective_from)}{until}.")
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


def domain_sentence(d: DomainStep) -> str:
    text = f"the answers add up to {points_phrase(d.answers_total)}"
    if d.weight != 1:
        text += (f"; this area's points are multiplied by {number(d.weight)} (its weight), "
                 f"giving {points_phrase(d.weighted)}")
    if d.cap is None:
        return text + f", so it counts {points_phrase(d.points)}."
    if d.capped:
        return text + (f"; this area is limited (capped) at {points_phrase(d.cap)}, so it counts "
                       f"{points_phrase(d.points)}.")
    return text + (f"; this is within the area's limit (cap) of {points_phrase(d.cap)}, so it "
                   f"counts {points_phrase(d.points)}.")


def _stream_sentences(s: StreamStep, areas: list[str], m: Any) -> list[str]:
    if s.method is None:
        return [f"The scheme has no questions for {m(s.label)}, so its amount is "
                f"{pounds(Decimal(0))}."]
    out = [f"The points from {and_list(areas)} add up to {points_phrase(s.points)}."
           if areas else f"The points add up to {points_phrase(s.points)}."]
    if s.points < 0:
        out.append("Points below zero are counted as zero when they are priced.")
    if s.pricing_setting is not None:
        out.append("This setting has its own price table for this part of the budget, "
                   "which is used instead of the scheme's general one.")
    if s.referred:
        assert s.refer_above is not None
        out.append(f"This is above the top of the scheme's table, which goes up to "
                   f"{points_phrase(s.refer_above)}, so the scheme gives no amount. The case is "
                   "referred to the panel, which will decide the amount.")
        return out
    assert s.priced is not None
    assert s.clamped is not None
    assert s.amount is not None
    out.append(_pricing_sentence(s, m))
    if s.clamp == "minimum":
        assert s.minimum is not None
        out.append(f"This is less than the scheme's minimum of {pounds(s.minimum)}, so it is "
                   f"raised to {pounds(s.clamped)}.")
    elif s.clamp == "maximum":
        assert s.maximum is not None
        out.append(f"This is more than the scheme's maximum of {pounds(s.maximum)}, so it is "
                   f"cut to {pounds(s.clamped)}, and the case goes to the panel to check that "
                   "this amount meets the assessed needs.")
    out.append(_rounding_sentence(s))
    if s.lower is not None and s.upper is not None:
        assert s.range_below is not None
        assert s.range_above is not None
        spread = " and ".join(
            [f"less {percent_text(s.range_below)}"] * bool(s.range_below)
            + [f"plus {percent_text(s.range_above)}"] * bool(s.range_above)) or "itself"
        out.append(f"The indicative range is {pounds(s.lower)} to {pounds(s.upper)} (the "
                   f"amount {spread}, rounded the same way).")
    return out


def _pricing_sentence(s: StreamStep, m: Any) -> str:
    assert s.priced is not None
    points = max(s.points, Decimal(0))
    if s.method == "rate":
        assert s.rate is not None
        if s.base:
            return (f"The scheme gives {pounds(s.base)} plus {pounds(s.rate)} for each point: "
                    f"{pounds(s.base)} + {number(points)} × {pounds(s.rate)} = "
                    f"{pounds(s.priced)}.")
        return (f"The scheme gives {pounds(s.rate)} for each point: {number(points)} × "
                f"{pounds(s.rate)} = {pounds(s.priced)}.")
    if s.method == "bands":
        assert s.band is not None
        assert s.band_from is not None
        reach = (f"from {number(s.band_from)} up to {number(s.band_to)} points, not including "
                 f"{number(s.band_to)}" if s.band_to is not None
                 else f"{number(s.band_from)} points or more")
        return (f"The scheme uses a table of bands, each with a fixed amount. "
                f"A score of {points_phrase(s.points)} falls in band {m(s.band)} ({reach}), "
                f"which gives {pounds(s.priced)}.")
    pieces = []
    for i, part in enumerate(s.step_parts):
        if i + 1 < len(s.step_parts):
            where = f"from {number(part.from_points)} to {number(part.from_points + part.points)}"
        else:
            where = f"above {number(part.from_points)}" if part.from_points else ""
        pieces.append(f"the {points_phrase(part.points)} {where} at {pounds(part.rate)} a point: "
                      f"{pounds(part.amount)}".replace("  ", " "))
    told = "; ".join(pieces) if s.points > 0 else "there are no points, so nothing is priced"
    return ("The scheme prices points in steps, like income tax bands: each point is priced "
            f"at the rate of the step it falls in. {told[0].upper() + told[1:]}. "
            f"In all: {pounds(s.priced)}.")


def _rounding_sentence(s: StreamStep) -> str:
    assert s.amount is not None
    assert s.clamped is not None
    unit, whole = _UNITS.get(s.rounding_unit, (pounds(s.rounding_unit), "a whole amount"))
    if not s.rounding_changed:
        if unit == "penny":
            return f"The amount is {pounds(s.amount)}."
        return f"{pounds(s.amount)} is already {whole}, so rounding does not change it."
    how = {
        "half_up": f"rounded to the nearest {unit} (an exact half is rounded up)",
        "half_even": f"rounded to the nearest {unit} (an exact half goes to the even one)",
        "up": f"rounded up to {whole}",
        "down": f"rounded down to {whole}",
    }[s.rounding_mode]
    return f"{pounds(s.clamped)} is {how}: {pounds(s.amount)}."


def _element_sentences(el: ElementStep, stream_labels: dict[str, str], m: Any) -> list[str]:
    out = []
    place = el.covers == "whole_place"  # elements 1 and 2 are the place funding, taken off
    if el.element1 and place:
        out.append(f"Element 1 is {pounds(el.element1)}: the core funding the school or college "
                   "gets for every pupil, part of the funding for the place.")
    elif el.element1:
        out.append(f"Element 1 is {pounds(el.element1)}: the core funding the school or college "
                   "gets for every pupil. It is not part of this budget.")
    else:
        out.append("Element 1: none in this setting.")
    if el.element2 and place:
        out.append(f"Element 2 is {pounds(el.element2)}: with element 1, the place funding "
                   "the school or college gets for each place.")
    elif el.element2:
        out.append(f"Element 2 is {pounds(el.element2)}: the first {pounds(el.element2)} of "
                   "support, which the school or college pays from its own budget.")
    elif place:
        out.append("Element 2: none in this setting; the place funding is element 1 alone.")
    else:
        out.append("Element 2: none. This setting has no budget of its own for special "
                   "educational needs, so nothing is taken off.")
    education = m(stream_labels.get("education", "education"))
    if not el.has_education:
        out.append(f"This scheme has no education questions, so the education amount is "
                   f"{pounds(Decimal(0))}.")
    if el.education_amount is None:
        out.append(f"The {education} amount has been referred to the panel, so element 3, "
                   "the top-up, will be set by the panel.")
        return out
    amount = el.education_amount
    assert el.element3 is not None
    if el.covers == "top_up":
        out.append("The scheme's amount is already the top-up, paid on top of elements 1 and "
                   f"2, so element 3 (the top-up from the council) is the education amount: "
                   f"{pounds(el.element3)}.")
        return out
    if el.covers == "whole_place":
        what = (f"The scheme prices the whole cost of the place. The place funding, elements 1 "
                f"and 2 together ({pounds(el.deduction)}), already pays for part of it")
        less = "less the place funding"
    else:
        what = ("The scheme prices all the additional support needed. The school or college "
                "pays the first part of it (element 2)")
        less = "less element 2"
    if not el.deduction:
        out.append(f"Nothing is taken off in this setting, so element 3 (the top-up from the "
                   f"council) is the education amount: {pounds(el.element3)}.")
    elif el.floored:
        out.append(f"{what}, and that covers all of the education amount of {pounds(amount)}, "
                   f"so element 3 (the top-up from the council) is {pounds(el.element3)}.")
    else:
        out.append(f"{what}, so element 3 (the top-up from the council) is the education "
                   f"amount {less}: {pounds(amount)} − {pounds(el.deduction)} = "
                   f"{pounds(el.element3)}.")
    return out


def _total_sentences(e: Explanation, m: Any) -> list[str]:
    out = [f"The indicative personal SEN budget is element 3: "
           f"{pounds_or_panel(e.personal_sen_budget)}. This is the part of the budget the "
           "family can ask to direct."]
    others = [s for s in e.streams if s.stream != "education"]
    if not others:
        return out
    if e.total_personal_budget is None:
        waiting = [m(s.label) for s in e.streams if s.amount is None]
        out.append("The total personal budget will be known when the panel has decided "
                   f"{and_list(waiting)}.")
        return out
    assert e.personal_sen_budget is not None
    terms = [f"element 3 ({pounds(e.personal_sen_budget)})"]
    terms += [f"{m(s.label)} ({pounds(s.amount or Decimal(0))})" for s in others]
    out.append(f"The total personal budget is {' + '.join(terms)} = "
               f"{pounds(e.total_personal_budget)}.")
    return out
