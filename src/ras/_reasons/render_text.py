"""An explanation as plain text: the account's blocks wrapped for a letter template or a terminal.

Plain text has no tables, so the answers and the areas of need become lists of sentences.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ras._base import one_line
from ras._reasons.sentences import (
    Block,
    answer_sentence,
    document,
    domain_sentence,
    explanation_voice,
)

if TYPE_CHECKING:
    from ras._reasons.explanation import Explanation

__all__ = ["explanation_text"]

_WIDTH = 88  # plain text wraps here: fits a letter template and a terminal


def explanation_text(e: Explanation) -> str:
    """Plain English a parent can follow, suitable for a decision letter."""
    out: list[str] = []
    previous = ""
    for kind, raw in expand_lists(e, document(e)):
        text = one_line(raw)  # a description may hold a line break; none may start a line
        if kind == "title":
            out += [text, "=" * len(text)]
        elif kind == "heading":
            out += ["", text, "-" * len(text)]
        elif kind == "group":
            out += ["", text]
        elif kind == "item":
            if previous not in ("item", "group"):
                out.append("")
            out.append(_fill(text, "  - ", "    "))
        else:
            out += ["", _fill(text)]
        previous = kind
    return "\n".join(out).strip() + "\n"


@lru_cache(maxsize=65536)  # a cohort's explanations repeat most of their sentences
def _fill(text: str, first: str = "", rest: str = "") -> str:
    """``textwrap.fill``, without its cost for the many lines that already fit: a line of
    single-spaced words that fits is returned as it is (exactly what textwrap would give)."""
    if (len(first) + len(text) <= _WIDTH and text.isprintable() and "  " not in text
            and text == text.strip()):
        return first + text
    return textwrap.fill(text, _WIDTH, initial_indent=first, subsequent_indent=rest)


def expand_lists(e: Explanation, blocks: Iterable[Block]) -> Iterator[Block]:
    """Plain text has no tables: the answers and the areas become lists of sentences."""
    labels = {d.domain: d.label for d in e.domains}
    voice = explanation_voice(e)
    for kind, text in blocks:
        if kind == "answers":
            current = None
            for a in e.answers:
                if a.domain != current:
                    current = a.domain
                    yield "group", labels[a.domain]
                yield "item", answer_sentence(a, voice)
        elif kind == "domains":
            for d in e.domains:
                yield "item", f"{d.label}: {domain_sentence(d, voice)}"
        else:
            yield kind, text
