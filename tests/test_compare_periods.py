"""Compare and sweep say a termly scheme's period with its money ("£350 a term").

Worked by hand from scoring_schemes/early_years_inclusion.yaml (period: term, element 2 is 0 in
both settings, so element 3 is the band's amount): child A has 2 points (emerging in talking and
listening) = Level 1, £350; child B has 4 + 4 = 8 points = Level 2, £700. The reform pays Level 1
£400: totals £1,050 -> £1,100 a term, a change of +£50 a term.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import pytest

import ras
from ras._faces.cli import main
from tests.paths import ROOT

TERMLY = ROOT / "scoring_schemes" / "early_years_inclusion.yaml"
YEARLY = ROOT / "scoring_schemes" / "banded_referral.yaml"
LEVEL1 = "pricing.education.bands.Level 1.amount"


def _cohort() -> pd.DataFrame:
    return pd.DataFrame({
        "talking_listening": ["emerging", "significant"],
        "moving_care": ["expected", "significant"],
        "play_feelings": ["expected", "expected"],
        "medical": ["none", "none"],
        "setting": ["nursery", "childminder"],
    }, index=["A", "B"])


def _comparison() -> ras.Comparison:
    base = ras.load_scheme(TERMLY)
    return ras.compare(base, base.with_changes({LEVEL1: 400}), _cohort())


def test_the_figures_are_the_termly_ones_worked_by_hand() -> None:
    row = _comparison().summary().loc["all"]
    assert row[["base_total", "reform_total", "change"]].tolist() == [1050, 1100, 50]


def test_repr_says_a_term_after_every_amount() -> None:
    text = repr(_comparison())
    assert "total £1,050.00 a term -> £1,100.00 a term (+£50.00 a term like for like)" in text


def test_the_title_and_summary_say_the_period() -> None:
    comparison = _comparison()
    assert comparison._title().startswith("personal SEN budget a term: ")
    assert comparison.summary().attrs["period"] == "term"


def test_html_summary_says_a_term_in_each_money_cell() -> None:
    page = html.unescape(_comparison()._repr_html_())
    for amount in ("£1,050.00 a term", "£1,100.00 a term", "+£50.00 a term"):
        assert amount in page


def test_a_yearly_scheme_says_no_period() -> None:
    base = ras.load_scheme(YEARLY)
    reform = base.with_changes({"pricing.education.bands.3.amount": 11000})
    cohort = pd.DataFrame({q: [1, 2] for q in base.question_ids} | {"setting": "mainstream"})
    comparison = ras.compare(base, reform, cohort)
    assert " a year" not in repr(comparison)
    assert " a term" not in repr(comparison)
    assert "total £16,000.00 -> £17,000.00 (+£1,000.00 like for like)" in repr(comparison)


def test_schemes_of_different_periods_are_not_compared(tmp_path: Path) -> None:
    termly = ras.load_scheme(TERMLY)
    text = TERMLY.read_text(encoding="utf-8")
    assert "\nperiod: term\n" in text
    (tmp_path / "yearly.yaml").write_text(text.replace("\nperiod: term\n", "\n"),
                                          encoding="utf-8")
    yearly = ras.load_scheme(tmp_path / "yearly.yaml")
    assert yearly.period == "year"
    with pytest.raises(ras.UsageError, match="per term and the reform's per year"):
        ras.compare(termly, yearly, _cohort())


def test_sweep_carries_the_period(tmp_path: Path) -> None:
    frame = ras.sweep(ras.load_scheme(TERMLY), _cohort(), LEVEL1, [350, 400])
    assert frame["total"].tolist() == [1050, 1100]
    assert frame.attrs["period"] == "term"
    assert frame.attrs["per"] == " a term"
    yearly = ras.load_scheme(YEARLY)
    cohort = pd.DataFrame({q: [1] for q in yearly.question_ids} | {"setting": "mainstream"})
    assert ras.sweep(yearly, cohort, "pricing.education.bands.3.amount", [1]).attrs["per"] == ""


def test_ras_compare_says_a_term(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    reform = ras.load_scheme(TERMLY).with_changes({LEVEL1: 400})
    (tmp_path / "reform.yaml").write_text(reform.to_yaml(), encoding="utf-8")
    _cohort().rename_axis("child_id").to_csv(tmp_path / "cohort.csv")
    status = main(["compare", str(TERMLY), str(tmp_path / "reform.yaml"),
                   str(tmp_path / "cohort.csv"), "--html", str(tmp_path / "r.html")])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert out.splitlines()[0].startswith("personal SEN budget a term: ")
    head = out.splitlines()[1]
    assert "base total a term" in head
    assert "reform total a term" in head
    assert "change a term" in head
    assert "£1,050.00" in out
    assert "£50.00" in out
    page = html.unescape((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "£1,050.00 a term" in page  # the summary and the cost-neutrality table
    assert "personal SEN budget a term" in page
