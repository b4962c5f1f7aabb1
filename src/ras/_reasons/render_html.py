"""An explanation as an HTML fragment for notebooks: the account, escaped, with tables for the
answers and the areas of need."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ras._reasons.figures import number
from ras._reasons.sentences import document

if TYPE_CHECKING:
    from ras._reasons.explanation import Explanation

__all__ = ["explanation_html"]


def explanation_html(e: Explanation) -> str:
    """A notebook view: the same account, escaped, with tables for answers and areas."""
    parts = ['<div class="ras-explanation">']
    open_list = False
    for kind, text in document(e, markup=html.escape):
        if kind == "item":
            if not open_list:
                parts.append("<ul>")
                open_list = True
            parts.append(f"<li>{text}</li>")
            continue
        if open_list:
            parts.append("</ul>")
            open_list = False
        if kind == "title":
            parts.append(f"<h3>{text}</h3>")
        elif kind == "heading":
            parts.append(f"<h4>{text}</h4>")
        elif kind == "answers":
            parts.append(html_answers(e))
        elif kind == "domains":
            parts.append(html_domains(e))
        elif kind == "group":
            parts.append(f"<p><strong>{text}</strong></p>")
        else:
            parts.append(f"<p>{text}</p>")
    if open_list:
        parts.append("</ul>")
    parts.append("</div>")
    return "\n".join(parts)


def _html_table(head: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        style = ' style="text-align: right"' if i in numeric else ""
        return f"<{tag}{style}>{html.escape(text)}</{tag}>"

    out = ["<table>", "<thead><tr>" + "".join(cell("th", i, h) for i, h in enumerate(head))
           + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(cell("td", i, t) for i, t in enumerate(r)) + "</tr>" for r in rows]
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def html_answers(e: Explanation) -> str:
    """The answers as a table; a last column of the descriptions when any answer has one."""
    labels = {d.domain: d.label for d in e.domains}
    described = any(a.description for a in e.answers)
    return _html_table(["Area of need", "Question", "Answer", "Points"]
                       + ["What it means"] * described,
                       [[labels[a.domain], a.question_label, a.option_label, number(a.points)]
                        + [a.description or ""] * described for a in e.answers], {3})


def html_domains(e: Explanation) -> str:
    """The areas of need as a table, with their descriptions as the answers have theirs."""
    described = any(d.description for d in e.domains)
    return _html_table(
        ["Area of need", "Answers total", "Weight", "Weighted", "Cap", "Counts"]
        + ["What it means"] * described,
        [[d.label, number(d.answers_total), number(d.weight), number(d.weighted),
          "none" if d.cap is None else number(d.cap) + (" (reached)" if d.capped else ""),
          number(d.points)] + [d.description or ""] * described for d in e.domains],
        {1, 2, 3, 4, 5})
