"""The base: the error hierarchy every room raises, and the library's version.

Uses nothing of ras; every other room may use it.
"""

from ras._base.errors import (
    ALL_ROWS,
    AnswerError,
    AnswerProblem,
    CalculationError,
    DecisionError,
    FingerprintError,
    MissingFileError,
    PlanError,
    PlanProblem,
    Problem,
    RasError,
    RecordError,
    SchemeError,
    UsageError,
)
from ras._base.text import LINE_BREAKS, has_line_break, is_invisible, one_line
from ras._base.version import __version__

__all__ = [
    "ALL_ROWS",
    "LINE_BREAKS",
    "AnswerError",
    "AnswerProblem",
    "CalculationError",
    "DecisionError",
    "FingerprintError",
    "MissingFileError",
    "PlanError",
    "PlanProblem",
    "Problem",
    "RasError",
    "RecordError",
    "SchemeError",
    "UsageError",
    "__version__",
    "has_line_break",
    "is_invisible",
    "one_line",
]
