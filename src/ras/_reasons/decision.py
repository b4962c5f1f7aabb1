"""Panel decisions: the final amount a panel set beside the indicative one, and why.

A RAS amount is only a starting point; the final budget must meet the assessed need, and a
council must give reasons when it departs from the indicative figure (R (KM) v Cambridgeshire).
Keeping each decision next to its indicative amount lets a council see how often, and by how
much, panels depart from the scheme: the evidence it needs to recalibrate.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from ras._base import DecisionError, UsageError, a_kind, is_invisible
from ras._engine import plain
from ras._reasons.decision_letter import decision_letter
from ras._reasons.letter_common import Details

if TYPE_CHECKING:
    from ras._reasons.letter import Letter
    from ras._scheme import Budget, Scheme

__all__ = ["Decision", "DecisionsSummary", "decide", "decisions_summary"]

PENNY = Decimal("0.01")
Money = Decimal | int | str | float


class _Range(Protocol):
    """Anything with ``below`` and ``above`` fractions, like a scheme's indicative_range."""

    @property
    def below(self) -> Decimal: ...

    @property
    def above(self) -> Decimal: ...


Tolerance = Money | tuple[Money, Money] | _Range


def _pounds(value: Any, what: str, *, float_to_penny: bool = False) -> Decimal:
    """Money as Decimal pounds with two decimals; never negative, never fractions of a penny.

    A float is read by its shortest repr (1234.5 is 1234.50). Floats in a frame are binary
    approximations of pence, so there (``float_to_penny``) they are taken to the nearest penny.
    """
    value = plain(value)
    if isinstance(value, bool):
        raise DecisionError(f"{what} must be an amount in pounds, not {value!r}")
    try:
        if isinstance(value, float):
            if not math.isfinite(value):
                raise DecisionError(f"{what} must be a finite amount, not {value!r}")
            amount = Decimal(repr(value))
            if float_to_penny:
                amount = amount.quantize(PENNY, ROUND_HALF_EVEN)
        elif isinstance(value, Decimal | int | str):
            amount = Decimal(value.strip() if isinstance(value, str) else value)
        else:
            raise DecisionError(f"{what} must be an amount in pounds (Decimal, int or text), "
                                f"not {type(value).__name__}")
    except InvalidOperation:
        raise DecisionError(f"{what} must be an amount in pounds, not {value!r}") from None
    if not amount.is_finite():
        raise DecisionError(f"{what} must be a finite amount, not {value!r}")
    if amount < 0:
        raise DecisionError(f"{what} cannot be negative (found {amount})")
    try:
        whole = amount.quantize(PENNY, ROUND_HALF_EVEN)
    except InvalidOperation:  # more digits than any budget has
        raise DecisionError(f"{what} is too large (found {value!r})") from None
    if amount != whole:
        raise DecisionError(f"{what} must be whole pence (found {amount}); "
                            "round it before recording the decision")
    return abs(whole) if whole == 0 else whole  # "-0" is nothing, recorded as 0.00


def _required_text(value: Any, what: str, why: str) -> str:
    if not isinstance(value, str) or is_invisible(value):
        # zero-width spaces and the like look given but say nothing
        raise DecisionError(f"{what} is required: {why} (found {value!r})")
    return value.strip()


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """A panel's final amount for one child, with the indicative amount it departs from.

    ``indicative`` is the personal SEN budget the scheme gave (None when the scheme referred the
    case to panel without an amount). Amounts are Decimal pounds. A decision without a reason or
    without a decision maker is refused: the family is owed both.

    >>> from decimal import Decimal
    >>> d = Decision(indicative=Decimal("6470.00"), final="7000", reason="Extra 1:1 at lunch",
    ...              decided_by="SEN panel", decided_on=__import__("datetime").date(2026, 5, 1))
    >>> d.variance, d.variance_pct
    (Decimal('530.00'), Decimal('8.19'))
    """

    indicative: Decimal | None
    final: Decimal
    reason: str
    decided_by: str
    decided_on: dt.date = field(default_factory=dt.date.today)
    setting: str | None = None
    scheme_id: str | None = None
    scheme_version: str | None = None
    scheme_fingerprint: str | None = None
    # the scheme a budget's decide() was made under, for the letter's council words
    _scheme: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        indicative = (None if self.indicative is None
                      else _pounds(self.indicative, "the indicative amount"))
        object.__setattr__(self, "indicative", indicative)
        object.__setattr__(self, "final", _pounds(self.final, "the final amount"))
        object.__setattr__(self, "reason", _required_text(
            self.reason, "a reason", "a panel must give its reasons for the final amount"))
        object.__setattr__(self, "decided_by", _required_text(
            self.decided_by, "decided_by", "say which panel or officer made the decision"))
        if not isinstance(self.decided_on, dt.date) or isinstance(self.decided_on, dt.datetime):
            raise DecisionError(f"decided_on must be a date, not {self.decided_on!r}")

    @property
    def variance(self) -> Decimal | None:
        """Final minus indicative, in pounds; None when there was no indicative amount."""
        return None if self.indicative is None else self.final - self.indicative

    @property
    def variance_pct(self) -> Decimal | None:
        """The variance as a percentage of the indicative amount, to two decimals (half up).

        None when there is no indicative amount or it is zero (no percentage of nothing).
        """
        variance = self.variance
        if variance is None or not self.indicative:
            return None
        return (variance * 100 / self.indicative).quantize(PENNY, ROUND_HALF_UP)

    @property
    def changed(self) -> bool:
        """Whether the panel set an amount other than the indicative one."""
        return self.indicative is None or self.final != self.indicative

    def letter(
        self,
        *,
        child: str | None = None,
        reference: str | None = None,
        date: dt.date | None = None,
        school: str | None = None,
        scheme: Scheme | None = None,
    ) -> Letter:
        """The letter that tells the family the panel's amount and its reasons.

        It also tells them that they may ask for a review. The council's words come from
        ``scheme`` (by default the one ``budget.decide()`` used); without one, the letter marks
        where they go.

        Parameters
        ----------
        child
            The child's name, as the letter should address them.
        reference
            The council's case reference.
        date
            The date of the letter (today by default).
        school
            The school or college named in the letter.
        scheme
            The scheme whose ``letter:`` block gives the council's words.

        Returns
        -------
        Letter
            Render it with ``to_text()``, ``to_markdown()``, ``to_html()`` or ``to_dict()``.

        Raises
        ------
        UsageError
            A detail that is not text, or a date that is not a date.

        Examples
        --------
        >>> import datetime, ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> decision = budget.decide("3500", reason="Extra 1:1 at lunch", decided_by="SEN panel",
        ...                          decided_on=datetime.date(2026, 5, 1))
        >>> letter = decision.letter(child="Amir")
        >>> "Extra 1:1 at lunch" in letter.to_text()
        True
        """
        return decision_letter(self, scheme if scheme is not None else self._scheme,
                               Details(child, reference, date, school))

    def to_record(self) -> dict[str, Any]:
        """JSON-ready data: money as text in pounds, the date in ISO form.

        Returns
        -------
        dict
            ``kind`` ``"ras.decision"``, the amounts, variance, reason, decision maker and date,
            and the scheme's id, version and fingerprint when the decision was made from a budget.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> decision = budget.decide("3500", reason="Extra 1:1 at lunch", decided_by="SEN panel",
        ...                          decided_on=__import__("datetime").date(2026, 5, 1))
        >>> record = decision.to_record()
        >>> record["indicative"], record["final"], record["variance"], record["decided_on"]
        ('3050.00', '3500.00', '450.00', '2026-05-01')
        """
        def text(value: Decimal | None) -> str | None:
            return None if value is None else f"{value:f}"

        return {
            "kind": "ras.decision",
            "format": 1,
            "indicative": text(self.indicative),
            "final": text(self.final),
            "variance": text(self.variance),
            "variance_pct": text(self.variance_pct),
            "reason": self.reason,
            "decided_by": self.decided_by,
            "decided_on": self.decided_on.isoformat(),
            "setting": self.setting,
            "scheme": {"id": self.scheme_id, "version": self.scheme_version,
                       "fingerprint": self.scheme_fingerprint},
        }


def decide(
    budget: Budget,
    final_amount: Money,
    *,
    reason: str,
    decided_by: str,
    decided_on: dt.date | None = None,
) -> Decision:
    """A panel's decision on this budget; the indicative amount is its personal SEN budget."""
    return Decision(
        indicative=budget.personal_sen_budget,
        final=final_amount,  # type: ignore[arg-type]  # checked and converted in __post_init__
        reason=reason,
        decided_by=decided_by,
        decided_on=decided_on if decided_on is not None else dt.date.today(),
        setting=budget.setting,
        scheme_id=budget.scheme_id,
        scheme_version=budget.scheme_version,
        scheme_fingerprint=budget.scheme_fingerprint,
        _scheme=budget.scheme,
    )


@dataclass(frozen=True, slots=True)
class DecisionsSummary:
    """How panels departed from the indicative amounts across many decisions.

    Variances and totals are over the ``compared`` cases, those with an indicative amount;
    cases the scheme referred without an amount are counted in ``without_indicative``.
    A case is outside tolerance when its final amount is below indicative x (1 - below) or
    above indicative x (1 + above); with no tolerance those figures are None.
    """

    cases: int
    compared: int
    without_indicative: int
    changed: int
    increased: int
    decreased: int
    unchanged: int
    total_indicative: Decimal
    total_final: Decimal
    total_variance: Decimal
    mean_variance: Decimal | None  # per compared case, to the penny (half up)
    mean_absolute_variance: Decimal | None
    tolerance: tuple[Decimal, Decimal] | None  # (below, above) as fractions
    outside_tolerance: int | None
    share_changed: float | None  # of compared cases
    share_outside_tolerance: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: Decimals as text.

        Returns
        -------
        dict
            Every field of the summary, by name.

        Examples
        --------
        >>> import ras
        >>> frame = pd.DataFrame({"indicative": [3050, 8000], "final": [3500, 8000]})
        >>> summary = ras.decisions_summary(frame).to_dict()
        >>> summary["changed"], summary["total_variance"]
        (1, '450.00')
        """
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, Decimal):
                value = f"{value:f}"
            elif isinstance(value, tuple):
                value = [f"{v:f}" for v in value]
            out[name] = value
        return out

    def __str__(self) -> str:
        lines = [f"{self.cases} decision(s); {self.compared} with an indicative amount",
                 f"changed by the panel: {self.changed} ({self.increased} up, "
                 f"{self.decreased} down); unchanged: {self.unchanged}",
                 f"total variance: £{self.total_variance:,.2f}"]
        if self.mean_variance is not None:
            lines.append(f"mean variance: £{self.mean_variance:,.2f}")
        if self.tolerance is not None and self.share_outside_tolerance is not None:
            below, above = self.tolerance
            lines.append(f"outside tolerance (-{(below * 100).normalize():f}% / "
                         f"+{(above * 100).normalize():f}%): "
                         f"{self.outside_tolerance} ({self.share_outside_tolerance:.1%})")
        return "\n".join(lines)


def decisions_summary(
    decisions: Iterable[Decision] | pd.DataFrame,
    tolerance: Tolerance | None = None,
    *,
    indicative: str = "indicative",
    final: str = "final",
) -> DecisionsSummary:
    """Summarise panel decisions: how many changed, by how much in total and on average.

    The tolerance applies to the decided amount, element 3. A scheme's ``indicative_range``
    has the same shape but brackets each stream amount, before elements 1 and 2 come off: the
    same fractions of element 3 are far fewer pounds, so a final amount inside the published
    range can be outside such a tolerance. docs/panel-decisions.md is the guide.

    Parameters
    ----------
    decisions
        ``ras.Decision`` objects, or a DataFrame with an indicative and a final column
        (missing indicative amounts are cases referred without one).
    tolerance
        A fraction either way (0.1 for 10 %), a ``(below, above)`` pair, or anything with
        ``below`` and ``above``; None for no tolerance.
    indicative
        The DataFrame's column of indicative amounts.
    final
        The DataFrame's column of decided amounts.

    Returns
    -------
    DecisionsSummary
        Counts (changed, increased, decreased, outside the tolerance), totals and means.

    Raises
    ------
    DecisionError
        A missing column or final amount, an amount that is not money, or a tolerance that is
        not a fraction.
    UsageError
        Decisions that are neither ``ras.Decision`` objects nor a DataFrame, or a column name
        that cannot be one.

    Examples
    --------
    >>> import ras
    >>> frame = pd.DataFrame({"indicative": [3050, 12000, None], "final": [3500, 10800, 24500]})
    >>> summary = ras.decisions_summary(frame, tolerance=0.1)
    >>> summary.compared, summary.changed, summary.total_variance, summary.outside_tolerance
    (2, 2, Decimal('-750.00'), 1)

    +450 on 3,050 is 14.8 %, outside; -1,200 on 12,000 is exactly 10 %, inside.
    """
    pairs = (_frame_pairs(decisions, indicative, final) if isinstance(decisions, pd.DataFrame)
             else [(d.indicative, d.final) for d in _decisions(decisions)])
    bounds = _tolerance(tolerance)
    compared = [(a, b) for a, b in pairs if a is not None]
    variances = [b - a for a, b in compared]
    n = len(compared)
    increased = sum(v > 0 for v in variances)
    decreased = sum(v < 0 for v in variances)
    outside = None
    if bounds is not None:
        below, above = bounds
        outside = sum(b < a * (1 - below) or b > a * (1 + above) for a, b in compared)
    total_variance = sum(variances, Decimal("0.00"))
    return DecisionsSummary(
        cases=len(pairs),
        compared=n,
        without_indicative=len(pairs) - n,
        changed=increased + decreased,
        increased=increased,
        decreased=decreased,
        unchanged=n - increased - decreased,
        total_indicative=sum((a for a, _ in compared), Decimal("0.00")),
        total_final=sum((b for _, b in compared), Decimal("0.00")),
        total_variance=total_variance,
        mean_variance=(total_variance / n).quantize(PENNY, ROUND_HALF_UP) if n else None,
        mean_absolute_variance=(sum((abs(v) for v in variances), Decimal(0)) / n).quantize(
            PENNY, ROUND_HALF_UP) if n else None,
        tolerance=bounds,
        outside_tolerance=outside,
        share_changed=(increased + decreased) / n if n else None,
        share_outside_tolerance=outside / n if outside is not None and n else None,
    )


def _decisions(items: Iterable[Decision]) -> list[Decision]:
    """The decisions as a list, refusing anything else by name: text and a mapping iterate,
    but their characters and keys are never decisions."""
    if isinstance(items, Decision):
        raise UsageError("decisions is one ras.Decision; pass a list of them, or a DataFrame "
                         "with indicative and final columns")
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        raise UsageError(f"decisions is {a_kind(items)}, not a list of ras.Decision objects or a "
                         "DataFrame with indicative and final columns")
    out = list(items)
    for i, item in enumerate(out):
        if not isinstance(item, Decision):
            raise UsageError(f"decisions[{i}] is {a_kind(item)}, not a ras.Decision; "
                            "pass Decision objects or a DataFrame with indicative and final "
                            "columns")
    return out


def _frame_pairs(
    frame: pd.DataFrame, indicative: str, final: str
) -> list[tuple[Decimal | None, Decimal]]:
    for role, name in (("indicative", indicative), ("final", final)):
        if not isinstance(name, Hashable):
            raise UsageError(f"{role} is {a_kind(name)}; name the frame's column of "
                             f"{role} amounts")
    missing = [str(name) for name in (indicative, final) if name not in frame.columns]
    if missing:
        raise DecisionError(f"the decisions frame has no column(s) {', '.join(missing)}; "
                            f"its columns are {', '.join(map(str, frame.columns))}")
    pairs = []
    for label, a, b in zip(frame.index, frame[indicative], frame[final], strict=True):
        if _is_missing(b):
            raise DecisionError(f"row {_label(label)!r}: no final amount; every decision "
                                "has one")
        pairs.append((
            None if _is_missing(a) else _pounds(a, f"row {_label(label)!r}: the indicative "
                                                   "amount", float_to_penny=True),
            _pounds(b, f"row {_label(label)!r}: the final amount", float_to_penny=True),
        ))
    return pairs


def _label(label: Hashable) -> Hashable:
    return label.item() if hasattr(label, "item") else label


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, Decimal) and value.is_nan()


def _tolerance(tolerance: Tolerance | None) -> tuple[Decimal, Decimal] | None:
    if tolerance is None:
        return None
    if isinstance(tolerance, tuple):
        if len(tolerance) != 2:
            raise DecisionError("tolerance as a pair is (below, above), "
                                f"found {len(tolerance)} values")
        below_value, above_value = tolerance
    elif hasattr(tolerance, "below") and hasattr(tolerance, "above"):
        below_value, above_value = tolerance.below, tolerance.above
    else:
        below_value = above_value = tolerance
    below, above = _fraction(below_value, "below"), _fraction(above_value, "above")
    if below > 1:
        raise DecisionError(f"tolerance below is at most 1 (100 %), found {below}")
    return below, above


def _fraction(value: Any, what: str) -> Decimal:
    value = plain(value)
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str | float):
        raise DecisionError(f"tolerance {what} must be a fraction like 0.1, not {value!r}")
    try:
        fraction = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise DecisionError(f"tolerance {what} must be a fraction like 0.1, "
                            f"not {value!r}") from None
    if not fraction.is_finite() or fraction < 0:
        raise DecisionError(f"tolerance {what} must be a fraction of 0 or more, not {value!r}")
    return fraction
