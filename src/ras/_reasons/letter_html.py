"""A letter as HTML: a fragment for a case system's page, or a whole document that prints on A4.

Every piece of text is escaped. The document has ``lang="en-GB"``, a charset, one ``h1``, an
``h2`` for each section, tables with captions and scoped headers, and print rules that keep the
summary, the rights and the next steps on the first page, the working after, and the officers'
section on a page of its own. It reads on a phone (400 px): tables scroll inside their box.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from ras._reasons.letter_parts import Block, Items, Paragraph, Subheading, Table

if TYPE_CHECKING:
    from ras._reasons.letter import Letter

__all__ = ["CSS", "letter_html", "letters_page"]


CSS = """\
.ras-letter { font-family: Arial, Helvetica, sans-serif; font-size: 1rem; line-height: 1.5;
  color: #0b0c0c; max-width: 44rem; margin: 0 auto; padding: 1rem; overflow-wrap: anywhere; }
.ras-letter h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
.ras-letter h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
.ras-letter h3 { font-size: 1.05rem; margin: 1rem 0 0.25rem; }
.ras-letter .council { font-weight: bold; margin: 0; }
.ras-letter dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem;
  margin: 0 0 1rem; }
.ras-letter dt { font-weight: bold; }
.ras-letter dd { margin: 0; }
.ras-letter .summary { border-left: 0.3rem solid #1d70b8; background: #f3f7fb;
  padding: 0.25rem 1rem; }
.ras-letter .summary p { font-size: 1.1rem; }
.ras-letter .officers { border: 2px dashed #505a5f; padding: 0 1rem; }
.ras-letter .scroll { overflow-x: auto; }
.ras-letter table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.95rem; }
.ras-letter caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
.ras-letter th, .ras-letter td { border-bottom: 1px solid #b1b4b6; padding: 0.3rem 0.5rem;
  text-align: left; vertical-align: top; }
.ras-letter .num { text-align: right; white-space: nowrap; }
.ras-letter footer { border-top: 1px solid #b1b4b6; margin-top: 2rem; font-size: 0.85rem;
  color: #505a5f; }
@page { size: A4; margin: 16mm 16mm 18mm; }
@media print {
  .ras-letter { max-width: none; padding: 0; font-size: 11pt; }
  .ras-letter h1 { font-size: 17pt; margin-top: 0; }
  .ras-letter h2 { font-size: 13pt; margin-top: 12pt; break-after: avoid; }
  .ras-letter .summary p { font-size: 12pt; }
  .ras-letter .summary, .ras-letter .rights, .ras-letter .next_steps { break-inside: avoid; }
  .ras-letter .working, .ras-letter .officers { break-before: page; }
  .ras-letter table, .ras-letter tr { break-inside: avoid; }
  .ras-letter .scroll { overflow: visible; }
  .ras-letter + .ras-letter { break-before: page; }
}
"""


def letter_html(letter: Letter, *, document: bool = False) -> str:
    e = html.escape
    out = ['<article class="ras-letter">', "<header>",
           f'<p class="council">{e(letter.council)}</p>', f"<h1>{e(letter.title)}</h1>"]
    if letter.details:
        out.append("<dl>")
        out += [f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in letter.details]
        out.append("</dl>")
    out += ["</header>", '<section class="summary">', "<h2>In short</h2>",
            f"<p>{e(letter.summary)}</p>", "</section>"]
    for section in letter.sections:
        out.append(f'<section class="{e(section.key)}">')
        out.append(f"<h2>{e(section.title)}</h2>")
        out += [_block(block) for block in section.blocks]
        out.append("</section>")
    out += [f"<footer><p>{e(letter.footer)}</p></footer>", "</article>"]
    fragment = "\n".join(out) + "\n"
    if not document:
        return fragment
    return _page(letter.title, fragment)


def letters_page(letters: Sequence[Letter]) -> str:
    """Many letters on one page, each starting a new sheet when printed."""
    if len(letters) == 1:
        return letter_html(letters[0], document=True)
    body = "".join(letter_html(letter) for letter in letters)
    return _page(f"{len(letters)} letters", body)


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n"
            '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{CSS}</style>\n</head>\n"
            f"<body>\n{body}</body>\n</html>\n")


@lru_cache(maxsize=65536)  # blocks are text only, and a cohort's letters repeat most of them
def _block(block: Block) -> str:
    e = html.escape
    if isinstance(block, Paragraph):
        return f"<p>{e(block.text)}</p>"
    if isinstance(block, Items):
        return "<ul>\n" + "\n".join(f"<li>{e(item)}</li>" for item in block.items) + "\n</ul>"
    if isinstance(block, Subheading):
        return f"<h3>{e(block.text)}</h3>"
    return _table(block)


def _table(table: Table) -> str:
    e = html.escape

    def cls(right: bool) -> str:
        return ' class="num"' if right else ""

    out = ['<div class="scroll">', "<table>", f"<caption>{e(table.caption)}</caption>",
           "<thead><tr>"]
    out += [f'<th scope="col"{cls(r)}>{e(h)}</th>'
            for h, r in zip(table.header, table.numeric, strict=True)]
    out += ["</tr></thead>", "<tbody>"]
    for row in table.rows:
        cells = [f'<th scope="row">{e(row[0])}</th>']
        cells += [f"<td{cls(r)}>{e(c)}</td>"
                  for c, r in zip(row[1:], table.numeric[1:], strict=True)]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>", "</div>"]
    return "\n".join(out)
