"""Every error `ras` raises, in one place.

    ValueError
    └── RasError                 anything ras refuses
        ├── SchemeError          a scheme breaks the format: .file .line .key_path .problems
        ├── AnswerError          answers that cannot be scored: .row, .question, .problems
        ├── PlanError            a plan's lines that cannot be accepted: .index .description
        │                        .child .problems (a direct payment for a place, say)
        ├── CalculationError     a request that cannot be met (no scheme in force, say)
        ├── RecordError          an audit record that cannot be read or checked: .key_path
        │   └── FingerprintError the record was made under another scheme: .recorded .expected
        └── DecisionError        a panel decision that cannot be recorded (no reason, say)

They subclass ValueError so that a plain ``except ValueError`` still catches them, and they carry
their context as attributes so that a case system can show it without parsing the message.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AnswerError",
    "AnswerProblem",
    "CalculationError",
    "DecisionError",
    "FingerprintError",
    "PlanError",
    "PlanProblem",
    "Problem",
    "RasError",
    "RecordError",
    "SchemeError",
    "UsageError",
]

_SHOWN = 20  # problems spelled out in a message; the rest are counted
ALL_ROWS = "(all rows)"  # the row of a problem every row has (a missing column)


class RasError(ValueError):
    """The root of every error that ras raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling an exception calls its class with ``self.args`` (the message), which is not
        # what these constructors take: an AnswerError raised in a multiprocessing worker
        # failed to unpickle and hung the pool. Rebuild it as it is, without its __init__.
        return (_rebuilt, (type(self), self.args, self.__dict__.copy()))


def _rebuilt(cls: type[RasError], args: tuple[Any, ...], state: dict[str, Any]) -> RasError:
    """An error of this class with these args and attributes, as it was when pickled."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class _PlainError(RasError):
    """An error that is also a built-in one whose own text would not be the message (KeyError
    quotes it, OSError formats its arguments): it prints the message as given."""

    def __str__(self) -> str:
        return str(self.args[0]) if len(self.args) == 1 else super().__str__()


class UsageError(_PlainError, TypeError, KeyError):
    """A call ras cannot make sense of: an argument of the wrong type or value, or a name (an
    output column, a row label, a measure) that is not there.

    Also a TypeError and a KeyError (and, like every RasError, a ValueError), so code written
    against the built-in exceptions still catches it.
    """


class MissingFileError(_PlainError, FileNotFoundError):
    """A file to read is not there (a FileNotFoundError too)."""

    # its constructor is OSError's, which takes the message as given: call it with the args
    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self.args, self.__dict__.copy())


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scheme: where it is and what is wrong."""

    key_path: str
    message: str
    line: int | None = None
    file: str | None = None

    def __str__(self) -> str:
        where = [p for p in (self.file, f"line {self.line}" if self.line else None) if p]
        prefix = ", ".join(where)
        path = self.key_path or "(top level)"
        return f"{prefix + ': ' if prefix else ''}{path}: {self.message}"


class SchemeError(RasError):
    """A scheme that breaks the format. Holds every problem found, not only the first."""

    def __init__(self, problems: Sequence[Problem], file: str | None = None) -> None:
        if not problems:
            raise ValueError("SchemeError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.file = file if file is not None else self.problems[0].file
        self.line = self.problems[0].line
        self.key_path = self.problems[0].key_path
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        head = f"{self.file}: " if self.file else ""
        if n == 1:
            return f"{head}{self._short(self.problems[0])}"
        lines = [f"{head}{n} problems in the scheme:"]
        lines += [f"  - {self._short(p)}" for p in self.problems[:_SHOWN]]
        if n > _SHOWN:
            lines.append(f"  ... and {n - _SHOWN} more")
        return "\n".join(lines)

    def _short(self, problem: Problem) -> str:
        line = f"line {problem.line}: " if problem.line else ""
        return f"{line}{problem.key_path or '(top level)'}: {problem.message}"


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """One answer that cannot be scored: which child (row label), which question, and why."""

    row: Hashable
    question: str
    message: str

    def __str__(self) -> str:
        if self.row == ALL_ROWS:  # a missing column: no row in particular
            return f"{self.question}: {self.message}"
        return f"row {self.row!r}, {self.question}: {self.message}"


class AnswerError(RasError):
    """Answers that cannot be scored. Never scored as zero instead."""

    def __init__(self, problems: Sequence[AnswerProblem], total_rows: int | None = None) -> None:
        if not problems:
            raise ValueError("AnswerError needs at least one problem")
        self.problems: tuple[AnswerProblem, ...] = tuple(problems)
        self.row = self.problems[0].row
        self.question = self.problems[0].question
        self.rows = tuple(dict.fromkeys(p.row for p in self.problems))
        self.questions = tuple(dict.fromkeys(p.question for p in self.problems))
        self.total_rows = total_rows if total_rows is not None else len(self.rows)
        super().__init__(self._message())

    def _message(self) -> str:
        shown = self.problems[:_SHOWN]
        if len(self.problems) == 1 and self.total_rows <= 1:
            return f"cannot score the answers: {shown[0]}"
        every_row = self.rows == (ALL_ROWS,)  # a missing column: no row can be scored
        lines = ["cannot score any row:" if every_row
                 else f"cannot score the answers of {self.total_rows} row(s):"]
        lines += [f"  - {p}" for p in shown]
        if len(self.problems) > _SHOWN:
            lines.append(f"  ... and {len(self.problems) - _SHOWN} more problems")
        return "\n".join(lines)


class CalculationError(RasError):
    """A request that cannot be met as asked: say why and what would work instead."""


@dataclass(frozen=True, slots=True)
class PlanProblem:
    """One thing wrong with (or, as a warning, worth checking in) a plan, naming the line.

    ``index`` is the line's 0-based position in the plan (None for the plan as a whole);
    messages also count from 1, as the family's statement does. ``child`` and ``row`` (the
    row label of the long frame) are set by the cohort form.
    """

    index: int | None
    description: str | None
    message: str
    child: Hashable | None = None
    row: Hashable | None = None

    @property
    def where(self) -> str:
        """The line as messages name it: 'line 2 (index 1) "Travel training"'."""
        parts = []
        if self.index is not None:
            row = f", row {self.row!r}" if self.row is not None else ""
            parts.append(f"line {self.index + 1} (index {self.index}{row})")
        if self.description is not None:
            parts.append(f'"{self.description}"')
        return " ".join(parts)

    def __str__(self) -> str:
        child = f"child {self.child!r}" if self.child is not None else ""
        where = ", ".join(p for p in (child, self.where) if p)
        return f"{where}: {self.message}" if where else self.message


class PlanError(RasError):
    """Plan lines that cannot be accepted. Holds every problem found, not only the first."""

    def __init__(self, problems: Sequence[PlanProblem]) -> None:
        if not problems:
            raise ValueError("PlanError needs at least one problem")
        self.problems: tuple[PlanProblem, ...] = tuple(problems)
        self.index = self.problems[0].index
        self.description = self.problems[0].description
        self.child = self.problems[0].child
        self.children = tuple(dict.fromkeys(p.child for p in self.problems
                                            if p.child is not None))
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return f"cannot accept the plan: {self.problems[0]}"
        lines = [f"cannot accept the plan: {len(self.problems)} problems:"]
        lines += [f"  - {p}" for p in self.problems[:_SHOWN]]
        if len(self.problems) > _SHOWN:
            lines.append(f"  ... and {len(self.problems) - _SHOWN} more")
        return "\n".join(lines)


class RecordError(RasError):
    """An audit record that cannot be read or checked: not a budget record, or inputs that do
    not score. ``key_path`` names the part of the record at fault, when one is to blame."""

    def __init__(self, message: str, *, key_path: str | None = None) -> None:
        self.key_path = key_path
        super().__init__(message)


class FingerprintError(RecordError):
    """A record made under a different scheme than the one given to check it against.

    Figures from two schemes cannot prove or disprove each other, so ``verify`` refuses rather
    than report differences that mean nothing. Load the scheme the record names.
    """

    def __init__(self, *, recorded: object, expected: str, recorded_scheme: str = "",
                 scheme: str = "") -> None:
        self.recorded = recorded
        self.expected = expected
        named = f" ({recorded_scheme})" if recorded_scheme else ""
        given = f" ({scheme})" if scheme else ""
        super().__init__(
            f"scheme.fingerprint: the record was made under scheme fingerprint {recorded!r}"
            f"{named}, but the scheme given has fingerprint {expected!r}{given}; check the "
            "record against the scheme it was made under",
            key_path="scheme.fingerprint",
        )


class DecisionError(RasError):
    """A panel decision that cannot be recorded: no reason, no decision maker, or an amount
    that is not whole pence of zero or more. A family is owed the reasons for a decision."""
