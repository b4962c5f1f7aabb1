"""Encode answers once, at the boundary: option ids or positions in, small integer codes out.

A string names an option by its id; an integer names it by its position (0 is the first option).
A number question (version 2) takes the number itself (an int, a float whose shortest decimal form
has at most 2 places, a Decimal, or decimal text such as "23.5"), and its code is the step index
on its grid; a number off the grid, outside it, text or missing is a bad answer, never rounded.
Anything else, and anything missing, is a bad answer: it is reported with the row label and the
question id, never scored as zero. The work is per column and per distinct value, never per row.

Option ids may be numerals (need levels "1" to "4"), and a CSV read without ``dtype=str`` turns
them into integers. An integer that is the numeral of an option at another position could mean
either option, so it is refused as ambiguous rather than scored by its position.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import ALL_ROWS, AnswerError, AnswerProblem
from ras._engine.money import EXACT

__all__ = [
    "Encoded",
    "NumberGrid",
    "check_codes",
    "encode_frame",
    "encode_one",
    "missing_columns",
    "numerals",
]

Array = npt.NDArray[Any]
_MISSING, _UNKNOWN, _RANGE, _NOT_WHOLE, _AMBIGUOUS = -1, -2, -3, -4, -5
_NOT_NUMBER, _OUTSIDE, _OFF_STEP = -6, -7, -8
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")  # no spaces, no exponent
_LARGEST = 10**12  # hundredths beyond any grid: refused as outside without overflowing int64
_NUMERAL = re.compile(r"[0-9]+(?:\.0*)?")  # how a CSV reader would take an id for a number
_ABSENT = object()
_SHOWN = 20


@dataclass(frozen=True, slots=True)
class Encoded:
    """Codes ready for the kernel, and per row what was wrong (empty string when nothing)."""

    codes: Array  # (n, questions) option positions; 0 where the answer was bad
    settings: Array  # (n,) setting positions; 0 where the setting was bad
    bad: Array  # (n,) bool
    errors: Array | None  # (n,) object strings, only when asked for


def numerals(ids: Iterable[str]) -> dict[int, int]:
    """The ids that read as whole numbers, by that number: number -> the id's position."""
    return {int(id_.split(".")[0]): k for k, id_ in enumerate(ids) if _NUMERAL.fullmatch(id_)}


@dataclass(frozen=True, slots=True)
class Choices:
    """The allowed values of one column: option ids of a question, or setting ids."""

    name: str  # question id, or "setting"
    ids: tuple[str, ...]
    what: str  # "option" or "setting"
    numeral: dict[int, int] = field(init=False)  # see numerals()

    def __post_init__(self) -> None:
        object.__setattr__(self, "numeral", numerals(self.ids))

    def describe(self, reason: int, value: Any) -> str:
        if reason == _MISSING:
            return f"no {'answer' if self.what == 'option' else 'setting'} given"
        listed = ", ".join(self.ids)
        if reason == _AMBIGUOUS:
            number = int(value)
            at = self.numeral[number]
            meant = (f"{self.what} {self.ids[number]!r}" if 0 <= number < len(self.ids)
                     else f"no {self.what}")
            return (f"{value!r} is ambiguous: as a position it is {meant}, but {self.what} "
                    f"{self.ids[at]!r} (position {at}) has that number as its id; give "
                    f"{self.what} ids as text (read a CSV file with dtype=str)")
        if reason == _RANGE:
            return (f"position {value} is out of range; there are {len(self.ids)} "
                    f"{self.what}s (0 to {len(self.ids) - 1})")
        if reason == _NOT_WHOLE:
            return f"{value!r} is not a whole-number position"
        if isinstance(value, str):  # text is only ever an id
            return (f"unknown {self.what} {value!r}; expected one of {listed}"
                    f"{_did_you_mean(value, self.ids)}")
        return f"unknown {self.what} {value!r}; expected one of {listed} or a position"


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _did_you_mean(value: str, ids: tuple[str, ...]) -> str:
    """The id a mistyped answer most likely meant: the same but for case, spaces or width
    (' none ', 'Mainstream'), else the closest spelling ('substantal')."""
    folded = _folded(value)
    same = [id_ for id_ in ids if _folded(id_) == folded]
    if not same:
        by_fold = {_folded(id_): id_ for id_ in reversed(ids)}
        close = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.75)
        same = [by_fold[c] for c in close]
    return f"; did you mean {same[0]!r}?" if same else ""


@dataclass(frozen=True, slots=True)
class NumberGrid:
    """The answers a number question allows: ``low + k x step`` hundredths, k below count."""

    name: str  # question id
    low: int  # hundredths
    step: int  # hundredths
    count: int
    unit: str
    what: str = "number"

    @property
    def span(self) -> int:
        return (self.count - 1) * self.step

    def text(self, hundredths: int) -> str:
        return format(Decimal(hundredths).scaleb(-2, EXACT).normalize(EXACT), "f")

    def code(self, value: Any) -> int:
        """The step index of one answer, or a negative reason."""
        if value is None or value is pd.NA or value is pd.NaT or (
                isinstance(value, str) and value == ""):
            return _MISSING
        if isinstance(value, bool | np.bool_):
            return _NOT_NUMBER
        number: Decimal
        if isinstance(value, int | np.integer):
            number = Decimal(int(value))
        elif isinstance(value, float | np.floating):
            if np.isnan(value):
                return _MISSING
            if not np.isfinite(value):
                return _NOT_NUMBER
            number = Decimal(repr(float(value)))  # its shortest decimal form: 23.1 is 23.1
        elif isinstance(value, Decimal):
            if value.is_nan():
                return _MISSING
            if not value.is_finite():
                return _NOT_NUMBER
            number = value
        elif isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
            number = Decimal(value)
        else:
            return _NOT_NUMBER
        hundredths = number.scaleb(2, EXACT)
        at = hundredths - self.low
        if at < 0 or at > self.span:
            return _OUTSIDE
        if hundredths != hundredths.to_integral_value() or int(at) % self.step:
            return _OFF_STEP
        return int(at) // self.step

    def codes(self, values: Array) -> Array:
        """Step indices of a float or int array, whole-array (NaN: missing)."""
        floats = values.astype(np.float64, copy=False)
        missing = np.isnan(floats)
        big = ~missing & ~(np.abs(floats) < _LARGEST / 100)  # also inf
        safe = np.where(missing | big, 0.0, floats)
        hundredths = np.rint(safe * 100)
        exact = hundredths / 100 == safe  # shortest form of at most 2 decimals
        at = hundredths.astype(np.int64) - self.low
        inside = (at >= 0) & (at <= self.span)
        on = exact & (at % self.step == 0)
        out = np.where(inside, np.where(on, at // self.step, _OFF_STEP), _OUTSIDE)
        out = np.where(big, np.where(np.isinf(floats), _NOT_NUMBER, _OUTSIDE), out)
        return np.where(missing, _MISSING, out)

    def describe(self, reason: int, value: Any) -> str:
        low, high = self.text(self.low), self.text(self.low + self.span)
        step = self.text(self.step)
        shown = value if isinstance(value, str) else _plain_number(value)
        if reason == _MISSING:
            return "no answer given"
        if reason == _OUTSIDE:
            return f"{shown} is outside {low} to {high} ({self.unit})"
        if reason == _OFF_STEP:
            return (f"{shown} is not on the grid of {self.unit} from {low} to {high} by "
                    f"{step}; it is never rounded")
        return (f"{value!r} is not a number; give {self.unit} as a number from {low} to "
                f"{high}, such as {high}")


def _plain_number(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return repr(float(value))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def _encode_numbers(series: pd.Series[Any] | None, n: int, grid: NumberGrid,
                    dtype: Any) -> Array:
    """Step indices for one number question's column, with negative reasons where bad."""
    if series is None:
        return np.full(n, _MISSING, dtype=dtype)
    kind = series.dtype
    if isinstance(kind, pd.CategoricalDtype):
        categories = np.asarray(kind.categories, dtype=object)
        table = np.array([grid.code(v) for v in categories] + [_MISSING], dtype=np.int64)
        return table.astype(dtype)[series.cat.codes.to_numpy()]
    if pd.api.types.is_bool_dtype(kind):
        return np.where(series.isna().to_numpy(), _MISSING, _NOT_NUMBER).astype(dtype)
    if pd.api.types.is_numeric_dtype(kind):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        if pd.api.types.is_integer_dtype(kind) and not np.all(np.abs(values) < 2**53):
            return np.array([grid.code(v) for v in series.to_numpy(dtype=object)],
                            dtype=np.int64).astype(dtype)
        return grid.codes(values).astype(dtype)
    values = series.to_numpy(dtype=object)
    factor_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if series.dtype == object and _may_hold_bools(uniques):
        flags = _bools(values)
        if flags.any():  # never a number; the rest coded apart, as True may have hidden 1
            coded = np.full(n, _NOT_NUMBER, dtype=dtype)
            rest = ~flags
            coded[rest] = _encode_numbers(pd.Series(values[rest], dtype=object),
                                          int(rest.sum()), grid, dtype)
            return coded
    table = np.array([grid.code(v) for v in uniques] + [_MISSING], dtype=np.int64)
    return table.astype(dtype)[factor_codes]


def _may_hold_bools(uniques: Any) -> bool:
    """Whether factorize may have taken a bool for a number: hashing and ``==`` make True,
    1, 1.0 and Decimal(1) one value (False and 0 another), so a column holding both keeps
    only the first it met. Checked on the few distinct values before any cell is looked at."""
    for value in uniques:
        if isinstance(value, str):
            continue
        try:
            if value == 0 or value == 1:
                return True
        except (TypeError, ValueError):  # pd.NA and the like do not compare
            continue
    return False


def _bools(values: Array) -> Array:
    """Which cells of an object array are bools (Python's or numpy's)."""
    if not len(values):
        return np.zeros(0, dtype=bool)
    return np.asarray(_IS_BOOL(values), dtype=bool)


_IS_BOOL = np.frompyfunc(lambda v: isinstance(v, bool | np.bool_), 1, 1)


def _lookup(choices: Choices, values: Array) -> Array:
    """Code for each distinct value: a position, or a negative reason."""
    index = {id_: i for i, id_ in enumerate(choices.ids)}
    out = np.empty(len(values), dtype=np.int64)
    for k, value in enumerate(values):
        out[k] = _code(value, index, len(choices.ids), choices.numeral)
    return out


def _code(value: Any, index: Mapping[str, int], count: int, numeral: Mapping[int, int]) -> int:
    if isinstance(value, str):
        code = index.get(value)
        if code is None and value:  # ids are NFC: "café" from a keyboard that composes apart
            code = index.get(unicodedata.normalize("NFC", value))
        return code if code is not None else (_UNKNOWN if value else _MISSING)  # "": empty
    if isinstance(value, bool | np.bool_) or value is None:
        return _UNKNOWN if value is not None else _MISSING
    if isinstance(value, int | np.integer):
        return _position(int(value), count, numeral)
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return _MISSING
        if not float(value).is_integer():
            return _NOT_WHOLE
        return _position(int(value), count, numeral)
    if value is pd.NA or value is pd.NaT:
        return _MISSING
    return _UNKNOWN


def _position(number: int, count: int, numeral: Mapping[int, int]) -> int:
    if numeral.get(number, number) != number:  # the numeral of an option at another position
        return _AMBIGUOUS
    return number if 0 <= number < count else _RANGE


def _encode_column(series: pd.Series[Any] | None, n: int, choices: Choices, dtype: Any) -> Array:
    """Codes for one column (in `dtype`), with negative reasons where the value is bad.

    Work is per distinct value (a category, or a value found by factorize), then one gather.
    """
    if series is None:
        return np.full(n, _MISSING, dtype=dtype)
    kind = series.dtype
    if isinstance(kind, pd.CategoricalDtype):
        categories = np.asarray(kind.categories, dtype=object)
        table = np.append(_lookup(choices, categories), _MISSING).astype(dtype)
        return table[series.cat.codes.to_numpy()]  # code -1 (missing) picks the last entry
    if pd.api.types.is_integer_dtype(kind) and not pd.api.types.is_extension_array_dtype(kind):
        values = series.to_numpy()
        inside = (values >= 0) & (values < len(choices.ids))
        coded = np.where(inside, values, _RANGE)
        ambiguous = [number for number, at in choices.numeral.items() if number != at]
        if ambiguous:
            coded[np.isin(values, ambiguous)] = _AMBIGUOUS
        return coded.astype(dtype)
    source: Any = series
    if isinstance(kind, pd.StringDtype) and kind.storage == "python":
        source = series.to_numpy(dtype=object)  # its own array: factorize is faster on it
    factor_codes, uniques = pd.factorize(source, use_na_sentinel=True)
    if pd.api.types.is_object_dtype(kind) and _may_hold_bools(uniques):
        values = series.to_numpy(dtype=object)
        flags = _bools(values)
        if flags.any():  # a bool is never an option, beside 1 or not; the rest coded apart
            coded = np.full(n, _UNKNOWN, dtype=dtype)
            rest = ~flags
            coded[rest] = _encode_column(pd.Series(values[rest], dtype=object),
                                         int(rest.sum()), choices, dtype)
            return coded
    table = np.append(_lookup(choices, np.asarray(uniques, dtype=object)), _MISSING)
    return table.astype(dtype)[factor_codes]


def encode_frame(
    frame: pd.DataFrame,
    question_ids: tuple[str, ...],
    option_ids: tuple[tuple[str, ...], ...],
    setting_ids: tuple[str, ...],
    *,
    collect_errors: bool,
    grids: Mapping[str, NumberGrid] | None = None,
) -> tuple[Encoded, list[AnswerProblem]]:
    """Encode a cohort frame. Returns the codes and the first problems, with row labels.

    ``grids`` holds the number questions (version 2), whose answers are numbers."""
    n = len(frame)
    grids = grids or {}
    if not collect_errors:  # a missing column is every row's problem, named once
        absent = missing_columns(frame.columns, [*question_ids, "setting"])
        if absent:
            raise AnswerError(absent, n)
    widest = max(len(ids) for ids in option_ids)
    small = np.int8 if widest <= 127 else np.int16 if widest <= 32767 else np.int32
    codes = np.empty((n, len(question_ids)), dtype=small, order="F")  # columns written whole
    bad = np.zeros(n, dtype=bool)
    errors = np.full(n, "", dtype=object) if collect_errors else None
    found: list[tuple[int, int, AnswerProblem]] = []  # (row, column, problem)
    columns: list[Choices | NumberGrid] = [
        grids[q] if q in grids else Choices(q, ids, "option")
        for q, ids in zip(question_ids, option_ids, strict=True)]
    columns.append(Choices("setting", setting_ids, "setting"))
    settings = np.zeros(n, dtype=np.int64)
    for j, choices in enumerate(columns):
        series = frame[choices.name] if choices.name in frame.columns else None
        if series is None:
            spelt = _spelt_otherwise(frame, choices.name)
            series = frame[spelt] if spelt is not None else None
        if isinstance(series, pd.DataFrame):
            raise AnswerError([AnswerProblem(ALL_ROWS, choices.name,
                                             "the cohort has two columns of this name")], n)
        width = small if j < len(question_ids) else np.int64
        coded = (_encode_numbers(series, n, choices, width) if isinstance(choices, NumberGrid)
                 else _encode_column(series, n, choices, width))
        if n and coded.min() < 0:
            wrong = coded < 0
            bad |= wrong
            found += [(row, j, problem) for row, problem in
                      _report(frame, series, coded, wrong, choices, errors)]
            coded = np.where(wrong, 0, coded)
        if j < len(question_ids):
            codes[:, j] = coded
        else:
            settings = coded
    found.sort(key=lambda item: item[:2])  # the first rows, in the order of the columns
    return Encoded(codes, settings, bad, errors), [problem for *_, problem in found[:_SHOWN]]


def missing_columns(columns: Iterable[Hashable], wanted: Iterable[str]) -> list[AnswerProblem]:
    """One problem for each wanted column the cohort lacks (a column whose name is the id in
    another Unicode form counts), naming a column that differs only in case or spaces."""
    present = list(columns)
    spelt = {unicodedata.normalize("NFC", c) if isinstance(c, str) else c for c in present}
    problems = []
    for name in wanted:
        if name in spelt:
            continue
        message = f"the cohort has no '{name}' column"
        near = [c for c in present if isinstance(c, str)
                and unicodedata.normalize("NFC", c).strip().casefold() == name.casefold()]
        if near:
            message += (f"; its column {near[0]!r} differs only in case or spaces: rename it "
                        f"{name!r}")
        problems.append(AnswerProblem(ALL_ROWS, name, message))
    return problems


def _spelt_otherwise(frame: pd.DataFrame, name: str) -> Hashable | None:
    """The column whose name is this id in another Unicode form (ids are NFC), if one is."""
    for column in frame.columns:
        if isinstance(column, str) and unicodedata.normalize("NFC", column) == name:
            return column
    return None


def _report(
    frame: pd.DataFrame,
    series: pd.Series[Any] | None,
    coded: Array,
    wrong: Array,
    choices: Choices | NumberGrid,
    errors: Array | None,
) -> list[tuple[int, AnswerProblem]]:
    """Describe the bad values of one column: all of them in ``errors`` (when flagging), and
    the first few, with their row positions, for an error."""
    positions = np.flatnonzero(wrong)
    reasons = coded[positions]
    values = (series.to_numpy(dtype=object)[positions] if series is not None
              else np.full(len(positions), None, dtype=object))

    def describe(reason: int, value: Any) -> str:
        if series is None:
            return f"the cohort has no '{choices.name}' column"
        return choices.describe(reason, value)

    shown = [(row, AnswerProblem(_label(frame.index[row]), choices.name,
                                 describe(int(reasons[k]), values[k])))
             for k, row in enumerate(positions[:_SHOWN].tolist())]
    if errors is None:
        return shown
    value_codes, _ = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    value_codes = np.where(value_codes < 0, value_codes.max(initial=-1) + 1, value_codes)
    flags = _bools(values)
    if flags.any():  # True and 1 factorize as one value: each keeps its own message
        value_codes = np.where(flags, value_codes + value_codes.max(initial=-1) + 1,
                               value_codes)
        value_codes = np.unique(value_codes, return_inverse=True)[1].reshape(-1)
    _, first = np.unique(value_codes, return_index=True)
    messages = {int(value_codes[i]): f"{choices.name}: {describe(int(reasons[i]), values[i])}"
                for i in first.tolist()}
    lookup = np.array([messages[k] for k in range(len(messages))], dtype=object)
    text = lookup[value_codes]
    previous = errors[positions]
    errors[positions] = np.where(previous == "", text, previous + "; " + text)
    return shown


def _label(label: Hashable) -> Hashable:
    """A row label as plain Python (a MultiIndex label element by element), for messages."""
    if isinstance(label, tuple):
        return tuple(_label(part) for part in label)
    return label.item() if isinstance(label, np.generic) else label


def encode_one(
    answers: Mapping[str, Any],
    setting: Any,
    question_ids: tuple[str, ...],
    option_index: Mapping[str, Mapping[str, int]],
    option_counts: Mapping[str, int],
    setting_index: Mapping[str, int],
    numeral: Mapping[str, Mapping[int, int]],
    grids: Mapping[str, NumberGrid] | None = None,
) -> tuple[Array, Array]:
    """One child's answers (question id -> option id or position, or a number question's
    number) as a 1-row code block."""
    grids = grids or {}
    if len(answers) == len(question_ids):
        try:  # the usual case, every answer an option id: one dict lookup each
            codes = [option_index[q][answers[q]] for q in question_ids]
            code = setting_index[setting]
            return np.array([codes], dtype=np.int64), np.array([code], dtype=np.int64)
        except (KeyError, TypeError):
            pass  # positions, or problems to name: the careful path below
    problems: list[AnswerProblem] = []
    codes = []
    for q in question_ids:
        value = answers.get(q, _ABSENT)
        code = option_index[q].get(value, _UNKNOWN) if type(value) is str else _UNKNOWN
        if code < 0:  # not an option id: a position, or a problem to name
            if value is _ABSENT:
                problems.append(AnswerProblem(0, q, "no answer given"))
                code = 0
            elif q in grids:
                code = grids[q].code(value)
                if code < 0:
                    problems.append(AnswerProblem(0, q, grids[q].describe(code, value)))
            else:
                code = _code(value, option_index[q], option_counts[q], numeral[q])
                if code < 0:
                    choices = Choices(q, tuple(option_index[q]), "option")
                    problems.append(AnswerProblem(0, q, choices.describe(code, value)))
        codes.append(code)
    if len(answers) > len(question_ids) - len(problems):
        for q in answers.keys():  # keys, not values, for a pandas row too  # noqa: SIM118
            if q == "setting":
                problems.append(AnswerProblem(0, "setting", "the setting is given as "
                                              "setting=..., not among the answers"))
            elif q not in option_index:
                problems.append(AnswerProblem(0, str(q), "this scheme has no such question"))
    code = _code(setting, setting_index, len(setting_index), numeral["setting"])
    if code < 0:
        choices = Choices("setting", tuple(setting_index), "setting")
        problems.append(AnswerProblem(0, "setting", choices.describe(code, setting)))
    if problems:
        raise AnswerError(problems, 1)
    return np.array([codes], dtype=np.int64), np.array([code], dtype=np.int64)


def _column_highest(codes: Array) -> Array:
    """Each column's largest value, without an (n x questions) temporary.

    A reduction down the rows of a row-major block walks it column by column, which is slow;
    folding k rows into one long row first makes the same reduction contiguous.
    """
    n, width = codes.shape
    if not codes.flags.c_contiguous or n < 64:
        return np.asarray(codes.max(axis=0))
    fold = 64
    whole = n - n % fold
    high: Array = codes[:whole].reshape(-1, width * fold).max(axis=0)
    high = high.reshape(fold, width).max(axis=0)
    if whole < n:
        high = np.maximum(high, codes[whole:].max(axis=0))
    return high


def _out_of_range(codes: Array, counts: Array) -> bool:
    """Whether any code is negative or not below its question's count, in one reduction.

    Read as unsigned integers of the same width, a negative code is at least 2**(bits-1), so
    it fails the same test as a code that is too large, as long as every count is below that.
    """
    if codes.dtype.kind == "i" and int(counts.max(initial=0)) <= 2 ** (8 * codes.itemsize - 1):
        codes = codes.view(codes.dtype.str.replace("i", "u"))
    elif codes.dtype.kind == "i" and codes.size and codes.min() < 0:
        return True
    return bool((_column_highest(codes) >= counts).any())


def check_codes(
    codes: Array, settings: Array, question_ids: tuple[str, ...], counts: Array, n_settings: int,
    grids: Mapping[str, NumberGrid] | None = None,
) -> None:
    """The raw array path: refuse codes out of range, naming row positions and questions."""
    if codes.ndim != 2 or codes.shape[1] != len(question_ids):
        raise AnswerError([AnswerProblem(ALL_ROWS, "(codes)",
                                         f"codes must have shape (n, {len(question_ids)}); "
                                         f"found {codes.shape}")])
    if settings.shape != (codes.shape[0],):
        raise AnswerError([AnswerProblem(ALL_ROWS, "setting",
                                         f"settings must have shape ({codes.shape[0]},); "
                                         f"found {settings.shape}")])
    for array, name in ((codes, "codes"), (settings, "settings")):
        if not np.issubdtype(array.dtype, np.integer):
            raise AnswerError([AnswerProblem(ALL_ROWS, name,
                                             f"{name} must be integers, found {array.dtype}")])
    problems: list[AnswerProblem] = []
    wrong = None
    if codes.size and _out_of_range(codes, counts):
        wrong = (codes < 0) | (codes >= counts)  # only now, to name the rows
    if wrong is not None:
        for i, j in np.argwhere(wrong)[:_SHOWN].tolist():
            grid = (grids or {}).get(question_ids[j])
            what = "options" if grid is None else (
                f"steps of {grid.unit}, {grid.text(grid.low)} to "
                f"{grid.text(grid.low + grid.span)} by {grid.text(grid.step)}")
            problems.append(AnswerProblem(i, question_ids[j],
                                          f"position {codes[i, j]} is out of range; there are "
                                          f"{counts[j]} {what} (0 to {counts[j] - 1})"))
    wrong_setting = (settings < 0) | (settings >= n_settings)
    if wrong_setting.any():
        for i in np.flatnonzero(wrong_setting)[:_SHOWN].tolist():
            problems.append(AnswerProblem(i, "setting",
                                          f"position {settings[i]} is out of range; there are "
                                          f"{n_settings} settings"))
    if problems:
        rows = int(((wrong.any(axis=1) if wrong is not None else False) | wrong_setting).sum())
        raise AnswerError(problems, rows)
