"""Benchmarks for ras: the cohort at scale, against three yardsticks, with the issue's targets.

Run from the repository root::

    .venv/bin/python benchmarks/run.py                       # 10k, 100k and 1M children
    .venv/bin/python benchmarks/run.py --sizes 10000,50000   # other sizes
    .venv/bin/python benchmarks/run.py --quick               # a smoke run of a few hundred rows

Every figure is measured here, in this run, on the same synthetic cohort:

- the engine: ``scheme.calculate_codes`` (all columns, and ``columns=`` the core outputs),
  ``scheme.calculate_frame`` from option-id strings and from pandas categoricals;
- yardstick (a): plain row-by-row Python with dicts and Decimal, the first thing an analyst
  writes; measured on 10,000 rows and extrapolated linearly to larger sizes (the table says so);
- yardstick (b): the same scheme written in OpenFisca (``pip install -e '.[bench]'``), its
  simulation built from the same arrays; skipped, with the reason printed, when not installed;
- yardstick (c): the fastest hand-written numpy kernel for this one scheme that I could write
  (per-domain tables of capped points for every combination of answers, every domain's index
  from one float32 matrix product, blocks of rows that stay in cache). It is the floor a
  general engine should reach.

The yardsticks compute the core outputs: the points of every domain, the education points, the
education amount and element 3. Before any timing each yardstick is checked against the engine on
the same cohort; a yardstick that disagrees is reported as such, never timed as if it agreed.

Honesty rules: each timed run gets fresh copies of its inputs (made outside the timer), so no
result can come from a cache keyed on the input; medians of ``--repeat`` runs; peak memory is
measured in a separate run under ``tracemalloc`` (numpy registers its array buffers with
tracemalloc, so they are counted; memory that pyarrow allocates for pandas' string columns is
not).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import reduce
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import yaml

import ras

HERE = Path(__file__).resolve().parent
SCHEME_PATH = HERE / "scheme_40q.yaml"
SEED = 20260401
PLAIN_ROWS = 10_000  # the row-by-row yardstick is measured on this many rows, then extrapolated
OPENFISCA_FANCY_ROWS = 10_000
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
TARGET_ROWS = 1_000_000
OPENFISCA_LABELS = {  # key: (name in the agreement line, row label)
    "openfisca": ("OpenFisca", "OpenFisca, numpy table per question (core)"),
    "openfisca_select": ("OpenFisca (select)", "OpenFisca, select over options (core)"),
}

Array = npt.NDArray[Any]
Columns = dict[str, Array]


# -- the scheme and the cohort ------------------------------------------------------------


def load_data(path: Path = SCHEME_PATH) -> dict[str, Any]:
    """The scheme as plain data, the way an analyst (and the yardsticks) would read it."""
    with open(path, encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def core_columns(scheme: ras.Scheme) -> list[str]:
    """What the hand-written kernel computes: the outputs the issue's main target is about."""
    return [f"points_{d}" for d in scheme.domain_ids] + [
        "education_points", "education_amount", "element3"]


@dataclass(frozen=True)
class Cohort:
    """A deterministic synthetic cohort: option positions and setting positions."""

    codes: Array  # (n, questions) int8
    settings: Array  # (n,) int8

    @property
    def n(self) -> int:
        return int(self.codes.shape[0])

    def head(self, n: int) -> Cohort:
        return Cohort(self.codes[:n].copy(), self.settings[:n].copy())

    def frame_ids(self, scheme: ras.Scheme) -> pd.DataFrame:
        """One text column per question holding option ids, as read from a council's CSV."""
        columns: dict[str, Any] = {}
        for j, q in enumerate(scheme.question_ids):
            ids = np.array(scheme.option_ids[q], dtype=object)
            columns[q] = pd.array(ids[self.codes[:, j]], dtype="str")
        columns["setting"] = pd.array(
            np.array(scheme.setting_ids, dtype=object)[self.settings], dtype="str")
        return pd.DataFrame(columns)

    def frame_objects(self, scheme: ras.Scheme) -> pd.DataFrame:
        """The same text columns as Python objects: what read_csv gives without pyarrow."""
        ids = self.frame_ids(scheme)
        return pd.DataFrame({k: ids[k].to_numpy(dtype=object) for k in ids.columns})

    def frame_categorical(self, scheme: ras.Scheme) -> pd.DataFrame:
        """One categorical column per question, with the option ids as categories."""
        columns: dict[str, Any] = {}
        for j, q in enumerate(scheme.question_ids):
            columns[q] = pd.Categorical.from_codes(self.codes[:, j],
                                                   categories=pd.Index(scheme.option_ids[q]))
        columns["setting"] = pd.Categorical.from_codes(self.settings,
                                                       categories=pd.Index(scheme.setting_ids))
        return pd.DataFrame(columns)

    def records(self, scheme: ras.Scheme) -> list[dict[str, str]]:
        """One dict per child (question id -> option id, and the setting id)."""
        ids = [scheme.option_ids[q] for q in scheme.question_ids]
        questions = scheme.question_ids
        setting_ids = scheme.setting_ids
        out = []
        for row, setting in zip(self.codes.tolist(), self.settings.tolist(), strict=True):
            child = {q: ids[j][code] for j, (q, code) in enumerate(zip(questions, row,
                                                                         strict=True))}
            child["setting"] = setting_ids[setting]
            out.append(child)
        return out


def make_cohort(scheme: ras.Scheme, n: int, seed: int = SEED) -> Cohort:
    """Children with a skewed level of need (most low, a few very high), each with a profile
    that favours some domains, so that answers within a domain are correlated as in real plans.
    About 72% are in the first setting, 20% in the second and 8% in the third."""
    rng = np.random.default_rng(seed)
    c = scheme.compiled
    n_q, n_d = len(c.question_ids), len(c.domain_ids)
    need = rng.beta(1.4, 3.2, size=n)
    profile = rng.gamma(2.0, 0.55, size=(n, n_d))
    codes = np.empty((n, n_q), dtype=np.int8)
    ends = [*c.domain_starts[1:].tolist(), n_q]
    for d, (lo, hi) in enumerate(zip(c.domain_starts.tolist(), ends, strict=True)):
        level = need * profile[:, d]
        for j in range(lo, hi):
            k = int(c.option_counts[j])
            x = level * k * 1.25 + rng.normal(0.0, 0.6, size=n)
            codes[:, j] = np.clip(np.floor(x), 0, k - 1).astype(np.int8)
    weights = np.array([0.72, 0.20, 0.08][: len(c.setting_ids)])
    settings = rng.choice(len(c.setting_ids), size=n, p=weights / weights.sum()).astype(np.int8)
    return Cohort(codes, settings)


# -- shared Decimal helpers (used by the yardsticks to read the scheme) --------------------

_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN,
          "up": ROUND_CEILING, "down": ROUND_FLOOR}


def _dec(x: Any) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def _round(amount: Decimal, rounding: Mapping[str, Any]) -> Decimal:
    unit = _dec(rounding.get("unit", "0.01"))
    mode = _MODES[rounding.get("mode", "half_up")]
    return (amount / unit).quantize(Decimal(1), rounding=mode) * unit


# -- yardstick (a): plain row-by-row Python ---------------------------------------------


def plain_python(data: Mapping[str, Any], children: Sequence[Mapping[str, str]]
                 ) -> list[dict[str, Decimal | None]]:
    """What an analyst writes first: a loop over children, dicts and Decimal.

    Core outputs only (domain points, education points, education amount, element 3), for the
    shape of the benchmark scheme (education priced by bands or a rate, settings that may price
    education their own way).
    """
    points = {q["id"]: {o["id"]: _dec(o["points"]) for o in q["options"]}
              for d in data["domains"] for q in d["questions"]}
    rounding = data.get("rounding", {})
    results = []
    for child in children:
        setting = data["settings"][child["setting"]]
        row: dict[str, Decimal | None] = {}
        education = Decimal(0)
        for domain in data["domains"]:
            total = Decimal(0)
            for question in domain["questions"]:
                total += points[question["id"]][child[question["id"]]]
            total *= _dec(domain.get("weight", 1))
            if "cap" in domain:
                total = min(total, _dec(domain["cap"]))
            row["points_" + domain["id"]] = total
            if domain.get("stream", "education") == "education":
                education += total
        row["education_points"] = education
        pricing = (setting.get("pricing") or {}).get("education") or data["pricing"]["education"]
        priced_points = max(education, Decimal(0))
        if "refer_above" in pricing and education > _dec(pricing["refer_above"]):
            row["education_amount"] = None
            row["element3"] = None
            results.append(row)
            continue
        if pricing["method"] == "bands":
            amount = Decimal(0)
            for band in pricing["bands"]:
                if _dec(band["from_points"]) <= priced_points:
                    amount = _dec(band["amount"])
        else:
            amount = _dec(pricing.get("base", 0)) + priced_points * _dec(pricing["rate"])
        amount = max(amount, _dec(pricing.get("minimum", 0)))
        if "maximum" in pricing:
            amount = min(amount, _dec(pricing["maximum"]))
        amount = _round(amount, rounding)
        row["education_amount"] = amount
        covers = setting["ras_covers"]
        if covers == "additional_support":
            element3 = max(Decimal(0), amount - _dec(setting["element2"]))
        elif covers == "whole_place":
            element3 = max(Decimal(0), amount - _dec(setting["element1"])
                           - _dec(setting["element2"]))
        else:
            element3 = amount
        row["element3"] = element3
        results.append(row)
    return results


def plain_to_columns(rows: Sequence[Mapping[str, Decimal | None]]) -> Columns:
    """The row-by-row results as float columns, for comparison with the engine (untimed)."""
    names = list(rows[0]) if rows else []
    return {name: np.array([math.nan if r[name] is None else float(r[name])  # type: ignore[arg-type]
                            for r in rows], dtype=np.float64) for name in names}


# -- yardstick (c): the fastest hand-written numpy kernel for this scheme ----------------


class HandKernel:
    """Hand-written numpy for the benchmark scheme's shape, all the tricks allowed.

    Set-up (untimed, like the engine's compile): for every domain, a table of its capped,
    weighted points for every combination of its answers (a mixed-radix index of at most a few
    thousand entries, small enough for the L1/L2 cache), in integer units of the greatest common
    divisor of all table values, and in float64 points; and for every setting a table of the
    education amount and element 3 (float64 pounds, NaN when referred to panel) for every
    reachable number of education points; and a matrix of each question's place value in its
    domain's index. Run: per block of rows (cache-sized), every domain's index at once as one
    float32 matrix product of the codes and the place values (exact: indexes are far below
    2**24; this measured about 15 % faster than building int16 indexes question by question),
    gather, sum the education domains in int16, gather the amount and element 3 by (setting,
    points). Gathers use ``mode="clip"``, which skips numpy's bounds checks (the indexes are in
    range by construction).
    """

    def __init__(self, data: Mapping[str, Any], block: int = 16_384) -> None:
        self.block = block
        domains = data["domains"]
        scale = 10_000  # points and weights have at most two decimals: their products four
        tables: list[list[int]] = []  # in 1/scale points
        self.strides: list[list[int]] = []
        self.starts: list[int] = []
        self.names: list[str] = []
        self.education: list[bool] = []
        position = 0
        for domain in domains:
            options = [[int(_dec(o["points"]) * 100) for o in q["options"]]
                       for q in domain["questions"]]
            counts = [len(o) for o in options]
            strides = [math.prod(counts[k + 1:]) for k in range(len(counts))]
            if math.prod(counts) > 32_767:
                raise ValueError("a domain's table is too big for this kernel's small tables")
            weight = int(_dec(domain.get("weight", 1)) * 100)
            cap = int(_dec(domain["cap"]) * scale) if "cap" in domain else None
            sums = np.zeros(1, dtype=np.int64)
            for points in options:  # every combination, the last question varying fastest
                sums = (sums[:, None] + np.array(points, dtype=np.int64)[None, :]).ravel()
            table = [int(v) * weight for v in sums]
            tables.append([min(v, cap) for v in table] if cap is not None else table)
            self.strides.append(strides)
            self.starts.append(position)
            self.names.append(f"points_{domain['id']}")
            self.education.append(domain.get("stream", "education") == "education")
            position += len(counts)
        step = reduce(math.gcd, (v for t in tables for v in t), 0) or 1
        unit = Fraction(step, scale)
        self.unit = unit
        self.int_tables = [np.array([v // step for v in t], dtype=np.int16) for t in tables]
        self.float_tables = [np.array([v / scale for v in t], dtype=np.float64)
                             for t in tables]
        if any(int(t.min()) < 0 for t in self.int_tables):
            raise ValueError("the hand-written kernel assumes points of zero or more")
        top = sum(int(t.max()) for t, e in zip(self.int_tables, self.education, strict=True)
                  if e)
        self.width = top + 1
        settings = list(data["settings"].values())
        amount = np.empty((len(settings), self.width))
        element3 = np.empty((len(settings), self.width))
        rounding = data.get("rounding", {})
        for s, setting in enumerate(settings):
            pricing = ((setting.get("pricing") or {}).get("education")
                       or data["pricing"]["education"])
            for e in range(self.width):
                a, e3 = _price_education(e * unit, pricing, setting, rounding)
                amount[s, e], element3[s, e] = a, e3
        self.amount_table = amount.ravel()
        self.element3_table = element3.ravel()
        self.points_table = np.array([float(e * unit) for e in range(self.width)])
        self.place = np.zeros((position, n_domains := len(tables)), dtype=np.float32)
        for d in range(n_domains):
            for k, stride in enumerate(self.strides[d]):
                self.place[self.starts[d] + k, d] = stride

    def __call__(self, codes: Array, settings: Array) -> Columns:
        n = codes.shape[0]
        n_domains = len(self.names)
        points = np.empty((n_domains, n), dtype=np.float64)
        education_units = np.empty(n, dtype=np.int16)
        lookup = np.empty(n, dtype=np.intp)
        block = self.block
        indexes = np.empty((n_domains, min(n, block)), dtype=np.int32)
        for lo in range(0, n, block):
            hi = min(n, lo + block)
            index_of = indexes[:, : hi - lo]
            index_of[:] = (codes[lo:hi].astype(np.float32) @ self.place).T  # (domains, rows)
            education: Array | None = None
            for d in range(n_domains):
                index = index_of[d]
                np.take(self.float_tables[d], index, out=points[d, lo:hi], mode="clip")
                if self.education[d]:
                    units = self.int_tables[d].take(index, mode="clip")
                    if education is None:
                        education = units
                    else:
                        education += units
            assert education is not None
            education_units[lo:hi] = education
            np.multiply(settings[lo:hi], self.width, out=lookup[lo:hi], dtype=np.intp)
            lookup[lo:hi] += education
        out: Columns = {name: points[d] for d, name in enumerate(self.names)}
        out["education_points"] = self.points_table.take(education_units, mode="clip")
        out["education_amount"] = self.amount_table.take(lookup, mode="clip")
        out["element3"] = self.element3_table.take(lookup, mode="clip")
        return out


def _price_education(points: Fraction, pricing: Mapping[str, Any], setting: Mapping[str, Any],
                     rounding: Mapping[str, Any]) -> tuple[float, float]:
    """Education amount and element 3 for a number of points (set-up of the hand kernel)."""
    exact = Decimal(points.numerator) / Decimal(points.denominator)
    if "refer_above" in pricing and exact > _dec(pricing["refer_above"]):
        return math.nan, math.nan
    priced = max(exact, Decimal(0))
    if pricing["method"] == "bands":
        amount = max(_dec(b["amount"]) for b in pricing["bands"]
                     if _dec(b["from_points"]) <= priced)
    elif pricing["method"] == "rate":
        amount = _dec(pricing.get("base", 0)) + priced * _dec(pricing["rate"])
    else:  # pragma: no cover - the benchmark scheme has no steps
        raise ValueError("the hand-written kernel prices bands and rates only")
    amount = max(amount, _dec(pricing.get("minimum", 0)))
    if "maximum" in pricing:
        amount = min(amount, _dec(pricing["maximum"]))
    amount = _round(amount, rounding)
    deduction = {"additional_support": _dec(setting["element2"]),
                 "whole_place": _dec(setting["element1"]) + _dec(setting["element2"]),
                 "top_up": Decimal(0)}[setting["ras_covers"]]
    return float(amount), float(max(Decimal(0), amount - deduction))


# -- yardstick (b): OpenFisca ----------------------------------------------------------------


class OpenFiscaModel:
    """The benchmark scheme written in OpenFisca: one person entity (the child), an Enum input
    variable per question and for the setting, a formula per domain, education points, the
    education amount (single-amount tax scales, the setting's own scale where it has one,
    referral to panel as NaN) and element 3. Parameters (points, weights, caps, bands, elements)
    live in OpenFisca's date-stamped parameter tree.

    How an answer is scored is the choice that matters most for speed. ``indexing="take"``, the
    fastest I found: a float32 numpy table of the question's option points, read from the
    parameters, indexed by the Enum array. ``indexing="select"``: ``select`` over the options,
    the idiom of OpenFisca's own country models. ``indexing="fancy"``: OpenFisca's documented
    fancy indexing of parameters by an
    Enum array (``parameters.points.q[answer]``), which loops over the children in Python.
    """

    PERIOD = "2026"

    def __init__(self, data: Mapping[str, Any], *, indexing: str = "take") -> None:
        import openfisca_core
        from openfisca_core.entities import build_entity
        from openfisca_core.indexed_enums import Enum, EnumArray
        from openfisca_core.model_api import max_, min_, select, where
        from openfisca_core.parameters import ParameterNode
        from openfisca_core.periods import DateUnit
        from openfisca_core.simulations import SimulationBuilder
        from openfisca_core.taxbenefitsystems import TaxBenefitSystem
        from openfisca_core.variables import Variable

        self.version = getattr(openfisca_core, "__version__", "") or _dist_version(
            "openfisca-core")
        self._builder = SimulationBuilder
        self._enum_array = EnumArray
        child = build_entity("child", "children", "A child with an EHC plan", is_person=True)
        tbs = TaxBenefitSystem([child])
        since = "2026-01-01"

        def value(x: Any) -> dict[str, Any]:
            return {"values": {since: float(x)}}

        def scale(pricing: Mapping[str, Any]) -> dict[str, Any]:
            return {"metadata": {"type": "single_amount"},
                    "brackets": [{"threshold": value(b["from_points"]),
                                  "amount": value(b["amount"])} for b in pricing["bands"]]}

        tree: dict[str, Any] = {"points": {}, "domains": {}, "settings": {}}
        for d in data["domains"]:
            tree["domains"][d["id"]] = {"weight": value(d.get("weight", 1))}
            if "cap" in d:
                tree["domains"][d["id"]]["cap"] = value(d["cap"])
            for q in d["questions"]:
                tree["points"][q["id"]] = {o["id"]: value(o["points"]) for o in q["options"]}
        education = data["pricing"]["education"]
        if education["method"] != "bands":  # pragma: no cover - the benchmark scheme's shape
            raise ValueError("the OpenFisca yardstick prices education by bands")
        tree["education"] = {"bands": scale(education),
                             "refer_above": value(education.get("refer_above", math.inf))}
        for sid, s in data["settings"].items():
            node: dict[str, Any] = {"element1": value(s["element1"]),
                                    "element2": value(s["element2"])}
            own = (s.get("pricing") or {}).get("education")
            if own is not None:
                node["bands"] = scale(own)
                node["refer_above"] = value(own.get("refer_above", math.inf))
            tree["settings"][sid] = node
        tbs.parameters = ParameterNode("ras", data=tree)

        def add(name: str, attrs: dict[str, Any]) -> None:
            attrs = {"entity": child, "definition_period": DateUnit.YEAR, "label": name, **attrs}
            tbs.add_variable(type(name, (Variable,), attrs))

        self.enums: dict[str, Any] = {}
        for d in data["domains"]:
            for q in d["questions"]:
                options = Enum(f"{q['id']}_option", [(o["id"], o["id"]) for o in q["options"]])
                self.enums[q["id"]] = options
                add(q["id"], {"value_type": Enum, "possible_values": options,
                              "default_value": options[q["options"][0]["id"]]})
        settings_enum = Enum("setting_option", [(s, s) for s in data["settings"]])
        self.settings_enum = settings_enum
        add("setting", {"value_type": Enum, "possible_values": settings_enum,
                        "default_value": settings_enum[next(iter(data["settings"]))]})
        enums = self.enums

        def domain_formula(domain: Mapping[str, Any]) -> Callable[..., Any]:
            questions = [q["id"] for q in domain["questions"]]

            def formula(population: Any, period: Any, parameters: Any) -> Any:
                p = parameters(period)
                total: Any = 0
                for q in questions:
                    answer = population(q, period)
                    points = p.points[q]
                    if indexing == "fancy":
                        total = total + points[answer]
                    elif indexing == "take":
                        table = np.array([points[m.name] for m in enums[q]], dtype=np.float32)
                        total = total + table[np.asarray(answer)]
                    else:
                        members = list(enums[q])
                        total = total + select([answer == m for m in members],
                                               [points[m.name] for m in members])
                total = total * p.domains[domain["id"]].weight
                if "cap" in domain:
                    total = min_(total, p.domains[domain["id"]].cap)
                return total

            return formula

        self.domain_names = []
        for d in data["domains"]:
            add(f"points_{d['id']}", {"value_type": float, "formula": domain_formula(d)})
            self.domain_names.append(f"points_{d['id']}")
        education_domains = [f"points_{d['id']}" for d in data["domains"]
                             if d.get("stream", "education") == "education"]

        def education_points(population: Any, period: Any, parameters: Any) -> Any:
            return sum(population(name, period) for name in education_domains)

        add("education_points", {"value_type": float, "formula": education_points})
        covers = {sid: s["ras_covers"] for sid, s in data["settings"].items()}

        def education_amount(population: Any, period: Any, parameters: Any) -> Any:
            points = population("education_points", period)
            setting = population("setting", period)
            p = parameters(period)
            priced = max_(points, 0)
            default = where(points > p.education.refer_above, np.nan,
                            p.education.bands.calc(priced))
            conditions, amounts = [], []
            for member in settings_enum:
                node = p.settings[member.name]
                if "bands" in node._children:
                    conditions.append(setting == member)
                    amounts.append(where(points > node.refer_above, np.nan,
                                         node.bands.calc(priced)))
            amount = select(conditions, amounts, default=default) if conditions else default
            return np.floor(amount + 0.5)  # rounding {unit: 1, mode: half_up}

        add("education_amount", {"value_type": float, "formula": education_amount})

        def element3(population: Any, period: Any, parameters: Any) -> Any:
            amount = population("education_amount", period)
            setting = population("setting", period)
            p = parameters(period)
            deductions = []
            for member in settings_enum:
                node = p.settings[member.name]
                deductions.append({"additional_support": node.element2,
                                   "whole_place": node.element1 + node.element2,
                                   "top_up": 0}[covers[member.name]])
            deduction = select([setting == m for m in settings_enum], deductions)
            return max_(amount - deduction, 0)

        add("element3", {"value_type": float, "formula": element3})
        self.tbs = tbs
        self.question_ids = list(enums)
        self.outputs = [*self.domain_names, "education_points", "education_amount", "element3"]

    def __call__(self, codes: Array, settings: Array) -> Columns:
        """Build a simulation from the arrays and calculate the core outputs (all timed)."""
        simulation = self._builder().build_default_simulation(self.tbs, codes.shape[0])
        for j, q in enumerate(self.question_ids):
            simulation.set_input(q, self.PERIOD,
                                 self._enum_array(codes[:, j].astype(np.int16), self.enums[q]))
        simulation.set_input("setting", self.PERIOD,
                             self._enum_array(settings.astype(np.int16), self.settings_enum))
        return {name: simulation.calculate(name, self.PERIOD) for name in self.outputs}


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def openfisca_model(data: Mapping[str, Any], indexing: str = "take"
                    ) -> tuple[OpenFiscaModel | None, str]:
    """The OpenFisca yardstick, or None and the reason it cannot run here."""
    try:
        import openfisca_core  # noqa: F401
    except ImportError as error:
        return None, (f"OpenFisca is not installed ({error}); install the bench extra: "
                      ".venv/bin/pip install -e '.[bench]'")
    try:
        return OpenFiscaModel(data, indexing=indexing), ""
    except Exception as error:  # a yardstick that cannot be built is reported, not fatal
        return None, f"OpenFisca could not model the scheme: {type(error).__name__}: {error}"


# -- measuring ------------------------------------------------------------------------------


@dataclass
class Measure:
    """Median and fastest seconds of several runs, and the peak traced memory of one more.

    The median is what the targets use; the fastest run is printed beside it because on a shared
    or virtual machine the slow runs are mostly the machine (page faults, neighbours), and the
    fastest is the best estimate of the work itself.
    """

    label: str
    rows: int
    seconds: float
    runs: int
    fastest: float
    peak_bytes: int | None = None
    measured_rows: int | None = None  # when measured on fewer rows and extrapolated
    note: str = ""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else math.inf


def time_runs(function: Callable[..., Any], make_args: Callable[[], tuple[Any, ...]],
              repeat: int) -> list[float]:
    """Seconds of `repeat` runs; each gets fresh inputs made outside the timer."""
    times = []
    for _ in range(repeat):
        args = make_args()
        gc.collect()
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
        del result, args
    return times


def peak_memory(function: Callable[..., Any], make_args: Callable[[], tuple[Any, ...]]) -> int:
    """Peak bytes traced by tracemalloc during one run, above what was held before it."""
    args = make_args()
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = function(*args)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    del result, args
    return peak


def measure_interleaved(
    candidates: Sequence[tuple[str, str, Callable[..., Any], Callable[[], tuple[Any, ...]]]],
    rows: int, repeat: int,
) -> dict[str, Measure]:
    """Time every candidate once per round, `repeat` rounds, so that a change in the machine's
    load during the run touches them all alike; then the peak memory of each."""
    times: dict[str, list[float]] = {key: [] for key, *_ in candidates}
    for _ in range(repeat):
        for key, _label, function, make_args in candidates:
            times[key] += time_runs(function, make_args, 1)
    return {key: Measure(label, rows, statistics.median(times[key]), repeat, min(times[key]),
                         peak_memory(function, make_args))
            for key, label, function, make_args in candidates}


def compare(expected: Mapping[str, Array], got: Mapping[str, Array], names: Sequence[str]
            ) -> list[str]:
    """Names of the columns where `got` differs from `expected` (NaN equals NaN)."""
    wrong = []
    for name in names:
        a = np.asarray(expected[name], dtype=np.float64)
        b = np.asarray(got[name], dtype=np.float64)
        if a.shape != b.shape or not np.array_equal(a, b, equal_nan=True):
            wrong.append(name)
    return wrong


# -- the single-child and load timings ----------------------------------------------------


def time_one_child(scheme: ras.Scheme, cohort: Cohort, calls: int) -> float:
    """Median seconds of `calls` calls of scheme.calculate, each for a different child."""
    children = cohort.head(calls).records(scheme)
    while len(children) < calls:
        children += children[: calls - len(children)]
    pairs = [({q: a for q, a in child.items() if q != "setting"}, child["setting"])
             for child in children]
    for answers, setting in pairs[:20]:  # warm up the interpreter, not any result cache
        scheme.calculate(answers, setting=setting)
    times = []
    clock = time.perf_counter_ns
    for answers, setting in pairs:
        start = clock()
        scheme.calculate(answers, setting=setting)
        times.append(clock() - start)
    return statistics.median(times) / 1e9


def scheme_200q_yaml(n_domains: int = 20, per_domain: int = 10) -> str:
    """A 200-question scheme in the published format (generated, not stored)."""
    lines = ["ras_scheme: 1", "id: generated-200q", "name: Generated scheme, 200 questions",
             'version: "2026-27"', "effective_from: 2026-04-01", "effective_to: 2027-03-31",
             "streams:", "  education: {label: Education}", "  social_care: {label: Social care}",
             "domains:"]
    levels = ["none", "some", "moderate", "substantial", "complete"]
    for d in range(n_domains):
        stream = "social_care" if d >= n_domains - 4 else "education"
        lines += [f"  - id: domain_{d:02d}", f"    label: Domain {d}", f"    stream: {stream}",
                  f"    weight: {1 + (d % 3) * 0.5}", f"    cap: {40 + d}", "    questions:"]
        for q in range(per_domain):
            lines += [f"      - id: q_{d:02d}_{q:02d}", f"        label: Question {d}.{q}",
                      "        options:"]
            for k, level in enumerate(levels[: 3 + (q % 3)]):
                lines.append(f"          - {{id: {level}, label: {level} need, "
                             f"points: {k * (1 + q % 4) + (0.5 if k and q % 5 == 0 else 0)}}}")
    lines += ["pricing:", "  education:", "    method: bands", "    bands:"]
    lines += [f"      - {{label: B{b}, from_points: {b * 40}, amount: {b * 3500}}}"
              for b in range(12)]
    lines += ["    refer_above: 600", "  social_care:", "    method: steps", "    steps:",
              "      - {from_points: 0, rate: 0}", "      - {from_points: 20, rate: 25}",
              "      - {from_points: 80, rate: 40}", "    maximum: 6000",
              "rounding: {unit: 1, mode: half_up}",
              "indicative_range: {below: 0.1, above: 0.1}", "settings:"]
    for sid, e1, e2, covers in (("mainstream", 5000, 6000, "additional_support"),
                                ("special", 4000, 6000, "whole_place"),
                                ("resourced", 5000, 6000, "top_up")):
        lines += [f"  {sid}:", f"    label: {sid}", f"    element1: {e1}",
                  f"    element2: {e2}", f"    ras_covers: {covers}"]
    return "\n".join(lines) + "\n"


def time_load_200q(repeat: int) -> tuple[float, int]:
    """Median seconds of load_scheme (parse, validate, compile) of a 200-question scheme."""
    text = scheme_200q_yaml()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scheme_200q.yaml"
        path.write_text(text, encoding="utf-8")
        questions = len(ras.load_scheme(path).question_ids)
        times = []
        for _ in range(repeat):
            gc.collect()
            start = time.perf_counter()
            ras.load_scheme(path)
            times.append(time.perf_counter() - start)
    return statistics.median(times), questions


@contextmanager
def other_core_busy() -> Iterator[None]:
    """A second process spinning in a Python loop for as long as the block runs: the other core
    busy, as a web server's other requests, a notebook kernel or CI make it."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)  # let it start and take its core
        yield
    finally:
        spinner.terminate()
        spinner.wait()


def measure_busy(label: str, function: Callable[..., Any],
                 make_args: Callable[[], tuple[Any, ...]], rows: int, repeat: int) -> Measure:
    """The same call with the other core busy, `repeat` runs (compare with its quiet row)."""
    with other_core_busy():
        times = time_runs(function, make_args, repeat)
    return Measure(label, rows, statistics.median(times), repeat, min(times),
                   note="a second process spins on the other core")


FRAME_ENVIRONMENTS = {  # key: (label, environment variables set for the child process)
    "frame_default": ("scheme.calculate_frame, categoricals, default env", {}),
    "frame_one_blas": ("scheme.calculate_frame, categoricals, OPENBLAS_NUM_THREADS=1",
                       {"OPENBLAS_NUM_THREADS": "1"}),
}


def frame_child(n: int, repeat: int) -> None:
    """In a child process: time calculate_frame from categoricals and print the seconds."""
    scheme = ras.load_scheme(SCHEME_PATH)
    frame = make_cohort(scheme, n).frame_categorical(scheme)
    gc.collect()
    gc.freeze()
    times = time_runs(scheme.calculate_frame, lambda: (frame.copy(deep=True),), repeat)
    print(" ".join(f"{t:.6f}" for t in times))


def measure_frame_environments(n: int, repeat: int) -> dict[str, Measure]:
    """calculate_frame in a child process per environment (OpenBLAS reads its thread count
    once, when it is loaded, so only a new process can change it). Each child makes half the
    runs, and the children run twice, in alternate order, so that a change in the machine's
    load touches both alike."""
    times: dict[str, list[float]] = {key: [] for key in FRAME_ENVIRONMENTS}
    half = max(1, repeat // 2)
    for order in (list(FRAME_ENVIRONMENTS), list(FRAME_ENVIRONMENTS)[::-1]):
        for key in order:
            env = {**os.environ, **FRAME_ENVIRONMENTS[key][1]}
            if not FRAME_ENVIRONMENTS[key][1]:
                env.pop("OPENBLAS_NUM_THREADS", None)  # the default: OpenBLAS picks
            done = subprocess.run([sys.executable, str(Path(__file__).resolve()),
                                   "--frame-child", str(n), "--repeat", str(half)],
                                  env=env, capture_output=True, text=True, check=True)
            times[key] += [float(t) for t in done.stdout.split()]
    return {key: Measure(FRAME_ENVIRONMENTS[key][0], n, statistics.median(times[key]),
                         len(times[key]), min(times[key]), note="in a child process")
            for key in FRAME_ENVIRONMENTS}


# -- the run --------------------------------------------------------------------------------


@dataclass
class SizeReport:
    n: int
    engine: dict[str, Measure] = field(default_factory=dict)
    yardsticks: dict[str, Measure] = field(default_factory=dict)
    agreement: dict[str, str] = field(default_factory=dict)  # yardstick -> "agrees" or why not
    budget_bytes: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    sizes: list[SizeReport]
    one_child_seconds: float
    load_seconds: float
    load_questions: int
    openfisca: str  # version, or why it was skipped
    frames: dict[str, Measure] = field(default_factory=dict)  # calculate_frame per environment
    text: str = ""

    @property
    def agree(self) -> bool:
        return all(v == "agrees" for s in self.sizes for v in s.agreement.values())


def run_size(scheme: ras.Scheme, data: Mapping[str, Any], n: int, *, repeat: int,
             hand: HandKernel, of_models: Mapping[str, OpenFiscaModel], plain_rows: int,
             say: Callable[[str], None], busy: bool = True) -> SizeReport:
    report = SizeReport(n)
    core = core_columns(scheme)
    cohort = make_cohort(scheme, n)
    codes, settings = cohort.codes, cohort.settings
    say(f"  building input frames for {n:,} rows ...")
    frame_ids = cohort.frame_ids(scheme)
    frame_cat = cohort.frame_categorical(scheme)
    frame_obj = cohort.frame_objects(scheme)

    def fresh_codes() -> tuple[Array, Array]:
        return codes.copy(), settings.copy()

    # correctness first, untimed: every yardstick against the engine on this cohort
    reference = scheme.calculate_codes(codes, settings, columns=core)
    wrong = compare(reference, hand(codes, settings), core)
    report.agreement["hand-written numpy"] = "agrees" if not wrong else f"DIFFERS in {wrong}"
    small = cohort.head(min(n, plain_rows))
    small_records = small.records(scheme)
    small_reference = scheme.calculate_codes(small.codes, small.settings, columns=core)
    wrong = compare(small_reference, plain_to_columns(plain_python(data, small_records)), core)
    report.agreement["plain Python"] = "agrees" if not wrong else f"DIFFERS in {wrong}"
    for key, model in of_models.items():
        wrong = compare(reference, model(codes, settings), core)
        report.agreement[OPENFISCA_LABELS[key][0]] = ("agrees" if not wrong
                                                     else f"DIFFERS in {wrong}")

    say(f"  timing the engine and the yardsticks on {n:,} rows, interleaved ...")
    candidates: list[tuple[str, str, Callable[..., Any], Callable[[], tuple[Any, ...]]]] = [
        ("codes_all", "scheme.calculate_codes, all columns", scheme.calculate_codes,
         fresh_codes),
        ("codes_core", "scheme.calculate_codes, columns= core",
         lambda c, s: scheme.calculate_codes(c, s, columns=core), fresh_codes),
        ("frame_ids", "scheme.calculate_frame, option-id strings", scheme.calculate_frame,
         lambda: (frame_ids.copy(deep=True),)),
        ("frame_obj", "scheme.calculate_frame, strings as objects", scheme.calculate_frame,
         lambda: (frame_obj.copy(deep=True),)),
        ("frame_cat", "scheme.calculate_frame, categoricals", scheme.calculate_frame,
         lambda: (frame_cat.copy(deep=True),)),
        ("hand", "hand-written numpy kernel (core)", hand, fresh_codes),
    ]
    for key, model in of_models.items():
        candidates.append((key, OPENFISCA_LABELS[key][1], model, fresh_codes))
    candidates.append(("plain", "plain Python, row by row (core)", plain_python,
                       lambda: (data, [dict(r) for r in small_records])))
    measured = measure_interleaved(candidates, n, repeat)
    e, y = report.engine, report.yardsticks
    for key in ("codes_all", "codes_core", "frame_ids", "frame_obj", "frame_cat"):
        e[key] = measured[key]
    for key in ("hand", *OPENFISCA_LABELS, "plain"):
        if key in measured:
            y[key] = measured[key]
    if busy:
        say(f"  timing with the other core busy on {n:,} rows ...")
        e["codes_core_busy"] = measure_busy(
            "scheme.calculate_codes, columns= core, busy core",
            lambda c, s: scheme.calculate_codes(c, s, columns=core), fresh_codes, n, repeat)
        y["hand_busy"] = measure_busy("hand-written numpy kernel (core), busy core", hand,
                                      fresh_codes, n, repeat)
    plain = y["plain"]
    if small.n < n:  # measured on fewer rows: say so, and extrapolate linearly
        plain.measured_rows = small.n
        plain.seconds *= n / small.n
        plain.fastest *= n / small.n
    out_all = scheme.calculate_codes(codes, settings)
    out_core = scheme.calculate_codes(codes, settings, columns=core)
    input_bytes = codes.nbytes + settings.nbytes
    report.budget_bytes["codes_all"] = input_bytes + sum(a.nbytes for a in out_all.values())
    report.budget_bytes["codes_core"] = input_bytes + sum(a.nbytes for a in out_core.values())
    del out_all, out_core
    return report


def main(argv: Sequence[str] | None = None, *, out: Any = None) -> Report:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="cohort sizes, comma-separated (default 10000,100000,1000000)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 300 rows, 2 runs each, no OpenFisca")
    parser.add_argument("--repeat", type=int, default=None,
                        help="timed runs per figure, the median is shown (default 5)")
    parser.add_argument("--no-openfisca", action="store_true", help="skip the OpenFisca column")
    parser.add_argument("--no-busy", action="store_true",
                        help="skip the runs with the other core busy and in other environments")
    parser.add_argument("--frame-child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.frame_child is not None:  # one environment's calculate_frame runs, for the parent
        frame_child(args.frame_child, args.repeat or 1)
        return Report([], 0.0, 0.0, 0, "")
    stream = out if out is not None else sys.stdout
    lines: list[str] = []

    def say(text: str = "") -> None:
        lines.append(text)
        print(text, file=stream, flush=True)

    def progress(text: str) -> None:
        if not args.quick:
            print(text, file=sys.stderr, flush=True)

    if args.quick:
        sizes, repeat, calls, loads = [300], args.repeat or 2, 200, 3
    else:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        repeat, calls, loads = args.repeat or 5, 2000, 20
    scheme = ras.load_scheme(SCHEME_PATH)
    data = load_data()
    hand = HandKernel(data)
    of_models: dict[str, OpenFiscaModel] = {}
    of_fancy: OpenFiscaModel | None = None
    if args.quick or args.no_openfisca:
        openfisca = "skipped (--quick)" if args.quick else "skipped (--no-openfisca)"
    else:
        of_model, why = openfisca_model(data)
        openfisca = f"openfisca-core {of_model.version}" if of_model else f"skipped: {why}"
        if of_model is not None:
            of_models["openfisca"] = of_model
            of_select, _ = openfisca_model(data, indexing="select")
            if of_select is not None:
                of_models["openfisca_select"] = of_select
            of_fancy, _ = openfisca_model(data, indexing="fancy")

    gc.collect()
    gc.freeze()  # what exists now is never garbage: keep it out of the collections we time
    say(f"ras {ras.__version__} benchmarks: scheme {scheme.id!r} ({len(scheme.question_ids)} "
        f"questions, {len(scheme.domain_ids)} domains, {len(scheme.setting_ids)} settings, "
        "education priced by a band table)")
    say(f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"{os.cpu_count()} cores, {platform.machine()}; OpenFisca: {openfisca}")
    busy = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    say(f"Median of {repeat} runs, interleaved (one run of each in turn), fresh inputs for each; "
        "peak = tracemalloc peak of one more run (numpy buffers are traced)")
    say(f"Load average at start: {busy} (other work on the machine slows every column alike)")
    storage = getattr(pd.array(["x"], dtype="str").dtype, "storage", "?")
    say(f"Option-id strings are pandas' default string dtype (storage: {storage}), as read_csv "
        "gives them")
    busy = not (args.quick or args.no_busy)
    threads = os.environ.get("OPENBLAS_NUM_THREADS")
    say(f"OPENBLAS_NUM_THREADS={threads}: one thread for every BLAS call (the hand-written kernel's"
        " product)" if threads == "1" else
        f"OPENBLAS_NUM_THREADS {'=' + threads if threads else 'not set'}: the hand-written "
        "kernel's product may run on OpenBLAS's threads (the engine makes no BLAS call); run "
        "with OPENBLAS_NUM_THREADS=1 for the one-thread targets")
    reports = []
    for n in sizes:
        progress(f"size {n:,}:")
        size_report = run_size(scheme, data, n, repeat=repeat, hand=hand, of_models=of_models,
                               plain_rows=PLAIN_ROWS, say=progress, busy=busy)
        reports.append(size_report)
        _print_size(size_report, say)

    if of_fancy is not None:
        rows = min(OPENFISCA_FANCY_ROWS, max(sizes))
        cohort = make_cohort(scheme, rows)
        seconds = statistics.median(time_runs(
            of_fancy, lambda: (cohort.codes.copy(), cohort.settings.copy()), repeat))
        wrong = compare(scheme.calculate_codes(cohort.codes, cohort.settings,
                                               columns=core_columns(scheme)),
                        of_fancy(cohort.codes, cohort.settings), core_columns(scheme))
        say(f"OpenFisca with fancy indexing of parameters by Enum arrays "
            f"(parameters.points.q[answer], documented, a Python loop per child): "
            f"{seconds:.3f} s for {rows:,} rows = {rows / seconds:,.0f} rows/s "
            f"({'agrees' if not wrong else f'DIFFERS in {wrong}'}). The targets and ratios use "
            "the fastest OpenFisca above (numpy table per question).")
        say()

    frames: dict[str, Measure] = {}
    if busy:
        progress(f"timing calculate_frame in child processes, {max(sizes):,} rows ...")
        frames = measure_frame_environments(max(sizes), repeat)
        say(f"calculate_frame from categoricals, {max(sizes):,} rows, in a child process per "
            "environment (OpenBLAS reads its thread count when it loads)")
        for m in frames.values():
            say(f"  {m.label:<66} median {m.seconds:.4f} s, fastest {m.fastest:.4f} s "
                f"({m.runs} runs)")
        say()
    progress("timing one child and the 200-question load ...")
    one = time_one_child(scheme, make_cohort(scheme, calls, seed=SEED + 1), calls)
    load, questions = time_load_200q(loads)
    say(f"scheme.calculate, one child: median {one * 1e6:,.1f} µs over {calls:,} calls "
        "(a different child each call)")
    say(f"load_scheme + compile, {questions}-question scheme: median {load * 1e3:,.1f} ms "
        f"over {loads} loads")
    say()
    report = Report(reports, one, load, questions, openfisca, frames)
    _print_targets(report, say)
    report.text = "\n".join(lines)
    gc.unfreeze()
    return report


def _fmt_rate(rate: float) -> str:
    if rate >= 1e6:
        return f"{rate / 1e6:,.2f} M/s"
    if rate >= 1e3:
        return f"{rate / 1e3:,.1f} k/s"
    return f"{rate:,.0f} /s"


def _print_size(report: SizeReport, say: Callable[[str], None]) -> None:
    n = report.n
    say("")
    say(f"{n:,} children")
    say(f"  {'what':<48} {'median s':>10} {'fastest s':>10} {'rows/s':>12} {'peak MB':>9}  note")
    rows = [*report.engine.values(), *report.yardsticks.values()]
    for m in rows:
        peak = f"{m.peak_bytes / 1e6:,.1f}" if m.peak_bytes is not None else "-"
        note = m.note
        if m.measured_rows is not None:
            note = (f"measured on {m.measured_rows:,} rows, time x {n / m.measured_rows:,.0f} "
                    f"(peak is of the {m.measured_rows:,}-row run)")
        say(f"  {m.label:<48} {m.seconds:>10.4f} {m.fastest:>10.4f} "
            f"{_fmt_rate(m.rows_per_second):>12} "
            f"{peak:>9}  {note}")
    if "openfisca" not in report.yardsticks:
        say(f"  {'OpenFisca (core)':<48} {'-':>10} {'-':>10} {'-':>12} {'-':>9}  "
            "not run (see above)")
    core = report.engine["codes_core"].seconds
    everything = report.engine["codes_all"].seconds
    hand = report.yardsticks["hand"].seconds
    ratios = [f"engine(columns=)/hand-written {core / hand:.2f} x",
              f"engine(all columns)/hand-written {everything / hand:.2f} x"]
    if "openfisca" in report.yardsticks:
        openfisca = report.yardsticks["openfisca"].seconds
        ratios.append(f"OpenFisca/engine(columns=) {openfisca / core:.2f} x")
        if "openfisca_select" in report.yardsticks:
            select = report.yardsticks["openfisca_select"].seconds
            ratios.append(f"OpenFisca(select)/engine(columns=) {select / core:.2f} x")
        ratios.append(f"OpenFisca/hand-written {openfisca / hand:.2f} x")
    plain = report.yardsticks["plain"]
    ratios.append(f"row-by-row/engine(columns=) {plain.seconds / core:,.0f} x"
                  + (" (extrapolated)" if plain.measured_rows else ""))
    say("  ratios: " + "; ".join(ratios))
    e, y = report.engine, report.yardsticks
    fastest = [f"engine(columns=)/hand-written {e['codes_core'].fastest / y['hand'].fastest:.2f} x"]
    if "openfisca" in y:
        fastest += [
            f"OpenFisca/engine(columns=) {y['openfisca'].fastest / e['codes_core'].fastest:.2f} x",
            f"OpenFisca/hand-written {y['openfisca'].fastest / y['hand'].fastest:.2f} x"]
    if "codes_core_busy" in e:
        fastest.append("engine(columns=) busy/quiet "
                       f"{e['codes_core_busy'].fastest / e['codes_core'].fastest:.2f} x")
    say("  ratios of the fastest runs: " + "; ".join(fastest))
    say("  yardsticks against the engine on this cohort: "
        + "; ".join(f"{k} {v}" for k, v in report.agreement.items()))


def _print_targets(report: Report, say: Callable[[str], None]) -> None:
    largest = max(report.sizes, key=lambda s: s.n)
    at = f"{largest.n:,} rows"
    say(f"Targets of issue 3 and issue 19 (for {TARGET_ROWS:,} rows; here measured at {at}"
        + (")" if largest.n == TARGET_ROWS else ": indicative only)"))
    e, y = largest.engine, largest.yardsticks
    rows: list[tuple[str, str, bool | None]] = []
    hand = y["hand"].seconds
    ratio = e["codes_core"].seconds / hand
    one_thread = os.environ.get("OPENBLAS_NUM_THREADS") == "1"
    threads_on = "" if one_thread else ", BLAS threads on"  # not the target's condition
    rows.append(("calculate_codes(columns=) <= 1.25 x hand-written, on one thread",
                 f"{ratio:.2f} x{threads_on}", ratio <= 1.25 if one_thread else None))
    if "openfisca" in y:
        speedup = y["openfisca"].seconds / e["codes_core"].seconds
        rows.append(("calculate_codes(columns=) >= 6 x faster than OpenFisca, on one thread",
                     f"{speedup:.2f} x{threads_on}", speedup >= 6 if one_thread else None))
        floor = y["openfisca"].seconds / hand
        rows.append(("  (the hand-written floor is this much faster than OpenFisca)",
                     f"{floor:.2f} x", None))
    else:
        rows.append(("calculate_codes(columns=) >= 6 x faster than OpenFisca",
                     "not run", None))
    if "codes_core_busy" in e:
        ratio = e["codes_core_busy"].seconds / e["codes_core"].seconds
        rows.append(("calculate_codes(columns=), other core busy <= 1.3 x quiet",
                     f"{ratio:.2f} x", ratio <= 1.3))
        ratio = y["hand_busy"].seconds / hand
        rows.append(("  (the hand-written kernel, which calls BLAS: busy / quiet)",
                     f"{ratio:.2f} x", None))
    if report.frames:
        default, one = (report.frames[k].seconds for k in FRAME_ENVIRONMENTS)
        rows.append(("calculate_frame(categoricals), default env <= 1.3 x one BLAS thread",
                     f"{default / one:.2f} x", default / one <= 1.3))
    ratio = e["frame_cat"].seconds / e["codes_all"].seconds
    rows.append(("calculate_frame(categoricals) <= 3 x calculate_codes (all)",
                 f"{ratio:.2f} x", ratio <= 3))
    seconds = e["frame_ids"].seconds
    rows.append(("calculate_frame(option-id strings) < 1.5 s", f"{seconds:.3f} s",
                 seconds < 1.5))
    seconds = e["frame_obj"].seconds
    rows.append(("  the same, strings as Python objects (no pyarrow) < 1.5 s",
                 f"{seconds:.3f} s", seconds < 1.5))
    rows.append(("scheme.calculate, one child < 100 µs (median)",
                 f"{report.one_child_seconds * 1e6:.1f} µs", report.one_child_seconds < 100e-6))
    rows.append((f"load_scheme + compile, {report.load_questions} questions < 100 ms",
                 f"{report.load_seconds * 1e3:.1f} ms", report.load_seconds < 0.1))
    for key, what in (("codes_core", "columns="), ("codes_all", "all columns")):
        peak = e[key].peak_bytes or 0
        budget = largest.budget_bytes[key]
        rows.append((f"peak memory calculate_codes({what}) < 3 x (input codes + output)",
                     f"{peak / 1e6:,.1f} MB = {peak / budget:.2f} x {budget / 1e6:,.1f} MB",
                     peak < 3 * budget))
    for what, figure, ok in rows:
        verdict = "-" if ok is None else "PASS" if ok else "MISS"
        say(f"  {what:<66} {figure:>32}  {verdict}")
    say("  (input codes are int8, as scheme.encode gives them; output = every returned array)")
    say("  -: not a target, or not measured under the target's condition (one thread: set "
        "OPENBLAS_NUM_THREADS=1).")
    say("  PASS: the median met its target in this run. MISS: it did not; the figure beside it "
        "says by how much. Ratios compare figures of the same run, so a busy machine (see the "
        "load average) slows both sides, but not always alike: before reading a MISS as the "
        "code's, re-run on a quiet machine and look at the fastest runs too.")


if __name__ == "__main__":
    main()
