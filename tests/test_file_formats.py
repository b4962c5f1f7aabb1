"""Exact, self-describing, spreadsheet-safe output files (issue 18 item 2; issue 13 items 8, 18).

The expected money comes from ``scheme.calculate`` (Decimal pounds, one child at a time), never
from the file writer under test.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import ras
from ras._faces.cli import main
from tests.paths import FIXTURES, SCHEMES

pytestmark = pytest.mark.usefixtures("csv_reader")  # each test with both CSV readers

SMALL = FIXTURES / "valid_small.yaml"
BANDED = SCHEMES / "banded_referral.yaml"
MONEY = re.compile(r"-?[0-9]+\.[0-9]{2}")


def children(scheme: ras.Scheme, n: int) -> pd.DataFrame:
    rows = []
    for i in range(n):
        row = {"child_id": f"K{i:04d}"}
        for j, q in enumerate(scheme.question_ids):
            options = scheme.option_ids[q]
            row[q] = options[-1] if i % 5 == 0 else options[(i * 7 + j * 3) % len(options)]
        row["setting"] = scheme.setting_ids[i % len(scheme.setting_ids)]
        rows.append(row)
    return pd.DataFrame(rows)


def exact(scheme: ras.Scheme, frame: pd.DataFrame, column: str) -> list[str]:
    """Each child's figure from the one-child API, as two-decimal text ('' when missing)."""
    out = []
    for _, row in frame.iterrows():
        budget = scheme.calculate({q: row[q] for q in scheme.question_ids},
                                  setting=row["setting"])
        value = (budget.stream_amounts[column.removesuffix("_amount")]
                 if column.endswith("_amount") else getattr(budget, column))
        out.append("" if value is None else f"{Decimal(value):.2f}")
    return out


@pytest.fixture(scope="module")
def banded() -> ras.Scheme:
    return ras.load_scheme(BANDED)


# -- money --------------------------------------------------------------------------------


def test_csv_money_is_two_decimal_text_equal_to_the_exact_figures(banded: ras.Scheme,
                                                                 tmp_path: Path) -> None:
    frame = children(banded, 60)
    source, target = tmp_path / "c.csv", tmp_path / "b.csv"
    frame.to_csv(source, index=False)
    ras.calculate_file(banded, source, target, progress=False)
    written = pd.read_csv(target, dtype=str, keep_default_na=False)
    for column in ("element3", "personal_sen_budget", "element1", "element2"):
        cells = written[column].tolist()
        assert all(c == "" or MONEY.fullmatch(c) for c in cells), column
        assert cells == exact(banded, frame, column), column
    assert (written["element3"] == "").any()  # referrals: missing, never 0.00
    points = next(c for c in written.columns if c.startswith("points_"))
    assert not written[points].str.fullmatch(r"[0-9]+\.[0-9]{2}").all()  # points are not money


def test_parquet_money_is_decimal128_and_floats_on_request(banded: ras.Scheme,
                                                           tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    frame = children(banded, 40)
    source = tmp_path / "c.csv"
    frame.to_csv(source, index=False)
    ras.calculate_file(banded, source, tmp_path / "exact.parquet", chunksize=15, progress=False)
    table = pq.read_table(tmp_path / "exact.parquet")
    assert table.schema.field("element3").type == pa.decimal128(18, 2)
    assert table.schema.field("total_personal_budget").type == pa.decimal128(18, 2)
    assert pa.types.is_floating(table.schema.field(
        next(n for n in table.column_names if n.startswith("points_"))).type)
    got = ["" if v is None else f"{v:.2f}" for v in table.column("element3").to_pylist()]
    assert got == exact(banded, frame, "element3")
    ras.calculate_file(banded, source, tmp_path / "float.parquet", money="float",
                       progress=False)
    floats = pq.read_table(tmp_path / "float.parquet")
    assert floats.schema.field("element3").type == pa.float64()
    with pytest.raises(ras.UsageError, match="money must be"):
        ras.calculate_file(banded, source, tmp_path / "x.parquet", money="pounds",  # type: ignore[arg-type]
                           progress=False)


def test_an_empty_cohort_gives_typed_empty_parquet(banded: ras.Scheme, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "c.csv"
    children(banded, 1).iloc[:0].to_csv(source, index=False)
    ras.calculate_file(banded, source, tmp_path / "b.parquet", progress=False)
    table = pq.read_table(tmp_path / "b.parquet")
    assert table.num_rows == 0
    assert table.schema.field("element3").type == pa.decimal128(18, 2)
    assert table.schema.metadata[b"ras.scheme_id"] == banded.id.encode()


# -- provenance ----------------------------------------------------------------------------


def test_parquet_carries_its_provenance_and_csv_on_request(banded: ras.Scheme,
                                                           tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "c.csv"
    children(banded, 5).to_csv(source, index=False)
    ras.calculate_file(banded, source, tmp_path / "b.parquet", progress=False)
    metadata = pq.read_schema(tmp_path / "b.parquet").metadata
    assert metadata[b"ras.scheme_id"].decode() == banded.id
    assert metadata[b"ras.scheme_version"].decode() == banded.version
    assert metadata[b"ras.scheme_fingerprint"].decode() == banded.fingerprint
    assert metadata[b"ras.version"].decode() == ras.__version__
    ras.calculate_file(banded, source, tmp_path / "b.csv", provenance=True, progress=False)
    written = pd.read_csv(tmp_path / "b.csv", dtype=str)
    assert written.columns[-4:].tolist() == ["ras_scheme_id", "ras_scheme_version",
                                             "ras_scheme_fingerprint", "ras_version"]
    assert set(written["ras_scheme_fingerprint"]) == {banded.fingerprint}
    plain = pd.read_csv(tmp_path / "b.csv", dtype=str, nrows=0)
    assert "ras_scheme_id" in plain.columns
    ras.calculate_file(banded, source, tmp_path / "c2.csv", progress=False)
    assert "ras_scheme_id" not in pd.read_csv(tmp_path / "c2.csv", nrows=0).columns


def test_the_command_line_writes_provenance_columns(capsys: pytest.CaptureFixture[str],
                                                    banded: ras.Scheme, tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    children(banded, 3).to_csv(source, index=False)
    assert main(["calculate", str(BANDED), str(source), "-o", str(tmp_path / "b.csv"),
                 "--provenance"]) == 0
    written = pd.read_csv(tmp_path / "b.csv", dtype=str)
    assert set(written["ras_scheme_id"]) == {banded.id}


# -- issue 13, item 18: float64 pounds hold every penny only below £2**46 --------------------


def huge(rate: str) -> ras.Scheme:
    return ras.Scheme.from_yaml(SMALL.read_text().replace("rate: 300.2\n    maximum: 3000",
                                                          f"rate: {rate}"))


def test_amounts_beyond_two_to_the_46_pounds_are_refused_in_frames_and_files(
        tmp_path: Path) -> None:
    scheme = huge("10000000000000")  # 12 points: £120 trillion
    answers = {"speech": "lots", "listening": "some", "breaks": "none"}
    exact_budget = scheme.calculate(answers, setting="mainstream")
    assert exact_budget.element3 == Decimal("119999999994000.00")  # Decimal has no bound
    frame = pd.DataFrame([{**answers, "setting": "mainstream"}])
    with pytest.raises(ras.CalculationError, match=r"beyond £70,368,744,177,664 \(2\*\*46\)"):
        scheme.calculate_frame(frame)
    source = tmp_path / "c.csv"
    frame.to_csv(source, index=False)
    with pytest.raises(ras.CalculationError, match="2\\*\\*46"):
        ras.calculate_file(scheme, source, tmp_path / "b.csv", progress=False)
    assert not (tmp_path / "b.csv").exists()


def test_flagging_flags_the_row_beyond_the_bound_and_keeps_every_other(tmp_path: Path) -> None:
    # errors="flag" refused the whole frame (CalculationError) for one child's amount
    scheme = huge("10000000000000")
    frame = pd.DataFrame([
        {"speech": "some", "listening": "none", "breaks": "none", "setting": "mainstream"},
        {"speech": "lots", "listening": "some", "breaks": "none", "setting": "mainstream"},
        {"speech": "wheelchair", "listening": "none", "breaks": "none", "setting": "mainstream"},
    ], index=["a", "b", "c"])
    result = scheme.calculate_frame(frame, errors="flag")
    assert list(result.index) == ["a", "b", "c"]
    # a: 3 points x 1.5 = 4.5 points x £10,000,000,000,000 = £45 trillion, below the bound
    assert result.loc["a", "education_amount"] == 45_000_000_000_000
    assert result.loc["a", "error"] == ""
    # b: 12 points (the cap) = £120 trillion: flagged, its figures missing, never zero
    assert result.loc["b", "error"] == (
        "education_amount: an amount of £120,000,000,000,000 is beyond £70,368,744,177,664 "
        "(2**46), where float64 pounds in a frame or file cannot hold every penny; price such "
        "a child with scheme.calculate, which gives exact Decimal pounds")
    assert result.loc["b", ["education_amount", "element3", "points_communication"]].isna().all()
    # c: its own bad answer, not a second reason
    assert result.loc["c", "error"].startswith("speech: unknown option 'wheelchair'")
    source = tmp_path / "c.csv"
    frame.to_csv(source, index=False)
    summary = ras.calculate_file(scheme, source, tmp_path / "b.csv", errors="flag",
                                 progress=False)
    written = pd.read_csv(tmp_path / "b.csv", dtype=str, keep_default_na=False)
    assert (summary.rows, summary.bad_rows) == (3, 2)
    assert written["education_amount"].tolist() == ["45000000000000.00", "", ""]
    assert written.loc[1, "error"].startswith("education_amount: an amount of £120,000,")


def test_flagging_a_number_answer_beyond_the_bound() -> None:
    # version 2: 38 weeks x 32.5 hours x 100,000,000,000 points an hour, at £1 a point, with
    # no maximum: £123.5 trillion; 1 hour is £3.8 trillion
    scheme = ras.load_scheme(SCHEMES / "hours_top_up.yaml").with_changes({
        "domains.support.questions.assistant_hours.number.points_per_unit": "1E+11",
        "pricing.education.maximum": None})
    frame = pd.DataFrame([dict.fromkeys(scheme.question_ids, 0) | {"assistant_hours": hours}
                          | {"setting": scheme.setting_ids[0]} for hours in (1, 32.5)])
    result = scheme.calculate_frame(frame, errors="flag")
    assert result.loc[0, "education_amount"] == 3_800_000_000_000
    assert result.loc[0, "error"] == ""
    assert result.loc[1, "error"].startswith("education_amount: an amount of "
                                             "£123,500,000,000,000 is beyond")
    with pytest.raises(ras.CalculationError, match=r"£123,500,000,000,000 is beyond"):
        scheme.calculate_frame(frame)


def test_amounts_just_below_the_bound_are_exact_to_the_penny(tmp_path: Path) -> None:
    # 3 points at £23,456,248,059,221.33: £70,368,744,177,663.99, the last penny below 2**46
    scheme = ras.Scheme.from_yaml(
        SMALL.read_text().replace("rate: 300.2\n    maximum: 3000", "rate: 23456248059221.33")
        .replace("weight: 1.5\n    cap: 12", "weight: 1").replace("rounding: {unit: 1",
                                                                   "rounding: {unit: 0.01"))
    answers = {"speech": "some", "listening": "none", "breaks": "none"}
    amount = scheme.calculate(answers, setting="special").stream_amounts["education"]
    assert amount == Decimal("70368744177663.99")
    source = tmp_path / "c.csv"
    pd.DataFrame([{**answers, "setting": "special"}]).to_csv(source, index=False)
    ras.calculate_file(scheme, source, tmp_path / "b.csv", progress=False)
    written = pd.read_csv(tmp_path / "b.csv", dtype=str)
    assert written.loc[0, "education_amount"] == "70368744177663.99"


# -- issue 13, item 8: spreadsheet-safe CSV ------------------------------------------------


HOSTILE = ["=1+1", "+44 7700 900123", "-2+3", "@SUM(A1)", "\tx", "\rx", "-12.50", "+7",
           "plain", "", "a=b"]
NEUTRALISED = ["'=1+1", "'+44 7700 900123", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-12.50",
               "+7", "plain", "", "a=b"]


def hostile_cohort(path: Path) -> None:
    lines = ["child_id,speech,listening,breaks,setting,balance"]
    for i, text in enumerate(HOSTILE):
        quoted = '"' + text.replace('"', '""') + '"'
        lines.append(f"{quoted},some,none,{'some' if i % 2 else 'none'},mainstream,-{i}.50")
    path.write_text("\n".join(lines) + "\n")


def banded_labels() -> ras.Scheme:
    return ras.Scheme.from_yaml(SMALL.read_text().replace("{label: B,", "{label: '=HYPERLINK(1)',"))


def test_csv_output_is_spreadsheet_safe_by_default(tmp_path: Path) -> None:
    scheme = banded_labels()
    source, target = tmp_path / "c.csv", tmp_path / "b.csv"
    hostile_cohort(source)
    ras.calculate_file(scheme, source, target, progress=False)
    written = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert written["child_id"].tolist() == NEUTRALISED
    assert written["balance"].tolist() == [f"-{i}.50" for i in range(len(HOSTILE))]  # numbers
    assert set(written["social_care_band"]) == {"A", "'=HYPERLINK(1)"}
    assert all(MONEY.fullmatch(c) for c in written["element3"])  # money untouched


def test_spreadsheet_safety_can_be_turned_off_and_parquet_is_left_as_is(tmp_path: Path) -> None:
    scheme = banded_labels()
    source = tmp_path / "c.csv"
    hostile_cohort(source)
    ras.calculate_file(scheme, source, tmp_path / "raw.csv", spreadsheet_safe=False,
                       progress=False)
    raw = pd.read_csv(tmp_path / "raw.csv", dtype=str, keep_default_na=False)
    assert raw["child_id"].tolist() == HOSTILE
    pytest.importorskip("pyarrow")
    ras.calculate_file(scheme, source, tmp_path / "b.parquet", progress=False)
    assert pd.read_parquet(tmp_path / "b.parquet")["child_id"].fillna("").tolist() == HOSTILE
    ras.calculate_file(scheme, source, tmp_path / "safe.parquet", spreadsheet_safe=True,
                       progress=False)
    assert pd.read_parquet(tmp_path / "safe.parquet")["child_id"].fillna(
        "").tolist() == NEUTRALISED


def test_the_command_line_is_spreadsheet_safe_unless_told(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    hostile_cohort(source)
    assert main(["calculate", str(SMALL), str(source), "-o", str(tmp_path / "a.csv")]) == 0
    assert pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)[
        "child_id"].tolist() == NEUTRALISED
    assert main(["calculate", str(SMALL), str(source), "-o", str(tmp_path / "b.csv"),
                 "--no-spreadsheet-safe"]) == 0
    assert pd.read_csv(tmp_path / "b.csv", dtype=str, keep_default_na=False)[
        "child_id"].tolist() == HOSTILE
    capsys.readouterr()


# -- Excel ---------------------------------------------------------------------------------


def test_xlsx_output_has_pound_cells_text_never_formulas_and_a_provenance_sheet(
        banded: ras.Scheme, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    frame = children(banded, 30)
    frame.loc[0, "child_id"] = "=1+1"
    source, target = tmp_path / "c.csv", tmp_path / "b.xlsx"
    frame.to_csv(source, index=False)
    ras.calculate_file(banded, source, target, chunksize=12, progress=False)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["budgets", "provenance"]
    sheet = book["budgets"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 30
    at = {name: i for i, name in enumerate(header)}
    first = rows[0][at["child_id"]]
    assert (first.value, first.data_type) == ("=1+1", "s")  # text, not a formula
    want = exact(banded, frame, "element3")
    for row, expected in zip(rows, want, strict=True):
        cell = row[at["element3"]]
        if expected == "":
            assert cell.value is None
        else:
            assert isinstance(cell.value, int | float)
            assert f"{Decimal(repr(cell.value)):.2f}" == expected
            assert "£" in cell.number_format
    about = {r[0].value: r[1].value for r in book["provenance"].iter_rows(min_row=2)}
    assert about["scheme id"] == banded.id
    assert about["scheme version"] == banded.version
    assert about["scheme fingerprint"] == banded.fingerprint
    assert about["ras version"] == ras.__version__
    assert about["written (UTC)"]


def test_xlsx_cohorts_are_read_by_the_csv_rules(banded: ras.Scheme, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("openpyxl")
    frame = children(banded, 25).astype(object)
    frame.loc[3, banded.question_ids[0]] = 1  # a position, as a number cell
    source = tmp_path / "cohort.xlsx"
    frame.to_excel(source, index=False)
    ras.calculate_file(banded, source, tmp_path / "b.csv", chunksize=10, progress=False)
    written = pd.read_csv(tmp_path / "b.csv", dtype=str, keep_default_na=False)
    assert written["child_id"].tolist() == frame["child_id"].tolist()
    as_read = frame.copy()
    as_read.loc[3, banded.question_ids[0]] = banded.option_ids[banded.question_ids[0]][1]
    assert written["element3"].tolist() == exact(banded, as_read, "element3")
    assert main(["compare", str(BANDED), str(BANDED), str(source)]) == 0
    assert "25" in capsys.readouterr().out
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(source.read_bytes()[:200])
    with pytest.raises(ras.CalculationError, match=r"not a readable \.xlsx workbook"):
        ras.calculate_file(banded, damaged, tmp_path / "c.csv", progress=False)


# -- standard input and output ----------------------------------------------------------------


def test_dash_reads_standard_input_and_writes_standard_output(
        banded: ras.Scheme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    import io
    import sys

    frame = children(banded, 20)
    data = frame.to_csv(index=False).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    summary = ras.calculate_file(banded, "-", tmp_path / "b.csv", progress=False)
    assert (summary.source, summary.rows) == ("standard input", 20)
    assert pd.read_csv(tmp_path / "b.csv", dtype=str, keep_default_na=False)[
        "element3"].tolist() == exact(banded, frame, "element3")

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["calculate", str(BANDED), "-", "-o", "-"]) == 0
    out, err = capsysbinary.readouterr()
    written = pd.read_csv(io.BytesIO(out), dtype=str, keep_default_na=False)
    assert written["element3"].tolist() == exact(banded, frame, "element3")
    assert b"20 rows from standard input written to standard output" in err  # not in the CSV

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["compare", str(BANDED), str(BANDED), "-"]) == 0
    assert b"20" in capsysbinary.readouterr().out

    answers = {q: banded.option_ids[q][0] for q in banded.question_ids}
    text = "\n".join(f"{q}: {o}" for q, o in answers.items()) + "\nsetting: mainstream\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert main(["explain", str(BANDED), "-"]) == 0
    assert b"budget" in capsysbinary.readouterr().out.lower()
