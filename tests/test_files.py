"""ras.calculate_file: files of several chunks give what calculate_frame gives on the whole."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import ras
from tests.paths import FIXTURES, SCHEMES

pytestmark = pytest.mark.usefixtures("csv_reader")  # each test with both CSV readers

ROWS, CHUNK = 2_500, 1_000


@pytest.fixture(scope="module")
def scheme() -> ras.Scheme:
    return ras.load_scheme(SCHEMES / "banded_referral.yaml")


def cohort(scheme: ras.Scheme, n: int = ROWS, seed: int = 7) -> pd.DataFrame:
    """Answers as a council CSV holds them: mostly option ids, some positions; a child id with
    leading zeros and a free-text column around them."""
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {"child_id": [f"{i:06d}" for i in range(n)]}
    for q in scheme.question_ids:
        ids = scheme.option_ids[q]
        codes = rng.integers(0, len(ids), size=n)
        as_position = rng.random(n) < 0.2
        columns[q] = [str(c) if p else ids[c] for c, p in zip(codes, as_position, strict=True)]
    settings = rng.integers(0, len(scheme.setting_ids), size=n)
    columns["setting"] = [scheme.setting_ids[s] for s in settings]
    columns["note"] = ["NA" if i % 7 == 0 else f"note, {i}" for i in range(n)]
    return pd.DataFrame(columns)


def as_python(frame: pd.DataFrame, scheme: ras.Scheme) -> pd.DataFrame:
    """The same answers as calculate_frame takes them: text ids, and positions as ints."""
    out = frame.copy()
    for q in [*scheme.question_ids, "setting"]:
        out[q] = pd.Series([int(v) if v.isdigit() else v for v in frame[q]], dtype=object,
                           index=frame.index)
    return out


def assert_same_figures(written: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Figures read back from a file equal calculate_frame's, column by column."""
    assert list(written.columns) == list(expected.columns)
    for name in expected.columns:
        want, got = expected[name], written[name]
        if pd.api.types.is_float_dtype(want.dtype):
            np.testing.assert_array_equal(got.to_numpy(dtype=float), want.to_numpy(), name)
        else:
            assert got.astype(object).fillna("").astype(str).tolist() == \
                want.astype(object).fillna("").astype(str).tolist(), name


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"child_id": str, "note": str, "setting": str},
                       keep_default_na=False, na_values=[""])


def test_csv_in_several_chunks_equals_calculate_frame_on_the_whole(
    scheme: ras.Scheme, tmp_path: Path
) -> None:
    source, target = tmp_path / "cohort.csv", tmp_path / "budgets.csv"
    frame = cohort(scheme)
    frame.to_csv(source, index=False)
    summary = ras.calculate_file(scheme, source, target, chunksize=CHUNK, progress=False)
    assert (summary.rows, summary.bad_rows, summary.chunks) == (ROWS, 0, 3)
    assert summary.seconds > 0
    assert "2,500 rows" in str(summary)

    expected = scheme.calculate_frame(as_python(frame, scheme))
    written = read_csv(target)
    assert len(written) == ROWS
    # carried columns first, unchanged (leading zeros, "NA" as text, commas), in input order
    assert list(written.columns[:3]) == ["child_id", "setting", "note"]
    assert written["child_id"].tolist() == frame["child_id"].tolist()
    assert written["note"].tolist() == frame["note"].tolist()
    assert written["setting"].tolist() == frame["setting"].tolist()
    assert_same_figures(written.iloc[:, 3:], expected)
    assert expected["education_amount"].isna().any()  # referrals are in the sample


def test_gzipped_csv_in_and_out(scheme: ras.Scheme, tmp_path: Path) -> None:
    source, target = tmp_path / "cohort.csv.gz", tmp_path / "budgets.csv.gz"
    frame = cohort(scheme, 1_200)
    with gzip.open(source, "wt", encoding="utf-8", newline="") as handle:
        frame.to_csv(handle, index=False)
    summary = ras.calculate_file(scheme, source, target, chunksize=500, progress=False)
    assert summary.chunks == 3
    written = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert written["child_id"].tolist() == frame["child_id"].tolist()
    expected = scheme.calculate_frame(as_python(frame, scheme))
    np.testing.assert_array_equal(written["element3"].replace("", "nan").astype(float),
                                  expected["element3"].to_numpy())


def test_an_option_id_that_looks_like_a_number_is_the_id(tmp_path: Path) -> None:
    text = (FIXTURES / "valid_small.yaml").read_text().replace(
        "- {id: none, points: 0}\n          - {id: some, points: 3}\n"
        "          - {id: lots, points: 6}",
        '- {id: "2", points: 0}\n          - {id: "0", points: 3}\n'
        '          - {id: lots, points: 6}')
    scheme = ras.Scheme.from_yaml(text)
    assert scheme.option_ids["speech"] == ("2", "0", "lots")
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    # "0" and "2" are ids. "1" and "2.0" are not, and since this question's ids are numbers, a
    # number that is not one of them is a mistake, not a position: those rows are refused.
    # The other questions' ids are words, so digits there are positions ("0" for "none").
    source.write_text("speech,listening,breaks,setting\n0,0,0,mainstream\n2,0,0,mainstream\n"
                      "1,0,0,0\n2.0,none,some,special\n")
    ras.calculate_file(scheme, source, target, errors="flag", progress=False)
    written = pd.read_csv(target, keep_default_na=False)
    assert written["points_communication"].tolist() == ["4.5", "0.0", "", ""]  # "": never scored
    assert written["error"].tolist() == [
        "", "", "speech: unknown option '1'; expected one of 2, 0, lots",
        "speech: unknown option '2.0'; expected one of 2, 0, lots"]
    assert written["setting"].tolist() == ["mainstream", "mainstream", "0", "special"]


def test_flag_mode_writes_bad_rows_with_their_reason(scheme: ras.Scheme, tmp_path: Path) -> None:
    source, target = tmp_path / "cohort.csv", tmp_path / "budgets.csv"
    frame = cohort(scheme)
    q0, q1 = scheme.question_ids[0], scheme.question_ids[1]
    frame.loc[5, q0] = "often"
    frame.loc[1_500, q1] = "99"
    frame.loc[2_499, "setting"] = "home"
    frame.loc[1_999, q0] = ""
    frame.to_csv(source, index=False)
    summary = ras.calculate_file(scheme, source, target, chunksize=CHUNK, errors="flag",
                                 progress=False)
    assert (summary.rows, summary.bad_rows) == (ROWS, 4)
    written = read_csv(target)
    assert written.columns[-1] == "error"
    errors = written["error"].fillna("")
    bad = [5, 1_500, 1_999, 2_499]
    assert (errors != "").sum() == 4
    assert (errors.iloc[bad] != "").all()
    assert "unknown option 'often'" in errors[5]
    assert "position 99 is out of range" in errors[1_500]
    assert "no answer given" in errors[1_999]
    assert "unknown setting 'home'" in errors[2_499]
    assert written.loc[bad, "total_personal_budget"].isna().all()  # missing, never zero
    good = written.drop(index=bad)
    expected = scheme.calculate_frame(as_python(frame.drop(index=bad), scheme))
    assert_same_figures(good.iloc[:, 3:-1], expected)


def test_raise_mode_names_the_row_in_the_file_and_leaves_no_target(
    scheme: ras.Scheme, tmp_path: Path
) -> None:
    source, target = tmp_path / "cohort.csv", tmp_path / "budgets.csv"
    frame = cohort(scheme)
    frame.loc[1_234, scheme.question_ids[2]] = "often"
    frame.to_csv(source, index=False)
    with pytest.raises(ras.AnswerError) as caught:
        ras.calculate_file(scheme, source, target, chunksize=CHUNK, progress=False)
    assert caught.value.row == 1_234
    assert caught.value.question == scheme.question_ids[2]
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]  # no partial file left behind


def test_header_only_file_gives_header_only_output(scheme: ras.Scheme, tmp_path: Path) -> None:
    source, target = tmp_path / "cohort.csv", tmp_path / "budgets.csv"
    source.write_text(",".join(["child_id", *scheme.question_ids, "setting"]) + "\n")
    summary = ras.calculate_file(scheme, source, target, progress=False)
    assert summary.rows == 0
    written = pd.read_csv(target)
    assert list(written.columns) == ["child_id", "setting", *scheme.output_columns]
    assert len(written) == 0


def test_files_that_cannot_be_scored_are_refused_up_front(
    scheme: ras.Scheme, tmp_path: Path
) -> None:
    frame = cohort(scheme, 10)
    source = tmp_path / "cohort.csv"
    frame.drop(columns=[scheme.question_ids[0]]).to_csv(source, index=False)
    with pytest.raises(ras.AnswerError, match=r"the cohort has no '.*' column") as caught:
        ras.calculate_file(scheme, source, tmp_path / "out.csv", errors="flag")
    assert caught.value.question == scheme.question_ids[0]
    frame.drop(columns=list(scheme.question_ids[:2])).to_csv(source, index=False)
    with pytest.raises(ras.AnswerError) as caught:
        ras.calculate_file(scheme, source, tmp_path / "out.csv")
    assert str(caught.value).startswith("cannot score any row:")  # not "1 row(s)"

    frame.assign(element3=1).to_csv(source, index=False)
    with pytest.raises(ras.CalculationError, match="'element3' would clash"):
        ras.calculate_file(scheme, source, tmp_path / "out.csv")
    with pytest.raises(ras.CalculationError, match="expected a name ending in"):
        ras.calculate_file(scheme, source, tmp_path / "out.xls")
    with pytest.raises(ras.CalculationError, match="is the source"):
        ras.calculate_file(scheme, source, source)
    with pytest.raises(ValueError, match="chunksize"):
        ras.calculate_file(scheme, source, tmp_path / "out.csv", chunksize=0)
    with pytest.raises(FileNotFoundError):
        ras.calculate_file(scheme, tmp_path / "missing.csv", tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_progress_bar_on_standard_error(
    scheme: ras.Scheme, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "cohort.csv", tmp_path / "budgets.csv"
    cohort(scheme, 300).to_csv(source, index=False)
    ras.calculate_file(scheme, source, target, chunksize=100, progress=True)
    err = capsys.readouterr().err
    assert "100%" in err
    assert "300 rows" in err
    assert err.endswith("\n")
    ras.calculate_file(scheme, source, target, chunksize=100)  # automatic: not a terminal
    assert capsys.readouterr().err == ""


def test_parquet_needs_pyarrow_and_says_how_to_install_it(
    scheme: ras.Scheme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    real = importlib.import_module

    def no_pyarrow(name: str, package: str | None = None) -> Any:
        if name.startswith("pyarrow"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real(name, package)

    monkeypatch.setattr("ras._faces.files.importlib.import_module", no_pyarrow)
    source = tmp_path / "cohort.csv"
    cohort(scheme, 10).to_csv(source, index=False)
    with pytest.raises(ImportError, match=r"pip install 'ras\[parquet\]'"):
        ras.calculate_file(scheme, source, tmp_path / "out.parquet")


def test_parquet_in_and_out_in_several_chunks(scheme: ras.Scheme, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    frame = cohort(scheme)
    typed = as_python(frame, scheme)
    q0, q1, q2 = scheme.question_ids[:3]
    typed[q0] = pd.Categorical(frame[q0])  # a dictionary column
    typed[q1] = pd.Series([scheme.option_ids[q1].index(v) if not v.isdigit() else int(v)
                           for v in frame[q1]], dtype="int64")  # positions
    typed[q2] = frame[q2].astype(str)  # text ids and digits, as in a CSV
    typed["age"] = pd.array(np.arange(ROWS) % 19, dtype="Int64")
    typed.loc[3, "age"] = pd.NA  # nullable ints must come through as they are
    for q in scheme.question_ids[3:]:
        typed[q] = typed[q].astype(str)
    typed["setting"] = typed["setting"].astype(str)
    source, target = tmp_path / "cohort.parquet", tmp_path / "budgets.parquet"
    typed.to_parquet(source, index=False)

    summary = ras.calculate_file(scheme, source, target, chunksize=CHUNK, progress=False)
    assert (summary.rows, summary.chunks) == (ROWS, 3)
    written = pd.read_parquet(target)
    expected = scheme.calculate_frame(as_python(frame, scheme))
    assert list(written.columns[:4]) == ["child_id", "setting", "note", "age"]
    assert written["child_id"].tolist() == frame["child_id"].tolist()
    assert written["age"].isna().tolist() == typed["age"].isna().tolist()
    assert_same_figures(written.iloc[:, 4:], expected)

    # and across formats: Parquet to CSV, CSV to Parquet
    csv_out = tmp_path / "budgets.csv"
    ras.calculate_file(scheme, source, csv_out, chunksize=CHUNK, progress=False)
    assert_same_figures(read_csv(csv_out).iloc[:, 4:], expected)
    csv_in, parquet_out = tmp_path / "cohort.csv", tmp_path / "from_csv.parquet"
    frame.to_csv(csv_in, index=False)
    ras.calculate_file(scheme, csv_in, parquet_out, chunksize=CHUNK, errors="flag",
                       progress=False)
    from_csv = pd.read_parquet(parquet_out)
    assert from_csv["child_id"].tolist() == frame["child_id"].tolist()
    assert_same_figures(from_csv.iloc[:, 3:-1], expected)
    assert (from_csv["error"] == "").all()


def test_parquet_to_csv_keeps_a_child_id_that_pandas_wrote_from_its_index(
        scheme: ras.Scheme, tmp_path: Path) -> None:
    """pandas writes a named index as a column with metadata saying so; read back with that
    metadata, it became the index again and the CSV writer dropped it."""
    pytest.importorskip("pyarrow")
    frame = cohort(scheme).iloc[:5].set_index("child_id")
    frame["age"] = pd.array([7, None, 9, 10, 11], dtype="Int64")
    source, target = tmp_path / "cohort.parquet", tmp_path / "budgets.csv"
    frame.to_parquet(source)  # the index is kept, as pandas does by default
    ras.calculate_file(scheme, source, target, progress=False)
    written = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert written["child_id"].tolist() == frame.index.tolist()
    assert written["age"].tolist() == ["7", "", "9", "10", "11"]  # whole numbers, and a blank


@pytest.mark.parametrize(("case", "words"), [
    ("empty", "the file is empty"),
    ("ragged", "not a readable CSV file: Error tokenizing data"),
    ("cp1252", "not UTF-8 text"),
])
def test_a_csv_that_cannot_be_read_is_named_in_one_clear_error(
        scheme: ras.Scheme, tmp_path: Path, case: str, words: str) -> None:
    header = ",".join([*scheme.question_ids, "setting", "note"])
    row = ",".join([*(scheme.option_ids[q][0] for q in scheme.question_ids),
                    scheme.setting_ids[0]])
    content = {"empty": b"",
               "ragged": f"{header}\n{row},fine\n{row},one,too many\n".encode(),
               "cp1252": f"{header}\n{row},café\n".encode("cp1252")}[case]
    source = tmp_path / "cohort.csv"
    source.write_bytes(content)
    for errors in ("raise", "flag"):
        with pytest.raises(ras.CalculationError, match=words) as caught:
            ras.calculate_file(scheme, source, tmp_path / "out.csv", errors=errors,
                               progress=False)
        assert str(source) in str(caught.value)
        assert not (tmp_path / "out.csv").exists()
