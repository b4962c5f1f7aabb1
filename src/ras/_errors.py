"""Every error `ras` raises, in one place.

    ValueError
    └── RasError                 anything ras refuses
        ├── SchemeError          a scheme breaks the format: .file .line .key_path .problems
        ├── AnswerError          answers that cannot be scored: .row, .question, .problems
        └── CalculationError     a request that cannot be met (no scheme in force, say)

They subclass ValueError so that a plain ``except ValueError`` still catches them, and they carry
their context as attributes so that a case system can show it without parsing the message.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = ["AnswerError", "AnswerProblem", "CalculationError", "Problem", "RasError", "SchemeError"]

_SHOWN = 20  # problems spelled out in a message; the rest are counted


class RasError(ValueError):
    """The root of every error that ras raises on purpose."""


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
        lines = [f"cannot score the answers of {self.total_rows} row(s):"]
        lines += [f"  - {p}" for p in shown]
        if len(self.problems) > _SHOWN:
            lines.append(f"  ... and {len(self.problems) - _SHOWN} more problems")
        return "\n".join(lines)


class CalculationError(RasError):
    """A request that cannot be met as asked: say why and what would work instead."""
