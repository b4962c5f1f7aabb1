"""Answers given as positions mean what each scheme lists at that position.

A cohort may give an answer by position (0 is the first option) rather than by option id. When a
reform inserts, removes or reorders a question's options (or the settings), the same position
names a different option under each scheme, and a comparison would report changes that no child
sees. Such positions are refused, naming the question, a row and both meanings; option ids mean
the same under both schemes, so they are what a comparison needs.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ras._base import AnswerError, AnswerProblem

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = ["refuse_shifted_positions"]

_SHOWN = 20


def refuse_shifted_positions(base: Scheme, reform: Scheme, cohort: pd.DataFrame) -> None:
    """Raise an AnswerError if a position in the cohort names different options (or settings)
    under the two schemes, or an option under one and none under the other."""
    numbers = _number_questions(base) | _number_questions(reform)  # answers are amounts
    lists: list[tuple[str, tuple[str, ...], tuple[str, ...], str]] = [
        (q, base.option_ids[q], reform.option_ids[q], "option")
        for q in base.question_ids
        if q in reform.option_ids and q not in numbers
        and base.option_ids[q] != reform.option_ids[q]]
    if base.setting_ids != reform.setting_ids:
        lists.append(("setting", base.setting_ids, reform.setting_ids, "setting"))
    problems: list[AnswerProblem] = []
    rows = np.zeros(len(cohort), dtype=bool)
    for name, ours, theirs, what in lists:
        series = cohort.get(name)
        if not isinstance(series, pd.Series):
            continue  # no column, or two of one name: the encoder says so
        codes, values = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
        for k, value in enumerate(values.tolist()):
            position = _position(value)
            if position is None:
                continue
            before, after = _at(ours, position), _at(theirs, position)
            if before == after:
                continue
            mine = codes == k
            rows |= mine
            label = _label(cohort.index[int(np.argmax(mine))])
            problems.append(AnswerProblem(label, name, _message(
                value, before, after, what, ours, theirs)))
    if problems:
        raise AnswerError(problems[:_SHOWN], int(rows.sum()))


def _number_questions(scheme: Scheme) -> set[str]:
    """Questions answered with a number (format version 2): their answers are amounts (hours,
    minutes), never positions."""
    return {q.id for d in scheme.model.domains for q in d.questions
            if getattr(q, "number", None) is not None}


def _position(value: Any) -> int | None:
    """The position a value gives, if it is a whole number (text is always an id)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
        return None
    number = float(value)
    if not np.isfinite(number) or not number.is_integer():
        return None
    return int(number)


def _at(ids: tuple[str, ...], position: int) -> str | None:
    return ids[position] if 0 <= position < len(ids) else None


def _message(value: Any, before: str | None, after: str | None, what: str,
             ours: Sequence[str], theirs: Sequence[str]) -> str:
    def meaning(found: str | None) -> str:
        return f"{what} {found!r}" if found is not None else f"no {what}"

    return (f"position {value!r} is {meaning(before)} in the base scheme but "
            f"{meaning(after)} in the reform, whose {what}s differ (base: {_listed(ours)}; "
            f"reform: {_listed(theirs)}); give {what} ids, not positions, to compare them")


def _listed(ids: Sequence[str], most: int = 12) -> str:
    return ", ".join(ids[:most]) + (f", ... ({len(ids)} in all)" if len(ids) > most else "")


def _label(label: Hashable) -> Hashable:
    if isinstance(label, tuple):
        return tuple(_label(part) for part in label)
    return label.item() if isinstance(label, np.generic) else label
