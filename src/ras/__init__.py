"""ras: resource allocation for SEN personal budgets in England.

Score a child's assessed needs against a council's points scheme, price the points exactly,
apply the high-needs funding elements, and explain every figure.

>>> import ras
>>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")  # doctest: +SKIP
>>> scheme.calculate({...}, setting="mainstream").personal_sen_budget  # doctest: +SKIP
"""

from ras._base import (
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
    __version__,
)
from ras._changes import (
    Calibration,
    Comparison,
    Finding,
    Fit,
    Protection,
    calibrate,
    compare,
    fit,
    parameters,
    protect,
    sweep,
)
from ras._engine import total_pounds
from ras._faces import FileSummary, calculate_file
from ras._format import json_schema
from ras._plans import (
    Apportionment,
    BudgetLine,
    BudgetStatement,
    IndicativeDifference,
    Instalment,
    PaymentSchedule,
    PersonalBudget,
    Plan,
    ProvisionLine,
    SchemeSet,
    YearShare,
    apportion,
    load_schemes,
    payment_schedule,
    personal_budget_frame,
)
from ras._reasons import (
    Decision,
    DecisionsSummary,
    Difference,
    Explanation,
    VerificationReport,
    decisions_summary,
    verify,
)
from ras._scheme import Budget, Scheme, load_scheme

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
