"""The council's own words for letters, from the scheme, with a marked gap where one is missing.

Format version 2 gives a scheme a ``letter:`` block (council, contact, advice, next steps,
review), a ``points_word`` and a ``period``. A version 1 scheme has none of them: its letters
carry gaps in square brackets that say what the council must add ("[Add the council's contact
details here]"), never silence, and speak of points and of amounts a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ras._reasons.letter_parts import clean
from ras._reasons.reuse import ByIdentity

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = ["GAPS", "CouncilWords", "council_words"]

GAPS = {
    "council": "[Add the council's name here]",
    "contact": "[Add the council's contact details here]",
    "advice": "[Add the contact details of your local SEND information, advice and support "
              "service here]",
    "next_steps": "[Add what happens next here]",
    "review": "[Add how to ask for a review, who to write to, and by when, here]",
}

# What "£4,000 a year" says after the amount, for each period of format version 2.
PERIODS = {"year": "a year", "term": "a term", "week": "a week", "one_off": "as a one-off payment"}
SPANS = {"year": "for a year", "term": "for a term", "week": "for a week",
         "one_off": "paid once, not every year"}


@dataclass(frozen=True, slots=True)
class CouncilWords:
    """A scheme's words for families, each one clean line of text or its marked gap."""

    council: str
    contact: str
    advice: str
    next_steps: str
    review: str
    point: str  # the scheme's word for one point
    points: str
    period: str  # "a year", "a term", ...
    span: str  # "for a year": what every amount is
    gaps: tuple[str, ...]  # the keys the scheme leaves for the council to add

    def per(self, amount: str) -> str:
        """An amount with its period: '£4,000 a year'."""
        return f"{amount} {self.period}"


def council_words(scheme: Scheme) -> CouncilWords:
    """The scheme's letter block and words, with the gaps a council must still fill (made once
    for each scheme: a scheme never changes)."""
    return _WORDS.get((scheme,), None, lambda: _council_words(scheme))


_WORDS: ByIdentity[CouncilWords] = ByIdentity(bound=256)


def _council_words(scheme: Scheme) -> CouncilWords:
    model: Any = scheme.model
    block = getattr(model, "letter", None)  # format version 2
    found: dict[str, str] = {}
    gaps = []
    for key, gap in GAPS.items():
        value = getattr(block, key, None) if block is not None else None
        if isinstance(value, str) and value.strip():
            found[key] = clean(value)
        else:
            found[key] = gap
            gaps.append(key)
    word = getattr(model, "points_word", None)
    one = clean(getattr(word, "one", "point") or "point")
    other = clean(getattr(word, "other", "points") or "points")
    period = str(getattr(model, "period", "year") or "year")
    return CouncilWords(point=one, points=other, period=PERIODS.get(period, "a year"),
                        span=SPANS.get(period, "for a year"), gaps=tuple(gaps), **found)
