"""An explanation as plain text: the account's blocks wrapped for a letter template or a terminal.

Plain text has no tables, so the answers and the areas of need become lists of sentences.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from ras._base import one_line
from ras._reasons.reuse import ByIdentity
from ras._reasons.sentences import (
    Voice,
    answer_sentence,
    document,
    domain_sentence,
    explanation_voice,
)

if TYPE_CHECKING:
    from ras._reasons.explanation import Explanation
    from ras._reasons.steps import AnswerStep, DomainStep

__all__ = ["explanation_text"]

_WIDTH = 88  # plain text wraps here: fits a letter template and a terminal


def explanation_text(e: Explanation) -> str:
    """Plain English a parent can follow, suitable for a decision letter."""
    voice = explanation_voice(e)
    said = voice.key
    out: list[str] = []
    previous = ""
    for kind, raw in document(e):
        if kind == "answers":
            labels = {d.domain: d.label for d in e.domains}
            for run in _by_domain(e.answers):
                label = labels[run[0].domain]
                out += _ANSWER_LINES.get(run, (label, said),
                                         partial(_answer_lines, label, run, voice))
            previous = "item" if e.answers else previous
        elif kind == "domains":
            for d in e.domains:
                out += _block_lines("item", _DOMAIN_LINES.get(
                    (d,), said, partial(_domain_item, d, voice)), previous)
                previous = "item"
        else:
            out += _block_lines(kind, raw, previous)
            previous = kind
    return "\n".join(out).strip() + "\n"


# What a shared step says (explain_rows gives a cohort's children the same step objects).
_ANSWER_LINES: ByIdentity[tuple[str, ...]] = ByIdentity(bound=16_384)
_DOMAIN_LINES: ByIdentity[str] = ByIdentity(bound=16_384)


def _domain_item(d: DomainStep, voice: Voice) -> str:
    return f"{d.label}: {domain_sentence(d, voice)}"


def _by_domain(answers: tuple[AnswerStep, ...]) -> list[tuple[AnswerStep, ...]]:
    """The answers in runs of one area each, in their order."""
    runs: list[list[AnswerStep]] = []
    for a in answers:
        if not runs or runs[-1][0].domain != a.domain:
            runs.append([])
        runs[-1].append(a)
    return [tuple(run) for run in runs]


def _answer_lines(label: str, run: tuple[AnswerStep, ...], voice: Voice) -> tuple[str, ...]:
    """An area's name, then its answers as a list (plain text has no tables)."""
    lines = list(_block_lines("group", label, ""))
    for a in run:
        lines += _block_lines("item", answer_sentence(a, voice), "group")
    return tuple(lines)


@lru_cache(maxsize=65536)  # a cohort's explanations repeat most of their sentences
def _block_lines(kind: str, raw: str, previous: str) -> tuple[str, ...]:
    """A block's lines; a list's first item has a blank line before it."""
    text = one_line(raw)  # a description may hold a line break; none may start a line
    if kind == "title":
        return (text, "=" * len(text))
    if kind == "heading":
        return ("", text, "-" * len(text))
    if kind == "group":
        return ("", text)
    if kind == "item":
        item = _fill(text, "  - ", "    ")
        return (item,) if previous in ("item", "group") else ("", item)
    return ("", _fill(text))


def _fill(text: str, first: str = "", rest: str = "") -> str:
    """``textwrap.fill``, without its cost for the many lines that already fit: a line of
    single-spaced words that fits is returned as it is (exactly what textwrap would give)."""
    if (len(first) + len(text) <= _WIDTH and text.isprintable() and "  " not in text
            and text == text.strip()):
        return first + text
    return textwrap.fill(text, _WIDTH, initial_indent=first, subsequent_indent=rest)
