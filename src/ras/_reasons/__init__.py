"""The reasons: explanations of a budget from the kernel's trace, audit records, panel decisions,
display helpers.

Uses the entry points and everything below; not scheme changes, plans or the faces.
"""

from ras._reasons.audit import RECORD_KIND, Difference, VerificationReport, budget_record, verify
from ras._reasons.budget_letter import letter_for_budget, letters_for_rows
from ras._reasons.decision import Decision, DecisionsSummary, Money, decide, decisions_summary
from ras._reasons.display import (
    html_table,
    markdown_text,
    money,
    money_short,
    percent,
    signed_money,
)
from ras._reasons.explanation import Explanation
from ras._reasons.letter import Letter
from ras._reasons.letter_common import Details
from ras._reasons.trace import explain_budget, explain_rows

__all__ = [
    "RECORD_KIND",
    "Decision",
    "DecisionsSummary",
    "Details",
    "Difference",
    "Explanation",
    "Letter",
    "Money",
    "VerificationReport",
    "budget_record",
    "decide",
    "decisions_summary",
    "explain_budget",
    "explain_rows",
    "html_table",
    "letter_for_budget",
    "letters_for_rows",
    "markdown_text",
    "money",
    "money_short",
    "percent",
    "signed_money",
    "verify",
]
