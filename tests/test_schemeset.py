"""Schemes over time (issue 6): a folder of versions, the one in force on a date, dated cohorts."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ras import AnswerError, CalculationError, Scheme, SchemeError, SchemeSet, load_schemes

date = dt.date


def scheme_yaml(scheme_id: str, version: str, start: str, end: str | None, rate: int) -> str:
    """A minimal scheme: one domain, one question with two options, a rate, one setting."""
    until = f"effective_to: {end}\n" if end else ""
    return f"""\
ras_scheme: 1
id: {scheme_id}
name: Test scheme {version}
version: "{version}"
effective_from: {start}
{until}domains:
  - id: needs
    label: Needs
    questions:
      - id: support
        label: Support needed
        options:
          - {{id: none, label: No additional support, points: 0}}
          - {{id: high, label: Daily 1:1 support, points: 10}}
pricing:
  education: {{method: rate, rate: {rate}}}
settings:
  mainstream:
    label: Mainstream school
    element1: 4500
    element2: 6000
    ras_covers: additional_support
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    # 2026-27 prices a point at 1,000 and 2027-28 at 1,200 (open-ended).
    write(
        tmp_path,
        "county-2026.yaml",
        scheme_yaml("county", "2026-27", "2026-04-01", "2027-03-31", 1000),
    )
    write(tmp_path, "county-2027.yml", scheme_yaml("county", "2027-28", "2027-04-01", None, 1200))
    write(tmp_path, "notes.txt", "not a scheme")
    return tmp_path


def test_load_schemes_reads_every_scheme_file(two_years: Path) -> None:
    schemes = load_schemes(two_years)
    assert isinstance(schemes, SchemeSet)
    assert [s.version for s in schemes] == ["2026-27", "2027-28"]
    assert len(schemes) == 2
    assert schemes.ids == ("county",)
    assert list(schemes.to_frame()["scheme_version"]) == ["2026-27", "2027-28"]
    assert "county-2026.yaml" in repr(schemes)


def test_for_date_gives_the_version_in_force_both_ends_inclusive(two_years: Path) -> None:
    schemes = load_schemes(two_years)
    assert schemes.for_date(date(2026, 4, 1)).version == "2026-27"
    assert schemes.for_date(date(2027, 3, 31)).version == "2026-27"
    assert schemes.for_date("2027-04-01").version == "2027-28"
    assert schemes.for_date(dt.datetime(2040, 1, 1, 12, 0)).version == "2027-28"


def test_no_scheme_in_force_names_the_files(two_years: Path) -> None:
    schemes = load_schemes(two_years)
    with pytest.raises(CalculationError, match="no scheme is in force on 2026-03-31") as raised:
        schemes.for_date(date(2026, 3, 31))
    assert "county-2026.yaml" in str(raised.value)
    assert "county-2027.yml" in str(raised.value)


def test_overlapping_versions_of_one_scheme_are_refused_at_load(tmp_path: Path) -> None:
    # 2026-27 runs to 30 April 2027, a month into 2027-28.
    write(tmp_path, "a.yaml", scheme_yaml("county", "2026-27", "2026-04-01", "2027-04-30", 1000))
    write(tmp_path, "b.yaml", scheme_yaml("county", "2027-28", "2027-04-01", "2028-03-31", 1200))
    with pytest.raises(SchemeError, match="overlaps") as raised:
        load_schemes(tmp_path)
    message = str(raised.value)
    assert "a.yaml" in message
    assert "b.yaml" in message
    assert raised.value.file is not None
    assert raised.value.file.endswith("b.yaml")
    assert raised.value.key_path == "effective_from"


def test_an_open_ended_version_overlaps_every_later_one(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", scheme_yaml("county", "2026-27", "2026-04-01", None, 1000))
    write(tmp_path, "b.yaml", scheme_yaml("county", "2028-29", "2028-04-01", None, 1200))
    with pytest.raises(SchemeError, match="open-ended"):
        load_schemes(tmp_path)


def test_two_files_with_one_version_name_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", scheme_yaml("county", "v1", "2026-04-01", "2027-03-31", 1000))
    write(tmp_path, "b.yaml", scheme_yaml("county", "v1", "2027-04-01", "2028-03-31", 1200))
    with pytest.raises(SchemeError, match="same version name"):
        load_schemes(tmp_path)


def test_different_schemes_may_overlap_but_then_a_date_is_ambiguous(tmp_path: Path) -> None:
    write(tmp_path, "early.yaml", scheme_yaml("early-years", "1", "2026-04-01", None, 500))
    write(tmp_path, "school.yaml", scheme_yaml("school-age", "1", "2026-04-01", None, 1000))
    schemes = load_schemes(tmp_path)
    with pytest.raises(CalculationError, match="2 schemes are in force on 2026-09-01") as raised:
        schemes.for_date(date(2026, 9, 1))
    assert "early.yaml" in str(raised.value)
    assert "school.yaml" in str(raised.value)
    assert "scheme_id=" in str(raised.value)
    assert schemes.for_date(date(2026, 9, 1), scheme_id="school-age").id == "school-age"
    with pytest.raises(CalculationError, match="no scheme has id 'adult'"):
        schemes.for_date(date(2026, 9, 1), scheme_id="adult")


def test_folders_without_schemes_and_broken_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CalculationError, match="not a folder"):
        load_schemes(tmp_path / "missing")
    with pytest.raises(CalculationError, match="no scheme files"):
        load_schemes(tmp_path)
    write(tmp_path, "broken.yaml", "ras_scheme: 1\nid: county\n")
    with pytest.raises(SchemeError) as raised:
        load_schemes(tmp_path)
    assert "broken.yaml" in str(raised.value)


# --- dated cohorts -------------------------------------------------------------------------------


def dated_cohort() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "support": ["high", "high", "none", "high", "high"],
            "setting": ["mainstream"] * 5,
            "date": ["2027-04-01", "2026-09-01", "2027-01-15", "2027-03-31", "2030-01-01"],
        },
        index=pd.Index(["amy", "ben", "cal", "dee", "eve"], name="child"),
    )


def test_calculate_frame_uses_the_scheme_in_force_on_each_rows_date(two_years: Path) -> None:
    schemes = load_schemes(two_years)
    cohort = dated_cohort()
    frame = schemes.calculate_frame(cohort)
    assert list(frame.index) == ["amy", "ben", "cal", "dee", "eve"]
    assert frame.index.name == "child"
    assert list(frame.columns[:2]) == ["scheme_id", "scheme_version"]
    assert list(frame["scheme_id"]) == ["county"] * 5
    assert list(frame["scheme_version"]) == ["2027-28", "2026-27", "2026-27", "2026-27", "2027-28"]
    # 10 points x 1,000 = 10,000 - element 2 of 6,000 = 4,000 top-up in 2026-27;
    # 10 points x 1,200 = 12,000 - 6,000 = 6,000 in 2027-28; no need, no top-up.
    assert list(frame["element3"]) == [6000.0, 4000.0, 0.0, 4000.0, 6000.0]
    assert list(frame["education_amount"]) == [12000.0, 10000.0, 0.0, 10000.0, 12000.0]


def test_each_version_is_calculated_once_not_per_row(
    two_years: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = Scheme.calculate_frame

    def counting(self: Scheme, cohort: pd.DataFrame, **kw: Any) -> pd.DataFrame:
        calls.append(len(cohort))
        return original(self, cohort, **kw)

    monkeypatch.setattr(Scheme, "calculate_frame", counting)
    cohort = pd.concat([dated_cohort()] * 200)
    frame = load_schemes(two_years).calculate_frame(cohort)
    assert sorted(calls) == [400, 600]
    assert len(frame) == 1000


def test_results_match_each_schemes_own_calculation(two_years: Path) -> None:
    schemes = load_schemes(two_years)
    cohort = dated_cohort()
    frame = schemes.calculate_frame(cohort)
    for label, row in cohort.iterrows():
        own = schemes.for_date(row["date"]).calculate_frame(cohort.loc[[label]])
        for column in own.columns:
            assert frame.at[label, column] == own.at[label, column], (label, column)


def test_duplicate_labels_and_datetime_columns(two_years: Path) -> None:
    cohort = dated_cohort()
    cohort.index = pd.Index(["x", "x", "y", "y", "y"])
    cohort["date"] = pd.to_datetime(cohort["date"]) + pd.Timedelta(hours=15)
    frame = load_schemes(two_years).calculate_frame(cohort)
    assert list(frame.index) == ["x", "x", "y", "y", "y"]
    assert list(frame["element3"]) == [6000.0, 4000.0, 0.0, 4000.0, 6000.0]


def test_another_date_column_and_python_dates(two_years: Path) -> None:
    cohort = dated_cohort().rename(columns={"date": "placed_on"})
    cohort["placed_on"] = [date.fromisoformat(d) for d in cohort["placed_on"]]
    frame = load_schemes(two_years).calculate_frame(cohort, date_column="placed_on")
    assert list(frame["scheme_version"])[:2] == ["2027-28", "2026-27"]
    with pytest.raises(CalculationError, match="no 'date' column"):
        load_schemes(two_years).calculate_frame(cohort)


def bad_dates() -> pd.DataFrame:
    cohort = dated_cohort()
    cohort["date"] = ["2027-04-01", "2025-12-25", None, "31/03/2027", "2026-09-01"]
    return cohort


def test_rows_without_a_scheme_raise_naming_the_rows(two_years: Path) -> None:
    with pytest.raises(AnswerError) as raised:
        load_schemes(two_years).calculate_frame(bad_dates())
    error = raised.value
    assert error.rows == ("ben", "cal", "dee")
    assert error.question == "date"
    message = str(error)
    assert "no scheme is in force on 2025-12-25" in message
    assert "county-2026.yaml" in message
    assert "no date" in message
    assert "'31/03/2027' is not a date" in message


def test_rows_without_a_scheme_are_flagged_with_no_figures(two_years: Path) -> None:
    frame = load_schemes(two_years).calculate_frame(bad_dates(), errors="flag")
    assert list(frame.index) == ["amy", "ben", "cal", "dee", "eve"]
    assert frame.at["amy", "error"] == ""
    assert frame.at["eve", "error"] == ""
    assert "no scheme is in force on 2025-12-25" in frame.at["ben", "error"]
    assert "no date" in frame.at["cal", "error"]
    assert "is not a date" in frame.at["dee", "error"]
    for label in ("ben", "cal", "dee"):
        assert math.isnan(frame.at[label, "element3"])  # missing, never zero
        assert frame.at[label, "education_review"] == ""
        assert pd.isna(frame.at[label, "scheme_version"])
    assert list(frame["element3"].loc[["amy", "eve"]]) == [6000.0, 4000.0]


def test_bad_answers_still_name_the_cohorts_own_row_labels(two_years: Path) -> None:
    cohort = dated_cohort()
    cohort.loc["cal", "support"] = "unknown"
    with pytest.raises(AnswerError) as raised:
        load_schemes(two_years).calculate_frame(cohort)
    assert raised.value.rows == ("cal",)
    flagged = load_schemes(two_years).calculate_frame(cohort, errors="flag")
    assert flagged.at["cal", "error"] != ""
    assert np.isnan(flagged.at["cal", "element3"])
    assert flagged.at["cal", "scheme_version"] == "2026-27"


def test_an_empty_or_wholly_unmatched_cohort(two_years: Path) -> None:
    schemes = load_schemes(two_years)
    empty = schemes.calculate_frame(dated_cohort().iloc[:0])
    assert len(empty) == 0
    assert {"scheme_id", "scheme_version", "element3"} <= set(empty.columns)
    early = dated_cohort().assign(date="2020-01-01")
    flagged = schemes.calculate_frame(early, errors="flag")
    assert list(flagged.index) == list(early.index)
    assert flagged["error"].str.contains("no scheme is in force").all()
    assert flagged["element3"].isna().all()


def test_scheme_id_chooses_among_overlapping_schemes(tmp_path: Path) -> None:
    write(tmp_path, "early.yaml", scheme_yaml("early-years", "1", "2026-04-01", None, 500))
    write(tmp_path, "school.yaml", scheme_yaml("school-age", "1", "2026-04-01", None, 1000))
    schemes = load_schemes(tmp_path)
    cohort = dated_cohort().iloc[:2]
    with pytest.raises(AnswerError, match="2 schemes are in force"):
        schemes.calculate_frame(cohort)
    frame = schemes.calculate_frame(cohort, scheme_id="early-years")
    # 10 points x 500 = 5,000, under element 2 of 6,000: no top-up.
    assert list(frame["scheme_id"]) == ["early-years"] * 2
    assert list(frame["element3"]) == [0.0, 0.0]


def test_timestamps_at_different_utc_offsets_keep_their_own_day(tmp_path: Path) -> None:
    """A GMT date and a BST date in one export: each row is dated by its own calendar day."""
    write(tmp_path, "a.yaml", scheme_yaml("county", "2026-27", "2026-04-01", "2027-03-31", 1000))
    write(tmp_path, "b.YAML", scheme_yaml("county", "2027-28", "2027-04-01", None, 1200))
    schemes = load_schemes(tmp_path)  # the capital suffix is a scheme file too
    assert len(schemes.schemes) == 2
    stamps = ["2027-03-20T10:00:00+00:00", "2027-04-02T10:00:00+01:00", None]  # GMT, BST
    for dates in (stamps, [pd.Timestamp(s).to_pydatetime() if s else None for s in stamps]):
        cohort = pd.DataFrame({"support": ["high"] * 3, "setting": "mainstream", "date": dates})
        frame = schemes.calculate_frame(cohort, errors="flag")
        assert frame["scheme_version"].tolist()[:2] == ["2026-27", "2027-28"]
        assert frame["element3"].tolist()[:2] == [4000.0, 6000.0]
        assert frame["error"].tolist()[2].startswith("no date")
    with pytest.raises(CalculationError, match="missing"):
        schemes.for_date(pd.NaT)
