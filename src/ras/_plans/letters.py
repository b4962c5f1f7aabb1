"""The plan's letters: a refused direct payment, and the final personal budget of an agreed plan.

A refusal must give the reason and say the family may ask for a review (SEN (Personal Budgets)
Regulations 2014). The final budget letter shows the family what is theirs: what each line pays
for, how it is paid, who holds the money and whether the head teacher agreed; the council's
points to check go in a separate section for officers, which prints on a page of its own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from ras._base import PlanError, PlanProblem, UsageError
from ras._plans.provision import DP_NO_CONSENT, DP_PLACE, DP_REFUSED
from ras._reasons import (
    Details,
    Items,
    Letter,
    Paragraph,
    Section,
    Table,
    clean,
    council_words,
    footer,
    place_word,
    rights_section,
    whole_pounds,
)

if TYPE_CHECKING:
    from ras._plans.plan import PersonalBudget
    from ras._scheme import Scheme

__all__ = ["personal_budget_letter", "refusal_letter"]

money = whole_pounds
# Why a direct payment cannot be made, in the family's words, for each refusing check.
REASONS = {
    DP_PLACE: "the law does not let a direct payment pay for a school or college place",
    DP_REFUSED: "the head teacher (or college principal) has said no to a direct payment "
                "for help given at the school",
    DP_NO_CONSENT: "the head teacher (or college principal) has not yet agreed to a direct "
                   "payment for help given at the school",
}
HOLDERS = {
    "direct_payment": ("Direct payment", "You"),
    "arrangement": ("Arrangement", "The council, school or college"),
    "third_party": ("Third-party arrangement", "A person or group you chose"),
}


def refusal_letter(
    error: PlanError,
    scheme: Scheme,
    *,
    child: str | None = None,
    reference: str | None = None,
    date: dt.date | None = None,
    school: str | None = None,
) -> Letter:
    """The letter that tells a family a direct payment they asked for cannot be made: which
    help, why, what can be done instead, and that they can ask for a review.

    ``error`` is the ``ras.PlanError`` that refused the plan; its problems that refuse a
    direct payment (for a place, or on the premises without the head teacher's consent) are
    the ones the letter is about. A PlanError with none of them is refused: it is a mistake
    in the plan for the council to fix, not a decision to send.

    Parameters
    ----------
    error
        The ``ras.PlanError`` that refused the plan.
    scheme
        The scheme whose ``letter:`` block gives the council's words.
    child
        The child's name, as the letter should address them.
    reference
        The council's case reference.
    date
        The date of the letter (today by default).
    school
        The school or college named in the letter.

    Returns
    -------
    Letter
        Render it with ``to_text()``, ``to_markdown()``, ``to_html()`` or ``to_dict()``.

    Raises
    ------
    UsageError
        An error with no problem that refuses a direct payment, or details that are not text.

    Examples
    --------
    >>> import ras
    >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> try:
    ...     ras.Plan([{"description": "Place", "stream": "education", "cost": 9000,
    ...                "delivery": "direct_payment", "is_place": True}])
    ... except ras.PlanError as error:
    ...     letter = ras.refusal_letter(error, scheme, child="Amir")
    >>> "We cannot pay for “Place” as a direct payment." in letter.to_text()
    True
    """
    if not isinstance(error, PlanError):
        raise UsageError(f"refusal_letter needs the ras.PlanError that refused the plan, not "
                         f"{type(error).__name__}")
    refused = [p for p in error.problems if p.message in REASONS]
    if not refused:
        raise UsageError("this PlanError refuses no direct payment (its problems are: "
                         f"{'; '.join(p.message for p in error.problems[:3])}); fix the "
                         "plan rather than write to the family")
    details = Details(child, reference, date, school)
    words = council_words(scheme)
    lines = [_line(p) for p in refused]
    what = (f"We cannot pay for {lines[0]} as a direct payment." if len(lines) == 1
            else f"We cannot pay for {len(lines)} parts of {details.names} plan as a direct "
                 "payment.")
    why = (f"This is because {REASONS[refused[0].message]}." if len(refused) == 1
           else "The reasons are below.")
    summary = [what, why, "The help can still be given in another way.",
               "You can ask us to look at this decision again."]
    reasons = Section("reasons", "Why we cannot pay this way", (
        Items(tuple(f"{_line(p)[0].upper() + _line(p)[1:]}: {REASONS[p.message]}."
                    for p in refused)),
    ))
    ways = [Paragraph("The council, school or college can hold the money, and you decide how "
                      "it is spent. This is called an arrangement."),
            Paragraph("Or a person or group you choose can hold it for you. This is called a "
                      "third-party arrangement.")]
    if any(p.message != DP_PLACE for p in refused):
        ways.append(Paragraph("If the help is given away from the school or college, or the "
                              "head teacher agrees later, you can ask again."))
    return Letter(
        kind="refusal",
        title="Your request for a direct payment",
        council=words.council,
        details=details.rows(),
        summary=" ".join(summary),
        sections=(reasons, Section("other_ways", "What can happen instead", tuple(ways)),
                  rights_section(words, details, refusal=True)),
        footer=footer(scheme),
        scheme_id=scheme.id,
        scheme_version=scheme.version,
        scheme_reference=scheme.fingerprint[:12],
    )


def _line(problem: PlanProblem) -> str:
    if problem.description:
        return f"“{clean(problem.description)}”"
    return "this help" if problem.index is None else f"line {problem.index + 1} of the plan"


def personal_budget_letter(budget: PersonalBudget, details: Details) -> Letter:
    scheme = budget.scheme
    words = council_words(scheme)
    where, at = place_word(budget.setting_label)
    total, sen = budget.total_personal_budget, budget.element3
    dp = budget.by_mechanism.get("direct_payment", Decimal(0))
    start = details.name_start + ("'" if details.name.endswith("s") else "'s")
    summary = [f"{start} personal budget is {money(total)} a year."]
    if total != sen:
        summary.append(f"Of this, {money(sen)} a year is the personal SEN budget, for help "
                       f"{at}.")
    if dp and dp == total:
        summary.append("All of it is paid to you as a direct payment.")
    elif dp:
        summary.append(f"You will get {money(dp)} a year of it as a direct payment.")
    if total - dp > 0:
        summary.append("The rest is held for you, and you decide how it is used.")
    summary.append("The table below shows what each part pays for.")

    rows = []
    for line in budget.lines:
        how, holder = HOLDERS[line.delivery]
        consent = line.line.consent
        agreed = "Not needed" if consent is None else ("Yes" if consent else "No")
        amount = money(line.amount) if line.amount else f"Paid by the {where}"
        rows.append((clean(line.description), how, holder, agreed, amount))
    blocks: list[Paragraph | Table | Items] = [Table(
        "Your budget, line by line",
        ("What it pays for", "How it is paid", "Who holds the money", "Head teacher agreed",
         "A year"), tuple(rows), (False, False, False, False, True))]
    paid = tuple((HOLDERS[m][0], money(v)) for m, v in budget.by_mechanism.items() if v)
    blocks.append(Table("How the budget is paid", ("", "A year"),
                        (*paid, ("Total personal budget", money(total))), (False, True)))
    if budget.deducted:
        blocks.append(Paragraph(
            f"The {where} pays the first {money(budget.deducted)} of the help {at} from its "
            "own funding. That part is not in your budget."))
    difference = budget.differences.get("personal_sen_budget")
    if difference is not None:
        blocks.append(Paragraph(
            f"The first guide to the personal SEN budget was {money(difference.indicative)} "
            "a year."))
    # rights before the lines, so that the first printed page holds the summary and the rights
    sections = [rights_section(words, details, place=budget.ras_covers == "whole_place"),
                Section("lines", "What the budget pays for", tuple(blocks))]
    if budget.warnings:
        sections.append(Section(
            "officers", "For officers: points to check before this letter is sent",
            (Paragraph("This section is for council officers. Remove it before sending."),
             Items(tuple(clean(str(w)) for w in budget.warnings)))))
    return Letter(
        kind="personal_budget",
        title=f"Personal budget for {details.name}",
        council=words.council,
        details=details.rows(),
        summary=" ".join(summary),
        sections=tuple(sections),
        footer=footer(scheme),
        scheme_id=scheme.id,
        scheme_version=scheme.version,
        scheme_reference=scheme.fingerprint[:12],
    )
