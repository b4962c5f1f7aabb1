"""The budget letter: a child's indicative personal SEN budget, told to the family.

Every figure comes from the explanation, which is read off the kernel's own trace of the child's
row, so the letter cannot disagree with the budget. The summary is chosen by what is true for
the child: an amount, an amount cut to the scheme's maximum, no amount because the panel decides,
nothing because the school meets the support, or a top-up that pays for a place (which cannot be
taken as a direct payment).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from decimal import Decimal
from functools import lru_cache, partial
from typing import TYPE_CHECKING

import pandas as pd

from ras._base import UsageError
from ras._reasons.council import CouncilWords, council_words
from ras._reasons.figures import number, per_period, whole_pounds
from ras._reasons.letter import Letter
from ras._reasons.letter_common import Details, footer, rights_section
from ras._reasons.letter_parts import Block, Items, Paragraph, Section, Subheading, Table, clean
from ras._reasons.reuse import ByIdentity
from ras._reasons.sentences import (
    Voice,
    answers_heading,
    areas_heading,
    budget_blocks,
    domain_counts,
    elements_blocks,
    money_heading,
    stream_blocks,
)
from ras._reasons.trace import explain_budget, explain_rows

if TYPE_CHECKING:
    from ras._reasons.explanation import Explanation
    from ras._reasons.steps import AnswerStep, DomainStep, StreamStep
    from ras._scheme import Budget, Scheme

__all__ = [
    "budget_letter",
    "letter_for_budget",
    "letters_for_rows",
    "place_word",
    "working_section",
]

money = whole_pounds


def place_word(setting_label: str) -> tuple[str, str]:
    """(the place, at the place) in a parent's words: ('school', 'at school')."""
    label = setting_label.lower()
    if "college" in label or "post-16" in label or "post16" in label:
        return "college", "at college"
    if "childminder" in label:
        return "childminder", "with their childminder"
    if any(word in label for word in ("early years", "nursery", "pre-school")):
        return "nursery", "at nursery"
    return "school", "at school"


def budget_letter(e: Explanation, scheme: Scheme, details: Details) -> Letter:
    words = council_words(scheme)
    el = e.elements
    place = el.covers == "whole_place"
    sections = [
        # the same for every letter with these words and details: made once, and shared
        _RIGHTS.get((words, details), place, partial(rights_section, words, details,
                                                     place=place)),
        _NEXT_STEPS.get((words,), None, partial(_next_steps, words)),
        working_section(e, words),
    ]
    if e.personal_sen_budget is None:
        title = f"Personal SEN budget for {details.name}: for the panel to decide"
    else:
        title = f"Indicative personal SEN budget for {details.name}"
    return Letter(
        kind="budget",
        title=title[0].upper() + title[1:],
        council=words.council,
        details=details.rows(),
        summary=" ".join(summary_sentences(e, words, details)),
        sections=tuple(sections),
        footer=footer(scheme),
        scheme_id=scheme.id,
        scheme_version=scheme.version,
        scheme_reference=scheme.fingerprint[:12],
    )


_RIGHTS: ByIdentity[Section] = ByIdentity(bound=1024)
_NEXT_STEPS: ByIdentity[Section] = ByIdentity(bound=1024)


def _next_steps(words: CouncilWords) -> Section:
    return Section("next_steps", "What happens next", (Paragraph(words.next_steps),))


def summary_sentences(e: Explanation, words: CouncilWords, details: Details) -> list[str]:
    """At most five short sentences: the amount and its period, what it is for, whether it is
    a first guide, cut to the maximum or for the panel, and what happens next."""
    el = e.elements
    per = words.per
    budget, total = e.personal_sen_budget, e.total_personal_budget
    start = details.name_start + ("'" if details.name.endswith("s") else "'s")
    where, at = place_word(el.setting_label)
    education = next((s for s in e.streams if s.stream == "education"), None)
    others = [s for s in e.streams if s.stream != "education" and s.method is not None]
    guide = "It is a first guide (an indicative amount)."
    agree = "We will agree the final sum with you in the EHC plan."
    parts = _total_sentence(others, total, budget, words)
    if not el.has_education:
        if total is None:
            return [f"A panel will decide {start[0].lower() + start[1:]} personal budget.",
                    "We will write to you when the panel has decided."]
        return [f"{start} personal budget is {per(money(total))}.", guide, agree]
    if budget is None:
        return [f"A panel will decide {details.names} personal SEN budget.",
                "This is because their needs are above the top of the council's table.",
                "So the table does not give an amount.", *parts,
                "We will write to you when the panel has decided."]
    amount = el.education_amount or Decimal(0)
    if el.covers == "whole_place":
        if budget:
            return [f"The council will pay the {where} {per(money(budget))} for "
                    f"{details.names} place.",
                    "This pays for the place, so it cannot be paid to you as a direct "
                    "payment.", *parts, guide, agree]
        return [f"The money the {where} gets for each place covers the cost of "
                f"{details.names} place.",
                *([f"The place costs {per(money(amount))}."] * bool(amount)),
                "So the council does not need to add any more.", *parts, agree]
    if not budget and not amount and not el.deduction and el.covers != "top_up":
        return [f"The council's table gives no extra money for {details.names} needs at this "
                "level.", "So there is no personal SEN budget for now.", *parts,
                "We will agree the help with you in the EHC plan."]
    if not budget:
        return [f"{start} {where} will pay for the extra help from its own budget.",
                *([f"This help is worth {per(money(amount))}."] * bool(amount)),
                "So there is no personal SEN budget from the council for now.", *parts,
                "We will agree the help with you in the EHC plan."]
    out = [f"{start} personal SEN budget is {per(money(budget))}.",
           f"It is for extra help {at}.", *parts]
    if education is not None and education.clamp == "maximum":
        out += ["This is the most our table gives, so a panel will check it is enough.", agree]
    else:
        out += [guide, agree]
        if len(out) < 5:
            out.append("You can ask to have it paid to you as a direct payment.")
    return out


def _total_sentence(others: list[StreamStep], total: Decimal | None, budget: Decimal | None,
                    words: CouncilWords) -> list[str]:
    """The total personal budget where other parts join the personal SEN budget; the parts
    themselves are in the table of amounts."""
    if not others:
        return []
    if any(s.amount is None for s in others):
        return ["A panel will also decide one of the other parts."]
    if total is None or budget is None or total == budget:
        return []
    return [f"With the other parts, the total personal budget is {words.per(money(total))}."]


def _lower(label: str) -> str:
    """A label inside a sentence: 'Social care' -> 'social care', but 'SEN' stays."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def working_section(e: Explanation, words: CouncilWords) -> Section:
    """The explanation's steps, in the scheme's words, for anyone who wants to check them."""
    voice = _family_voice(words.point, words.points, e.period)
    blocks: list[Block] = [
        Paragraph(f"This part shows each step, for anyone who wants to check the figures. "
                  f"Every amount is {words.span}."),
        Paragraph("Schools and colleges are funded in three parts. Element 1 is the money "
                  "they get for every pupil. Element 2 is the first part of the cost of extra "
                  "help, which they pay from their own budget. Element 3 is the top-up from "
                  "the council: this is the personal SEN budget."),
        Paragraph(f"Where the child is educated: {clean(e.elements.setting_label)}."),
    ]
    blocks += shared_working(e, words, voice)
    return Section("working", "How we worked this out", tuple(blocks))


def shared_working(e: Explanation, words: CouncilWords, voice: Voice) -> list[Block]:
    """``working``'s steps as a letter's blocks, each run that repeats from child to child made
    once: the headings for the scheme (``words`` is one object for each scheme), a stream's
    pricing for its step, the elements for theirs. Always equal to ``_blocks`` of ``working``
    (a test holds it so); only the answers, the areas' table and the budget are the child's."""
    said = voice.key
    out = list(_RUNS.get((words,), ("answers heading", said),
                         partial(_blocks, e, answers_heading(voice), voice)))
    out += _answer_tables(e, voice)
    out += _RUNS.get((words,), ("areas heading", said),
                     partial(_blocks, e, areas_heading(e, clean, voice), voice))
    out.append(_domain_table(e, voice))
    out += _RUNS.get((words,), ("money heading", said),
                     partial(_blocks, e, money_heading(voice), voice))
    for s in e.streams:
        out += _RUNS.get((words, s), ("stream", said),
                         partial(_blocks, e, stream_blocks(e, s, clean, voice), voice))
    out += _RUNS.get((words, e.elements), ("elements", said),
                     partial(_blocks, e, elements_blocks(e, clean, voice), voice))
    out += _blocks(e, budget_blocks(e, clean, voice), voice)
    return out


# Runs of the working by the steps they are made from (and the scheme's words).
_RUNS: ByIdentity[list[Block]] = ByIdentity(bound=16_384)


@lru_cache(maxsize=256)  # one Voice for each wording: caches keyed by it find it at once
def _family_voice(point: str, points: str, period: str) -> Voice:
    """A letter's voice: whole pounds, the scheme's word for points, no rounding that changes
    nothing."""
    return Voice(money=whole_pounds, point=point, points=points, quiet_rounding=True,
                 per=per_period(period))


# What a letter makes of steps shared by a cohort's children: a table of an area's answers, by
# the answer steps, and an area's row of the table of areas, by the area's step.
_TABLES: ByIdentity[Table] = ByIdentity(bound=16_384)
_AREA_ROWS: ByIdentity[tuple[str, str]] = ByIdentity(bound=16_384)


def _blocks(e: Explanation, parts: Iterable[tuple[str, str]], voice: Voice) -> list[Block]:
    out: list[Block] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            out.append(Items(tuple(items)))
            items.clear()

    for kind, text in parts:
        if kind == "item":
            items.append(text)
            continue
        flush()
        if kind == "heading":
            out.append(Subheading(text))
        elif kind == "group":
            out.append(Paragraph(text + ":"))
        elif kind == "answers":
            out += _answer_tables(e, voice)
        elif kind == "domains":
            out.append(_domain_table(e, voice))
        else:
            out.append(Paragraph(text))
    flush()
    return out


def _answer_tables(e: Explanation, voice: Voice) -> list[Block]:
    """One table per area of need; a number question shows its number and unit, and an
    option's (or question's) description for families sits beside the answer."""
    by_domain: dict[str, list[AnswerStep]] = {d.domain: [] for d in e.domains}
    for a in e.answers:
        by_domain[a.domain].append(a)
    return [_TABLES.get(tuple(by_domain[d.domain]), (d.label, voice.points),
                        partial(_answer_table, d.label, by_domain[d.domain], voice))
            for d in e.domains]


def _answer_table(label: str, answers: list[AnswerStep], voice: Voice) -> Table:
    rows = []
    for a in answers:
        answer = (f"{number(a.number)} {a.unit}" if a.number is not None and a.unit
                  else a.option_label)
        if a.description:
            answer = f"{answer}. {a.description}"
        rows.append((clean(a.question_label), clean(answer), number(a.points)))
    return Table(clean(label), ("Question", "Answer", voice.points.capitalize()),
                 tuple(rows), (False, False, True))


def _domain_table(e: Explanation, voice: Voice) -> Table:
    said = voice.key
    rows = tuple(_AREA_ROWS.get((d,), said, partial(_area_row, d, voice)) for d in e.domains)
    return Table(f"{voice.points.capitalize()} for each area of need",
                 ("Area of need", "How it counts"), rows, (False, False))


def _area_row(d: DomainStep, voice: Voice) -> tuple[str, str]:
    return clean(d.label), _how_it_counts(d, voice)


def _how_it_counts(d: DomainStep, voice: Voice) -> str:
    """The area's sentence as a table cell: no full stop of its own, then the area's
    description as the council wrote it (its last full stop, or "e.g.", kept)."""
    counts = _first_up(domain_counts(d, voice).rstrip("."))
    return f"{counts}. {clean(d.description)}" if d.description else counts


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def letter_for_budget(budget: Budget, details: Details) -> Letter:
    """The budget letter of one child, from the kernel's trace of the budget's row."""
    return budget_letter(explain_budget(budget), budget.scheme, details)


def letters_for_rows(scheme: Scheme, cohort: pd.DataFrame, rows: Iterable[Hashable] | None,
                     details: Details) -> dict[Hashable, Letter]:
    """Budget letters of chosen rows of a cohort (all of them when ``rows`` is None), in cohort
    order or the order asked: one traced kernel run, then each row read as one child's."""
    if rows is None:
        if not isinstance(cohort, pd.DataFrame):
            raise UsageError(f"cohort must be a pandas DataFrame, not {type(cohort).__name__}")
        if not cohort.index.is_unique:
            raise UsageError("the cohort's index has repeated labels; give the cohort a unique "
                             "index so that each letter names one child")
        rows = list(cohort.index)
    explanations = explain_rows(scheme, cohort, rows)
    return {label: budget_letter(e, scheme, details) for label, e in explanations.items()}
