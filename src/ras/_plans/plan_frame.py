"""The personal budgets of many agreed plans at once: a long frame of lines -> a row per child.

The same rules as ``Plan.personal_budget``, vectorised: each column's distinct values go once
through the converters of ``_provision`` (so a value is read, or refused, with the same words as
for one child), money becomes integer pence, the checks that relate fields are boolean masks, the
deduction is a cumulative sum within each child (setting-delivered education lines first, then
the others, in plan order), and the totals are one pandas groupby. No Python loop runs over
children; the only loops are over distinct values, settings, and lines that have a problem.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import PlanError, PlanProblem, UsageError
from ras._engine import EXACT
from ras._plans.plan import (
    BELOW_DEDUCTION,
    DEDUCTED_FROM_OTHER,
    NO_PLACE,
    PLACE_NOT_PRICED,
    UNKNOWN_ELEMENT1,
    deduction,
    element1_known,
    outside_lines,
    resolve_setting,
)
from ras._plans.provision import (
    BOTH_COSTS,
    DP_NO_CONSENT,
    DP_PLACE,
    DP_REFUSED,
    FIELDS,
    HOURLY,
    LIMITS,
    MECHANISMS,
    MISSING,
    NO_COST,
    ON_COSTS_FIXED,
    STREAMS,
    ZERO_COST,
    convert,
    money,
    partial_hourly,
)
from ras._plans.wording import DEDUCTED_ELEMENTS, pounds

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = ["personal_budget_frame"]

Array = npt.NDArray[Any]
_SAFE = 2**61  # below this, int64 sums and products of a frame's pence cannot overflow
_WARNING_LAST = 10**9  # sort key of plan-level warnings: after every line's


def personal_budget_frame(
    scheme: Scheme,
    lines: pd.DataFrame,
    *,
    child: str = "child_id",
    setting: str = "setting",
    indicative: pd.DataFrame | pd.Series | None = None,
    errors: Literal["raise", "flag"] = "raise",
) -> pd.DataFrame:
    """The personal budgets of many plans: one row per line in, one row per child out.

    ``lines`` has a ``child`` id column, a ``setting`` column (the same on every line of a
    child) and the fields of ``ras.ProvisionLine`` as columns (a missing optional column or a
    blank cell means 'not given'; other columns are ignored). The result is indexed by child
    id, in order of first appearance, and every amount is pounds, equal to the penny to
    ``Plan.personal_budget`` for the same child. ``indicative`` (``calculate_frame``'s result
    indexed by child id, or a Series of personal SEN budgets) adds the difference, and warns
    of a child with none, one referred to panel, and (when the frame has ``setting``, or
    ``scheme_id`` and ``scheme_version`` columns) one for another setting or scheme version.
    ``errors="raise"`` raises ``ras.PlanError`` naming child, line and row of every problem;
    ``"flag"`` keeps every child, with the problems in ``error`` and missing amounts.

    Parameters
    ----------
    scheme
        The scheme whose rule for each setting decides the deduction.
    lines
        One row per plan line, as above.
    child
        The column of child ids.
    setting
        The column of setting ids.
    indicative
        ``calculate_frame``'s result indexed by child id, or a Series of personal SEN budgets.
    errors
        ``"raise"`` (the default) or ``"flag"``.

    Returns
    -------
    pandas.DataFrame
        One row per child: the cost by stream, elements 1 and 2, the deduction, element 3, the
        total personal budget, the amounts by mechanism, and with ``indicative`` the difference.

    Raises
    ------
    PlanError
        A missing child or setting column, and with ``errors="raise"`` every problem of
        every line, naming child, line and row.
    UsageError
        ``lines`` that is not a DataFrame, an ``errors`` that is neither value, or an
        ``indicative`` without a personal SEN budget per child.

    Examples
    --------
    >>> import ras
    >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> lines = pd.DataFrame({"child_id": ["A", "A", "B"], "setting": ["mainstream"] * 3,
    ...                       "description": ["Teaching assistant", "Short breaks", "Therapy"],
    ...                       "stream": ["education", "social_care", "education"],
    ...                       "cost": [9000, 1800, 4000], "delivery": ["arrangement"] * 3})
    >>> frame = ras.personal_budget_frame(scheme, lines)
    >>> frame["element3"].tolist(), frame["total_personal_budget"].tolist()
    ([3000.0, 0.0], [4800.0, 0.0])

    A's £9,000 of education provision less the £6,000 the school meets, plus £1,800 of short
    breaks; B's £4,000 is within the school's £6,000.
    """
    if errors not in ("raise", "flag"):
        raise UsageError(f"errors must be 'raise' or 'flag', not {errors!r}")
    if not isinstance(lines, pd.DataFrame):
        raise UsageError(f"lines must be a pandas DataFrame, not {type(lines).__name__}")
    absent = [c for c in (child, setting) if c not in lines.columns]
    if absent:
        raise PlanError([PlanProblem(None, None, f"the lines frame has no {c!r} column; its "
                                     f"columns are {', '.join(map(str, lines.columns))}")
                         for c in absent])
    g, child_ids = pd.factorize(lines[child], sort=False)
    if (g < 0).any():
        rows = list(lines.index[g < 0][:5])
        raise PlanError([PlanProblem(None, None, f"no child id in row(s) {rows}", row=rows[0])])
    n_children = len(child_ids)

    fields = {name: _encode(lines[name] if name in lines.columns else None, name, len(lines))
              for name in FIELDS}
    index = pd.Series(g).groupby(g).cumcount().to_numpy()
    field_bad = np.zeros(len(lines), dtype=bool)
    for column in fields.values():
        field_bad |= column.problem != None  # noqa: E711 - elementwise on an object array

    pence, cross = _cost_and_checks(fields, field_bad)
    messages = [fields[name].problem for name in FIELDS] + cross
    line_bad = field_bad | np.any(np.stack([m != None for m in cross]), axis=0)  # noqa: E711

    # the setting of each child: one per child, known to the scheme
    s_codes, s_uniques = pd.factorize(lines[setting], sort=False)
    s_position = np.full(len(s_uniques) + 1, -1, dtype=np.int64)  # last: a blank setting
    s_problem = np.full(len(s_uniques) + 1, None, dtype=object)
    for u, value in enumerate([*s_uniques, None]):
        try:
            s_position[u] = scheme.setting_ids.index(resolve_setting(scheme, value))
        except PlanError as exc:
            s_problem[u] = exc.problems[0].message if value is not None else (
                f"no setting; the settings of scheme {scheme.id!r} are "
                f"{', '.join(scheme.setting_ids)}")
    by_child = pd.DataFrame({"s": s_codes}).groupby(g)["s"]
    first_code = by_child.first().to_numpy()
    varies = (by_child.min() != by_child.max()).to_numpy()
    child_setting = s_position[first_code]  # -1 where unknown
    child_problem = np.where(varies, "the lines of this child give different settings; a "
                             "child's plan has one setting", s_problem[first_code])

    # the setting rule of each child, as small tables indexed by setting position (+1 for -1)
    rules = [scheme.settings[s] for s in scheme.setting_ids]
    covers = np.array([r.ras_covers for r in rules] + [""], dtype=object)[child_setting]
    to_deduct = _pence([deduction(r) for r in rules] + [Decimal(0)])[child_setting]
    outside = _pence([outside_lines(r) for r in rules] + [Decimal(0)])[child_setting]
    e1 = _pence([element1_known(r) for r in rules] + [Decimal(0)])[child_setting]
    unknown = np.array([r.element1 is None for r in rules] + [False])[child_setting]
    if unknown.any():  # a version 2 setting without element 1: its plans have no whole cost
        named = np.array([UNKNOWN_ELEMENT1.format(setting=s) for s in scheme.setting_ids]
                         + [""], dtype=object)[child_setting]
        child_problem = np.where(unknown & (child_problem == None), named,  # noqa: E711
                                 child_problem)
    e2 = _pence([money(r.element2) for r in rules] + [Decimal(0)])[child_setting]

    child_bad = (pd.Series(line_bad).groupby(g).any().to_numpy()
                 | (child_problem != None))  # noqa: E711
    stream = fields["stream"].value
    delivery = fields["delivery"].value
    by_setting = fields["delivered_by"].value == "setting"
    is_place = fields["is_place"].value == True  # noqa: E712 - elementwise
    pence = np.where(child_bad[g], 0, pence)
    if np.sum(pence.astype(np.float64)) >= _SAFE:
        pence = pence.astype(object)
    else:
        pence = pence.astype(np.int64)
    education = stream == "education"

    # the deduction: setting-delivered education lines first, then the others, in plan order
    cost_edu = np.where(education, pence, 0).astype(pence.dtype)
    order = np.lexsort((np.arange(len(lines)), ~by_setting, g))
    before = (pd.Series(cost_edu[order]).groupby(g[order]).cumsum().to_numpy()
              - cost_edu[order])
    deducted = np.empty_like(cost_edu)
    deducted[order] = np.minimum(np.maximum(to_deduct[g[order]] - before, 0), cost_edu[order])
    amount = pence - deducted

    parts = {f"{s}_cost": np.where(stream == s, pence, 0) for s in STREAMS}
    parts.update({f"{m}": np.where(delivery == m, amount, 0) for m in MECHANISMS})
    parts["deducted"] = deducted
    parts["lines"] = np.ones(len(lines), dtype=np.int64)
    parts["education_lines"] = education.astype(np.int64)
    parts["place_lines"] = (education & is_place).astype(np.int64)
    sums = {k: v.to_numpy() for k, v in pd.DataFrame(parts).groupby(g).sum().items()}

    edu = sums["education_cost"]
    element3 = edu - sums["deducted"]
    money_columns: dict[str, Array] = {
        "education_cost": edu,
        "social_care_cost": sums["social_care_cost"],
        "health_cost": sums["health_cost"],
        "element1": e1,
        "element2": e2,
        "deduction": to_deduct,
        "deducted": sums["deducted"],
        "element3": element3,
        "personal_sen_budget": element3,
        "education_budget": element3,
        "social_care_budget": sums["social_care_cost"],
        "health_budget": sums["health_cost"],
        "total_personal_budget": element3 + sums["social_care_cost"] + sums["health_cost"],
        "direct_payment": sums["direct_payment"],
        "arrangement": sums["arrangement"],
        "third_party": sums["third_party"],
        "whole_cost": edu + sums["social_care_cost"] + sums["health_cost"] + outside,
    }
    out: dict[str, Any] = {
        # the setting id (as given, where it is not one of the scheme's)
        "setting": np.where(child_setting >= 0,
                            np.array([*scheme.setting_ids, ""], dtype=object)[child_setting],
                            lines[setting].to_numpy(dtype=object)[_first_rows(g, n_children)]),
        "lines": sums["lines"],
    }
    out.update({k: _pounds(v, child_bad) for k, v in money_columns.items()})

    # warnings, as the single-child form words and orders them
    descriptions = fields["description"].value
    setting_ids = np.array([*scheme.setting_ids, ""], dtype=object)[child_setting]
    row_setting = setting_ids[g]
    row_covers = covers[g]
    ok_rows = ~child_bad[g]
    texts: list[pd.DataFrame] = []
    place = ok_rows & education & is_place & np.isin(row_covers, list(PLACE_NOT_PRICED))
    texts.append(_line_texts(place, g, index, 0, descriptions, [
        PLACE_NOT_PRICED[c].format(setting=s)
        for c, s in zip(row_covers[place], row_setting[place], strict=True)]))
    other = ok_rows & (deducted > 0) & ~by_setting
    texts.append(_line_texts(other, g, index, 1, descriptions, [
        DEDUCTED_FROM_OTHER.format(elements=DEDUCTED_ELEMENTS[c], setting=s)
        for c, s in zip(row_covers[other], row_setting[other], strict=True)]))
    no_place = (~child_bad & (covers == "whole_place") & (sums["education_lines"] > 0)
                & (sums["place_lines"] == 0))
    below = ~child_bad & (edu > 0) & (edu < to_deduct)
    for kind, (mask, template) in enumerate(((no_place, NO_PLACE), (below, BELOW_DEDUCTION))):
        per_setting = np.array([
            template.format(setting=s, amount=pounds(deduction(r)),
                            elements=DEDUCTED_ELEMENTS[r.ras_covers])
            for s, r in zip(scheme.setting_ids, rules, strict=True)] + [""], dtype=object)
        chosen = np.flatnonzero(mask)
        texts.append(pd.DataFrame({"child": chosen, "key": _WARNING_LAST + kind,
                                   "text": per_setting[child_setting[chosen]]}))
    out["warnings"] = _join(texts, n_children)

    if errors == "raise" and (line_bad.any() or child_bad.any()):
        raise PlanError(_problems(messages, line_bad, child_problem, g, index, descriptions,
                                  child_ids, lines.index))
    if errors == "flag":
        texts = [_line_texts(line_bad, g, index, 0, descriptions, None, messages),
                 pd.DataFrame({"child": np.flatnonzero(child_problem != None),  # noqa: E711
                               "key": _WARNING_LAST,
                               "text": child_problem[child_problem != None]})]  # noqa: E711
        out["error"] = _join(texts, n_children)

    result = pd.DataFrame(out, index=pd.Index(child_ids, name=child))
    if indicative is not None:
        _compare(result, indicative, element3, child_bad, scheme)
    return result


class _Column:
    """One field, per line: its converted value and its problem (None when it has none).

    Number fields also carry ``given`` (not blank) and ``scaled``: the value x 10**exponent as
    integers (0 where blank), so that costs are exact integer arithmetic from here on.
    """

    __slots__ = ("exponent", "given", "problem", "scaled", "value")

    def __init__(self, value: Array, problem: Array, given: Array, scaled: Array | None = None,
                 exponent: int = 0) -> None:
        self.value = value
        self.problem = problem
        self.given = given
        self.scaled = scaled
        self.exponent = exponent


_NUMBERS = ("cost", *HOURLY, "on_costs")


def _encode(series: pd.Series | None, name: str, n: int) -> _Column:
    """Convert each distinct value once; the last slot of each table is the blank cell."""
    if name in _NUMBERS and series is not None:
        fast = _plain_numbers(series, name)
        if fast is not None:
            return fast
    if series is None:
        codes = np.full(n, -1, dtype=np.int64)  # every line takes the blank slot
        pairs = [convert[name](MISSING)]
    else:
        codes, found = pd.factorize(series, sort=False, use_na_sentinel=True)
        pairs = [convert[name](u) for u in found] + [convert[name](None)]
    values = np.array([v for v, _ in pairs], dtype=object)
    problems = np.array([p for _, p in pairs], dtype=object)
    given = np.array([v is not None for v, _ in pairs], dtype=bool)
    if name not in _NUMBERS:
        return _Column(values[codes], problems[codes], given[codes])
    numbers = [v for v in values if v is not None]
    exponent = max([0, *(-int(v.as_tuple().exponent) for v in numbers)])
    scaled = np.array([0 if v is None else int(v.scaleb(exponent, EXACT)) for v in values],
                      dtype=object)
    return _Column(values[codes], problems[codes], given[codes], scaled[codes], exponent)


def _plain_numbers(series: pd.Series, name: str) -> _Column | None:
    """The fast path for a plain numeric column with nothing to refuse: exact scaled integers
    straight from the floats, or None to take the slow path (which words any problem).

    A float x below 1e9 equal to m / 10**k (k <= 4) reads as that decimal, as ``repr`` would
    give it: two decimals of at most 13 digits that both round to x would differ by at least
    1e-5, far more than the float's spacing there.
    """
    if series.dtype.kind not in "iuf":
        return None
    x = series.to_numpy(dtype=np.float64)
    given = ~np.isnan(x)
    values = x[given]
    limit = LIMITS.get(name)
    if (not np.isfinite(values).all() or (values < 0).any() or (values >= 1e9).any()
            or (limit is not None and (values > float(limit)).any())):
        return None
    for k in range(5):
        m = np.round(values * 10**k)
        if (m / 10**k == values).all():
            scaled = np.zeros(len(x), dtype=np.int64)
            scaled[given] = m.astype(np.int64)
            blank = np.full(len(x), None, dtype=object)
            return _Column(blank, blank, given, scaled, k)
    return None


def _small(*arrays: Array) -> bool:
    """Whether the product of these non-negative integer arrays stays far inside int64."""
    estimate = np.ones(len(arrays[0]))
    for a in arrays:
        estimate = estimate * a.astype(np.float64)
    return bool(len(estimate) == 0 or estimate.max() < _SAFE)


def _to_pence(scaled: Array, exponent: int) -> Array:
    """value x 10**exponent -> pence, rounded half up (values are never negative)."""
    if exponent <= 2:
        exact: Array = scaled * 10 ** (2 - exponent)
        return exact
    unit = 10 ** (exponent - 2)
    if scaled.dtype != object and unit >= _SAFE:
        scaled = scaled.astype(object)
    result: Array = (2 * scaled + unit) // (2 * unit)
    return result


def _cost_and_checks(fields: dict[str, _Column], field_bad: Array) -> tuple[Array, list[Array]]:
    """Each line's cost in pence, and the checks that relate fields (lines whose fields are
    all readable only, as for one line): the vectorised twin of ``cross_problems``."""
    n = len(field_bad)
    given = {k: fields[k].given for k in ("cost", *HOURLY)}
    ok = ~field_bad
    has_cost = given["cost"]
    hours, weeks, rate = (given[k] for k in HOURLY)
    any_hourly, all_hourly = hours | weeks | rate, hours & weeks & rate
    on_costs = fields["on_costs"]
    assert on_costs.scaled is not None
    both = ok & has_cost & any_hourly
    neither = ok & ~has_cost & ~any_hourly
    partial = ok & ~has_cost & any_hourly & ~all_hourly
    fixed_on_costs = ok & has_cost & ~any_hourly & (on_costs.scaled != 0)
    shape_ok = ok & ~(both | neither | partial | fixed_on_costs)

    cost = fields["cost"]
    assert cost.scaled is not None
    factors = [fields[k].scaled for k in HOURLY]
    assert all(f is not None for f in factors)
    h, w, r = (np.where(shape_ok & ~has_cost, f, 0) for f in factors if f is not None)
    one = 10**on_costs.exponent
    uplift = np.where(shape_ok & ~has_cost, on_costs.scaled + one, 0)
    arrays = [h, w, r, uplift]
    if _small(*arrays) and one < _SAFE:
        arrays = [a.astype(np.int64) for a in arrays]
    else:  # Python integers: the product of the scaled factors could leave int64
        arrays = [a.astype(object) for a in arrays]
    exponent = sum(fields[k].exponent for k in HOURLY) + on_costs.exponent
    hourly = _to_pence(arrays[0] * arrays[1] * arrays[2] * arrays[3], exponent)
    fixed = _to_pence(np.where(shape_ok & has_cost, cost.scaled, 0), cost.exponent)
    pence = np.where(shape_ok, np.where(has_cost, fixed, hourly), 0)

    shape = np.full(n, None, dtype=object)
    shape[both] = BOTH_COSTS
    shape[neither] = NO_COST
    missing = (~hours * 4 + ~weeks * 2 + ~rate * 1).astype(np.int64)
    by_missing = np.array([None] + [partial_hourly(tuple(
        k for k, bit in zip(HOURLY, (4, 2, 1), strict=True) if m & bit)) for m in range(1, 8)],
        dtype=object)
    shape[partial] = by_missing[missing[partial]]
    shape[fixed_on_costs] = ON_COSTS_FIXED
    shape[shape_ok & (pence == 0)] = ZERO_COST

    direct = ok & (fields["delivery"].value == "direct_payment")
    place = np.full(n, None, dtype=object)
    place[direct & (fields["is_place"].value == True)] = DP_PLACE  # noqa: E712
    consent = fields["consent"].value
    premises = direct & (fields["on_premises"].value == True)  # noqa: E712
    refused = premises & (consent == False)  # noqa: E712
    unrecorded = premises & (consent != True) & ~refused  # noqa: E712
    consent_problem = np.full(n, None, dtype=object)
    consent_problem[refused] = DP_REFUSED
    consent_problem[unrecorded] = DP_NO_CONSENT
    return pence, [shape, place, consent_problem]


def _pence(amounts: list[Decimal]) -> Array:
    return np.array([int(a * 100) for a in amounts], dtype=np.int64)


def _pounds(pence: Array, bad: Array) -> Array:
    pounds_: Array = pence.astype(np.float64) / 100
    pounds_[bad] = np.nan
    return pounds_


def _first_rows(g: Array, n_children: int) -> Array:
    first: Array = np.unique(g, return_index=True)[1]
    assert len(first) == n_children
    return first


def _where(index: Array, descriptions: Array) -> pd.Series:
    """'line 2 (index 1) "Travel training"', as PlanProblem words it, for many lines."""
    i = pd.Series(index, dtype=np.int64)
    text = ("line " + (i + 1).astype(str).astype(object) + " (index "
            + i.astype(str).astype(object) + ")")
    names = pd.Series(descriptions, dtype=object)
    named = names.notna().to_numpy()
    text[named] = text[named] + ' "' + names[named] + '"'
    return text


def _line_texts(mask: Array, g: Array, index: Array, slot: int, descriptions: Array,
                messages: list[str] | None, arrays: list[Array] | None = None) -> pd.DataFrame:
    """Texts about lines: one message per masked line, or every message of ``arrays``."""
    frames = []
    for j, array in enumerate(arrays if arrays is not None else [None]):
        rows = np.flatnonzero(mask if array is None else mask & (array != None))  # noqa: E711
        found = messages if array is None else list(array[rows])
        assert found is not None
        assert len(found) == len(rows)
        prefix = _where(index[rows], descriptions[rows])
        text = prefix + ": " + pd.Series(found, dtype=object)
        frames.append(pd.DataFrame({"child": g[rows], "key": index[rows] * 64 + slot + j,
                                    "text": text.to_numpy(dtype=object)}))
    return pd.concat(frames, ignore_index=True)


def _indicative_notes(result: pd.DataFrame, frame: pd.DataFrame | None, amounts: pd.Series,
                      bad: Array, scheme: Scheme) -> None:
    """Warn, per child, as the one-plan form does: an indicative budget for another setting
    or scheme version (when the frame says which), none for the child, or one referred."""
    notes: list[Array] = []
    here = result.index
    if frame is not None and "setting" in frame.columns:
        theirs = frame["setting"].reindex(here).to_numpy(dtype=object)
        ours = result["setting"].to_numpy(dtype=object)
        other = pd.notna(theirs) & (theirs != ours)
        notes.append(np.where(other, "the indicative budget was worked out for setting '"
                              + theirs.astype(str) + "', not '" + ours.astype(str) + "'", ""))
    if frame is not None and {"scheme_id", "scheme_version"} <= set(frame.columns):
        ids = frame["scheme_id"].reindex(here).to_numpy(dtype=object)
        versions = frame["scheme_version"].reindex(here).to_numpy(dtype=object)
        other = pd.notna(ids) & ((ids != scheme.id) | (versions != scheme.version))
        notes.append(np.where(other, "the indicative budget comes from scheme '" + ids.astype(str)
                              + "' version '" + versions.astype(str) + f"', not '{scheme.id}' "
                              f"version '{scheme.version}'", ""))
    listed = here.isin(amounts.index)
    values = amounts.reindex(here).to_numpy(dtype=np.float64, na_value=np.nan)
    notes.append(np.where(~listed, "there is no indicative budget for this child, so there is "
                          "no difference to show", ""))
    notes.append(np.where(listed & np.isnan(values), "the indicative budget has no amount for "
                          "personal_sen_budget (referred to panel), so there is no difference "
                          "to show for it", ""))
    joined = result["warnings"].to_numpy(dtype=object)
    for note in notes:
        add = (note != "") & ~bad
        joined = np.where(add & (joined != ""), joined + "\n" + note,
                          np.where(add, note, joined))
    result["warnings"] = joined


def _join(texts: list[pd.DataFrame], n_children: int) -> Array:
    """Each child's texts in order, one per line of text; the empty string for none.

    Joined rank by rank (every child's first text, then every second one, ...), so the loop
    runs over the most texts any child has, not over children.
    """
    found = pd.concat(texts, ignore_index=True).sort_values(["child", "key"], kind="stable")
    out = np.full(n_children, "", dtype=object)
    child = found["child"].to_numpy(dtype=np.int64)
    text = found["text"].to_numpy(dtype=object)
    rank = found.groupby("child").cumcount().to_numpy()
    for r in range(int(rank.max()) + 1 if len(rank) else 0):
        at = rank == r
        out[child[at]] = text[at] if r == 0 else out[child[at]] + "\n" + text[at]
    return out


def _problems(messages: list[Array], line_bad: Array, child_problem: Array, g: Array,
              index: Array, descriptions: Array, child_ids: Any, rows: pd.Index[Any],
              ) -> list[PlanProblem]:
    """Every problem, with its child and row, ordered by child and line (bad lines only)."""
    found: list[tuple[int, int, PlanProblem]] = []
    for r in np.flatnonzero(line_bad):
        child: Hashable = child_ids[g[r]]
        row: Hashable = rows[int(r)]
        for array in messages:
            if array[r] is not None:
                found.append((int(g[r]), int(index[r]), PlanProblem(
                    int(index[r]), descriptions[r], str(array[r]), child=child, row=row)))
    for c in np.flatnonzero(child_problem != None):  # noqa: E711
        found.append((int(c), _WARNING_LAST, PlanProblem(
            None, None, str(child_problem[c]), child=child_ids[c])))
    found.sort(key=lambda item: item[:2])
    return [p for *_, p in found]


def _compare(result: pd.DataFrame, indicative: pd.DataFrame | pd.Series, element3: Array,
             bad: Array, scheme: Scheme) -> None:
    """Add the indicative personal SEN budget and the difference, in pounds and percent, and
    the warnings ``Plan.personal_budget`` gives about the indicative budget it is shown."""
    frame = indicative if isinstance(indicative, pd.DataFrame) else None
    if frame is not None and "personal_sen_budget" not in frame.columns:
        raise UsageError("indicative must have a personal_sen_budget column (the result "
                         "of calculate_frame, indexed by child id)")
    amounts = frame["personal_sen_budget"] if frame is not None else indicative
    assert isinstance(amounts, pd.Series)
    if not amounts.index.is_unique:
        raise UsageError("indicative must have one row per child id (its index is not unique)")
    _indicative_notes(result, frame, amounts, bad, scheme)
    pounds_ = amounts.reindex(result.index).to_numpy(dtype=np.float64, na_value=np.nan)
    have = ~np.isnan(pounds_) & ~bad
    base = np.where(have, np.round(np.where(have, pounds_, 0) * 100), 0).astype(np.int64)
    change = np.where(have, element3, 0).astype(np.int64) - base
    safe = np.where(base == 0, 1, base)
    magnitude = (2 * np.abs(change) * 10_000 + np.abs(safe)) // (2 * np.abs(safe))
    hundredths = np.where((change < 0) != (safe < 0), -magnitude, magnitude)
    result["indicative_personal_sen_budget"] = pounds_
    result["difference"] = np.where(have, change / 100, np.nan)
    result["difference_percent"] = np.where(have & (base != 0), hundredths / 100, np.nan)
