"""An explanation as Markdown for case notes and reports: the account with headings and tables."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ras._reasons.display import markdown_text
from ras._reasons.figures import number
from ras._reasons.sentences import document

if TYPE_CHECKING:
    from ras._reasons.explanation import Explanation

__all__ = ["explanation_markdown"]


def explanation_markdown(e: Explanation) -> str:
    """Markdown for case notes and reports: the same account with headings and tables."""
    out: list[str] = []
    for kind, text in document(e, markup=markdown_text):
        if kind == "title":
            out += [f"# {text}", ""]
        elif kind == "heading":
            out += ["", f"## {text}", ""]
        elif kind == "answers":
            out += md_answers(e)
        elif kind == "domains":
            out += md_domains(e)
        elif kind == "group":
            out += ["", f"**{text}**", ""]
        elif kind == "item":
            out.append(f"- {text}")
        else:
            out += ["", text, ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def md_answers(e: Explanation) -> list[str]:
    """The answers as a table; a last column of the descriptions when any answer has one (the
    text form puts each after its answer's sentence)."""
    labels = {d.domain: d.label for d in e.domains}
    described = any(a.description for a in e.answers)
    rows = ["| Area of need | Question | Answer | Points |" + (" What it means |" * described),
            "|---|---|---|---:|" + ("---|" * described)]
    rows += [f"| {markdown_text(labels[a.domain])} | {markdown_text(a.question_label)} | "
             f"{markdown_text(a.option_label)} | {number(a.points)} |"
             + (f" {markdown_text(a.description or '')} |" * described) for a in e.answers]
    return [*rows, ""]


def md_domains(e: Explanation) -> list[str]:
    """The areas of need as a table, with their descriptions as the answers have theirs."""
    described = any(d.description for d in e.domains)
    rows = ["| Area of need | Answers total | Weight | Weighted | Cap | Counts |"
            + (" What it means |" * described),
            "|---|---:|---:|---:|---:|---:|" + ("---|" * described)]
    for d in e.domains:
        cap = "none" if d.cap is None else number(d.cap) + (" (reached)" if d.capped else "")
        rows.append(f"| {markdown_text(d.label)} | {number(d.answers_total)} | "
                    f"{number(d.weight)} | {number(d.weighted)} | {cap} | {number(d.points)} |"
                    + (f" {markdown_text(d.description or '')} |" * described))
    return [*rows, ""]
