"""The fast CSV writer writes what pandas writes, byte for byte, for any cells a cohort or its
budgets can hold (awkward text, every float, categories, blanks)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ras._faces.csv_rows import csv_rows

pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")

TEXT = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list('ab,"\r\n =+-@\t é£0.5')),
                                    max_size=6))
FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([3.0, -0.0, 1e16, 9999999999999998.0, 1e-4, 1e-5, 12.5]),
                   st.decimals(min_value=-10**7, max_value=10**7, places=2).map(float))


@given(st.lists(st.tuples(TEXT, FLOATS, st.integers(-10**12, 10**12), st.booleans(),
                          st.sampled_from(["", "R", "a,b", 'x"', None])), min_size=1,
                max_size=40))
def test_rows_are_pandas_rows(rows: list[tuple[object, ...]]) -> None:
    text, floats, whole, flags, labels = map(list, zip(*rows, strict=True))
    frame = pd.DataFrame({
        "text": pd.Series(text, dtype=object),
        "float": np.array(floats, dtype=np.float64),
        "int": np.array(whole, dtype=np.int64),
        "bool": np.array(flags, dtype=bool),
        "category": pd.Categorical(labels),
        "string": pd.Series(text, dtype="str"),
    })
    ours = csv_rows([frame[c] for c in frame.columns], pa, pc)
    assert ours == frame.to_csv(index=False, header=False, lineterminator="\r\n").encode()


def test_a_column_of_other_objects_is_left_to_pandas() -> None:
    from decimal import Decimal

    assert csv_rows([pd.Series([Decimal(1), "x"], dtype=object)], pa, pc) is None


@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(
    list("=+-@\t\r\n.eE05x é")), max_size=7)), max_size=30))
def test_cells_a_spreadsheet_would_run_are_found_as_one_by_one(cells: list[str | None]) -> None:
    from ras._faces import cells as module

    values = np.array(cells, dtype=object)
    one_by_one = [i for i, v in enumerate(cells) if isinstance(v, str) and v
                  and module._FORMULA_START.match(v) and not module._PLAIN_NUMBER.fullmatch(v)]
    assert module._risky_arrow(values) == one_by_one


@given(st.lists(FLOATS, min_size=1, max_size=6), st.lists(st.integers(0, 5), min_size=30,
                                                          max_size=80))
def test_repeated_floats_formatted_once_each_are_pandas_text(numbers: list[float],
                                                             picks: list[int]) -> None:
    """Few distinct numbers among many rows (points): each is formatted once and gathered, and
    the rows are still pandas' (-0.0 and 0.0 told apart, NaN empty)."""
    values = np.array([numbers[i % len(numbers)] for i in picks], dtype=np.float64)
    frame = pd.DataFrame({"points": values, "label": pd.Series(["x"] * len(values))})
    ours = csv_rows([frame[c] for c in frame.columns], pa, pc)
    assert ours == frame.to_csv(index=False, header=False, lineterminator="\r\n").encode()


@given(st.lists(st.one_of(st.integers(-10**13, 10**13), st.sampled_from([0, -5, 5, 100, -100])),
                min_size=1, max_size=5), st.lists(st.integers(0, 6), max_size=60))
def test_money_text_of_repeated_amounts_is_money_text(pence: list[int], picks: list[int]) -> None:
    from ras._faces.cells import money_strings, money_text

    amounts = [pence[i] / 100 if i < len(pence) else float("nan") for i in picks]
    pounds = np.array(amounts, dtype=np.float64)
    text = money_strings(pounds, pa, pc).to_pylist()
    assert [t if t is not None else "" for t in text] == money_text(pounds).tolist()


def test_minus_zero_among_repeated_floats_stays_minus_zero() -> None:
    """pd.factorize counts -0.0 and 0.0 as one value; the text must not."""
    values = np.array([0.0, -0.0, 1.5, float("nan")] * 10)
    rows = csv_rows([pd.Series(values), pd.Series(["x"] * 40)], pa, pc)
    assert rows == b"0.0,x\r\n-0.0,x\r\n1.5,x\r\n,x\r\n" * 10
