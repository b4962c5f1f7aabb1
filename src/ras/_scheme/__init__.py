"""The entry points: ``Scheme`` (load, identify, calculate) and ``Budget`` (one child's figures).

Uses the engine, the format and the base. Its convenience methods reach up only through deferred
imports that the import contract names.
"""

from ras._scheme.budget import Budget, pence_to_pounds, points_to_decimal, pounds_unless
from ras._scheme.scheme import Scheme, load_scheme
from ras._scheme.yearly import periods_per_year

__all__ = [
    "Budget",
    "Scheme",
    "load_scheme",
    "pence_to_pounds",
    "periods_per_year",
    "points_to_decimal",
    "pounds_unless",
]
