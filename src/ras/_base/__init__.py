"""The base: the error hierarchy every room raises, the library's version, and the one way
every room writes a file (whole, beside the target, never through a planted link).

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
from ras._base.reading import InputFileError, is_regular, kind_of_file, path_text, read_bounded
from ras._base.text import LINE_BREAKS, a_kind, has_control, has_line_break, is_invisible, one_line
from ras._base.version import __version__
from ras._base.writing import check_target, replacing, same_file, write_failure

__all__ = [
    "ALL_ROWS",
    "LINE_BREAKS",
    "AnswerError",
    "AnswerProblem",
    "CalculationError",
    "DecisionError",
    "FingerprintError",
    "InputFileError",
    "MissingFileError",
    "PlanError",
    "PlanProblem",
    "Problem",
    "RasError",
    "RecordError",
    "SchemeError",
    "UsageError",
    "__version__",
    "a_kind",
    "check_target",
    "has_control",
    "has_line_break",
    "is_invisible",
    "is_regular",
    "kind_of_file",
    "one_line",
    "path_text",
    "read_bounded",
    "replacing",
    "same_file",
    "write_failure",
]
