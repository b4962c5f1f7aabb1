"""Money and tables for notebooks: magnitude-aware pounds and small, valid HTML.

Plain ``DataFrame.to_html`` is used (pandas' Styler would need jinja2, which is not a dependency).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

__all__ = ["html_table", "markdown_text", "money", "money_short", "percent", "signed_money"]


# backslash escapes markdown reads for these (CommonMark escapes any ASCII punctuation)
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>#|!~&"})


def markdown_text(text: str) -> str:
    """A scheme's own text (a label, a name) that markdown shows as written: one line (a line
    break in a label would start a heading or a list), no emphasis, links, HTML, entities or
    table breaks."""
    return " ".join(text.split()).translate(_MARKDOWN)


def money(value: float | Decimal | int | None) -> str:
    """Pounds to the penny, with thousands separators: 1234.5 -> '£1,234.50'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def signed_money(value: float | Decimal | int | None) -> str:
    text = money(value)
    return text if text.startswith(("-", "–")) or text == "£0.00" else "+" + text


def money_short(value: float | Decimal | int | None) -> str:
    """Pounds scaled to their magnitude for reading at a glance: '£12.35m', '£340,512'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    amount = float(value)
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    if size >= 1e9:
        return f"{sign}£{size / 1e9:,.2f}bn"
    if size >= 1e6:
        return f"{sign}£{size / 1e6:,.2f}m"
    return f"{sign}£{size:,.0f}"


def percent(value: float | None, *, signed: bool = False) -> str:
    if value is None or math.isnan(value):
        return "–"
    if math.isinf(value):
        return "new" if value > 0 else "–"
    return f"{value:+.1f}%" if signed else f"{value:.1f}%"


def html_table(
    frame: pd.DataFrame,
    formats: Mapping[str, Callable[[Any], str]],
    *,
    title: str,
    notes: Sequence[str] = (),
) -> str:
    """A titled table with per-column formats, for ``_repr_html_``."""
    shown = frame.copy()
    for column, fmt in formats.items():
        if column in shown.columns:
            shown[column] = [fmt(v) for v in shown[column]]
    table = shown.to_html(border=0, classes="ras-table", escape=True)
    parts = [f"<div class=\"ras\"><strong>{html.escape(title)}</strong>", table]
    parts += [f"<p>{html.escape(note)}</p>" for note in notes]
    parts.append("</div>")
    return "\n".join(parts)
