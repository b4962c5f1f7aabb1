"""``ras.Letter``: what a family receives, built once as plain sections and rendered four ways.

A letter is for the family: the answer first (``summary``), their rights and who to contact, what
happens next, then the working, and a footer naming the scheme. Its text is plain and already
safe to print on one line per paragraph (``clean`` has collapsed the line breaks and control
characters of every untrusted piece: names, labels, reasons); the renderers escape it for
markdown and HTML. The four forms (text, markdown, HTML, dict) read the same sections, so they
cannot say different things.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ras._reasons.letter_html import letter_html
from ras._reasons.letter_markdown import letter_markdown
from ras._reasons.letter_parts import LetterKind, Section
from ras._reasons.letter_text import letter_text

__all__ = ["Letter"]


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Letter:
    """A letter to a family: ``summary``, then ``sections``, then ``footer``.

    Render with ``to_text()`` (lines of at most 80 characters), ``to_markdown()``,
    ``to_html(document=False)`` (a fragment; ``document=True``: a whole page that prints on A4)
    or ``to_dict()`` (the sections as data, for a case system's own letter templates).
    """

    kind: LetterKind
    title: str
    council: str  # the council's name, or a marked gap
    details: tuple[tuple[str, str], ...]  # (label, value): child, reference, date, school
    summary: str
    sections: tuple[Section, ...]
    footer: str
    scheme_id: str
    scheme_version: str
    scheme_reference: str  # the first 12 characters of the scheme's fingerprint

    def section(self, key: str) -> Section | None:
        """The section with this key, or None.

        Parameters
        ----------
        key
            A section's key: ``rights``, ``next_steps``, ``working`` and any the letter has.

        Returns
        -------
        Section or None
            The section, with its heading and text.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> letter = budget.letter(child="Amir")
        >>> [section.key for section in letter.sections]
        ['rights', 'next_steps', 'working']
        >>> letter.section("rights") is letter.sections[0], letter.section("nothing")
        (True, None)
        """
        return next((s for s in self.sections if s.key == key), None)

    def to_text(self) -> str:
        """The letter as plain text, lines of at most 80 characters, for print or email.

        Returns
        -------
        str
            The summary first, then the sections, then the footer.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> letter = budget.letter(child="Amir")
        >>> "Amir's personal SEN budget is £3,050 a year." in letter.to_text()
        True
        """
        return letter_text(self)

    def to_markdown(self) -> str:
        """The letter as Markdown, for a case system that renders it; scheme text is escaped.

        Returns
        -------
        str
            Markdown with one level-1 heading.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> letter = budget.letter(child="Amir")
        >>> letter.to_markdown().splitlines()[0]
        '# Indicative personal SEN budget for Amir'
        """
        return letter_markdown(self)

    def to_html(self, *, document: bool = False) -> str:
        """An HTML fragment (``<article>``), or with ``document=True`` a whole page.

        The page has its language, charset, one h1, and print CSS that keeps the summary and the
        family's rights on the first A4 page. Every text from the scheme or the caller is escaped.

        Parameters
        ----------
        document
            A whole page instead of a fragment.

        Returns
        -------
        str
            HTML.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> letter = budget.letter(child="Amir")
        >>> letter.to_html().startswith('<article class="ras-letter">')
        True
        >>> letter.to_html(document=True).startswith("<!DOCTYPE html>")
        True
        """
        return letter_html(self, document=document)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: every section as text, in the order the letter shows them.

        Returns
        -------
        dict
            ``kind``, ``title``, ``council``, ``details``, ``summary``, ``sections``, ``footer`` and
            the ``scheme`` it was made under.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> letter = budget.letter(child="Amir")
        >>> list(letter.to_dict())
        ['kind', 'title', 'council', 'details', 'summary', 'sections', 'footer', 'scheme']
        """
        return {
            "kind": self.kind,
            "title": self.title,
            "council": self.council,
            "details": dict(self.details),
            "summary": self.summary,
            "sections": [s.to_dict() for s in self.sections],
            "footer": self.footer,
            "scheme": {"id": self.scheme_id, "version": self.scheme_version,
                       "reference": self.scheme_reference},
        }

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<Letter {self.kind}: {self.title!r}>"
