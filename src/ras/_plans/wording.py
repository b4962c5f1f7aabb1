"""Words shared by plans and their statements: what each setting rule deducts, and money.

Its own module so that the statement (which reads a plan) and the plan (which makes its
statement) both use it without importing each other.
"""

from __future__ import annotations

from decimal import Decimal

from ras._reasons import money as display_money

__all__ = ["DEDUCTED_ELEMENTS", "pounds"]

# What each setting rule deducts, in words, for messages and the statement.
DEDUCTED_ELEMENTS = {"additional_support": "element 2", "whole_place": "elements 1 and 2",
                     "top_up": "no element"}


def pounds(x: Decimal) -> str:
    """Money as the family reads it: £12,345.00, and -£500.00 for a fall."""
    return display_money(x)
