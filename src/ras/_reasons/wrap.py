"""Greedy word wrapping for plain-text letters and explanations, fast where lines already fit.

``textwrap.fill`` re-splits every paragraph into chunks even when it fits on one line, which was
most of the time of a plain-text explanation. Text here is one line of plain words (``clean``
made it so), so a line that fits is returned as it is, and one that does not is filled word by
word. A word longer than the line (a long web address) is cut, so no line is ever too long.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["wrap"]


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """`text` in lines of at most `width` characters: the first starts with `first`, the others
    with `rest`. Spaces between words are single; none at either end of a line."""
    if len(first) + len(text) <= width and "  " not in text and text == text.strip():
        return [first + text]
    return list(_filled(text, width, first, rest))


@lru_cache(maxsize=65536)  # a cohort's letters repeat most of their paragraphs
def _filled(text: str, width: int, first: str, rest: str) -> tuple[str, ...]:
    lines: list[str] = []
    line, indent = first, first
    for word in text.split():
        room = width - len(rest)
        while len(word) > room and room > 0:  # too long for any line: cut it
            if line != indent:
                lines.append(line)
            head = width - len(indent if line == indent else rest)
            lines.append((indent if line == indent else rest) + word[:head])
            word = word[head:]
            line = indent = rest
        if line == indent:
            line += word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = indent = rest
            line += word
    if line != indent or not lines:
        lines.append(line)
    return tuple(lines)
