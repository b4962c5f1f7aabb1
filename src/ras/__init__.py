"""ras: resource allocation for SEN personal budgets in England.

Score a child's assessed needs against a council's points scheme, price the points exactly,
apply the high-needs funding elements, and explain every figure.

>>> import ras
>>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")  # doctest: +SKIP
>>> scheme.calculate({...}, setting="mainstream").personal_sen_budget  # doctest: +SKIP
"""

from ras._audit import Difference, VerificationReport, verify
from ras._budget import Budget
from ras._calibrate import Calibration, calibrate
from ras._check import Finding
from ras._compare import Comparison, compare
from ras._decision import Decision, DecisionsSummary, decisions_summary
from ras._errors import (
    AnswerError,
    AnswerProblem,
    CalculationError,
    DecisionError,
    FingerprintError,
    PlanError,
    PlanProblem,
    Problem,
    RasError,
    RecordError,
    SchemeError,
    UsageError,
)
from ras._explain import Explanation
from ras._files import FileSummary, calculate_file
from ras._fit import Fit, fit
from ras._money import total_pounds
from ras._periods import (
    Apportionment,
    Instalment,
    PaymentSchedule,
    YearShare,
    apportion,
    payment_schedule,
)
from ras._plan import BudgetLine, IndicativeDifference, PersonalBudget, Plan
from ras._plan_frame import personal_budget_frame
from ras._protect import Protection, protect
from ras._provision import ProvisionLine
from ras._reform import parameters
from ras._schema import json_schema
from ras._scheme import Scheme, load_scheme
from ras._schemeset import SchemeSet, load_schemes
from ras._statement import BudgetStatement
from ras._sweep import sweep

__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "AnswerProblem",
    "Apportionment",
    "Budget",
    "BudgetLine",
    "BudgetStatement",
    "CalculationError",
    "Calibration",
    "Comparison",
    "Decision",
    "DecisionError",
    "DecisionsSummary",
    "Difference",
    "Explanation",
    "FileSummary",
    "Finding",
    "FingerprintError",
    "Fit",
    "IndicativeDifference",
    "Instalment",
    "PaymentSchedule",
    "PersonalBudget",
    "Plan",
    "PlanError",
    "PlanProblem",
    "Problem",
    "Protection",
    "ProvisionLine",
    "RasError",
    "RecordError",
    "Scheme",
    "SchemeError",
    "SchemeSet",
    "UsageError",
    "VerificationReport",
    "YearShare",
    "__version__",
    "apportion",
    "calculate_file",
    "calibrate",
    "compare",
    "decisions_summary",
    "fit",
    "json_schema",
    "load_scheme",
    "load_schemes",
    "parameters",
    "payment_schedule",
    "personal_budget_frame",
    "protect",
    "sweep",
    "total_pounds",
    "verify",
]
