"""A letter as plain text a council can print or paste: lines of at most 80 characters.

Tables become aligned columns when they fit the line, and a list of rows when they do not.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ras._reasons.letter_parts import Block, Items, Paragraph, Subheading, Table
from ras._reasons.wrap import wrap

if TYPE_CHECKING:
    from ras._reasons.letter import Letter

__all__ = ["WIDTH", "letter_text"]

WIDTH = 80


def letter_text(letter: Letter) -> str:
    out: list[str] = []
    out += wrap(letter.council, WIDTH)
    out.append("")
    title = wrap(letter.title, WIDTH)
    out += [*title, "=" * max(len(line) for line in title)]
    if letter.details:
        out.append("")
        for label, value in letter.details:
            out += wrap(f"{label}: {value}", WIDTH, "", "  ")
    _heading(out, "In short")
    out += wrap(letter.summary, WIDTH)
    for section in letter.sections:
        _heading(out, section.title)
        previous: Block | None = None
        for block in section.blocks:
            _block(out, block, previous)
            previous = block
    out += ["", "-" * 4]
    out += wrap(letter.footer, WIDTH)
    return "\n".join(out) + "\n"


def _heading(out: list[str], text: str) -> None:
    lines = wrap(text, WIDTH)
    out += ["", *lines, "-" * max(len(line) for line in lines), ""]


def _block(out: list[str], block: Block, previous: Block | None) -> None:
    if previous is not None and not (isinstance(previous, Subheading)):
        out.append("")
    out += _lines(block)


@lru_cache(maxsize=65536)  # blocks are text only, and a cohort's letters repeat most of them
def _lines(block: Block) -> tuple[str, ...]:
    if isinstance(block, Paragraph):
        return tuple(wrap(block.text, WIDTH))
    if isinstance(block, Items):
        return tuple(line for item in block.items for line in wrap(item, WIDTH, "  - ", "    "))
    if isinstance(block, Subheading):
        return tuple(wrap(block.text.upper(), WIDTH))
    return tuple(_table(block))


def _table(table: Table) -> list[str]:
    out = wrap(table.caption + ":", WIDTH)
    grid = [table.header, *table.rows]
    widths = [max(len(row[j]) for row in grid) for j in range(len(table.header))]
    if sum(widths) + 2 * (len(widths) - 1) <= WIDTH:
        for row in grid:
            cells = [cell.rjust(w) if right else cell.ljust(w)
                     for cell, w, right in zip(row, widths, table.numeric, strict=True)]
            out.append("  ".join(cells).rstrip())
        return out
    for row in table.rows:
        rest = row[1] if len(row) == 2 else "; ".join(
            f"{h}: {c}" if h else c for h, c in zip(table.header[1:], row[1:], strict=True))
        out += wrap(f"{row[0]}: {rest}", WIDTH, "  - ", "    ")
    return out
