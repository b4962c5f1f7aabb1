"""The engine: a model compiled to integer tables, answers encoded to codes, one numpy kernel, its
columns, exact money.

Uses the format and the base; nothing above. One child and a million rows run the same code here.
"""

from ras._engine.answers import (
    Encoded,
    NumberGrid,
    check_codes,
    encode_frame,
    encode_one,
    missing_columns,
    numerals,
)
from ras._engine.compile import Compiled, compile_scheme
from ras._engine.kernel import Raw, Want, join_lookups, price_lookups, price_stream, run, run_blocks
from ras._engine.money import EXACT, plain, sum_pence, total_pounds
from ras._engine.output import REVIEW_TEXT, column_names, to_arrays, to_frame, want_for

__all__ = [
    "EXACT",
    "REVIEW_TEXT",
    "Compiled",
    "Encoded",
    "NumberGrid",
    "Raw",
    "Want",
    "check_codes",
    "column_names",
    "compile_scheme",
    "encode_frame",
    "encode_one",
    "join_lookups",
    "missing_columns",
    "numerals",
    "plain",
    "price_lookups",
    "price_stream",
    "run",
    "run_blocks",
    "sum_pence",
    "to_arrays",
    "to_frame",
    "total_pounds",
    "want_for",
]
