"""A letter as markdown for case notes: every piece of text escaped, so that it reads as written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ras._reasons.display import markdown_text
from ras._reasons.letter_parts import Items, Paragraph, Subheading

if TYPE_CHECKING:
    from ras._reasons.letter import Letter

__all__ = ["letter_markdown"]


def letter_markdown(letter: Letter) -> str:
    m = markdown_text
    out = [f"# {m(letter.title)}", "", f"**{m(letter.council)}**", ""]
    out += [f"- **{m(label)}:** {m(value)}" for label, value in letter.details]
    out += ["", "## In short", "", m(letter.summary)]
    for section in letter.sections:
        out += ["", f"## {m(section.title)}"]
        for block in section.blocks:
            out.append("")
            if isinstance(block, Paragraph):
                out.append(m(block.text))
            elif isinstance(block, Items):
                out += [f"- {m(item)}" for item in block.items]
            elif isinstance(block, Subheading):
                out.append(f"### {m(block.text)}")
            else:
                out += [f"*{m(block.caption)}*", ""]
                out.append("| " + " | ".join(m(h) for h in block.header) + " |")
                out.append("|" + "|".join("---:" if r else "---" for r in block.numeric) + "|")
                out += ["| " + " | ".join(m(c) for c in row) + " |" for row in block.rows]
    out += ["", "---", "", m(letter.footer)]
    return "\n".join(out) + "\n"
