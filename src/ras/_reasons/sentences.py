"""The wording of an explanation: the account as blocks of (kind, text), one sentence per figure.

The renderers (text, markdown, HTML) lay the same blocks out; `markup` escapes the scheme's own
text (labels, band names) for each output format. A `Voice` says how the figures are spoken: the
officers' explanation (pounds and pence, every step) or a family letter's working (pounds without
pence where they are zero, the scheme's own word for points, rounding that changes nothing left
out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ras._reasons.figures import (
    and_list,
    long_date,
    money_points,
    number,
    per_period,
    per_unit,
    percent_text,
    pounds,
)
from ras._reasons.steps import AnswerStep, DomainStep, ElementStep, StreamStep

if TYPE_CHECKING:
    from ras._reasons.explanation import Explanation

__all__ = [
    "OFFICERS",
    "Block",
    "Voice",
    "answer_sentence",
    "answers_heading",
    "areas_heading",
    "budget_blocks",
    "document",
    "domain_counts",
    "domain_sentence",
    "elements_blocks",
    "explanation_voice",
    "money_heading",
    "nothing_reason",
    "stream_blocks",
    "working",
]

_UNITS = {  # rounding unit -> (the nearest ..., a whole amount of ...)
    Decimal("0.01"): ("penny", "a whole number of pence"),
    Decimal(1): ("pound", "a whole number of pounds"),
    Decimal(10): ("£10", "a multiple of £10"),
    Decimal(100): ("£100", "a multiple of £100"),
}

Block = tuple[str, str]  # (kind, text): title, heading, group, item, para, answers or domains


def _same(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Voice:
    """How figures are spoken: money, the scheme's word for points, and what is left unsaid."""

    money: Callable[[Decimal], str] = pounds
    point: str = "point"
    points: str = "points"
    quiet_rounding: bool = False  # leave out rounding that changes nothing
    per: str = ""  # after a final amount: "" (a year, as version 1 always read), " a term"

    @property
    def key(self) -> tuple[object, ...]:
        """Every field, as a plain tuple: a cheap cache key (a dataclass's == runs in Python)."""
        return (self.money, self.point, self.points, self.quiet_rounding, self.per)

    def pts(self, value: Decimal) -> str:
        return f"{number(value)} {self.point if value == 1 else self.points}"


OFFICERS = Voice()  # the explanation: every step, pounds and pence


def explanation_voice(e: Explanation) -> Voice:
    """The officers' voice in the scheme's own words: its points_word and its period."""
    return _officers(e.points_word[0], e.points_word[1], e.period)


@lru_cache(maxsize=256)  # one Voice for each wording: caches keyed by it find it at once
def _officers(point: str, points: str, period: str) -> Voice:
    return Voice(point=point, points=points, per=per_period(period))


def document(e: Explanation, markup: Any = _same) -> Iterator[Block]:
    """The account as blocks; `markup` escapes the scheme's own text for the output format."""
    m = markup
    el = e.elements
    v = explanation_voice(e)
    yield "title", "How this indicative budget was worked out"
    headline = pounds_or_panel_in(e.personal_sen_budget, v)
    yield "para", f"Indicative personal SEN budget: {headline}" + _why_nothing(e, v)
    if len(e.streams) > 1 or e.total_personal_budget != e.personal_sen_budget:
        yield "para", f"Total personal budget: {pounds_or_panel_in(e.total_personal_budget, v)}"
    if e.period != "year":
        what = {"term": "for a term", "week": "for a week", "one_off": "a one-off amount"}.get(
            e.period, e.period)
        yield "para", (f"Every amount in this scheme is {what}, as the scheme sets it; nothing "
                       "here is converted to a yearly figure.")
    if e.personal_sen_budget is None:
        yield "para", ("The scheme gives no amount: the panel will set it. The final budget is "
                       "agreed when the plan is finalised, and it must be enough to meet the "
                       "needs assessed in the plan.")
    else:
        yield "para", ("This is an indicative amount: a starting point for planning. The final "
                       "budget is agreed when the plan is finalised, and it must be enough to "
                       "meet the needs assessed in the plan.")
    until = f" to {long_date(e.effective_to)}" if e.effective_to else " onwards"
    yield "para", (f"Scheme: {m(e.scheme_name)}, version {m(e.scheme_version)}, in force from "
                   f"{long_date(e.effective_from)}{until}.")
    yield "para", f"Setting (where the child is educated): {m(el.setting_label)}."
    if el.description:
        yield "para", m(el.description)
    yield from working(e, m, v)
    yield "para", (f"Worked out by ras {m(e.ras_version)} under scheme {m(e.scheme_id)} version "
                   f"{m(e.scheme_version)} (fingerprint {e.scheme_fingerprint}). The same "
                   "answers under the same scheme always give the same amounts.")


def nothing_reason(e: Explanation, v: Voice) -> str:
    """Why a personal SEN budget of nothing is nothing (the setting meets the support), or ""."""
    el = e.elements
    if e.personal_sen_budget != 0 or not el.has_education or el.education_amount is None:
        return ""
    if el.covers == "whole_place":
        return "the place funding meets the whole cost of the place"
    if el.education_amount:
        return (f"the school or college meets the support, worth "
                f"{v.money(el.education_amount)}, from its own budget")
    return "the school or college meets the support from its own budget"


def _why_nothing(e: Explanation, v: Voice) -> str:
    reason = nothing_reason(e, v)
    return f" ({reason})" if reason else ""


def working(e: Explanation, markup: Any = _same, voice: Voice = OFFICERS) -> Iterator[Block]:
    """The numbered steps: answers, areas, points to money, who pays what, the budget."""
    m, v = markup, voice
    yield from answers_heading(v)
    yield "answers", ""
    yield from areas_heading(e, m, v)
    yield "domains", ""
    yield from money_heading(v)
    labels = tuple((d.domain, m(d.label)) for d in e.domains)
    for s in e.streams:
        yield from stream_blocks(e, s, m, v, labels)
    yield from elements_blocks(e, m, v)
    yield from budget_blocks(e, m, v)


# The runs of blocks ``working`` is made of, for a renderer that keeps some of them: each is
# made from its arguments' steps and from the scheme's own labels.


def answers_heading(v: Voice) -> Iterator[Block]:
    yield "heading", "1. The answers"
    yield "para", (f"Each answer in the assessment scores {v.points}. The more support a need "
                   f"calls for, the more {v.points} the answer usually scores.")


def areas_heading(e: Explanation, m: Any, v: Voice) -> Iterator[Block]:
    """Step 2's heading and rule; it names the scheme's max areas (labels, not figures)."""
    yield "heading", f"2. {v.points.capitalize()} for each area of need"
    highest = [m(d.label) for d in e.domains if d.combine == "max"]
    added = (f" (or, in {and_list(highest)}, the highest answer counts)" if highest else "")
    yield "para", (f"The {v.points} of each area's answers are added up{added}, multiplied by "
                   "the area's weight where it has one, and limited to the area's cap where it "
                   "has one.")


def money_heading(v: Voice) -> Iterator[Block]:
    yield "heading", f"3. From {v.points} to money"


def stream_blocks(e: Explanation, s: StreamStep, m: Any, v: Voice,
                  labels: tuple[tuple[str, str], ...] | None = None) -> Iterator[Block]:
    """One stream's pricing: its step, and the scheme's area labels from ``e`` (``labels``:
    each area's, marked up, when the caller has them)."""
    yield "group", m(s.label)
    if s.description:
        yield "para", m(s.description)
    if labels is None:
        labels = tuple((d.domain, m(d.label)) for d in e.domains)
    areas = tuple(m(d.label) for d in e.domains if d.stream == s.stream)
    for sentence in _stream_sentences_of(s, areas, m, v, labels):
        yield "item", sentence


def elements_blocks(e: Explanation, m: Any, v: Voice) -> Iterator[Block]:
    """Step 4: the elements step, and the scheme's stream labels from ``e``."""
    yield "heading", "4. Who pays what: elements 1, 2 and 3"
    stream_labels = {s.stream: s.label for s in e.streams}
    yield from (("item", sentence) for sentence in
                _element_sentences_of(e.elements, tuple(stream_labels.items()), m, v))


def budget_blocks(e: Explanation, m: Any, v: Voice) -> Iterator[Block]:
    yield "heading", "5. The budget"
    yield from (("item", sentence) for sentence in _total_sentences(e, m, v))


# The sentences of a step are cached by the step's figures: every formatter they use (pounds,
# number, percent_text) reads a Decimal's value only, so equal steps always say the same thing.
@lru_cache(maxsize=65536)
def answer_sentence(a: AnswerStep, v: Voice = OFFICERS) -> str:
    """One answer and what it scores, in the scheme's words, with its description."""
    if a.number is not None and a.unit is not None and a.per_unit is not None:
        if money_points((v.point, v.points)):  # points are pounds: "at £11.81 an hour"
            text = (f"{a.question_label}: {number(a.number)} {a.unit} at "
                    f"{v.money(a.per_unit)} {per_unit(a.unit)}: {v.money(a.points)}.")
        else:
            text = (f"{a.question_label}: {number(a.number)} {a.unit} × {number(a.per_unit)} "
                    f"{v.points} each scores {v.pts(a.points)}.")
    else:
        text = f"{a.question_label}: “{a.option_label}” scores {v.pts(a.points)}."
    return text + (f" {a.description}" if a.description else "")


def domain_sentence(d: DomainStep, v: Voice = OFFICERS) -> str:
    """How an area counts, and its description."""
    text = domain_counts(d, v)
    return f"{text} {d.description}" if d.description else text


@lru_cache(maxsize=65536)
def domain_counts(d: DomainStep, v: Voice = OFFICERS) -> str:
    """How an area counts: its answers, weight and cap, as one sentence."""
    if d.combine == "max":
        text = f"the highest answer is {v.pts(d.answers_total)}"
    else:
        text = f"the answers add up to {v.pts(d.answers_total)}"
    if d.weight != 1:
        text += (f"; this area's {v.points} are multiplied by {number(d.weight)} (its weight), "
                 f"giving {v.pts(d.weighted)}")
    if d.cap is None:
        text += f", so it counts {v.pts(d.points)}."
    elif d.capped:
        text += (f"; this area is limited (capped) at {v.pts(d.cap)}, so it counts "
                 f"{v.pts(d.points)}.")
    else:
        text += (f"; this is within the area's limit (cap) of {v.pts(d.cap)}, so it "
                 f"counts {v.pts(d.points)}.")
    return text


@lru_cache(maxsize=65536)
def _stream_sentences_of(s: StreamStep, areas: tuple[str, ...], m: Any, v: Voice,
                         labels: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(_stream_sentences(s, list(areas), m, v, dict(labels)))


def _stream_sentences(s: StreamStep, areas: list[str], m: Any, v: Voice,
                      labels: dict[str, str] | None = None) -> list[str]:
    if s.method is None:
        return [f"The scheme has no questions for {m(s.label)}, so its amount is "
                f"{v.money(Decimal(0))}."]
    if s.combine == "max" and s.highest_domain is not None:
        area = (labels or {}).get(s.highest_domain, m(s.highest_domain))
        level = (f"{v.point} {number(s.points)}" if v.points != "points"
                 else v.pts(s.points))  # "level 4 in ...", "4 points in ..."
        out = [f"The highest area sets the band: {level} in {area}."]
    else:
        out = [f"The {v.points} from {and_list(areas)} add up to {v.pts(s.points)}."
               if areas else f"The {v.points} add up to {v.pts(s.points)}."]
    if s.points < 0:
        out.append(f"{v.points.capitalize()} below zero are counted as zero when they are "
                   "priced.")
    if s.pricing_setting is not None:
        out.append("This setting has its own price table for this part of the budget, "
                   "which is used instead of the scheme's general one.")
    if s.referred:
        assert s.refer_above is not None
        out.append(f"This is above the top of the scheme's table, which goes up to "
                   f"{v.pts(s.refer_above)}, so the scheme gives no amount. The case is "
                   "referred to the panel, which will decide the amount.")
        return out
    assert s.priced is not None
    assert s.clamped is not None
    assert s.amount is not None
    out.append(_pricing_sentence(s, m, v))
    if s.band_description:
        out.append(m(s.band_description))
    if s.clamp == "minimum":
        assert s.minimum is not None
        out.append(f"This is less than the scheme's minimum of {v.money(s.minimum)}, so it is "
                   f"raised to {v.money(s.clamped)}.")
    elif s.clamp == "maximum":
        assert s.maximum is not None
        out.append(f"This is more than the scheme's maximum of {v.money(s.maximum)}, so it is "
                   f"cut to {v.money(s.clamped)}, and the case goes to the panel to check that "
                   "this amount meets the assessed needs.")
    rounding = _rounding_sentence(s, v)
    if rounding:
        out.append(rounding)
    if s.lower is not None and s.upper is not None and (s.lower or s.upper):
        assert s.range_below is not None
        assert s.range_above is not None
        spread = " and ".join(
            [f"less {percent_text(s.range_below)}"] * bool(s.range_below)
            + [f"plus {percent_text(s.range_above)}"] * bool(s.range_above)) or "itself"
        where = (", before anything is taken off for elements 1 and 2,"
                 if s.stream == "education" else "")
        text = (f"The indicative range of this amount{where} is {v.money(s.lower)} to "
                f"{v.money(s.upper)} (the amount {spread}, rounded the same way).")
        if s.clamp == "maximum" and s.maximum is not None and s.upper > s.maximum:
            text += (f" Its top is above the scheme's maximum of {v.money(s.maximum)}: only "
                     "the panel can agree more than the maximum.")
        out.append(text)
    return out


def _pricing_sentence(s: StreamStep, m: Any, v: Voice) -> str:
    assert s.priced is not None
    points = max(s.points, Decimal(0))
    if s.method == "rate":
        assert s.rate is not None
        if s.base:
            return (f"The scheme gives {v.money(s.base)} plus {v.money(s.rate)} for each "
                    f"{v.point}: {v.money(s.base)} + {number(points)} × {v.money(s.rate)} = "
                    f"{v.money(s.priced)}.")
        return (f"The scheme gives {v.money(s.rate)} for each {v.point}: {number(points)} × "
                f"{v.money(s.rate)} = {v.money(s.priced)}.")
    if s.method == "bands":
        assert s.band is not None
        assert s.band_from is not None
        reach = (f"from {number(s.band_from)} up to {number(s.band_to)} {v.points}, not "
                 f"including {number(s.band_to)}" if s.band_to is not None
                 else f"{number(s.band_from)} {v.points} or more")
        band = m(s.band) if s.band.lower().startswith("band") else f"band {m(s.band)}"
        return (f"The scheme uses a table of bands, each with a fixed amount. "
                f"A score of {v.pts(s.points)} falls in {band} ({reach}), "
                f"which gives {v.money(s.priced)}.")
    pieces = []
    for i, part in enumerate(s.step_parts):
        if i + 1 < len(s.step_parts):
            where = f"from {number(part.from_points)} to {number(part.from_points + part.points)}"
        else:
            where = f"above {number(part.from_points)}" if part.from_points else ""
        pieces.append(f"the {v.pts(part.points)} {where} at {v.money(part.rate)} a {v.point}: "
                      f"{v.money(part.amount)}".replace("  ", " "))
    told = ("; ".join(pieces) if s.points > 0
            else f"there are no {v.points}, so nothing is priced")
    return (f"The scheme prices {v.points} in steps, like income tax bands: each {v.point} is "
            f"priced at the rate of the step it falls in. {told[0].upper() + told[1:]}. "
            f"In all: {v.money(s.priced)}.")


def _rounding_sentence(s: StreamStep, v: Voice) -> str:
    assert s.amount is not None
    assert s.clamped is not None
    unit, whole = _UNITS.get(s.rounding_unit, (pounds(s.rounding_unit), "a whole amount"))
    if not s.rounding_changed:
        if v.quiet_rounding:
            return ""
        if unit == "penny":
            return f"The amount is {v.money(s.amount)}{v.per}."
        return f"{v.money(s.amount)} is already {whole}, so rounding does not change it."
    how = {
        "half_up": f"rounded to the nearest {unit} (an exact half is rounded up)",
        "half_even": f"rounded to the nearest {unit} (an exact half goes to the even one)",
        "up": f"rounded up to {whole}",
        "down": f"rounded down to {whole}",
    }[s.rounding_mode]
    return f"{v.money(s.clamped)} is {how}: {v.money(s.amount)}{v.per}."


@lru_cache(maxsize=65536)
def _element_sentences_of(el: ElementStep, stream_labels: tuple[tuple[str, str], ...], m: Any,
                          v: Voice) -> tuple[str, ...]:
    return tuple(_element_sentences(el, dict(stream_labels), m, v))


def _element_sentences(
    el: ElementStep, stream_labels: dict[str, str], m: Any, v: Voice
) -> list[str]:
    out = []
    money = v.money
    place = el.covers == "whole_place"  # elements 1 and 2 are the place funding, taken off
    if el.element1 is None:
        out.append("Element 1 (the core funding for every pupil) is not known: the scheme does "
                   "not give it for this setting. It is not part of this budget.")
    elif el.element1 and place:
        out.append(f"Element 1 is {money(el.element1)}: the core funding the school or college "
                   "gets for every pupil, part of the funding for the place.")
    elif el.element1:
        out.append(f"Element 1 is {money(el.element1)}: the core funding the school or college "
                   "gets for every pupil. It is not part of this budget.")
    else:
        out.append("Element 1: none in this setting.")
    if el.element2 and place:
        out.append(f"Element 2 is {money(el.element2)}: with element 1, the place funding "
                   "the school or college gets for each place.")
    elif el.element2:
        out.append(f"Element 2 is {money(el.element2)}: the first {money(el.element2)} of "
                   "support, which the school or college pays from its own budget.")
    elif place:
        out.append("Element 2: none in this setting; the place funding is element 1 alone.")
    else:
        out.append("Element 2: none. This setting has no budget of its own for special "
                   "educational needs, so nothing is taken off.")
    education = m(stream_labels.get("education", "education"))
    if not el.has_education:
        out.append(f"This scheme has no education questions, so the education amount is "
                   f"{money(Decimal(0))}.")
    if el.education_amount is None:
        out.append(f"The amount for {education} has been referred to the panel, so element 3, "
                   "the top-up, will be set by the panel.")
        return out
    amount = el.education_amount
    assert el.element3 is not None
    if el.covers == "top_up":
        out.append("The scheme's amount is already the top-up, paid on top of elements 1 and "
                   f"2, so element 3 (the top-up from the council) is the education amount: "
                   f"{money(el.element3)}{v.per}.")
        return out
    if el.covers == "whole_place":
        what = (f"The scheme prices the whole cost of the place. The place funding, elements 1 "
                f"and 2 together ({money(el.deduction)}), already pays for part of it")
        less = "less the place funding"
    else:
        what = ("The scheme prices all the additional support needed. The school or college "
                "pays the first part of it (element 2)")
        less = "less element 2"
    if not el.deduction:
        out.append(f"Nothing is taken off in this setting, so element 3 (the top-up from the "
                   f"council) is the education amount: {money(el.element3)}{v.per}.")
    elif el.floored:
        out.append(f"{what}, and that covers all of the education amount of {money(amount)}, "
                   f"so element 3 (the top-up from the council) is {money(el.element3)}.")
    else:
        out.append(f"{what}, so element 3 (the top-up from the council) is the education "
                   f"amount {less}: {money(amount)} − {money(el.deduction)} = "
                   f"{money(el.element3)}{v.per}.")
    return out


def _total_sentences(e: Explanation, m: Any, v: Voice) -> list[str]:
    el = e.elements
    budget = e.personal_sen_budget
    first = f"The indicative personal SEN budget is element 3: {pounds_or_panel_in(budget, v)}."
    if budget is None:
        first = "The indicative personal SEN budget, element 3, will be set by the panel."
    elif el.covers == "whole_place" and budget:
        first += (" In this setting it pays for the school or college place, and a direct "
                  "payment cannot pay for a place: the family cannot take it as money.")
    elif budget:
        first += " This is the part of the budget the family can ask to direct."
    elif reason := nothing_reason(e, v):
        first += f" {reason[0].upper()}{reason[1:]}."
    out = [first]
    others = [s for s in e.streams if s.stream != "education"]
    if not others:
        return out
    if e.total_personal_budget is None:
        waiting = [m(s.label) for s in e.streams if s.amount is None]
        out.append("The total personal budget will be known when the panel has decided "
                   f"{and_list(waiting)}.")
        return out
    assert budget is not None
    terms = [f"element 3 ({v.money(budget)})"]
    terms += [f"{m(s.label)} ({v.money(s.amount or Decimal(0))})" for s in others]
    out.append(f"The total personal budget is {' + '.join(terms)} = "
               f"{v.money(e.total_personal_budget)}{v.per}.")
    return out


def pounds_or_panel_in(value: Decimal | None, v: Voice) -> str:
    return "to be set by the panel" if value is None else v.money(value) + v.per
