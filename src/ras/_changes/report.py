"""A comparison in words, for people: its tables as HTML and the page ``to_html`` writes.

The summary a finance officer or a panel reads: labels, not ids (a setting's label from the
scheme); one way of writing money (to the penny, with separators); a sign on every change. All
scheme and cohort text (names, versions, labels, group values, column names) is escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from ras._changes.groups import ALL, BIN_COLUMNS
from ras._reasons import money, percent, signed_money

__all__ = ["cost_words", "count", "page", "summary_words"]

_EVERYONE = "all children"
_STYLE = ("body{font-family:sans-serif;margin:2em;max-width:75em}"
          "table{border-collapse:collapse}td,th{padding:.25em .6em;border-bottom:1px solid #ddd}"
          "td{text-align:right}img{max-width:100%}")


def summary_words(summary: pd.DataFrame, settings: Mapping[str, str], bins: Sequence[str],
                  *, weighted: bool, per: str = ""
                  ) -> tuple[pd.DataFrame, dict[str, Callable[[Any], str]]]:
    """The summary's people-facing columns, named in words, and how each is written (money
    followed by the scheme's period, ``per``: "" for a year, " a term")."""
    who = "children (weighted)" if weighted else "children"
    names = {"children": who, "base_total": "base total", "reform_total": "reform total",
             "change": "change", "change_pct": "change %",
             **dict(zip(BIN_COLUMNS, bins, strict=True)), "no_amount": "no amount (panel)"}
    table = summary[list(names)].rename(columns=names)
    table.index = _words_index(summary.index, settings)
    formats: dict[str, Callable[[Any], str]] = {
        who: count, "base total": _per(money, per), "reform total": _per(money, per),
        "change": _per(signed_money, per),
        "change %": _signed_percent, "no amount (panel)": count}
    formats |= dict.fromkeys(bins, count)
    return table, formats


def cost_words(table: pd.DataFrame, settings: Mapping[str, str], *, weighted: bool,
               per: str = "") -> tuple[pd.DataFrame, dict[str, Callable[[Any], str]]]:
    """The cost-neutrality table's columns in words, and how each is written (money followed
    by the scheme's period, ``per``)."""
    who = "children (weighted)" if weighted else "children"
    names = {"children": who, "base_total": "base total", "reform_total": "reform total",
             "difference": "difference", "difference_pct": "difference %",
             "referred_base": "referred (base)", "referred_reform": "referred (reform)"}
    shown = table[list(names)].rename(columns=names)
    labels = []
    for by, group in table.index.tolist():
        if by == ALL:
            labels.append((_EVERYONE, ""))
        else:
            labels.append((str(by), _word(group, settings if by == "setting" else {})))
    shown.index = pd.MultiIndex.from_tuples(labels, names=["by", "group"])
    formats: dict[str, Callable[[Any], str]] = {
        who: count, "base total": _per(money, per), "reform total": _per(money, per),
        "difference": _per(signed_money, per),
        "difference %": _signed_percent, "referred (base)": count, "referred (reform)": count}
    return shown, formats


def page(*, title: str, facts: Sequence[str], sections: Sequence[tuple[str, str]],
         notes: Sequence[str]) -> str:
    """A self-contained HTML page. ``title``, ``facts`` and ``notes`` are plain text (escaped
    here); each section is a plain-text heading and HTML made by this module."""
    head = html.escape(title)
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{head}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
             f"<h1>{head}</h1>"]
    parts += [f"<p>{html.escape(fact)}</p>" for fact in facts]
    for heading, body in sections:
        parts += [f"<h2>{html.escape(heading)}</h2>", body]
    parts += [f"<p><small>{html.escape(note)}</small></p>" for note in notes]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _per(write: Callable[[Any], str], per: str) -> Callable[[Any], str]:
    """Money written as ``write`` does, then what it is per (nothing for a year)."""
    if not per:
        return write
    return lambda value: write(value) + per


def count(value: Any) -> str:
    """A count of children: whole numbers as they are, weighted ones to a tenth."""
    number = float(value)
    if math.isnan(number):
        return "–"
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"


def _signed_percent(value: Any) -> str:
    return percent(float(value), signed=True)


def _words_index(index: pd.Index[Any], settings: Mapping[str, str]) -> pd.Index[Any]:
    """Group labels in words: the overall row as "all children", settings by their labels."""
    if isinstance(index, pd.MultiIndex):
        rows = []
        for key in index.tolist():
            if all(part == ALL for part in key):
                rows.append((_EVERYONE,) + ("",) * (len(key) - 1))
            else:
                rows.append(tuple(_word(part, settings if name == "setting" else {})
                                  for name, part in zip(index.names, key, strict=True)))
        return pd.MultiIndex.from_tuples(rows, names=[str(n) for n in index.names])
    mapping = settings if index.name == "setting" else {}
    labels = [_EVERYONE if k == 0 and label == ALL else _word(label, mapping)
              for k, label in enumerate(index.tolist())]
    return pd.Index(labels, name=str(index.name), dtype=object)


def _word(value: Any, labels: Mapping[str, str]) -> str:
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return str(value)
    return labels.get(value, str(value)) if isinstance(value, str) else str(value)
