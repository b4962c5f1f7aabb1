"""ras: resource allocation for SEN personal budgets in England.

Score a child's assessed needs against a council's points scheme, price the points exactly,
apply the high-needs funding elements, and explain every figure.

>>> import ras
>>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")  # doctest: +SKIP
>>> scheme.calculate({...}, setting="mainstream").personal_sen_budget  # doctest: +SKIP
"""

from ras._budget import Budget
from ras._errors import (
    AnswerError,
    AnswerProblem,
    CalculationError,
    Problem,
    RasError,
    SchemeError,
)
from ras._periods import (
    Apportionment,
    Instalment,
    PaymentSchedule,
    YearShare,
    apportion,
    payment_schedule,
)
from ras._scheme import Scheme, load_scheme
from ras._schemeset import SchemeSet, load_schemes

__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "AnswerProblem",
    "Apportionment",
    "Budget",
    "CalculationError",
    "Instalment",
    "PaymentSchedule",
    "Problem",
    "RasError",
    "Scheme",
    "SchemeError",
    "SchemeSet",
    "YearShare",
    "__version__",
    "apportion",
    "load_scheme",
    "load_schemes",
    "payment_schedule",
]
