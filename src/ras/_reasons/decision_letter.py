"""The decision letter: the panel's final amount beside the first guide, and its reasons.

A council must give reasons when its panel departs from the indicative amount (R (KM) v
Cambridgeshire), and the family may ask for a review; the letter says both, in plain words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ras._base import UsageError
from ras._reasons.council import council_words
from ras._reasons.figures import long_date, whole_pounds
from ras._reasons.letter import Letter
from ras._reasons.letter_common import Details, footer, rights_section
from ras._reasons.letter_parts import Paragraph, Section, Table, clean

if TYPE_CHECKING:
    from ras._reasons.decision import Decision
    from ras._scheme import Scheme

__all__ = ["decision_letter"]

money = whole_pounds


def decision_letter(decision: Decision, scheme: Scheme | None, details: Details) -> Letter:
    if scheme is not None and decision.scheme_fingerprint not in (None, scheme.fingerprint):
        raise UsageError(f"this decision was made under scheme {decision.scheme_id!r} version "
                         f"{decision.scheme_version!r}, not {scheme.id!r} version "
                         f"{scheme.version!r}: give the scheme it was made under")
    words = council_words(scheme) if scheme is not None else None
    per = words.per if words is not None else (lambda amount: f"{amount} a year")
    final, indicative = decision.final, decision.indicative
    summary = [f"The panel has set {details.names} personal SEN budget at "
               f"{per(money(final))}."]
    if indicative is None:
        summary.append("Our table did not give an amount, so the panel decided it.")
    elif final > indicative:
        summary.append(f"This is {money(final - indicative)} more than the first guide of "
                       f"{money(indicative)}.")
    elif final < indicative:
        summary.append(f"This is {money(indicative - final)} less than the first guide of "
                       f"{money(indicative)}.")
    else:
        summary.append("This is the same as the first guide.")
    summary += ["The panel's reasons are below.",
                "If you do not agree, you can ask us to look at it again."]
    rows = [("The first guide (indicative amount)",
             "none: for the panel" if indicative is None else per(money(indicative))),
            ("The panel's amount", per(money(final)))]
    if indicative is not None and final != indicative:
        change = final - indicative
        rows.append(("Difference", ("+" if change > 0 else "−") + money(abs(change))))
    decided = Section("decision", "Why the panel decided this", (
        Paragraph(clean(decision.reason)),
        Paragraph(f"Decided by {clean(decision.decided_by)} on "
                  f"{long_date(decision.decided_on)}."),
        Table("The amounts", ("", "Amount"), tuple(rows), (False, True)),
    ))
    missing = "[Add the council's name here]"
    if words is not None:
        rights = rights_section(words, details)
        council, foot = words.council, footer(scheme) if scheme is not None else ""
    else:
        from ras._reasons.council import GAPS, CouncilWords

        gaps = CouncilWords(point="point", points="points", period="a year", span="for a year",
                            gaps=tuple(GAPS), **GAPS)
        rights, council = rights_section(gaps, details), missing
        foot = (f"Worked out with scheme {clean(decision.scheme_id or 'not recorded')}, "
                f"version {clean(decision.scheme_version or 'not recorded')}. Scheme reference "
                f"{(decision.scheme_fingerprint or 'not recorded')[:12]}.")
    return Letter(
        kind="decision",
        title=_first_up(f"The panel's decision on {details.names} personal SEN budget"),
        council=council,
        details=details.rows(),
        summary=" ".join(summary),
        sections=(decided, rights),
        footer=foot,
        scheme_id=decision.scheme_id or "",
        scheme_version=decision.scheme_version or "",
        scheme_reference=(decision.scheme_fingerprint or "")[:12],
    )


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]
