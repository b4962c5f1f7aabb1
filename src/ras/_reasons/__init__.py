"""The reasons: explanations of a budget from the kernel's trace, audit records, panel decisions,
display helpers.

Uses the entry points and everything below; not scheme changes, plans or the faces.
"""

from ras._reasons.audit import (
    RECORD_KIND,
    Difference,
    VerificationReport,
    budget_record,
    read_record,
    verify,
)
from ras._reasons.budget_letter import letter_for_budget, letters_for_rows, place_word
from ras._reasons.council import CouncilWords, council_words
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
from ras._reasons.figures import per_period, whole_pounds
from ras._reasons.letter import Letter
from ras._reasons.letter_common import Details, footer, rights_section
from ras._reasons.letter_html import letters_page
from ras._reasons.letter_parts import Items, Paragraph, Section, Table, clean
from ras._reasons.trace import explain_budget, explain_rows

__all__ = [
    "RECORD_KIND",
    "CouncilWords",
    "Decision",
    "DecisionsSummary",
    "Details",
    "Difference",
    "Explanation",
    "Items",
    "Letter",
    "Money",
    "Paragraph",
    "Section",
    "Table",
    "VerificationReport",
    "budget_record",
    "clean",
    "council_words",
    "decide",
    "decisions_summary",
    "explain_budget",
    "explain_rows",
    "footer",
    "html_table",
    "letter_for_budget",
    "letters_for_rows",
    "letters_page",
    "markdown_text",
    "money",
    "money_short",
    "per_period",
    "percent",
    "place_word",
    "read_record",
    "rights_section",
    "signed_money",
    "verify",
    "whole_pounds",
]
