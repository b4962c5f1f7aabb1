"""The statement of a personal budget, as the family would see it in the plan.

Built once as plain sections of text (``BudgetStatement.of``), then rendered three ways, so the
text, markdown and HTML forms cannot say different things. The HTML escapes everything it is
given and is well-formed (every element closed), so it can sit in a case system's page or a
notebook.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ras._base import UsageError, a_kind
from ras._plans.wording import DEDUCTED_ELEMENTS, pounds
from ras._reasons import markdown_text

if TYPE_CHECKING:
    from ras._plans.plan import PersonalBudget

__all__ = ["BudgetStatement", "Section"]

STREAM_LABELS = {"education": "Education", "social_care": "Social care", "health": "Health"}
MECHANISM_LABELS = {
    "direct_payment": "Direct payment",
    "arrangement": "Arrangement (the council, school or college holds the money)",
    "third_party": "Third-party arrangement",
}
SHORT_MECHANISM = {"direct_payment": "Direct payment", "arrangement": "Arrangement",
                   "third_party": "Third party"}
RULES = {
    "additional_support": ("the plan prices the additional support; the setting meets the "
                           "first {e2} from element 2, and element 1 ({e1}) funds the place"),
    "whole_place": ("the plan prices the whole place; elements 1 and 2 ({e12}) are the "
                    "setting's place funding"),
    "top_up": ("the plan prices the top-up only; elements 1 and 2 ({e12}) are funded "
               "separately"),
}


@dataclass(frozen=True, slots=True)
class Section:
    """A titled table (``header`` and ``rows``, ``right`` marking money columns) or a list."""

    title: str
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    right: tuple[bool, ...] = ()
    items: tuple[str, ...] = ()


def _plain(text: str) -> str:
    return " ".join(text.split())


def _number(x: Decimal) -> str:
    return format(x.normalize(), "f")


def _rate(x: Decimal) -> str:
    """An hourly rate in full: £14.50, but £14.505 when it has a fraction of a penny."""
    return pounds(x) if x == x.quantize(Decimal("0.01")) else f"£{x.normalize():,f}"


# What a statement reads of a personal budget: anything without all of it is something else.
_READS = ("scheme", "ras_covers", "element1", "element2", "element3", "setting_label", "lines",
          "cost_by_stream", "by_stream", "by_mechanism", "deduction", "deducted", "indicative",
          "differences", "total_personal_budget", "whole_cost", "warnings")


@dataclass(frozen=True, slots=True)
class BudgetStatement:
    """A personal budget statement: ``to_text()``, ``to_markdown()``, ``to_html()``."""

    title: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]

    @classmethod
    def of(cls, budget: PersonalBudget) -> BudgetStatement:
        """The statement of a personal budget (what ``PersonalBudget.statement()`` gives).

        Parameters
        ----------
        budget
            The final personal budget of a plan.

        Returns
        -------
        BudgetStatement
            Its title, facts and sections.

        Raises
        ------
        UsageError
            Anything that is not a plan's personal budget (a ``ras.Budget`` is the indicative
            one, before the plan).

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
        >>> ras.BudgetStatement.of(budget).title
        'Personal budget statement'
        """
        if not all(hasattr(budget, name) for name in _READS):
            raise UsageError(f"BudgetStatement.of takes the personal budget of a plan "
                             f"(plan.personal_budget(scheme, setting)), not {a_kind(budget)}")
        scheme, covers = budget.scheme, budget.ras_covers
        e1, e2 = budget.element1, budget.element2
        facts = (
            ("Scheme", f"{scheme.name}, version {scheme.version}"),
            ("Setting", budget.setting_label),
            ("The setting's rule", RULES[covers].format(e1=pounds(e1), e2=pounds(e2),
                                                        e12=pounds(e1 + e2))),
        )
        lines = Section(
            "Provision in the plan",
            ("", "Provision", "Stream", "Delivered by", "How it is taken", "Cost",
             "Met by the setting", "Personal budget"),
            tuple((str(b.index + 1), _plain(b.description), STREAM_LABELS[b.stream],
                   "the setting" if b.line.delivered_by == "setting" else "another provider",
                   SHORT_MECHANISM[b.delivery], pounds(b.cost), pounds(b.deducted),
                   pounds(b.amount)) for b in budget.lines),
            (False, False, False, False, False, True, True, True),
        )
        totals = [("Education provision", pounds(budget.cost_by_stream["education"]))]
        if budget.deduction > 0:
            elements = DEDUCTED_ELEMENTS[covers]
            label = f"Less {elements}, met by the setting from its own funding"
            if budget.deducted < budget.deduction:
                label += (f" ({pounds(budget.deduction)}, of which the education lines use "
                          f"only {pounds(budget.deducted)})")
            totals.append((label, pounds(-budget.deducted)))
        totals += [
            ("Personal SEN budget (element 3)", pounds(budget.element3)),
            ("Social care", pounds(budget.by_stream["social_care"])),
            ("Health", pounds(budget.by_stream["health"])),
            ("Total personal budget", pounds(budget.total_personal_budget)),
        ]
        sections = [
            lines,
            Section("The budget", ("", "Amount"), tuple(totals), (False, True)),
            Section("How the budget is taken", ("", "Amount"),
                    (*((MECHANISM_LABELS[m], pounds(v)) for m, v in budget.by_mechanism.items()),
                     ("Total personal budget", pounds(budget.total_personal_budget))),
                    (False, True)),
            Section("The whole cost of the provision", ("", "Amount"),
                    ((_whole_label(covers, e1, e2), pounds(budget.whole_cost)),), (False, True)),
        ]
        if budget.indicative is not None and budget.differences:
            names = {"personal_sen_budget": "Personal SEN budget (element 3)",
                     "total_personal_budget": "Total personal budget", **STREAM_LABELS}
            order = ("personal_sen_budget", "social_care", "health", "total_personal_budget")
            sections.append(Section(
                "Compared with the indicative budget",
                ("", "Indicative", "Final", "Difference"),
                tuple((names[k], pounds(d.indicative), pounds(d.final), str(d))
                      for k in order if (d := budget.differences.get(k)) is not None),
                (False, True, True, True)))
        workings = tuple(_working(b.line) for b in budget.lines if b.line.is_hourly)
        if workings:
            sections.append(Section("How the hourly costs are worked out", items=workings))
        if budget.warnings:
            sections.append(Section("Points to check",
                                    items=tuple(_plain(str(w)) for w in budget.warnings)))
        return cls("Personal budget statement", facts, tuple(sections))

    # renderers ----------------------------------------------------------------------------

    def to_text(self) -> str:
        """Plain text, for the plan document or a letter.

        Returns
        -------
        str
            The title, the facts (scheme, setting, the setting's rule) and the sections.

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
        out = [self.title, "=" * len(self.title)]
        out += [f"{k}: {v}" for k, v in self.facts]
        for s in self.sections:
            out += ["", s.title, "-" * len(s.title)]
            if s.items:
                out += [f"- {item}" for item in s.items]
                continue
            table = [s.header, *s.rows]
            widths = [max(len(row[j]) for row in table) for j in range(len(s.header))]
            for row in table:
                cells = [cell.rjust(w) if right else cell.ljust(w)
                         for cell, w, right in zip(row, widths, s.right, strict=True)]
                out.append("  ".join(cells).rstrip())
        return "\n".join(out) + "\n"

    def to_markdown(self) -> str:
        """Markdown, for case notes; scheme text is escaped.

        Returns
        -------
        str
            The title, the facts (scheme, setting, the setting's rule) and the sections.

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
        >>> budget.statement().to_markdown().splitlines()[0]
        '## Personal budget statement'
        """
        out = [f"## {markdown_text(self.title)}", ""]
        out += [f"- **{markdown_text(k)}:** {markdown_text(v)}" for k, v in self.facts]
        for s in self.sections:
            out += ["", f"### {markdown_text(s.title)}", ""]
            if s.items:
                out += [f"- {markdown_text(item)}" for item in s.items]
                continue
            out.append("| " + " | ".join(markdown_text(h) for h in s.header) + " |")
            out.append("|" + "|".join("---:" if r else "---" for r in s.right) + "|")
            out += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in s.rows]
        return "\n".join(out) + "\n"

    def to_html(self) -> str:
        """An HTML fragment (``<div class="ras-statement">``); text is escaped.

        Returns
        -------
        str
            The title, the facts (scheme, setting, the setting's rule) and the sections.

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
        >>> budget.statement().to_html().splitlines()[0]
        '<div class="ras-statement">'
        """
        e = html.escape
        right = ' style="text-align: right"'
        out = ['<div class="ras-statement">', f"<h3>{e(self.title)}</h3>", "<dl>"]
        out += [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in self.facts]
        out.append("</dl>")
        for s in self.sections:
            out.append(f"<h4>{e(s.title)}</h4>")
            if s.items:
                out += ["<ul>", *(f"<li>{e(item)}</li>" for item in s.items), "</ul>"]
                continue
            out += ["<table>", "<thead><tr>"]
            out += [f'<th scope="col"{right if r else ""}>{e(h)}</th>'
                    for h, r in zip(s.header, s.right, strict=True)]
            out += ["</tr></thead>", "<tbody>"]
            for row in s.rows:
                cells = [f'<th scope="row">{e(row[0])}</th>']
                cells += [f"<td{right if r else ''}>{e(c)}</td>"
                          for c, r in zip(row[1:], s.right[1:], strict=True)]
                out.append("<tr>" + "".join(cells) + "</tr>")
            out += ["</tbody>", "</table>"]
        out.append("</div>")
        return "\n".join(out) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for a case system: the same sections, as text.

        Returns
        -------
        dict
            ``title``, ``facts`` and ``sections``.

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
        >>> list(budget.statement().to_dict())
        ['title', 'facts', 'sections']
        """
        return {"title": self.title, "facts": dict(self.facts),
                "sections": [{"title": s.title, "header": list(s.header),
                              "rows": [list(r) for r in s.rows], "items": list(s.items)}
                             for s in self.sections]}

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text()


def _whole_label(covers: str, e1: Decimal, e2: Decimal) -> str:
    if covers == "additional_support":
        return f"Whole cost of provision, including element 1 ({pounds(e1)})"
    if covers == "top_up":
        return f"Whole cost of provision, including elements 1 and 2 ({pounds(e1 + e2)})"
    return "Whole cost of provision (elements 1 and 2 are within the cost of the place)"


def _working(line: Any) -> str:
    assert line.hours_per_week is not None
    assert line.weeks is not None
    assert line.hourly_rate is not None
    text = (f"{_plain(line.description)}: {_number(line.hours_per_week)} hours a week × "
            f"{_number(line.weeks)} weeks × {_rate(line.hourly_rate)} an hour")
    if line.on_costs:
        text += f", plus {_number(line.on_costs * 100)}% on-costs"
    exact, cost = line.exact_cost, line.annual_cost
    if exact != cost:
        return (text + f" = £{exact.normalize():,f}, rounded half up to the penny: "
                f"{pounds(cost)}")
    return text + f" = {pounds(cost)}"
