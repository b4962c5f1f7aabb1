"""One child's indicative budget, in Decimal pounds, read from the kernel's first and only row."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ras._engine import EXACT, REVIEW_TEXT, Raw

if TYPE_CHECKING:
    import datetime as dt

    from ras._reasons import Decision, Explanation, Letter, Money
    from ras._scheme.scheme import Scheme

__all__ = ["Budget", "pence_to_pounds", "points_to_decimal", "pounds_unless"]


def pence_to_pounds(pence: Any) -> Decimal:
    """Whole pence as Decimal pounds with exactly two decimals: 240000 -> Decimal('2400.00').

    Exact at any size (the default context would round £10**26 and more to 28 digits)."""
    return Decimal(int(pence)).scaleb(-2, EXACT)


def pounds_unless(pence: Any, missing: Any) -> Decimal | None:
    """Whole pence as Decimal pounds, or None where the figure is missing (referred, or an
    element 1 the scheme does not give): the one rule for every figure that may be missing."""
    return None if missing else pence_to_pounds(pence)


def points_to_decimal(units: Any, exp: int) -> Decimal:
    """Scaled points as a plain Decimal without trailing zeros: 80000, 4 -> Decimal('8')."""
    whole, rest = divmod(int(units), 10**exp)
    if rest == 0:
        return Decimal(whole)
    return Decimal(int(units)).scaleb(-exp, EXACT).normalize(EXACT)


def _recalculated(scheme: Scheme, answers: dict[str, str], setting: str) -> Budget:
    return scheme.calculate(answers, setting=setting)


def _frozen_map(data: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(data)


@dataclass(frozen=True, eq=False, repr=False)
class Budget:
    """The indicative budget of one child under one scheme, with everything needed to explain it.

    Money is Decimal pounds with two decimals. A stream referred to panel has an amount of None,
    and so does every total that depends on it.
    """

    scheme: Scheme
    answers: MappingProxyType[str, str]  # question id -> chosen option id
    setting: str
    domain_points: MappingProxyType[str, Decimal]
    stream_points: MappingProxyType[str, Decimal]
    stream_amounts: MappingProxyType[str, Decimal | None]
    bands: MappingProxyType[str, str | None]
    ranges: MappingProxyType[str, tuple[Decimal, Decimal] | None]
    reviews: MappingProxyType[str, str]
    element1: Decimal | None  # None: the scheme does not say (version 2), never £0
    element2: Decimal
    element3: Decimal | None
    total_personal_budget: Decimal | None
    _raw: Raw = field(repr=False)

    @property
    def personal_sen_budget(self) -> Decimal | None:
        """The part of the budget the family can direct: element 3."""
        return self.element3

    @property
    def scheme_id(self) -> str:
        return self.scheme.id

    @property
    def scheme_version(self) -> str:
        return self.scheme.version

    @property
    def scheme_fingerprint(self) -> str:
        return self.scheme.fingerprint

    @classmethod
    def from_raw(cls, scheme: Scheme, raw: Raw, answers: dict[str, str], setting: str) -> Budget:
        """The Budget of one kernel row: how ``Scheme.calculate`` packages its result.

        Callers use ``scheme.calculate``; this is public for the pickling of budgets and for
        ras's own entry points, which all run the kernel and then build the Budget here.

        Parameters
        ----------
        scheme
            The scheme that ran the row.
        raw
            The kernel's result for exactly one row.
        answers
            Question id -> the chosen option id.
        setting
            The setting id.

        Returns
        -------
        Budget
            Every figure in Decimal pounds, read from the row.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> budget.setting, budget.answers["mobility"]
        ('mainstream', 'some')
        """
        c = scheme.compiled
        exp = c.point_exp
        amounts: dict[str, Decimal | None] = {}
        bands: dict[str, str | None] = {}
        ranges: dict[str, tuple[Decimal, Decimal] | None] = {}
        reviews: dict[str, str] = {}
        assert raw.review is not None
        assert raw.element1 is not None
        assert raw.element2 is not None
        row_missing, row_amount = raw.missing[0].tolist(), raw.amount[0].tolist()
        row_review = raw.review[0].tolist()
        row_band = raw.band[0].tolist() if raw.band is not None else []  # none without bands
        row_variant = c.pricing_of_setting[:, c.setting_ids.index(setting)].tolist()
        row_lower = raw.lower[0].tolist() if raw.lower is not None else None
        row_upper = raw.upper[0].tolist() if raw.upper is not None else None
        for s, stream in enumerate(c.stream_ids):
            missing = row_missing[s]
            amounts[stream] = pounds_unless(row_amount[s], missing)
            if c.stream_priced[s] and c.pricings[s][row_variant[s]].method == "bands":
                position = row_band[s]
                bands[stream] = c.band_labels[s][position] if position >= 0 else None
            if row_lower is not None and row_upper is not None:
                ranges[stream] = None if missing else (
                    pence_to_pounds(row_lower[s]), pence_to_pounds(row_upper[s]))
            if row_review[s]:
                reviews[stream] = REVIEW_TEXT[row_review[s]]
        assert raw.element3 is not None
        assert raw.total is not None
        assert raw.element3_missing is not None
        assert raw.total_missing is not None
        return cls(
            scheme=scheme,
            answers=_frozen_map(answers),
            setting=setting,
            domain_points=_frozen_map({
                d: points_to_decimal(units, exp)
                for d, units in zip(c.domain_ids, raw.domain_points[0].tolist(), strict=True)}),
            stream_points=_frozen_map({
                s: points_to_decimal(units, exp)
                for s, units in zip(c.stream_ids, raw.stream_points[0].tolist(), strict=True)}),
            stream_amounts=_frozen_map(amounts),
            bands=_frozen_map(bands),
            ranges=_frozen_map(ranges),
            reviews=_frozen_map(reviews),
            element1=pounds_unless(raw.element1[0], raw.element1_unknown is not None
                                   and raw.element1_unknown[0]),
            element2=pence_to_pounds(raw.element2[0]),
            element3=pounds_unless(raw.element3[0], raw.element3_missing[0]),
            total_personal_budget=pounds_unless(raw.total[0], raw.total_missing[0]),
            _raw=raw,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (and deep-copied) as its scheme, answers and setting, and calculated again
        on the other side by the same kernel: the figures are the same by construction, and
        the kernel's arrays and read-only mappings are never pickled."""
        return (_recalculated, (self.scheme, dict(self.answers), self.setting))

    def _figures(self) -> tuple[Any, ...]:
        return (self.scheme, dict(self.answers), self.setting, dict(self.domain_points),
                dict(self.stream_points), dict(self.stream_amounts), dict(self.bands),
                dict(self.ranges), dict(self.reviews), self.element1, self.element2,
                self.element3, self.total_personal_budget)

    def __eq__(self, other: object) -> bool:
        """The same child's budget: the same scheme, answers, setting and every figure."""
        if not isinstance(other, Budget):
            return NotImplemented
        return self._figures() == other._figures()

    def __hash__(self) -> int:
        return hash((self.scheme, self.setting, tuple(sorted(self.answers.items()))))

    def explain(self) -> Explanation:
        """How this budget was reached, step by step, from the kernel's trace of this child.

        ``calculate`` does not pay for the trace; this runs the same row again with it and
        checks that every figure equals the budget's before explaining it.

        Returns
        -------
        Explanation
            ``.to_text()``, ``.to_markdown()``, ``.to_dict()``, and HTML in a notebook.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> budget.explain().to_text().splitlines()[3]
        'Indicative personal SEN budget: £3,050.00'
        """
        from ras._reasons import explain_budget  # upward, deliberately: the contract names it

        return explain_budget(self)

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready audit record of inputs, scheme identity and every output; check it
        later with ``ras.verify(record, scheme)``.

        Returns
        -------
        dict
            ``kind``, ``format``, ``ras_version``, ``scheme`` (id, version, fingerprint),
            ``inputs`` (answers, setting) and ``outputs`` (every figure, money as text).

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> record = budget.to_record()
        >>> record["outputs"]["element3"], ras.verify(record, scheme).ok
        ('3050.00', True)
        """
        from ras._reasons import budget_record  # upward, deliberately: the contract names it

        return budget_record(self)

    def decide(
        self,
        final_amount: Money,
        *,
        reason: str,
        decided_by: str,
        decided_on: dt.date | None = None,
    ) -> Decision:
        """Record a panel's final amount against this indicative budget; a reason is required.

        Parameters
        ----------
        final_amount
            The amount the panel agreed, in pounds.
        reason
            Why, in words the family can read.
        decided_by
            Who decided (the panel, an officer).
        decided_on
            The date of the decision (today by default).

        Returns
        -------
        Decision
            The final amount, the variance from this budget and the scheme it was made under.

        Raises
        ------
        DecisionError
            No reason or decision maker, or an amount that is not money.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> decision = budget.decide("3500", reason="Extra 1:1 at lunch", decided_by="SEN panel")
        >>> decision.variance, decision.variance_pct
        (Decimal('450.00'), Decimal('14.75'))
        """
        from ras._reasons import decide  # upward, deliberately: the contract names it

        return decide(self, final_amount, reason=reason, decided_by=decided_by,
                      decided_on=decided_on)

    def letter(
        self,
        *,
        child: str | None = None,
        reference: str | None = None,
        date: dt.date | None = None,
        school: str | None = None,
    ) -> Letter:
        """The letter a family receives about this budget: the answer first, their rights and
        who to contact, what happens next, then the working. Every detail is optional and none
        is kept in audit records.

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
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> "Amir's personal SEN budget is £3,050 a year." in budget.letter(child="Amir").to_text()
        True
        """
        from ras._reasons import (  # upward, deliberately: the contract names it
            Details,
            letter_for_budget,
        )

        return letter_for_budget(self, Details(child, reference, date, school))

    def __repr__(self) -> str:
        def money(x: Decimal | None) -> str:
            return "referred to panel" if x is None else f"£{x:,.2f}"

        return (f"Budget(scheme={self.scheme_id!r} {self.scheme_version!r}, "
                f"setting={self.setting!r}, personal_sen_budget={money(self.element3)}, "
                f"total_personal_budget={money(self.total_personal_budget)})")
