"""Untrusted text that must read as what it is: one line, and something a person can see.

Labels, ids and reasons come from scheme files, cohorts and case systems. A line break inside a
label forges a line of a letter ("Indicative personal SEN budget: £99,999.00"); a reason made of
zero-width spaces looks given and says nothing. These helpers are the one definition of both.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["LINE_BREAKS", "a_kind", "has_control", "has_line_break", "is_invisible", "one_line"]

# Every character Python's str.splitlines() breaks a line at: \n \v \f \r, the file, group and
# record separators, NEL (U+0085) and the Unicode line and paragraph separators.
LINE_BREAKS = "\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK = re.compile(f"[{re.escape(LINE_BREAKS)}]")
_BREAKS_AND_SPACES = re.compile(f"[\\s{re.escape(LINE_BREAKS)}]+")

# Control characters a scheme's text may not hold, from a file or from Python data alike: C0 but
# tab, line feed and carriage return (YAML's own whitespace), DEL and C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Letters that render as nothing: the Hangul fillers, the halfwidth filler, the braille blank.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_control(text: str) -> bool:
    """Whether the text holds a control character (other than tab, line feed, carriage return)."""
    return _CONTROL.search(text) is not None


def has_line_break(text: str) -> bool:
    """Whether the text would print on more than one line anywhere it is written."""
    return _BREAK.search(text) is not None


def one_line(text: str) -> str:
    """The text on one line: every run of line breaks and spaces is one space, none at the ends.

    For writing text that may hold line breaks (a record's reason, a cohort's child id) into a
    letter or a table line, where a break would start a line the text does not own.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # the only space a printable text can hold is " ": nothing to collapse
    return _BREAKS_AND_SPACES.sub(" ", text).strip()


def is_invisible(text: str) -> bool:
    """True when no character would be seen: spaces, zero-width and format characters, marks
    with nothing to sit on, control characters, blank letters, or nothing at all."""
    return not any(unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANK_LETTERS
                   for ch in text)


def a_kind(value: object) -> str:
    """What a value is, for a message that refuses it: 'an int', 'a list', 'None'. Its type's
    name rather than its repr, which may be huge, or forged text."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiouAEIOU' else 'a'} {name}"
