"""The patterns of docs/clusters.md: a Dask run with the right ``meta`` and a process pool give
what one call of ``calculate_frame`` gives, row for row and to the penny, and bad answers come
back as they would on one machine."""

from __future__ import annotations

import functools
from concurrent.futures import ProcessPoolExecutor

import dask
import dask.dataframe as dd
import pandas as pd
import pytest

import ras
from tests.paths import ROOT, SCHEMES

COHORT = ROOT / "examples" / "banded_referral.csv"
KEEP = ["child_id", "setting"]


@pytest.fixture(scope="module")
def scheme() -> ras.Scheme:
    return ras.load_scheme(SCHEMES / "banded_referral.yaml")


@pytest.fixture(scope="module")
def whole() -> pd.DataFrame:
    frame = pd.read_csv(COHORT, dtype=str, keep_default_na=False)
    frame.loc[7, "wellbeing"] = "fine"  # one bad answer, in the first partition
    frame.loc[250, "setting"] = ""  # and one missing setting, in a later one
    return frame


def _budgets(scheme: ras.Scheme, part: pd.DataFrame) -> pd.DataFrame:
    return part[KEEP].join(scheme.calculate_frame(part, errors="flag"))


@pytest.mark.parametrize("scheduler", ["threads", "sync"])
def test_dask_map_partitions_gives_what_one_call_gives(scheme: ras.Scheme, whole: pd.DataFrame,
                                                       scheduler: str) -> None:
    cohort = dd.from_pandas(whole, npartitions=7)
    score = functools.partial(_budgets, scheme)
    meta = score(cohort._meta)
    result = cohort.map_partitions(score, meta=meta)
    with dask.config.set(scheduler=scheduler):
        computed = result.compute()
    alone = _budgets(scheme, whole)
    # ras's columns equal in values, index, order and dtypes (Dask keeps the carried text
    # columns in its own string dtype: that is Dask's business, so only their values count)
    pd.testing.assert_frame_equal(computed.drop(columns=KEEP), alone.drop(columns=KEEP))
    assert computed[KEEP].values.tolist() == alone[KEEP].values.tolist()
    assert (computed.dtypes == meta.dtypes).all()  # the meta said what came back
    for column in meta.select_dtypes("category"):
        assert list(computed[column].cat.categories) == list(meta[column].cat.categories)
    assert computed.loc[7, "error"].startswith("wellbeing:")
    assert computed.loc[250, "error"] != ""
    assert pd.isna(computed.loc[[7, 250], "personal_sen_budget"]).all()  # missing, not zero


def test_partition_totals_add_up_exactly(scheme: ras.Scheme, whole: pd.DataFrame) -> None:
    cohort = dd.from_pandas(whole, npartitions=5)
    score = functools.partial(_budgets, scheme)
    result = cohort.map_partitions(score, meta=score(cohort._meta))

    def total(amounts: pd.Series) -> pd.Series:
        return pd.Series([ras.total_pounds(amounts, skipna=True)])

    parts = result["total_personal_budget"].map_partitions(total, meta=(None, object))
    with dask.config.set(scheduler="sync"):
        national = sum(parts.compute())
    alone = scheme.calculate_frame(whole, errors="flag")
    assert national == ras.total_pounds(alone["total_personal_budget"], skipna=True)


def test_a_process_pool_gives_what_one_call_gives(scheme: ras.Scheme,
                                                  whole: pd.DataFrame) -> None:
    children = whole.set_index("child_id")
    pieces = [children.iloc[start:start + 70] for start in range(0, len(children), 70)]
    flag = functools.partial(scheme.calculate_frame, errors="flag")
    with ProcessPoolExecutor(max_workers=2) as pool:
        scored = pd.concat(pool.map(flag, pieces, timeout=120))
        pd.testing.assert_frame_equal(scored, scheme.calculate_frame(children, errors="flag"))
        # a bad answer raised in a worker is the same AnswerError, rows named by child id
        with pytest.raises(ras.AnswerError) as raised:
            list(pool.map(scheme.calculate_frame, pieces, timeout=120))
    assert raised.value.problems[0].row == children.index[7]
    assert raised.value.problems[0].question == "wellbeing"
