"""Worked examples a council keeps beside its scheme: ``ras test`` and ``ras.run_cases``.

A cases file names a scheme (relative to the file) and lists children whose figures were worked
out by hand: their setting, their answers and the figures expected, by the column names of
``calculate_frame``. Running it scores each child through the one kernel and compares every
expected figure exactly (``"3050.00"`` and ``3050`` are the same amount; ``null`` expects a
missing figure). The file is read by the scheme reader's safe YAML rules, and a file that breaks
the cases format (an unknown key, a question or figure the scheme does not have, an answer that
is not an option) is one ``SchemeError`` listing every problem with file, line and key path, as
a scheme file's problems are: a mistake in the file is never reported as a failing case.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ras._base import (
    AnswerError,
    InputFileError,
    Problem,
    SchemeError,
    UsageError,
    a_kind,
    path_text,
    read_bounded,
)
from ras._format import MAX_BYTES, KeyPath, LineMap, format_key_path, read_yaml

if TYPE_CHECKING:
    from ras._reasons import Explanation
    from ras._scheme import Budget, Scheme

__all__ = ["CaseResult", "CaseResults", "Mismatch", "run_cases"]

Figure = Decimal | str | None
Report = Callable[[KeyPath, str], None]  # records one problem of the file at a key path
_TOP_KEYS = ("scheme", "cases")
_CASE_KEYS = ("name", "setting", "answers", "expect")
_TEXT_SUFFIXES = ("_band", "_review")  # figures that are words; all others are numbers


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One expected figure that the scheme does not give."""

    figure: str
    expected: Figure
    actual: Figure

    def __str__(self) -> str:
        return f"{self.figure}: expected {_shown(self.expected)}, got {_shown(self.actual)}"


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One worked example run against the scheme: its figures and what did not match."""

    name: str
    file: str
    line: int | None
    budget: Budget
    expected: Mapping[str, Figure]
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        """Whether every expected figure is the scheme's figure."""
        return not self.mismatches

    def explain(self) -> Explanation:
        """How the scheme reached the actual figures, step by step.

        Returns
        -------
        Explanation
            The budget's explanation, as ``Budget.explain`` gives it.

        Examples
        --------
        >>> import ras
        >>> [amir, *_] = ras.run_cases("examples/points_rate.cases.yaml")
        >>> "£2,630.00" in amir.explain().to_text()
        True
        """
        return self.budget.explain()

    def to_text(self) -> str:
        """``FILE:LINE: NAME: ok``, or ``FAILED`` with each mismatch and the explanation.

        Returns
        -------
        str
            What ``ras test`` prints for this case.

        Examples
        --------
        >>> import ras
        >>> [amir, *_] = ras.run_cases("examples/points_rate.cases.yaml")
        >>> amir.to_text().endswith("Amir, 8, mainstream: element 2 deducted, a half-up tie: ok")
        True
        """
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.passed:
            return f"{where}: {self.name}: ok"
        lines = [f"{where}: {self.name}: FAILED"]
        lines += [f"  {mismatch}" for mismatch in self.mismatches]
        lines.append("  how the scheme reached its figures:")
        lines += [f"    {line}".rstrip() for line in self.explain().to_text().splitlines()]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class CaseResults(Sequence[CaseResult]):
    """Every case of one cases file, run against its scheme, in the file's order."""

    file: str
    scheme: Scheme
    cases: tuple[CaseResult, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether every case passed."""
        return all(case.passed for case in self.cases)

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        """The cases with a figure that does not match."""
        return tuple(case for case in self.cases if not case.passed)

    def to_text(self) -> str:
        """What ``ras test`` prints: each failure in full, then one line of counts.

        Returns
        -------
        str
            The report of the whole file.

        Examples
        --------
        >>> import ras
        >>> print(ras.run_cases("examples/need_levels.cases.yaml").to_text())
        ... # doctest: +NORMALIZE_WHITESPACE
        examples/need_levels.cases.yaml: 5 cases: 5 passed
        (scheme westmoor-need-levels version 2026-27)
        """
        lines = [case.to_text() for case in self.failed]
        passed = len(self.cases) - len(self.failed)
        counts = f"{len(self.cases)} case{'' if len(self.cases) == 1 else 's'}: {passed} passed"
        if self.failed:
            counts += f", {len(self.failed)} failed"
        lines.append(f"{self.file}: {counts} (scheme {self.scheme.id} version "
                     f"{self.scheme.version})")
        return "\n".join(lines)

    def __len__(self) -> int:
        return len(self.cases)

    def __iter__(self) -> Iterator[CaseResult]:
        return iter(self.cases)

    def __getitem__(self, index: Any) -> Any:
        return self.cases[index]

    def __repr__(self) -> str:
        return (f"<CaseResults {self.file}: {len(self.cases)} cases, "
                f"{len(self.cases) - len(self.failed)} passed, {len(self.failed)} failed>")


def run_cases(path: str | os.PathLike[str], *, scheme: Scheme | None = None) -> CaseResults:
    """Run the worked examples of a cases file against its scheme.

    Parameters
    ----------
    path
        The cases file (YAML): ``scheme:`` (a scheme file, relative to this file) and
        ``cases:``, each with ``name``, ``setting``, ``answers`` and ``expect``.
    scheme
        Run the cases against this scheme instead of the file's (a reform, say: which of the
        hand-worked children would it change?).

    Returns
    -------
    CaseResults
        One ``CaseResult`` per case, in order; ``.ok`` is whether all passed.

    Raises
    ------
    SchemeError
        The cases file (or its scheme) cannot be read or breaks the format: every problem,
        each with file, line and key path.
    UsageError
        A path that is neither text nor a ``pathlib.Path``, or a scheme that is not a Scheme.

    Examples
    --------
    >>> import ras
    >>> results = ras.run_cases("examples/points_rate.cases.yaml")
    >>> results.ok, len(results)
    (True, 5)
    """
    from ras._scheme import Scheme, load_scheme

    file = path_text(path, "run_cases")
    if scheme is not None and not isinstance(scheme, Scheme):
        raise UsageError(f"run_cases runs against a ras.Scheme (or the file's own, with "
                         f"scheme=None), not {a_kind(scheme)}")
    data, lines = _read(file)
    problems: list[Problem] = []

    def problem(key: KeyPath, message: str) -> None:
        problems.append(Problem(format_key_path(key), message, _line(lines, key), file))

    if not isinstance(data, dict):
        raise SchemeError([Problem("", "a cases file maps `scheme` to a scheme file and `cases` "
                                       "to a list of cases", 1, file)], file)
    for key in data:
        if key not in _TOP_KEYS:
            problem((key,), f"unknown key; a cases file has {_listed(_TOP_KEYS)}")
    if scheme is None:
        named = data.get("scheme")
        if not isinstance(named, str) or not named:
            problem(("scheme",), "missing: name the scheme file, relative to this file")
            raise SchemeError(problems, file)
        scheme = load_scheme(Path(file).parent / named)
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        problem(("cases",), "must be a list of at least one case")
        raise SchemeError(problems, file)

    results: list[CaseResult] = []
    seen: dict[str, int] = {}
    for i, case in enumerate(cases):
        result = _run_case(scheme, case, ("cases", i), problem, file, lines, seen)
        if result is not None:
            results.append(result)
    if problems:
        raise SchemeError(problems, file)
    return CaseResults(file, scheme, tuple(results))


def _read(file: str) -> tuple[Any, LineMap]:
    try:
        # a FIFO or /dev/zero is refused without waiting for or reading it whole
        raw = read_bounded(file, MAX_BYTES, "a cases file")
    except InputFileError as error:
        reason = str(error).replace("the file", "the cases file", 1)
        raise SchemeError([Problem("", reason, None, file)], file) from None
    if not raw.strip():
        raise SchemeError([Problem("", "the cases file is empty", None, file)], file)
    return read_yaml(raw, file, kind="cases file")


def _run_case(scheme: Scheme, case: Any, key: KeyPath, problem: Report, file: str,
              lines: LineMap, seen: dict[str, int]) -> CaseResult | None:
    """One case, or None when it breaks the format (its problems reported)."""
    if not isinstance(case, dict):
        problem(key, "a case maps name, setting, answers and expect")
        return None
    broken = False
    for name in case:
        if name not in _CASE_KEYS:
            problem((*key, name), f"unknown key; a case has {_listed(_CASE_KEYS)}")
            broken = True
    for name in _CASE_KEYS:
        if name not in case:
            problem(key, f"missing `{name}`")
            return None
    title = case["name"]
    if not isinstance(title, str) or not title.strip():
        problem((*key, "name"), "must be text that names the child or the case")
        return None
    if title in seen:
        problem((*key, "name"), f"the same name as case {seen[title] + 1}; name each case once")
        return None
    seen[title] = int(key[-1])
    answers, setting = case["answers"], case["setting"]
    if not isinstance(answers, dict):
        problem((*key, "answers"), "must map each question id to an option id or position")
        return None
    unknown = [q for q in answers if q not in scheme.option_ids]
    for question in unknown:
        problem((*key, "answers", question),
                "no such question in the scheme" + _near(question, scheme.question_ids))
    missing = [q for q in scheme.question_ids if q not in answers]
    if missing:
        problem((*key, "answers"), f"no answer for {_listed(missing)}: a case answers every "
                                   "question, as calculate does")
    expect = case["expect"]
    figures = _expected(scheme, expect, (*key, "expect"), problem)
    if not isinstance(setting, str | int) or isinstance(setting, bool):
        problem((*key, "setting"), f"must be a setting id: {_listed(scheme.setting_ids)}")
        return None
    if isinstance(setting, str) and setting not in scheme.setting_ids:
        problem((*key, "setting"), f"no such setting in the scheme; its settings are "
                                   f"{_listed(scheme.setting_ids)}")
        broken = True
    if broken or unknown or missing or figures is None:
        return None
    try:
        budget = scheme.calculate({q: _answer(v) for q, v in answers.items()},
                                  setting=_answer(setting))
    except AnswerError as error:
        for found in error.problems:
            at = (*key, "setting") if found.question == "setting" else (
                *key, "answers", found.question)
            problem(at, found.message)
        return None
    actual = _figures(budget)
    mismatches = tuple(Mismatch(name, want, actual[name]) for name, want in figures.items()
                       if not _same(want, actual[name]))
    return CaseResult(title, file, _line(lines, key), budget, figures, mismatches)


def _expected(scheme: Scheme, expect: Any, key: KeyPath, problem: Report
              ) -> dict[str, Figure] | None:
    if not isinstance(expect, dict) or not expect:
        problem(key, "must map at least one figure (a column name such as element3) to the "
                     "amount expected")
        return None
    columns = scheme.output_columns
    figures: dict[str, Figure] = {}
    good = True
    for name, value in expect.items():
        if name not in columns:
            problem((*key, name), "no such figure for this scheme" + _near(name, columns)
                                  + "; the figures are the column names of calculate_frame")
            good = False
            continue
        text = name.endswith(_TEXT_SUFFIXES)
        if isinstance(value, bool | dict | list):
            problem((*key, name), "must be text, a number or null")
            good = False
        elif value is None:
            figures[name] = None
        elif text:
            figures[name] = value if isinstance(value, str) else str(value)
        else:
            number = _number(value)
            if number is None:
                problem((*key, name), f"must be a number such as \"3050.00\" or null "
                                      f"(found {value!r})")
                good = False
            else:
                figures[name] = number
    return figures if good else None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        text = value.strip().replace(",", "").removeprefix("£")
        try:
            number = Decimal(text)
        except ArithmeticError:
            return None
        return number if number.is_finite() else None
    return None


def _answer(value: Any) -> Any:
    """A whole number read from the file is a position; anything else as written."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _figures(budget: Budget) -> dict[str, Figure]:
    """Every figure of the budget by its ``calculate_frame`` column name, exactly."""
    found: dict[str, Figure] = {f"points_{d}": p for d, p in budget.domain_points.items()}
    for stream, points in budget.stream_points.items():
        found[f"{stream}_points"] = points
        found[f"{stream}_amount"] = budget.stream_amounts[stream]
        if stream in budget.bands:
            found[f"{stream}_band"] = budget.bands[stream]
        if stream in budget.ranges:
            bounds = budget.ranges[stream]
            found[f"{stream}_lower"] = bounds[0] if bounds else None
            found[f"{stream}_upper"] = bounds[1] if bounds else None
        found[f"{stream}_review"] = budget.reviews.get(stream, "")
    found.update(element1=budget.element1, element2=budget.element2, element3=budget.element3,
                 personal_sen_budget=budget.personal_sen_budget,
                 total_personal_budget=budget.total_personal_budget)
    return found


def _same(expected: Figure, actual: Figure) -> bool:
    """Numbers by value (3050 is 3050.00); words exactly; no review and no band are ""."""
    if isinstance(expected, Decimal) or isinstance(actual, Decimal):
        return (isinstance(expected, Decimal) and isinstance(actual, Decimal)
                and expected == actual)
    return (expected or "") == (actual or "")


def _shown(value: Figure) -> str:
    if value is None:
        return "nothing (referred to panel)"
    if isinstance(value, Decimal):
        return format(value, "f")
    return f'"{value}"'


def _line(lines: LineMap, key: KeyPath) -> int | None:
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return lines.get(())


def _near(name: str, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(name), names, n=3, cutoff=0.6)
    if not close:
        return ""
    either = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
    return f" (did you mean {either}?)"


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:12])
    return shown + (", ..." if len(items) > 12 else "")
