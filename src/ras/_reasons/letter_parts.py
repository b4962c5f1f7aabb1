"""The parts of a letter: sections of paragraphs, lists, subheadings and tables, all plain text.

``clean`` is the one way untrusted text (a child's name, a scheme's label, a panel's reason)
enters a letter: on one line, with nothing that prints as something else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from ras._base import one_line

__all__ = [
    "Block",
    "Items",
    "LetterKind",
    "Paragraph",
    "Section",
    "Subheading",
    "Table",
    "clean",
]

LetterKind = Literal["budget", "decision", "refusal", "personal_budget"]

# Bidirectional overrides and isolates can make text read differently from what it says.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean(text: object) -> str:
    """Untrusted text as one printable line: line breaks and runs of space become one space;
    control characters and bidirectional overrides go."""
    return _clean(str(text))


@lru_cache(maxsize=65536)
def _clean(text: str) -> str:
    # cached: a cohort's letters clean the same scheme labels thousands of times
    line = one_line(_BIDI.sub("", text))
    if line.isprintable():
        return line
    return "".join(ch for ch in line if unicodedata.category(ch) != "Cc")


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Items:
    """A list of short points."""

    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Subheading:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table whose first column names each row; ``numeric`` columns are right-aligned."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


Block = Paragraph | Items | Subheading | Table


@dataclass(frozen=True, slots=True)
class Section:
    """One part of a letter: ``key`` says what it is (``rights``, ``next_steps``, ``working``,
    ``officers``, ...) for a case system's own template; ``title`` is what the family reads."""

    key: str
    title: str
    blocks: tuple[Block, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title,
                "blocks": [_block_dict(b) for b in self.blocks]}


def _block_dict(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text}
    if isinstance(block, Items):
        return {"type": "list", "items": list(block.items)}
    if isinstance(block, Subheading):
        return {"type": "subheading", "text": block.text}
    return {"type": "table", "caption": block.caption, "header": list(block.header),
            "rows": [list(r) for r in block.rows], "numeric": list(block.numeric)}
