"""The chart of a comparison: a matplotlib Figure that shows itself, and the same as a PNG.

A plain ``Figure`` made without pyplot shows in Jupyter as ``<Figure size 1000x400 with 2 Axes>``
unless the user knows ``%matplotlib inline``; this one has ``_repr_png_``, so a notebook shows
the chart whatever the backend. Every text drawn is a scheme's or a cohort's own words, so it is
drawn as written: never parsed as mathtext or sent to TeX (a version like ``$\\frac{$`` once
crashed the drawing).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from ras._reasons import money_short, percent

__all__ = ["PLAIN", "ChangeChart", "GroupBar", "draw", "png", "png_img"]

Array = npt.NDArray[Any]
PLAIN: dict[str, Any] = {"parse_math": False, "usetex": False}  # text as written
_COLOURS = ["#c44e52", "#dd8452", "#bbbbbb", "#8fbc8f", "#55a868"]
_MOST_GROUPS = 25


class ChangeChart(Figure):
    """A matplotlib Figure that a notebook shows as its picture, with or without pyplot."""

    def _repr_png_(self) -> bytes:
        return png(self)


GroupBar = tuple[str, float, float]  # label, change %, children


def draw(*, change: Array, weight: Array | None, bins: Sequence[str], counts: Sequence[float],
         base_total: float, reform_total: float, what: str, title: str,
         groups: Sequence[GroupBar] = ()) -> ChangeChart:
    """The distribution of changes, the five gain/loss bins and, when the comparison is by
    group, each group's change in per cent."""
    figure = ChangeChart(figsize=(10, 4 + (0.25 * min(len(groups), _MOST_GROUPS) + 1.2
                                          if groups else 0)), layout="constrained")
    if groups:
        axes = figure.subplot_mosaic([["changes", "bins"], ["groups", "groups"]],
                                     width_ratios=[3, 2],
                                     height_ratios=[4, 0.25 * min(len(groups), _MOST_GROUPS)
                                                    + 1.2])
        left, right = axes["changes"], axes["bins"]
    else:
        left, right = figure.subplots(1, 2, width_ratios=[3, 2])
    who = "children" if weight is None else "children (weighted)"
    known = ~np.isnan(change)
    moved = known & (change != 0)
    if moved.any():
        left.hist(change[moved], bins=min(50, max(10, int(np.sqrt(moved.sum())))),
                  weights=None if weight is None else weight[moved], color="#4c72b0")
    left.axvline(0, color="black", linewidth=0.8)
    left.set_xlabel(f"change in {what} (£)", **PLAIN)
    left.set_ylabel(who, **PLAIN)
    left.set_title(f"{_count(_total(moved, weight))} of {_count(_total(known, weight))} "
                   f"{who} see a change", **PLAIN)
    places = np.arange(len(bins))
    bars = right.barh(places, counts, color=_COLOURS)
    right.set_yticks(places, labels=list(bins), **PLAIN)
    right.bar_label(bars, labels=[_count(n) for n in counts], padding=3, **PLAIN)
    right.invert_yaxis()
    right.set_xlabel(who, **PLAIN)
    right.set_title(f"total {money_short(base_total)} → {money_short(reform_total)}", **PLAIN)
    right.set_xlim(0, max([*counts, 1]) * 1.2)  # room for the counts
    if groups:
        _draw_groups(axes["groups"], groups)
    figure.suptitle(title, fontsize=10, **PLAIN)
    return figure


def _draw_groups(axis: Any, groups: Sequence[GroupBar]) -> None:
    shown = sorted(groups, key=lambda g: -g[2])[:_MOST_GROUPS] if len(
        groups) > _MOST_GROUPS else list(groups)
    pct = np.array([0.0 if np.isnan(g[1]) else g[1] for g in shown])
    places = np.arange(len(shown))
    bars = axis.barh(places, pct, color=["#c44e52" if p < 0 else "#55a868" for p in pct])
    axis.set_yticks(places, labels=[g[0] for g in shown], **PLAIN)
    axis.bar_label(bars, labels=[percent(g[1], signed=True) for g in shown], padding=3,
                   **PLAIN)
    axis.invert_yaxis()
    axis.axvline(0, color="black", linewidth=0.8)
    axis.set_xlabel("change, like for like (%)", **PLAIN)
    low, high = min(0.0, float(pct.min(initial=0))), max(0.0, float(pct.max(initial=0)))
    pad = (high - low) * 0.25 or 1.0
    axis.set_xlim(low - (pad if low < 0 else 0), high + (pad if high > 0 or low == 0 else 0))
    more = (f" ({_MOST_GROUPS} largest of {len(groups):,} groups)"
            if len(groups) > _MOST_GROUPS else "")
    axis.set_title(f"change by group{more}", **PLAIN)


def _total(where: Array, weight: Array | None) -> float:
    return float(where.sum() if weight is None else weight[where].sum())


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def png(figure: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def png_img(figure: Figure, alt: str) -> str:
    """An ``<img>`` element holding the figure as an embedded PNG."""
    encoded = base64.b64encode(png(figure)).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}">'
