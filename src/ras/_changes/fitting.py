"""Fitting a scheme's prices to what existing packages cost.

This is how councils set their rates: score a sample of existing cases (often about 100), put
each case's points beside what its package costs, and fit a price per point (and a base) by
least squares, or set each band's amount to the mean or median cost of the cases in it. The
fitted values are written into a new scheme, and the goodness of fit is judged on what that
scheme would actually pay (after its clamps and rounding), not on the bare line.

Costs are the whole cost of each package in the terms the pricing prices: for education, the
cost of the additional support before element 2 is deducted (the stream amount, not element 3).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import CalculationError, UsageError
from ras._changes.reform import apply_changes, find_parameter
from ras._reasons import money

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = ["Fit", "fit"]

Array = npt.NDArray[Any]
_PENNY = Decimal("0.01")


@dataclass(frozen=True, eq=False)
class Fit:
    """Fitted values, the scheme that carries them, and how well it reproduces the costs."""

    scheme: Scheme
    values: dict[str, Decimal]  # path -> fitted value
    method: str  # "least squares" or "band mean" / "band median"
    r_squared: float  # of the fitted scheme's amounts against the costs
    frame: pd.DataFrame  # per case used: setting, points, band, actual, fitted, residual, outside
    tolerance: float
    excluded: int  # children not priced by this pricing, or without a cost
    notes: tuple[str, ...] = field(default=())

    @property
    def residuals(self) -> pd.Series[float]:
        """Actual cost minus what the fitted scheme gives, per case."""
        return self.frame["residual"]

    @property
    def outside(self) -> pd.DataFrame:
        """Cases whose fitted amount is off their cost by more than the tolerance."""
        return self.frame[self.frame["outside"]]

    def __repr__(self) -> str:
        shown = ", ".join(f"{k} = {v}" for k, v in self.values.items())
        return (f"<Fit ({self.method}) of {len(self.frame)} cases: {shown}; "
                f"R² {self.r_squared:.3f}; {int(self.frame['outside'].sum())} outside "
                f"{self.tolerance:.0%}>")


def fit(
    scheme: Scheme,
    cohort: pd.DataFrame,
    actual_costs: str | Sequence[float] | pd.Series[Any] | Array,
    parameters: str | Sequence[str],
    *,
    statistic: Literal["mean", "median"] = "mean",
    tolerance: float = 0.10,
) -> Fit:
    """Fit prices to the costs of existing packages.

    ``parameters`` names what to fit, all in one pricing (``pricing.<stream>`` or a setting's
    own ``settings.<id>.pricing.<stream>``):

    - ``"...rate"``: a price per point through the current base, by least squares;
    - ``"...base"``: a base under the current price per point (the mean of each cost less its
      points' price);
    - ``["...rate", "...base"]``: a price per point and a base, by least squares;
    - ``"...bands"``, or some ``"...bands.<label>.amount"``: each band's amount as the
      ``statistic`` (mean or median) of the costs of the cases in it (bands with no case keep
      their amount, and a note says so).

    Only the children whose setting this pricing prices are used. docs/fitting-rates.md is the
    guide.

    Parameters
    ----------
    scheme
        The scheme whose prices are fitted; it is not changed.
    cohort
        One row per child, as for ``Scheme.calculate_frame``.
    actual_costs
        The name of a cohort column of costs, or one cost per row (NaN for a child with none).
    parameters
        The readable path or paths to fit, as above.
    statistic
        ``"mean"`` (the default) or ``"median"``, for band amounts.
    tolerance
        A case is outside it when the fitted amount is off its cost by more than this fraction
        of the cost (0.1, ten per cent, by default).

    Returns
    -------
    Fit
        The fitted values, the scheme that carries them (``.scheme``), R², and each case's
        actual and fitted amount (``.frame``, ``.outside``).

    Raises
    ------
    UsageError
        No parameter named, a statistic that is neither, a cost column the cohort does not
        have, or not one cost per child.
    CalculationError
        Parameters from more than one pricing or that its method does not have, too few
        cases with a cost to fit, costs that are not numbers, or a fit that gives a negative
        price.

    Examples
    --------
    >>> import ras
    >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> cohort = pd.DataFrame({q: [0, 1, 2] for q in scheme.question_ids}
    ...                       | {"setting": "mainstream"})
    >>> points = scheme.calculate_frame(cohort)["education_points"]
    >>> cohort["cost"] = 1500 + 300 * points           # £1,500 and £300 a point, exactly
    >>> ras.fit(scheme, cohort, "cost", "pricing.education.rate").values
    {'pricing.education.rate': Decimal('300.00')}
    """
    paths = [parameters] if isinstance(parameters, str) else list(parameters)
    if not paths:
        raise UsageError("name at least one parameter to fit")
    if statistic not in ("mean", "median"):
        raise UsageError(f"statistic must be 'mean' or 'median', not {statistic!r}")
    prefix, stream, setting = _pricing_of(scheme, paths)
    costs = _costs(cohort, actual_costs)
    encoded = scheme.encode(cohort)
    c = scheme.compiled
    s = c.stream_ids.index(stream)
    own = (c.pricing_of_setting[s] > 0) if setting is None else None
    if setting is None:
        assert own is not None
        used = ~own[encoded.settings]
    else:
        used = encoded.settings == scheme.setting_ids.index(setting)
    used &= ~np.isnan(costs)
    columns = [f"{stream}_points", f"{stream}_amount"]
    before = scheme.calculate_codes(encoded.codes, encoded.settings, columns=columns)
    points = before[f"{stream}_points"]
    if not used.any():
        raise CalculationError(f"no case with a cost is priced by {prefix}: nothing to fit")
    pricing = _model_pricing(scheme, prefix)

    notes: list[str] = []
    kind = {p.rsplit(".", 1)[-1] for p in paths}
    if kind <= {"rate", "base"}:
        if pricing.method != "rate":
            raise CalculationError(f"{prefix} is priced by {pricing.method}, not rate: fit its "
                                   f"{pricing.method} instead")
        values = _least_squares(prefix, pricing, points[used], costs[used],
                                fit_rate="rate" in kind, fit_base="base" in kind)
        method = "least squares"
    else:
        values, notes = _band_values(scheme, prefix, pricing, paths, encoded, stream, used,
                                     costs, statistic)
        method = f"band {statistic}"

    fitted_scheme = apply_changes(scheme, values)
    after = fitted_scheme.calculate_codes(encoded.codes, encoded.settings,
                                          columns=[f"{stream}_amount", f"{stream}_band"]
                                          if f"{stream}_band" in fitted_scheme.output_columns
                                          else [f"{stream}_amount"])
    fitted = after[f"{stream}_amount"]
    keep = used & ~np.isnan(fitted)
    actual, got = costs[keep], fitted[keep]
    residual = actual - got
    total_ss = float(np.sum((actual - actual.mean()) ** 2))
    r_squared = 1 - float(np.sum(residual**2)) / total_ss if total_ss > 0 else float("nan")
    frame = pd.DataFrame({
        "setting": np.asarray(scheme.setting_ids, dtype=object)[encoded.settings[keep]],
        "points": points[keep],
        **({"band": after[f"{stream}_band"][keep]} if f"{stream}_band" in after else {}),
        "actual": actual,
        "fitted": got,
        "residual": residual,
        "outside": np.abs(residual) > tolerance * np.abs(actual),
    }, index=cohort.index[keep])
    if (used & np.isnan(fitted)).any():
        notes.append(f"{int((used & np.isnan(fitted)).sum())} case(s) are referred to panel "
                     "by the fitted scheme and are left out of R²")
    return Fit(fitted_scheme, values, method, r_squared, frame, tolerance,
               excluded=int(len(cohort) - keep.sum()), notes=tuple(notes))


def _pricing_of(scheme: Scheme, paths: list[str]) -> tuple[str, str, str | None]:
    """The pricing all the paths belong to: its path prefix, stream and setting (if its own)."""
    prefixes = set()
    for path in paths:
        parts = path.split(".")
        if parts[0] == "pricing" and len(parts) >= 3:
            prefixes.add(".".join(parts[:2]))
        elif parts[:1] == ["settings"] and len(parts) >= 5 and parts[2] == "pricing":
            prefixes.add(".".join(parts[:4]))
        else:
            raise CalculationError(f"{path} is not a price: fit takes rate, base or band "
                                   "amounts of one pricing")
    if len(prefixes) != 1:
        raise CalculationError(f"fit one pricing at a time (found {', '.join(sorted(prefixes))})")
    prefix = prefixes.pop()
    parts = prefix.split(".")
    stream, setting = (parts[1], None) if parts[0] == "pricing" else (parts[3], parts[1])
    if stream not in scheme.stream_ids:
        raise CalculationError(f"{prefix}: the scheme has no stream {stream!r}")
    if setting is not None and setting not in scheme.setting_ids:
        raise CalculationError(f"{prefix}: the scheme has no setting {setting!r}")
    return prefix, stream, setting


def _model_pricing(scheme: Scheme, prefix: str) -> Any:
    parts = prefix.split(".")
    model = scheme.model
    if parts[0] == "pricing":
        found = model.pricing.get(parts[1])
    else:
        found = (model.settings[parts[1]].pricing or {}).get(parts[3])
    if found is None:
        raise CalculationError(f"the scheme has no pricing at {prefix}")
    return found


def _costs(cohort: pd.DataFrame, actual: Any) -> Array:
    if isinstance(actual, str):
        if actual not in cohort.columns:
            raise UsageError(f"the cohort has no column {actual!r} of costs")
        series = cohort[actual]
    elif isinstance(actual, pd.Series):
        series = actual.reindex(cohort.index)
    else:
        series = pd.Series(np.asarray(actual, dtype=np.float64))
        if len(series) != len(cohort):
            raise UsageError(f"one cost per child: found {len(series)} for {len(cohort)} rows")
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64)
    if (values[~np.isnan(values)] < 0).any():
        raise UsageError("costs cannot be negative")
    return values


def _least_squares(prefix: str, pricing: Any, points: Array, costs: Array, *,
                   fit_rate: bool, fit_base: bool) -> dict[str, Decimal]:
    """Least squares for what is asked; what is not asked keeps its value in the scheme."""
    values: dict[str, Decimal] = {}
    if not fit_rate:  # the base alone, through the current rate: the mean of what is left
        rate = float(pricing.rate or 0)
        values[f"{prefix}.base"] = _pennies(float(np.mean(costs - rate * points)))
    elif (points == points[0]).all() and (fit_base or points[0] == 0):
        raise CalculationError(f"every case has {points[0]:g} points: no price per point can be "
                               "fitted")
    elif fit_base:
        design = np.column_stack([np.ones_like(points), points])
        (intercept, slope), *_ = np.linalg.lstsq(design, costs, rcond=None)
        values = {f"{prefix}.rate": _pennies(slope), f"{prefix}.base": _pennies(intercept)}
    else:
        intercept = float(pricing.base or 0)
        (slope,), *_ = np.linalg.lstsq(points[:, None], costs - intercept, rcond=None)
        values = {f"{prefix}.rate": _pennies(slope)}
    negative = [k for k, v in values.items() if v < 0]
    if negative:
        shown = ", ".join(f"{k} = {values[k]}" for k in negative)
        hint = " (fit the rate alone, through the current base)" if fit_rate and fit_base else ""
        raise CalculationError(f"the best fit is negative ({shown}), which a scheme cannot "
                               f"price{hint}")
    return values


def _band_values(
    scheme: Scheme, prefix: str, pricing: Any, paths: list[str], encoded: Any, stream: str,
    used: Array, costs: Array, statistic: str,
) -> tuple[dict[str, Decimal], list[str]]:
    if pricing.method != "bands":
        raise CalculationError(f"{prefix} is priced by {pricing.method}, not bands")
    labels = [b.label for b in pricing.bands]
    wanted: list[str] = []
    for path in paths:
        if path == f"{prefix}.bands":
            wanted += labels
            continue
        param = find_parameter(scheme.model, path)
        if not path.endswith(".amount") or param.key[-3] != "bands":
            raise CalculationError(f"{path}: fit takes band amounts ('...bands.<label>.amount') "
                                   "or the whole table ('...bands')")
        wanted.append(labels[int(param.key[-2])])
    column = f"{stream}_band"
    bands = scheme.calculate_codes(encoded.codes, encoded.settings, columns=[column])[column]
    values: dict[str, Decimal] = {}
    notes: list[str] = []
    for label in dict.fromkeys(wanted):
        in_band = used & (bands == label)
        if not in_band.any():
            notes.append(f"band {label} has no case with a cost: its amount is unchanged")
            continue
        chosen = costs[in_band]
        values[f"{prefix}.bands.{label}.amount"] = _exact_statistic(chosen, statistic)
    fitted = [values.get(f"{prefix}.bands.{b.label}.amount", b.amount) for b in pricing.bands]
    for (lower, higher), (a, b) in zip(itertools.pairwise(labels), itertools.pairwise(fitted),
                                       strict=True):
        if b < a:
            notes.append(f"band {higher} comes out below band {lower} ({money(b)} < "
                         f"{money(a)}): more need would get less money")
    return values, notes


def _exact_statistic(costs: Array, statistic: str) -> Decimal:
    """The mean or median of costs in exact decimals (each float read as its shortest repr),
    rounded half up to the penny: a float mean of 12,815.165 can land on either side."""
    exact = sorted(Decimal(repr(float(c))) for c in costs)
    n = len(exact)
    if statistic == "mean":
        value = sum(exact, Decimal(0)) / n
    else:
        value = (exact[(n - 1) // 2] + exact[n // 2]) / 2
    return value.quantize(_PENNY, rounding=ROUND_HALF_UP)


def _pennies(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(_PENNY, rounding=ROUND_HALF_UP)
