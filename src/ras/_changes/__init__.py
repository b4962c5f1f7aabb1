"""Scheme changes: reforms, distinct cases, compare, sweep, calibrate, fit, protect, and the
checker.

Uses the reasons and everything below; independent of plans and time.
"""

from ras._changes.calibration import Calibration, calibrate
from ras._changes.check import Finding, check_scheme
from ras._changes.comparison import Comparison, compare
from ras._changes.fitting import Fit, fit
from ras._changes.protection import Protection, protect
from ras._changes.reform import apply_changes, find_parameter, parameters
from ras._changes.sweeps import sweep
from ras._changes.worked_examples import CaseResult, CaseResults, run_cases

__all__ = [
    "Calibration",
    "CaseResult",
    "CaseResults",
    "Comparison",
    "Finding",
    "Fit",
    "Protection",
    "apply_changes",
    "calibrate",
    "check_scheme",
    "compare",
    "find_parameter",
    "fit",
    "parameters",
    "protect",
    "run_cases",
    "sweep",
]
