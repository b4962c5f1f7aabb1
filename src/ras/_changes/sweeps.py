"""Sweeps: what a cohort costs as one value of the scheme moves through a range.

The cohort is encoded once and reduced once to the cases the parameter can tell apart
(``Cases``): what the parameter acts on (a setting and a stream's points, say), beside the part
of the measure it cannot change, priced once per child. Each value then costs one validated
scheme (only the model holding the value is validated again, then the format's rules, then the
compile) and one kernel call over the cases the parameter acts on. Building every variant as a
whole scheme keeps it validated and compiled exactly as a file would be.

Measured with ``benchmarks/bench_sweep.py --floor`` (issue 19): 200 social care rates over
640,000 children of the 40-question benchmark scheme, total personal budget, reduce to 6,408
cases (774 that the rate acts on); the sweep takes 1.5-1.8 x a numpy re-pricing of the
children's precomputed points that only sums the totals, and less than a numpy re-pricing that
works out every figure the sweep reports (see benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ras._base import Problem, SchemeError
from ras._changes.cases import Cases, weighted_stats
from ras._engine import sum_pence
from ras._reasons import per_period

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = ["sweep"]


def sweep(
    scheme: Scheme,
    cohort: pd.DataFrame,
    parameter: str,
    values: Iterable[Any],
    *,
    measure: str = "personal_sen_budget",
) -> pd.DataFrame:
    """The cohort's cost for each value of one parameter: one row per value, in order.

    Columns: ``value``; ``total`` (pounds, summed exactly in pence); ``change`` from the scheme
    as it is, like for like (over the children both price: a child this value sends to panel
    is not a saving, nor one it brings back from panel a cost); ``with_top_up`` (children
    whose measure is above zero); ``mean``, ``median`` and ``p90`` over the children who have
    an amount; ``referred`` (children with no amount, sent to panel).

    Parameters
    ----------
    scheme
        The scheme as it is; it is not changed.
    cohort
        One row per child, as for ``Scheme.calculate_frame``.
    parameter
        The readable path of the value to vary (``pricing.education.rate``).
    values
        The values to try, in the order of the rows.
    measure
        ``personal_sen_budget`` (element 3, the default), ``total_personal_budget`` or
        ``<stream>_amount``.

    Returns
    -------
    pandas.DataFrame
        One row per value, with the columns above.

    Raises
    ------
    SchemeError
        ``parameter`` is not a value of the scheme, or values that make the scheme invalid:
        every value is checked before any is run, and all such are reported together.
    UsageError
        An unknown ``measure``.

    Examples
    --------
    >>> import ras
    >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> cohort = pd.DataFrame({q: [1, 2] for q in scheme.question_ids} | {"setting": "mainstream"})
    >>> ras.sweep(scheme, cohort, "pricing.education.rate", [285, 300])["total"].tolist()
    [15790.0, 17100.0]
    """
    values = list(values)
    cases = Cases(scheme, cohort, parameter, measure)
    variants: list[Scheme] = []
    problems: list[Problem] = []
    for value in values:
        try:
            variants.append(cases.variant(value))
        except SchemeError as exc:  # the message names the path and the value
            problems += exc.problems
    if problems:
        raise SchemeError(problems)
    base, base_missing = cases.amounts(scheme)
    rows = []
    for value, variant in zip(values, variants, strict=True):
        amount, missing = cases.amounts(variant)
        stats = weighted_stats(amount, missing, cases.weights)
        both = ~(missing | base_missing)  # like for like: priced as it is and at this value
        change = (sum_pence(amount[both], cases.weights[both])
                  - sum_pence(base[both], cases.weights[both]))
        rows.append({
            "value": value,
            "total": stats.total / 100,
            "change": change / 100,
            "with_top_up": stats.with_amount,
            "mean": stats.mean,
            "median": stats.median,
            "p90": stats.p90,
            "referred": stats.referred,
        })
    columns = ["value", "total", "change", "with_top_up", "mean", "median", "p90", "referred"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.astype({"total": np.float64, "change": np.float64, "with_top_up": np.int64,
                          "mean": np.float64, "median": np.float64, "p90": np.float64,
                          "referred": np.int64})
    frame.attrs["parameter"] = cases.parameter.path
    frame.attrs["measure"] = cases.measure
    frame.attrs["children"] = cases.n
    frame.attrs["period"] = scheme.period  # amounts are per it, never converted
    frame.attrs["per"] = per_period(scheme.period)
    return frame
