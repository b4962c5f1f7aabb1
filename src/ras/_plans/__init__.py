"""Plans and time: provision lines, plans and personal budgets, statements, periods, scheme sets.

Uses the reasons and everything below; independent of scheme changes.
"""

from ras._plans.letters import refusal_letter
from ras._plans.periods import (
    Apportionment,
    Instalment,
    PaymentSchedule,
    YearShare,
    apportion,
    payment_schedule,
)
from ras._plans.plan import BudgetLine, IndicativeDifference, PersonalBudget, Plan
from ras._plans.plan_frame import personal_budget_frame
from ras._plans.provision import ProvisionLine
from ras._plans.schemeset import SchemeSet, load_schemes
from ras._plans.statement import BudgetStatement

__all__ = [
    "Apportionment",
    "BudgetLine",
    "BudgetStatement",
    "IndicativeDifference",
    "Instalment",
    "PaymentSchedule",
    "PersonalBudget",
    "Plan",
    "ProvisionLine",
    "SchemeSet",
    "YearShare",
    "apportion",
    "load_schemes",
    "payment_schedule",
    "personal_budget_frame",
    "refusal_letter",
]
