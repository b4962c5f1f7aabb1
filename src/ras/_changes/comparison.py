"""Compare two schemes child by child: who gains, who loses, by how much, and where the cliffs are.

Both schemes run on the same cohort, encoded once when they ask the same questions. Gains and
losses are judged in whole pence (a child who loses 5 % of £1,000 exactly is "loses up to 5 %"),
so the bins never depend on floating point.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import UsageError, __version__, a_kind, check_target, replacing
from ras._changes.cases import pence, resolve_measure
from ras._changes.groups import (
    Groups,
    Sides,
    case_weights,
    check_by,
    cost_table,
    group_by,
    summarise,
)
from ras._changes.positions import refuse_shifted_positions
from ras._changes.report import cost_words, count, page, summary_words
from ras._engine import price_stream
from ras._reasons import html_table, money, per_period, signed_money

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ras._scheme import Scheme

__all__ = ["BINS", "Comparison", "compare", "price_points"]

Array = npt.NDArray[Any]
BINS = ("loses more than 5%", "loses up to 5%", "no change", "gains up to 5%",
        "gains more than 5%")
_BIN_COLUMNS = ("loses_over_5pct", "loses_up_to_5pct", "no_change", "gains_up_to_5pct",
                "gains_over_5pct")
BIN_DTYPE = pd.CategoricalDtype(list(BINS), ordered=True)
_NO_BAND = "(no band)"
MEASURE_NAMES = {"personal_sen_budget": "personal SEN budget",
                 "total_personal_budget": "total personal budget"}


def compare(
    base: Scheme,
    reform: Scheme,
    cohort: pd.DataFrame,
    *,
    measure: str = "personal_sen_budget",
    by: str | Sequence[str] | None = None,
    weights: str | None = None,
) -> Comparison:
    """Run a cohort through two schemes and line the results up child by child.

    Parameters
    ----------
    base
        The scheme in use.
    reform
        The changed scheme (``with_changes``, ``ras reform``, or another file).
    cohort
        One row per child, as for ``Scheme.calculate_frame``; both schemes must have its
        questions.
    measure
        What gains and losses are judged on: ``personal_sen_budget`` (element 3, the
        default), ``total_personal_budget`` or ``<stream>_amount``.
    by
        Cohort columns (any, and ``setting``) to summarise by: ``summary()`` then has a row per
        group that occurs, as an equality impact assessment needs, and ``cost_neutrality()``
        each scheme's total by setting and by each column.
    weights
        A cohort column of case weights (how many children a row stands for: a decimal of at
        most six places), which every total and count then uses.

    Returns
    -------
    Comparison
        ``.frame`` (per child: both schemes' figures and the change), ``.summary()``,
        ``.band_transitions()``, ``.cliff_edges()`` and ``.plot()``.

    Raises
    ------
    UsageError
        An unknown ``measure``; a ``by`` or ``weights`` column the cohort does not have.
    AnswerError
        A child's answers that either scheme cannot score; an answer given as a position that
        names different options under the two schemes; a weight that is missing, negative or
        has more than six decimal places.

    Examples
    --------
    >>> import ras
    >>> base = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> reform = base.with_changes({"pricing.education.rate": 300})
    >>> cohort = pd.DataFrame({q: [2, 0] for q in base.question_ids} | {"setting": "mainstream"})
    >>> ras.compare(base, reform, cohort).frame["change"].tolist()
    [910.0, 0.0]
    """
    return Comparison(base, reform, cohort, measure=measure, by=by, weights=weights)


def _outputs(scheme: Scheme) -> list[str]:
    names: list[str] = []
    columns = set(scheme.output_columns)
    for stream in scheme.stream_ids:
        names += [f"{stream}_points", f"{stream}_amount"]
        if f"{stream}_band" in columns:
            names.append(f"{stream}_band")
    return [*names, "personal_sen_budget", "total_personal_budget"]


def _same_encoding(a: Scheme, b: Scheme) -> bool:
    return (a.question_ids == b.question_ids and a.setting_ids == b.setting_ids
            and dict(a.option_ids) == dict(b.option_ids))


class Comparison:
    """Two schemes run on one cohort: ``.frame`` per child, ``.summary()`` overall and per
    setting (or per group of the ``by`` columns), ``.cost_neutrality()``,
    ``.band_transitions()``, ``.cliff_edges()``, ``.plot()`` and ``.to_html()``."""

    def __init__(self, base: Scheme, reform: Scheme, cohort: pd.DataFrame, *,
                 measure: str = "personal_sen_budget", by: str | Sequence[str] | None = None,
                 weights: str | None = None) -> None:
        from ras._scheme import Scheme

        for role, scheme in (("base", base), ("reform", reform)):
            if not isinstance(scheme, Scheme):
                raise UsageError(f"compare takes two ras.Scheme objects; the {role} is "
                                 f"{a_kind(scheme)}")
        self.base = base
        self.reform = reform
        self.measure = resolve_measure(base, measure)
        resolve_measure(reform, measure)
        if base.period != reform.period:
            raise UsageError(
                f"the base scheme's amounts are per {base.period} and the reform's per "
                f"{reform.period}: nothing is converted, so the two cannot be compared child by "
                "child; compare schemes with the same period")
        self.per = per_period(base.period)
        """What every amount is per, said after it: "" for a year, " a term", " (one-off)"."""
        if not isinstance(cohort, pd.DataFrame):
            raise UsageError(f"cohort must be a pandas DataFrame, not {type(cohort).__name__}")
        self.by: tuple[str, ...] | None = check_by(cohort, by) if by is not None else None
        self._weights = case_weights(cohort, weights) if weights is not None else None
        self.weights = weights
        encoded = base.encode(cohort)
        if _same_encoding(base, reform):
            other = encoded
        else:
            refuse_shifted_positions(base, reform, cohort)
            other = reform.encode(cohort)
        self._codes, self._settings = encoded.codes, encoded.settings
        self._reform_codes, self._reform_settings = other.codes, other.settings
        before = base.calculate_codes(encoded.codes, encoded.settings, columns=_outputs(base))
        after = reform.calculate_codes(other.codes, other.settings, columns=_outputs(reform))
        self._base_pence, self._base_missing = pence(before[self.measure])
        self._reform_pence, self._reform_missing = pence(after[self.measure])
        self._setting_ids = base.setting_ids
        self.frame = self._frame(cohort.index, before, after)
        settings = self.frame["setting"].array
        every_setting = Groups(pd.Index(list(self._setting_ids), name="setting", dtype=object),
                               self._settings.astype(np.int64))
        self._groups = (group_by(cohort, self.by, settings) if self.by is not None
                        else every_setting)
        self._dimensions = [("setting", every_setting)] + [
            (name, group_by(cohort, (name,), settings))
            for name in self.by or () if name != "setting"]
        extra = {name: cohort[name].to_numpy() for name in self.by or () if name != "setting"
                 and name not in self.frame.columns}
        if self._weights is not None:
            extra["weight"] = self._weights.units / 10**self._weights.scale
        if extra:
            self.frame = self.frame.assign(**extra)

    # the per-child frame --------------------------------------------------------------------

    def _frame(self, index: pd.Index[Any], before: dict[str, Array],
               after: dict[str, Array]) -> pd.DataFrame:
        data: dict[str, Any] = {
            "setting": pd.Categorical.from_codes(
                self._settings, dtype=pd.CategoricalDtype(list(self._setting_ids)))}
        streams = list(dict.fromkeys([*self.base.stream_ids, *self.reform.stream_ids]))
        for stream in streams:
            for what in ("points", "amount", "band"):
                name = f"{stream}_{what}"
                if name not in before and name not in after:
                    continue
                for side, values in (("base", before), ("reform", after)):
                    column = values.get(name)
                    if column is None:
                        column = np.full(len(index), None if what == "band" else np.nan,
                                         dtype=object if what == "band" else np.float64)
                    data[f"{name}_{side}"] = column
        for name in ("personal_sen_budget", "total_personal_budget"):
            data[f"{name}_base"] = before[name]
            data[f"{name}_reform"] = after[name]
        change, pct = self._change()
        data["change"] = change
        data["change_pct"] = pct
        data["outcome"] = pd.Categorical.from_codes(self._bins(), dtype=BIN_DTYPE)
        return pd.DataFrame(data, index=index)

    def _change(self) -> tuple[Array, Array]:
        missing = self._base_missing | self._reform_missing
        diff = self._reform_pence - self._base_pence
        change = np.where(missing, np.nan, diff / 100)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(self._base_pence > 0, diff / self._base_pence * 100,
                           np.where(diff > 0, np.inf, 0.0))
        return change, np.where(missing, np.nan, pct)

    def _bins(self) -> Array:
        """Bin codes 0-4 (BINS order), -1 where either side has no amount."""
        base, diff = self._base_pence, self._reform_pence - self._base_pence
        big = 20 * np.abs(diff) > base  # more than 5 % of the base, in exact pence
        codes = np.full(len(base), 2, dtype=np.int8)
        codes[(diff < 0) & big] = 0
        codes[(diff < 0) & ~big] = 1
        codes[(diff > 0) & ~big] = 3
        codes[(diff > 0) & big] = 4
        codes[self._base_missing | self._reform_missing] = -1
        return codes

    # summaries ------------------------------------------------------------------------------

    def summary(self) -> pd.DataFrame:
        """Totals before and after, and who gains, loses or sees no change: overall (the row
        ``all``) and by setting, or by the ``by`` columns' groups that occur (indexed by their
        values; ``("all", "all")`` for two columns). With weights, every total and count is
        weighted, and ``rows`` counts cohort rows.

        Totals are summed in whole pence; shares are of all children in the row. ``base_total``
        and ``reform_total`` are what each scheme's table gives, over the children it prices.
        ``change`` (and ``change_pct``) compares like with like: only the children priced by
        both, so a child newly referred to panel is not counted as a saving, nor one newly priced
        as a cost. ``referred_base`` and ``referred_reform`` count the children each scheme sends
        to panel without an amount; ``no_amount``, those missing either side.

        Returns
        -------
        pandas.DataFrame
            One row for all children (``"all"``), then one per setting of the base scheme, or
            one per group of the ``by`` columns that occurs.

        Examples
        --------
        >>> import ras
        >>> base = ras.load_scheme("scoring_schemes/banded_referral.yaml")
        >>> reform = base.with_changes({"pricing.education.bands.3.amount": 11000})
        >>> cohort = pd.DataFrame({q: [1, 2] for q in base.question_ids}
        ...                       | {"setting": "mainstream"})
        >>> comparison = ras.compare(base, reform, cohort)
        >>> row = comparison.summary().loc["all"]  # band 3: 11,000 - 6,000 after 10,000 - 6,000
        >>> row[["base_total", "reform_total", "change", "gainers"]].tolist()
        [16000.0, 17000.0, 1000.0, 1.0]
        """
        frame = summarise(self._sides(), self._groups, self._weights)
        frame.attrs["period"] = self.base.period  # amounts are per it, never converted
        return frame

    def cost_neutrality(self) -> pd.DataFrame:
        """Is the reform cost neutral? Each scheme's total, exact in Decimal pounds, and the
        difference: overall, by setting, and by each ``by`` column's groups.

        A child referred to panel has no amount in that scheme's total (``referred_base``,
        ``referred_reform`` count them), so the difference is what the tables give, not like
        for like (``summary()`` has that). With weights, totals are weighted and exact (a
        fraction of a penny is kept, not rounded).

        Returns
        -------
        pandas.DataFrame
            Indexed by (``by``, ``group``): ``("all", "all")``, then ``("setting", id)`` for
            every setting of the base scheme, then ``(column, value)`` for each group of each
            ``by`` column; columns ``children``, ``base_total``, ``reform_total``,
            ``difference`` (Decimal pounds), ``difference_pct``, ``referred_base``,
            ``referred_reform`` (and ``rows`` with weights).

        Examples
        --------
        >>> import ras
        >>> base = ras.load_scheme("scoring_schemes/banded_referral.yaml")
        >>> reform = base.with_changes({"pricing.education.bands.3.amount": 11000})
        >>> cohort = pd.DataFrame({q: [1, 2] for q in base.question_ids}
        ...                       | {"setting": "mainstream"})
        >>> table = ras.compare(base, reform, cohort).cost_neutrality()
        >>> table.loc[("all", "all"), ["base_total", "reform_total", "difference"]].tolist()
        [Decimal('16000.00'), Decimal('17000.00'), Decimal('1000.00')]
        """
        return cost_table(self._sides(), self._dimensions, self._weights)

    def _sides(self) -> Sides:
        return Sides(self._base_pence, self._base_missing, self._reform_pence,
                     self._reform_missing, self._bins())

    def band_transitions(self, stream: str = "education", *,
                         setting: str | None = None) -> pd.DataFrame:
        """Children by band before (rows) and band after (columns).

        No band (referred to panel, or a setting priced without bands) is ``(no band)``.

        Parameters
        ----------
        stream
            The stream whose bands are counted (education by default).
        setting
            Count only the children in this setting.

        Returns
        -------
        pandas.DataFrame
            A count of children for each pair of bands, base band by reform band.

        Raises
        ------
        UsageError
            A stream that is not priced by bands, or an unknown setting.

        Examples
        --------
        >>> import ras
        >>> base = ras.load_scheme("scoring_schemes/banded_referral.yaml")
        >>> reform = base.with_changes({"pricing.education.bands.3.amount": 11000})
        >>> cohort = pd.DataFrame({q: [1, 2] for q in base.question_ids}
        ...                       | {"setting": "mainstream"})
        >>> comparison = ras.compare(base, reform, cohort)
        >>> comparison.band_transitions().to_dict()    # 40 points is band 3, 80 band 5, both times
        {'3': {'3': 1, '5': 0}, '5': {'3': 0, '5': 1}}
        """
        before = self.frame.get(f"{stream}_band_base")
        after = self.frame.get(f"{stream}_band_reform")
        if before is None or after is None:
            raise UsageError(f"stream {stream!r} is not priced by bands in either scheme")
        rows = np.ones(len(self.frame), dtype=bool)
        if setting is not None:
            if setting not in self._setting_ids:
                raise UsageError(f"unknown setting {setting!r}; settings are "
                                 f"{', '.join(self._setting_ids)}")
            rows = (self.frame["setting"] == setting).to_numpy()
        order_b = self._band_order(self.base, stream)
        order_a = self._band_order(self.reform, stream)
        b = pd.Categorical(_labels(before[rows]), categories=order_b)
        a = pd.Categorical(_labels(after[rows]), categories=order_a)
        table = pd.crosstab(b, a, dropna=False)
        # Bands no child is in (often another setting's table) only hide the ones that matter.
        table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
        table.index.name, table.columns.name = "base band", "reform band"
        return table

    @staticmethod
    def _band_order(scheme: Scheme, stream: str) -> list[str]:
        if stream not in scheme.stream_ids:
            return [_NO_BAND]
        s = scheme.stream_ids.index(stream)
        return [*scheme.compiled.band_labels[s], _NO_BAND]

    def cliff_edges(self, points: float = 1, *, stream: str = "education",
                    scheme: str = "reform") -> pd.DataFrame:
        """Children within ``points`` of a band boundary, and what a point either way is worth.

        For each child priced by bands: the points to the next band, what one more point would
        add (``worth_one_more_point``) and what reaching the next band would add
        (``worth_next_band``); the points above the start of their band and what one point fewer
        would take away (``cost_of_one_point_less``). For education the worth is in element 3,
        what the family would get. Worked out by the engine's own pricing.

        Parameters
        ----------
        points
            How near a boundary counts, in points (1 by default).
        stream
            The banded stream (education by default).
        scheme
            ``"reform"`` (the default) or ``"base"``: whose bands.

        Returns
        -------
        pandas.DataFrame
            One row per child near a boundary, with the columns above.

        Raises
        ------
        UsageError
            A stream that is not priced by bands, or ``scheme`` not ``"base"`` or ``"reform"``.

        Examples
        --------
        >>> import ras
        >>> base = ras.load_scheme("scoring_schemes/banded_referral.yaml")
        >>> reform = base.with_changes({"pricing.education.bands.3.amount": 11000})
        >>> cohort = pd.DataFrame({q: [1, 2] for q in base.question_ids}
        ...                       | {"setting": "mainstream"})
        >>> comparison = ras.compare(base, reform, cohort)
        >>> edges = comparison.cliff_edges(5)
        >>> edges.loc[0, "band"]
        '3'
        >>> edges.loc[0, ["worth_next_band", "cost_of_one_point_less"]].tolist()
        [2500.0, 3500.0]

        Child 0 has 40 points, the start of band 3 (£11,000 in the reform, so £5,000 of element 3);
        band 4 at 60 points pays £13,500 (£7,500), and one point less is band 2's £7,500 (£1,500).
        """
        which = {"reform": self.reform, "base": self.base}.get(scheme)
        if which is None:
            raise UsageError(f"scheme must be 'reform' or 'base', not {scheme!r}")
        settings = self._settings if which is self.base else self._reform_settings
        if stream not in which.stream_ids:
            raise UsageError(f"the {scheme} scheme has no stream {stream!r}")
        c = which.compiled
        s = c.stream_ids.index(stream)
        if not c.stream_has_domains[s]:
            return _empty_cliffs()
        unit = 10**c.point_exp
        codes = self._codes if which is self.base else self._reform_codes
        pts = which.calculate_codes(codes,
                                    settings, columns=[f"{stream}_points"])[f"{stream}_points"]
        p = np.rint(pts * unit).astype(np.int64).astype(c.dtype)
        variant = c.pricing_of_setting[s][settings]
        now, now_missing, _ = price_points(which, s, p, settings)
        up, up_missing, _ = price_points(which, s, p + unit, settings)
        down, down_missing, _ = price_points(which, s, p - unit, settings)

        parts: list[pd.DataFrame] = []
        limit = round(float(points) * unit)
        for v, table in enumerate(c.pricings[s]):
            if table.method != "bands":
                continue
            mine = np.flatnonzero((variant == v) & ~now_missing)
            priced = np.maximum(p[mine], 0).astype(np.int64)
            starts = np.asarray(table.starts, dtype=np.int64)
            pos = np.searchsorted(starts, priced, side="right") - 1
            has_next = pos + 1 < len(starts)
            nxt = np.minimum(pos + 1, len(starts) - 1)
            to_next = starts[nxt] - priced
            above = priced - starts[pos]
            near = (has_next & (to_next <= limit)) | ((pos > 0) & (above <= limit))
            i, k = mine[near], np.flatnonzero(near)
            labels = np.array([*table.labels, None], dtype=object)
            reach = starts[nxt[k]].astype(c.dtype)
            at_next, next_missing, _ = price_points(which, s, reach, settings[i])
            no_next = ~has_next[k] | next_missing
            parts.append(pd.DataFrame({
                "setting": np.asarray(self._setting_ids, dtype=object)[self._settings[i]],
                "points": pts[i],
                "band": labels[pos[k]],
                "amount": now[i] / 100,
                "next_band": labels[np.where(has_next[k], nxt[k], -1)],
                "points_to_next_band": np.where(has_next[k], to_next[k] / unit, np.nan),
                "worth_one_more_point": np.where(up_missing[i], np.nan, (up[i] - now[i]) / 100),
                "worth_next_band": np.where(no_next, np.nan, (at_next - now[i]) / 100),
                "points_above_band_start": above[k] / unit,
                "cost_of_one_point_less": np.where(down_missing[i], np.nan,
                                                   (now[i] - down[i]) / 100),
            }, index=i))
        if not parts:
            return _empty_cliffs()
        frame = pd.concat(parts).sort_index()
        frame.index = self.frame.index[frame.index.to_numpy()]
        return frame

    # display --------------------------------------------------------------------------------

    def plot(self) -> Figure:
        """A matplotlib Figure that a notebook shows as its picture (no ``%matplotlib inline``
        needed): the distribution of changes, the five gain/loss bins and, when compared by
        group, each group's change. Weighted when the comparison is. Scheme and cohort text is
        drawn as written, never as mathtext.

        Returns
        -------
        matplotlib.figure.Figure
            Two charts side by side (three with ``by``); ``.savefig(path)`` writes it, and
            ``_repr_png_`` is what a notebook shows.

        Raises
        ------
        ImportError
            matplotlib is not installed (the ``plot`` extra: ``pip install 'ras[plot]'``).

        Examples
        --------
        >>> import ras
        >>> base = ras.load_scheme("scoring_schemes/banded_referral.yaml")
        >>> reform = base.with_changes({"pricing.education.bands.3.amount": 11000})
        >>> cohort = pd.DataFrame({q: [1, 2] for q in base.question_ids}
        ...                       | {"setting": "mainstream"})
        >>> comparison = ras.compare(base, reform, cohort)
        >>> figure = comparison.plot()              # doctest: +SKIP
        >>> figure.savefig("impact.png")            # doctest: +SKIP
        """
        try:
            import matplotlib.figure  # noqa: F401 - only to say how to get it
        except ImportError:
            raise ImportError(
                "Comparison.plot() needs matplotlib: pip install 'ras[plot]'") from None
        from ras._changes.chart import draw

        summary = self.summary()
        everyone = summary.iloc[0]
        groups = []
        if self.by is not None:
            labels = self._setting_labels()
            for key, row in summary.iloc[1:].iterrows():
                parts = key if isinstance(key, tuple) else (key,)
                words = [labels.get(part, str(part)) if name == "setting" else str(part)
                         for name, part in zip(self.by, parts, strict=True)]
                groups.append((" / ".join(words), float(row["change_pct"]),
                               float(row["children"])))
        weight = self.frame["weight"].to_numpy() if self._weights is not None else None
        return draw(change=self.frame["change"].to_numpy(dtype=np.float64), weight=weight,
                    bins=BINS, counts=[float(everyone[c]) for c in _BIN_COLUMNS],
                    base_total=float(everyone["base_total"]),
                    reform_total=float(everyone["reform_total"]),
                    what=MEASURE_NAMES.get(self.measure, self.measure), title=self._title(),
                    groups=groups)

    def to_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """The comparison as one self-contained HTML page (what ``ras compare --html``
        writes): who gains and who loses, overall and by group, the chart (with matplotlib),
        and the cost-neutrality table, in words (setting labels, money to the penny, signed
        changes), with every scheme and cohort text escaped.

        Parameters
        ----------
        path
            Where to write the page (whole, or not at all: a temporary file beside it is
            renamed over it); ``None`` only returns it.

        Returns
        -------
        str
            The page, whether or not it was written.

        Raises
        ------
        CalculationError
            ``path`` is in a folder that does not exist, is a folder, or cannot be written.

        Examples
        --------
        >>> import ras
        >>> base = ras.load_scheme("scoring_schemes/banded_referral.yaml")
        >>> reform = base.with_changes({"pricing.education.bands.3.amount": 11000})
        >>> cohort = pd.DataFrame({q: [1, 2] for q in base.question_ids}
        ...                       | {"setting": "mainstream"})
        >>> page = ras.compare(base, reform, cohort).to_html()
        >>> page.startswith("<!DOCTYPE html>"), "+£1,000.00" in page
        (True, True)
        >>> ras.compare(base, reform, cohort).to_html("impact.html")  # doctest: +SKIP
        """
        settings = self._setting_labels()
        weighted = self._weights is not None
        summary, formats = summary_words(self.summary(), settings, BINS, weighted=weighted,
                                         per=self.per)
        cost, cost_formats = cost_words(self.cost_neutrality(), settings, weighted=weighted,
                                        per=self.per)
        sections = [("Who gains and who loses", html_table(
            summary, formats, title=self._title(), notes=self._notes()))]
        chart = self._chart_html()
        sections.append(("The chart", chart or "<p><em>The chart needs matplotlib: pip install "
                         "'ras[plot]'.</em></p>"))
        sections.append(("Cost neutrality", html_table(
            cost, cost_formats, title="Each scheme's total, overall and by group",
            notes=["A child referred to panel has no amount in that scheme's total; the "
                   "difference is what the two tables give."])))
        text = page(title=self._title(), facts=self._facts(), sections=sections, notes=[
            f"Made by ras {__version__}."])
        if path is not None:
            target = Path(path)
            check_target(target, "report")
            with replacing(target, "report") as sink:
                sink.write(text.encode("utf-8"))
        return text

    def _chart_html(self) -> str:
        """The chart as an embedded PNG, or nothing without matplotlib."""
        try:
            figure = self.plot()
        except ImportError:
            return ""
        from ras._changes.chart import png_img

        return png_img(figure, "Distribution of gains and losses")

    def _setting_labels(self) -> dict[str, str]:
        return {sid: setting.label or sid for sid, setting in self.base.settings.items()}

    def _facts(self) -> list[str]:
        facts = [f"Base: {_name(self.base)}.", f"Reform: {_name(self.reform)}.",
                 f"Cohort: {len(self.frame):,} children."]
        if self.by is not None:
            facts.append(f"By: {', '.join(self.by)}.")
        if self._weights is not None:
            total = self._weights.total()
            facts.append(f"Weighted by the column {self._weights.column} (total weight "
                         f"{total:,}); totals and counts are weighted.")
        return facts

    def _notes(self) -> list[str]:
        return ["Gains and losses are judged in whole pence against each child's base amount.",
                "The change is over the children both schemes price; a child referred to panel "
                "in either has no amount (no amount)."]

    def _title(self) -> str:
        base, reform = self.base, self.reform
        what = MEASURE_NAMES.get(self.measure, self.measure) + self.per
        if (base.id, base.version) == (reform.id, reform.version):
            return f"{what}: a reform of {base.id} {base.version}"
        return f"{what}: {reform.id} {reform.version} against {base.id} {base.version}"

    def __repr__(self) -> str:
        s = self.summary().iloc[0].to_dict()
        return (f"<Comparison of {len(self.frame):,} children on {self.measure}: "
                f"total {money(s['base_total'])}{self.per} -> "
                f"{money(s['reform_total'])}{self.per} "
                f"({signed_money(s['change'])}{self.per} like for like); "
                f"{count(s['gainers'])} gain, "
                f"{count(s['losers'])} lose, {count(s['unchanged'])} unchanged>")

    def _repr_html_(self) -> str:
        """The summary in words, with the chart (when matplotlib is installed), for notebooks;
        every scheme and cohort text escaped."""
        summary, formats = summary_words(self.summary(), self._setting_labels(), BINS,
                                         weighted=self._weights is not None, per=self.per)
        table = html_table(summary, formats, title=self._title(), notes=self._notes())
        chart = self._chart_html()
        if not chart:
            return table
        return table.removesuffix("</div>") + chart + "\n</div>"


def _name(scheme: Scheme) -> str:
    return f"{scheme.name} ({scheme.id} {scheme.version}, fingerprint {scheme.fingerprint[:12]})"


def _labels(values: pd.Series[Any]) -> list[str]:
    return [_NO_BAND if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
            for v in values.tolist()]


def _empty_cliffs() -> pd.DataFrame:
    columns: Sequence[str] = ("setting", "points", "band", "amount", "next_band",
                              "points_to_next_band", "worth_one_more_point", "worth_next_band",
                              "points_above_band_start", "cost_of_one_point_less")
    return pd.DataFrame(columns=list(columns))


def price_points(scheme: Scheme, s: int, points: Array, settings: Array
                 ) -> tuple[Array, Array, Array]:
    """Price given stream points (in the scheme's point units) with the engine's own pricing.

    Returns pence, missing (referred), and the band position (-1 for none). For education the
    pence are element 3 (the setting's deduction taken off), which is what the family gets.
    """
    c = scheme.compiled
    n, streams = len(points), len(c.stream_ids)
    amount = np.zeros((n, streams), dtype=c.dtype)
    missing = np.zeros((n, streams), dtype=bool)
    review = np.zeros((n, streams), dtype=np.int8)
    band = np.full((n, streams), -1, dtype=np.int64)
    variant = c.pricing_of_setting[s][settings]
    price_stream(c, s, points, variant, amount, missing, review, band, None)
    out = amount[:, s]
    if s == c.education:
        out = np.maximum(out - c.deduction[settings], 0)
    return out.astype(np.int64), missing[:, s], band[:, s]
