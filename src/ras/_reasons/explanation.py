"""``ras.Explanation``: how one budget was reached, in order, for a parent, a panel or an auditor.

Courts accept a RAS only as a starting point and require reasons, so every amount needs a plain
account of how it was reached. That account is read from the kernel's trace of the child's row
(``trace.py``): the points summed per area, the weighted points, the priced, clamped and rounded
amounts, the band or step reached and the elements. Only labels, rule parameters and wording come
from the scheme (``sentences.py``): an explanation can never disagree with the figure it explains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ras._reasons.figures import jsonable, pounds_or_panel
from ras._reasons.render_html import explanation_html
from ras._reasons.render_markdown import explanation_markdown
from ras._reasons.render_text import explanation_text
from ras._reasons.steps import AnswerStep, DomainStep, ElementStep, StreamStep

__all__ = ["Explanation"]


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
    period: str = "year"  # version 2: what every amount is per (year, term, week, one_off)
    points_word: tuple[str, str] = ("point", "points")  # version 2: one, other

    @property
    def setting(self) -> str:
        return self.elements.setting

    @property
    def steps(self) -> tuple[AnswerStep | DomainStep | StreamStep | ElementStep, ...]:
        """Every step in calculation order: answers, areas, streams, then the elements."""
        return (*self.answers, *self.domains, *self.streams, self.elements)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: Decimals as strings, dates as ISO text, tuples as lists.

        Returns
        -------
        dict
            The scheme (id, name, version, fingerprint, dates), the ras version and every step's
            figures, for a case system's own rendering.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> data = budget.explain().to_dict()
        >>> data["scheme_id"], data["scheme_version"]
        ('northshire-points-rate', '2026-27')
        """
        data = jsonable(self)
        assert isinstance(data, dict)
        return data

    def to_text(self) -> str:
        """Plain English a parent can follow, suitable for a decision letter.

        Returns
        -------
        str
            The explanation, lines of at most 92 characters.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> print(budget.explain().to_text().splitlines()[3])
        Indicative personal SEN budget: £3,050.00
        """
        return explanation_text(self)

    def to_markdown(self) -> str:
        """Markdown for case notes and reports: the same account with headings and tables.

        Returns
        -------
        str
            Markdown text; labels from the scheme are escaped.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> budget.explain().to_markdown().splitlines()[0]
        '# How this indicative budget was worked out'
        """
        return explanation_markdown(self)

    def _repr_html_(self) -> str:
        """A notebook view: the same account, escaped, with tables for answers and areas."""
        return explanation_html(self)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (f"<Explanation {self.scheme_id!r} {self.scheme_version!r}, "
                f"setting {self.setting!r}: personal SEN budget "
                f"{pounds_or_panel(self.personal_sen_budget)}>")
