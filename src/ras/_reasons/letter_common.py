"""What every letter shares: the details at the top, the rights section, the working's opening
words and the footer that names the scheme.

The rights are the family's under the SEN (Personal Budgets) Regulations 2014: to ask for a
personal budget and for a direct payment, to have the request considered, to reasons when it is
refused, and to a review. The council's own words (contact, advice, review) follow as written.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ras._base import UsageError
from ras._reasons.council import CouncilWords
from ras._reasons.figures import long_date
from ras._reasons.letter_parts import Paragraph, Section, clean
from ras._reasons.reuse import ByIdentity

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = ["Details", "footer", "letter_details", "rights_section"]


class Details:
    """The optional details of a letter (child, reference, date, school), checked and clean."""

    __slots__ = ("child", "date", "reference", "school")

    def __init__(self, child: str | None, reference: str | None, date: dt.date | None,
                 school: str | None) -> None:
        for name, value in (("child", child), ("reference", reference), ("school", school)):
            if value is not None and not isinstance(value, str):
                raise UsageError(f"{name} must be text, not {type(value).__name__}")
        if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
            raise UsageError(f"date must be a date (datetime.date), not {date!r}")
        self.child = clean(child) if child is not None and clean(child) else None
        self.reference = clean(reference) if reference is not None and clean(reference) else None
        self.school = clean(school) if school is not None and clean(school) else None
        self.date = date

    @property
    def name(self) -> str:
        """The child as the letter names them: their name, or 'your child'."""
        return self.child or "your child"

    @property
    def name_start(self) -> str:
        """The child at the start of a sentence: 'Your child'."""
        return self.child or "Your child"

    @property
    def names(self) -> str:
        """The possessive: "Amir's", "your child's"."""
        name = self.name
        return name + ("'" if name.endswith("s") else "'s")

    def rows(self) -> tuple[tuple[str, str], ...]:
        rows = []
        if self.child:
            rows.append(("Child", self.child))
        if self.reference:
            rows.append(("Reference", self.reference))
        if self.date:
            rows.append(("Date", long_date(self.date)))
        if self.school:
            rows.append(("School or college", self.school))
        return tuple(rows)


def letter_details(child: str | None, reference: str | None, date: dt.date | None,
                   school: str | None) -> Details:
    return Details(child, reference, date, school)


def rights_section(words: CouncilWords, details: Details, *, place: bool = False,
                   refusal: bool = False) -> Section:
    """Rights and contacts: the council's words as written, the law's in plain English."""
    blocks = [Paragraph(f"Who to ask: {_full_stop(words.contact)}")]
    if refusal:
        blocks.append(Paragraph(
            "You can ask us to look at this decision again. This is called a review. "
            f"{_full_stop(words.review)}"))
    else:
        blocks.append(Paragraph(
            f"You can ask for a personal budget for {details.name}. You can ask for some or all "
            "of it as money paid to you. This is called a direct payment. We must think about "
            "what you ask. If we say no, we must tell you why, in writing."))
        if place:
            blocks.append(Paragraph(
                "A direct payment cannot pay for a school place. You can still ask for one "
                "for other help in the plan."))
        blocks.append(Paragraph(
            "If you do not agree with what we decide, you can ask us to look at it again. This "
            f"is called a review. {_full_stop(words.review)}"))
    blocks.append(Paragraph(
        "You can get free help and advice from people who do not work for us: "
        f"{_full_stop(words.advice)}"))
    return Section("rights", "Your rights and who to contact", tuple(blocks))


def _full_stop(text: str) -> str:
    """The council's words end a sentence, so the next one starts cleanly."""
    return text if text.endswith((".", "!", "?")) else text + "."


def footer(scheme: Scheme) -> str:
    """The letter's last line: the scheme and ras that worked it out (once for each scheme)."""
    return _FOOTERS.get((scheme,), None, lambda: _footer(scheme))


_FOOTERS: ByIdentity[str] = ByIdentity(bound=256)


def _footer(scheme: Scheme) -> str:
    from ras._base import __version__

    return (f"Worked out with {clean(scheme.name)}, version {clean(scheme.version)}. Scheme "
            f"reference {scheme.fingerprint[:12]}. Made with ras {__version__}.")
