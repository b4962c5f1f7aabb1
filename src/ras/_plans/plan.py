"""From indicative to final: the personal budget of an agreed plan.

The final budget is the cost of the provision in the plan, not the RAS amount. For education the
setting's rule says what the setting already funds from elements 1 and 2, and that part is
deducted to leave element 3 (the personal SEN budget):

========================  ==========================  =========================================
``ras_covers``            deducted from education     added back for the whole cost
========================  ==========================  =========================================
``additional_support``    element 2                   element 1 (the lines are the extra support)
``whole_place``           elements 1 and 2            nothing (the lines include the place)
``top_up``                nothing                     elements 1 and 2 (the lines are the top-up)
========================  ==========================  =========================================

Where the deduction falls (the rule ``by_mechanism`` follows): it is met line by line, first from
the education lines the setting delivers itself, in plan order, then from the other education
lines, in plan order, each line giving up to its whole cost. What a line keeps after that is its
amount in the personal budget, counted under its own mechanism. Social care and health lines are
never deducted from. So ``by_mechanism`` and ``by_stream`` each sum to ``total_personal_budget``,
and a direct payment is cut only when the setting's own lines cost less than the deduction (which
is flagged, as the setting must then fund part of a line it does not deliver).

Errors and warnings. What the law or arithmetic forbids is an error (``ras.PlanError``, every
problem of every line at once, each naming the line): a direct payment for a place; a direct
payment on the setting's premises without recorded consent (``consent=None`` included: it must
be given before the plan is agreed); no cost, a zero or negative cost, both or half of the two
ways to cost a line; an unknown stream, mechanism, key or setting; implausible values (more than
168 hours a week, 53 weeks, or on-costs above 100%, usually 28.68 typed for 0.2868). What is
lawful but worth a second look is a warning (``PersonalBudget.warnings``, also listed in the
statement): a place line where the rule prices only support or top-up; no place line where it
prices the whole place; education costing less than the deduction; the deduction falling on a
line the setting does not deliver; an indicative budget of another setting or scheme, referred
to panel, or not pricing a stream the plan has.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

from ras._base import PlanError, PlanProblem, UsageError, a_kind
from ras._engine import EXACT
from ras._plans.letters import personal_budget_letter
from ras._plans.provision import FIELDS, MECHANISMS, STREAMS, ProvisionLine, check_line, money
from ras._plans.statement import BudgetStatement
from ras._plans.wording import DEDUCTED_ELEMENTS, pounds
from ras._reasons import Details

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from ras._format import Setting
    from ras._reasons import Letter
    from ras._scheme import Budget, Scheme

__all__ = [
    "BudgetLine",
    "IndicativeDifference",
    "PersonalBudget",
    "Plan",
    "deduction",
    "outside_lines",
    "percent_hundredths",
    "resolve_setting",
]

ZERO = Decimal("0.00")

PLACE_NOT_PRICED = {
    "additional_support": ("is the school or college place itself, but setting {setting!r} "
                           "prices only the additional support (element 1 funds the place): "
                           "check that the place belongs in the plan"),
    "top_up": ("is the school or college place itself, but setting {setting!r} prices only "
               "the top-up (elements 1 and 2 fund the place): check that the place belongs in "
               "the plan"),
}
DEDUCTED_FROM_OTHER = ("part of {elements}, which setting {setting!r} already receives, is met "
                       "from this line, which the setting does not deliver itself: the setting "
                       "must fund that part")
NO_PLACE = ("no education line is the place itself (is_place), but setting {setting!r} prices "
            "the whole place and deducts elements 1 and 2 ({amount}) from the education lines")
BELOW_DEDUCTION = ("the education lines cost less than the {elements} ({amount}) that setting "
                   "{setting!r} deducts, so element 3 is £0.00")


UNKNOWN_ELEMENT1 = ("element 1 of setting {setting!r} is not known (the scheme leaves it out), "
                    "and a plan's whole cost includes it: add element1 to the setting in the "
                    "scheme")


def element1_known(setting: Setting) -> Decimal:
    """Element 1, which a version 2 scheme may leave out: 0 stands in only where it is never
    used (the plan forms refuse such a setting before they report anything)."""
    return money(setting.element1) if setting.element1 is not None else ZERO


def deduction(setting: Setting) -> Decimal:
    """What the setting's rule takes off the education lines to leave element 3."""
    e1, e2 = element1_known(setting), money(setting.element2)
    return {"additional_support": e2, "whole_place": e1 + e2, "top_up": ZERO}[setting.ras_covers]


def outside_lines(setting: Setting) -> Decimal:
    """The elements the setting receives that the plan's lines do not price (for whole cost)."""
    e1, e2 = element1_known(setting), money(setting.element2)
    return {"additional_support": e1, "whole_place": ZERO, "top_up": e1 + e2}[setting.ras_covers]


def percent_hundredths(change: int, base: int) -> int | None:
    """change / base as hundredths of a percent, half away from zero; None when base is 0.

    >>> percent_hundredths(-50000, 900000)   # -5.5555...% -> -5.56%
    -556
    """
    if base == 0:
        return None
    magnitude = (2 * abs(change) * 10_000 + abs(base)) // (2 * abs(base))
    return -magnitude if (change < 0) != (base < 0) else magnitude


def line_warnings(index: int, line: ProvisionLine, deducted: Decimal, setting_id: str,
                  covers: str) -> list[PlanProblem]:
    """The warnings about one line, in a fixed order (mirrored by the cohort form)."""
    found = []
    if line.stream == "education" and line.is_place and covers in PLACE_NOT_PRICED:
        found.append(PLACE_NOT_PRICED[covers].format(setting=setting_id))
    if deducted > 0 and line.delivered_by != "setting":
        found.append(DEDUCTED_FROM_OTHER.format(elements=DEDUCTED_ELEMENTS[covers],
                                                setting=setting_id))
    return [PlanProblem(index, line.description, message) for message in found]


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """One line of the plan priced: its cost, what the setting meets of it, what is left."""

    index: int
    line: ProvisionLine
    cost: Decimal
    deducted: Decimal  # met by the setting from elements 1 and 2, per the setting's rule
    amount: Decimal  # cost - deducted: the line's part of the personal budget

    @property
    def description(self) -> str:
        return self.line.description

    @property
    def stream(self) -> str:
        return self.line.stream

    @property
    def delivery(self) -> str:
        return self.line.delivery


@dataclass(frozen=True, slots=True)
class IndicativeDifference:
    """The final amount against the indicative one: change in pounds and in percent."""

    final: Decimal
    indicative: Decimal
    pounds: Decimal
    percent: Decimal | None  # two decimals, half away from zero; None when indicative is 0

    def __str__(self) -> str:
        sign = "+" if self.pounds > 0 else ""
        pct = "" if self.percent is None else f" ({'+' if self.percent > 0 else ''}{self.percent}%)"
        return f"{sign}{pounds(self.pounds)}{pct}"


def _difference(final: Decimal | None,
                indicative: Decimal | None) -> IndicativeDifference | None:
    if final is None or indicative is None:
        return None
    change = final - indicative
    hundredths = percent_hundredths(int(change * 100), int(indicative * 100))
    percent = None if hundredths is None else Decimal(hundredths).scaleb(-2, EXACT)
    return IndicativeDifference(final, indicative, change, percent)


class Plan:
    """The provision of an agreed EHC plan, line by line, checked as a whole.

    Lines are ``ras.ProvisionLine`` objects or plain mappings with the same keys. Every problem
    in every line is reported at once in one ``ras.PlanError``, each naming its line.

    >>> plan = Plan([
    ...     {"description": "College support", "stream": "education", "cost": 13300,
    ...      "delivery": "arrangement", "delivered_by": "setting"},
    ...     {"description": "Travel training", "stream": "education", "cost": 1200,
    ...      "delivery": "direct_payment"},
    ... ])
    >>> len(plan), plan.cost
    (2, Decimal('14500.00'))
    """

    __slots__ = ("_lines",)

    _lines: tuple[ProvisionLine, ...]

    def __init__(self, lines: Iterable[ProvisionLine | Mapping[str, Any]]) -> None:
        import pandas  # ras imports it already; here only to recognise a frame

        if isinstance(lines, pandas.DataFrame):
            raise UsageError("Plan() takes a list of lines; for a DataFrame of lines use "
                             "Plan.from_frame(frame), or personal_budget_frame for many plans")
        if isinstance(lines, ProvisionLine | Mapping | str):
            raise UsageError("Plan() takes a list of lines, not a single line")
        if not isinstance(lines, Iterable):
            raise UsageError(f"Plan() takes a list of lines, not {a_kind(lines)}")
        items = list(lines)
        if not items:
            raise PlanError([PlanProblem(None, None, "a plan needs at least one line")])
        clean: list[ProvisionLine] = []
        problems: list[PlanProblem] = []
        for index, item in enumerate(items):
            if isinstance(item, ProvisionLine):
                clean.append(item)
                continue
            if not isinstance(item, Mapping):
                problems.append(PlanProblem(index, None, "a line must be a ProvisionLine or a "
                                            f"mapping (found {type(item).__name__})"))
                continue
            values, found = check_line(item)
            problems += [PlanProblem(index, values["description"], m) for m in found]
            if not found:
                clean.append(ProvisionLine.model_construct(**values))
        if problems:
            raise PlanError(problems)
        object.__setattr__(self, "_lines", tuple(clean))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Plan:
        """One plan from a frame with a row per line.

        Columns that are not line fields (a child id, the setting) are ignored, and blank cells
        mean 'not given'. For many children at once, ``ras.personal_budget_frame``.

        Parameters
        ----------
        frame
            One row per line, a column per ``ras.ProvisionLine`` field.

        Returns
        -------
        Plan
            The plan, its lines checked.

        Raises
        ------
        PlanError
            Every problem of every line, each naming its row.

        Examples
        --------
        >>> import ras
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"child_id": ["A", "A"],
        ...                       "description": ["Therapy", "Short breaks"],
        ...                       "stream": ["education", "social_care"], "cost": [2400, 1800],
        ...                       "delivery": ["arrangement", "direct_payment"]})
        >>> ras.Plan.from_frame(frame).cost
        Decimal('4200.00')
        """
        records = frame[[c for c in frame.columns if c in FIELDS]].to_dict("records")
        return cls([{str(k): v for k, v in r.items()} for r in records])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Plan is immutable")

    @property
    def lines(self) -> tuple[ProvisionLine, ...]:
        return self._lines

    @property
    def cost(self) -> Decimal:
        """The cost of every line, all streams, before any deduction."""
        return sum((line.annual_cost for line in self._lines), ZERO)

    def __len__(self) -> int:
        return len(self._lines)

    def __iter__(self) -> Iterator[ProvisionLine]:
        return iter(self._lines)

    @overload
    def __getitem__(self, index: int) -> ProvisionLine: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[ProvisionLine, ...]: ...
    def __getitem__(self, index: int | slice) -> ProvisionLine | tuple[ProvisionLine, ...]:
        return self._lines[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plan) and other._lines == self._lines

    def __hash__(self) -> int:
        return hash(self._lines)

    def __repr__(self) -> str:
        return f"<Plan: {len(self._lines)} line(s) costing {pounds(self.cost)}>"

    def personal_budget(self, scheme: Scheme, setting: str | int,
                        indicative: Budget | None = None) -> PersonalBudget:
        """The final personal budget of this plan at this setting, under the scheme's rule.

        The setting's rule decides what comes off: in a mainstream school the first £6,000 of the
        education provision (element 2), in a special school the place funding (elements 1 and 2).
        ``indicative``, the RAS budget of the same child, adds the difference in pounds and percent
        (the RAS is a starting point: the plan's cost is what the family receives).
        docs/plans-and-personal-budgets.md is the guide.

        Parameters
        ----------
        scheme
            The scheme whose settings give elements 1 and 2 and what the RAS covers.
        setting
            The child's setting: its id, or its position in ``scheme.setting_ids``.
        indicative
            The child's indicative ``Budget`` from the same scheme, to compare with.

        Returns
        -------
        PersonalBudget
            Element 3, the total personal budget, the amounts by stream and by mechanism, the
            difference from the indicative budget, and warnings for the officer.

        Raises
        ------
        PlanError
            A setting the scheme does not have.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> plan = ras.Plan([
        ...     {"description": "Teaching assistant", "stream": "education", "cost": 9000,
        ...      "delivery": "arrangement"},
        ...     {"description": "Short breaks", "stream": "social_care", "cost": 1800,
        ...      "delivery": "direct_payment"}])
        >>> budget = plan.personal_budget(scheme, "mainstream")
        >>> budget.element3, budget.total_personal_budget     # 9,000 - 6,000; plus 1,800
        (Decimal('3000.00'), Decimal('4800.00'))
        """
        setting_id = resolve_setting(scheme, setting)
        rule = scheme.settings[setting_id]
        if rule.element1 is None:
            raise PlanError([PlanProblem(None, None, UNKNOWN_ELEMENT1.format(
                setting=setting_id))])
        covers = rule.ras_covers
        to_deduct = deduction(rule)

        costs = [line.annual_cost for line in self._lines]
        deducted = [ZERO] * len(costs)
        remaining = to_deduct
        order = sorted((i for i, line in enumerate(self._lines) if line.stream == "education"),
                       key=lambda i: self._lines[i].delivered_by != "setting")  # stable
        for i in order:
            deducted[i] = min(remaining, costs[i])
            remaining -= deducted[i]
        lines = tuple(BudgetLine(i, line, costs[i], deducted[i], costs[i] - deducted[i])
                      for i, line in enumerate(self._lines))

        cost_by_stream: dict[str, Decimal] = {
            s: sum((b.cost for b in lines if b.stream == s), ZERO) for s in STREAMS}
        by_mechanism: dict[str, Decimal] = {
            m: sum((b.amount for b in lines if b.delivery == m), ZERO) for m in MECHANISMS}
        by_stream: dict[str, Decimal] = {
            s: sum((b.amount for b in lines if b.stream == s), ZERO) for s in STREAMS}
        total_deducted = sum(deducted, ZERO)
        element3 = by_stream["education"]

        warnings = [w for b in lines
                    for w in line_warnings(b.index, b.line, b.deducted, setting_id, covers)]
        education = [line for line in self._lines if line.stream == "education"]
        if covers == "whole_place" and education and not any(x.is_place for x in education):
            warnings.append(PlanProblem(None, None, NO_PLACE.format(
                setting=setting_id, amount=pounds(to_deduct))))
        if 0 < cost_by_stream["education"] < to_deduct:
            warnings.append(PlanProblem(None, None, BELOW_DEDUCTION.format(
                elements=DEDUCTED_ELEMENTS[covers], amount=pounds(to_deduct),
                setting=setting_id)))

        differences: dict[str, IndicativeDifference] = {}
        if indicative is not None:
            differences, notes = _compare(scheme, setting_id, by_stream, indicative)
            warnings += notes

        return PersonalBudget(
            plan=self,
            scheme=scheme,
            setting=setting_id,
            lines=lines,
            cost_by_stream=MappingProxyType(cost_by_stream),
            element1=element1_known(rule),
            element2=money(rule.element2),
            deduction=to_deduct,
            deducted=total_deducted,
            element3=element3,
            total_personal_budget=sum(by_stream.values(), ZERO),
            by_mechanism=MappingProxyType(by_mechanism),
            by_stream=MappingProxyType(by_stream),
            whole_cost=sum(costs, ZERO) + outside_lines(rule),
            indicative=indicative,
            differences=MappingProxyType(differences),
            warnings=tuple(warnings),
        )


def resolve_setting(scheme: Scheme, setting: str | int) -> str:
    """A setting id, or its position as in ``calculate``, -> the id; else a PlanError."""
    ids = scheme.setting_ids
    if (isinstance(setting, numbers.Integral) and not isinstance(setting, bool)
            and 0 <= int(setting) < len(ids)):
        return ids[int(setting)]
    if isinstance(setting, str) and setting in ids:
        return setting
    raise PlanError([PlanProblem(None, None, f"unknown setting {setting!r}; the settings of "
                                 f"scheme {scheme.id!r} are {', '.join(ids)}")])


def _compare(scheme: Scheme, setting_id: str, by_stream: Mapping[str, Decimal],
             indicative: Budget) -> tuple[dict[str, IndicativeDifference], list[PlanProblem]]:
    """Final against indicative, like with like: only the streams both of them price."""
    notes = []
    if indicative.setting != setting_id:
        notes.append(f"the indicative budget was worked out for setting "
                     f"{indicative.setting!r}, not {setting_id!r}")
    if indicative.scheme_fingerprint != scheme.fingerprint:
        notes.append(f"the indicative budget comes from scheme {indicative.scheme_id!r} "
                     f"version {indicative.scheme_version!r}, not {scheme.id!r} version "
                     f"{scheme.version!r}")
    priced = indicative.stream_amounts
    shared = [s for s in STREAMS if s != "education" and s in priced]
    unpriced = [s for s in STREAMS if s != "education" and s not in priced and by_stream[s] > 0]
    for s in unpriced:
        notes.append(f"the indicative budget does not price {s.replace('_', ' ')}, so the "
                     f"plan's {s.replace('_', ' ')} lines ({pounds(by_stream[s])}) are left "
                     f"out of the comparison")
    for other, amount in priced.items():
        if other not in STREAMS and amount:  # a scheme stream no plan line can belong to
            notes.append(f"the indicative budget's {other.replace('_', ' ')} amount "
                         f"({pounds(amount)}) has no stream of plan lines to compare with, "
                         "so it is left out of the comparison")
    found: dict[str, IndicativeDifference | None] = {
        "personal_sen_budget": _difference(by_stream["education"], indicative.element3)}
    for s in shared:
        found[s] = _difference(by_stream[s], priced[s])
    parts = [indicative.element3, *(priced[s] for s in shared)]
    found["total_personal_budget"] = _difference(
        sum((by_stream[s] for s in ("education", *shared)), ZERO),
        None if any(p is None for p in parts) else sum((p for p in parts if p is not None),
                                                      ZERO))
    missing = [k for k, v in found.items() if v is None]
    if missing:
        notes.append(f"the indicative budget has no amount for {', '.join(missing)} (referred "
                     f"to panel), so there is no difference to show for it")
    differences = {k: v for k, v in found.items() if v is not None}
    return differences, [PlanProblem(None, None, note) for note in notes]


@dataclass(frozen=True, eq=False, repr=False)
class PersonalBudget:
    """The final personal budget of an agreed plan, in Decimal pounds, with how it was reached.

    ``cost_by_stream`` is before any deduction; ``by_stream`` and ``by_mechanism`` are after it,
    and each sums to ``total_personal_budget``. ``whole_cost`` is the whole cost of the plan's
    provision, including the elements the setting receives that the lines do not price.
    ``warnings`` name what the council should check; they do not stop the budget.
    """

    plan: Plan
    scheme: Scheme
    setting: str
    lines: tuple[BudgetLine, ...]
    cost_by_stream: Mapping[str, Decimal]
    element1: Decimal
    element2: Decimal
    deduction: Decimal  # what the setting's rule takes off the education lines
    deducted: Decimal  # what it could take: no more than the education lines cost
    element3: Decimal
    total_personal_budget: Decimal
    by_mechanism: Mapping[str, Decimal]
    by_stream: Mapping[str, Decimal]
    whole_cost: Decimal
    indicative: Budget | None
    differences: Mapping[str, IndicativeDifference]  # personal_sen_budget, a stream, the total
    warnings: tuple[PlanProblem, ...]

    @property
    def personal_sen_budget(self) -> Decimal:
        """The education part the family can direct: element 3."""
        return self.element3

    @property
    def ras_covers(self) -> str:
        return self.scheme.settings[self.setting].ras_covers

    @property
    def setting_label(self) -> str:
        return self.scheme.settings[self.setting].label or self.setting

    @property
    def difference(self) -> Decimal | None:
        """Final minus indicative personal SEN budget, in pounds (None without an indicative)."""
        found = self.differences.get("personal_sen_budget")
        return None if found is None else found.pounds

    @property
    def difference_percent(self) -> Decimal | None:
        """The same as a percent of the indicative amount, two decimals."""
        found = self.differences.get("personal_sen_budget")
        return None if found is None else found.percent

    @property
    def scheme_id(self) -> str:
        return self.scheme.id

    @property
    def scheme_version(self) -> str:
        return self.scheme.version

    def statement(self) -> BudgetStatement:
        """The budget as the family sees it in the plan.

        Returns
        -------
        BudgetStatement
            Render it with ``.to_text()``, ``.to_markdown()``, ``.to_html()`` or ``.to_dict()``.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> plan = ras.Plan([
        ...     {"description": "Teaching assistant", "stream": "education", "cost": 9000,
        ...      "delivery": "arrangement"},
        ...     {"description": "Short breaks", "stream": "social_care", "cost": 1800,
        ...      "delivery": "direct_payment"}])
        >>> budget = plan.personal_budget(scheme, "mainstream")
        >>> budget.statement().to_text().splitlines()[0]
        'Personal budget statement'
        """
        return BudgetStatement.of(self)

    def letter(
        self,
        *,
        child: str | None = None,
        reference: str | None = None,
        date: dt.date | None = None,
        school: str | None = None,
    ) -> Letter:
        """The letter of the final personal budget.

        It says what each line pays for, how it is paid, who holds the money and whether the head
        teacher agreed; warnings are for officers only and are not in it.

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
        >>> plan = ras.Plan([
        ...     {"description": "Teaching assistant", "stream": "education", "cost": 9000,
        ...      "delivery": "arrangement"},
        ...     {"description": "Short breaks", "stream": "social_care", "cost": 1800,
        ...      "delivery": "direct_payment"}])
        >>> budget = plan.personal_budget(scheme, "mainstream")
        >>> "Amir's personal budget is £4,800 a year." in budget.letter(child="Amir").to_text()
        True
        """
        return personal_budget_letter(self, Details(child, reference, date, school))

    def _repr_html_(self) -> str:
        return self.statement().to_html()

    def __repr__(self) -> str:
        return (f"PersonalBudget(setting={self.setting!r}, "
                f"personal_sen_budget={pounds(self.element3)}, "
                f"total_personal_budget={pounds(self.total_personal_budget)}, "
                f"warnings={len(self.warnings)})")
