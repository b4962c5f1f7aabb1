"""What people see of a comparison: the page to_html writes, _repr_html_ in a notebook, the chart
that shows itself, in words, with every scheme and cohort text escaped and never read as
mathtext."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ras
from ras._faces.cli import main
from tests.test_compare import LOSSES, _Checker
from tests.toy_scheme import cohort, toy

HOSTILE = '<img src=x onerror="alert(1)">'
PNG = b"\x89PNG\r\n\x1a\n"


def _labelled(**top: Any) -> ras.Scheme:
    data = toy().model.model_dump()
    data.update(top)
    data["settings"]["mainstream"]["label"] = "Mainstream school"
    data["settings"]["unit"]["label"] = "Resourced unit"
    return ras.Scheme.from_dict(data)


def _comparison(base: ras.Scheme | None = None, **options: Any) -> ras.Comparison:
    base = base or _labelled()
    frame = cohort().assign(need=["ASD", "SLCN", "ASD", "SLCN", "SLCN"], weight=[1, 2, 1, 1, 1])
    return ras.compare(base, base.with_changes(LOSSES), frame, **options)


def _valid(text: str) -> None:
    checker = _Checker()
    checker.feed(text)
    assert checker.open == []


def test_the_page_reads_in_words() -> None:
    text = _comparison(by="setting").to_html()
    assert text.startswith("<!DOCTYPE html>")
    _valid(text)
    # labels, not ids; the overall row in words
    assert "<th>Mainstream school</th>" in text
    assert "<th>Resourced unit</th>" in text
    assert "<th>mainstream</th>" not in text
    assert "<th>all children</th>" in text
    # columns in words, money to the penny one way, signs on changes
    for heading in ("base total", "reform total", "change %", "loses more than 5%",
                    "no amount (panel)"):
        assert f"<th>{heading}</th>" in text
    assert "base_total" not in text
    assert "£15,000.00" in text
    assert "£14,080.00" in text
    assert "-£920.00" in text  # the change overall
    assert "-6.1%" in text  # -920 / 15,000 = -6.13 %
    assert "Cost neutrality" in text
    assert "£11,000.00" in text  # unit: 8,000 + 3,000 in the base
    assert 'src="data:image/png;base64,' in text


def test_gains_carry_a_plus_sign() -> None:
    base = _labelled()
    reform = base.with_changes({"pricing.education.rate": 1050})
    text = ras.compare(base, reform, cohort()).to_html()
    # c0 4,000 -> 10,500 - 6,000 = 4,500 (+500); c1 stays 0 (5,250 - 6,000); c2 8,000 ->
    # 8,400 (+400); c3 special 0 -> 10,500 - 10,000 = 500 (+500); c4 3,000 -> 3,150 (+150):
    # +1,550 in all
    assert "+£1,550.00" in text
    assert "+10.3%" in text  # 1,550 / 15,000 = 10.33 %


def test_weighted_page_says_so() -> None:
    text = _comparison(by="need", weights="weight").to_html()
    assert "children (weighted)" in text
    assert "Weighted by the column weight (total weight 6)" in text


def test_to_html_writes_the_page_whole(tmp_path: Path) -> None:
    comparison = _comparison()
    target = tmp_path / "report.html"
    text = comparison.to_html(target)
    assert target.read_text(encoding="utf-8") == text
    with pytest.raises(ras.RasError, match="does not exist"):
        comparison.to_html(tmp_path / "no" / "report.html")


def test_repr_html_has_the_chart_inline() -> None:
    pytest.importorskip("matplotlib")
    text = _comparison()._repr_html_()
    _valid(text)
    found = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert found is not None
    assert base64.b64decode(found.group(1)).startswith(PNG)


def test_the_figure_shows_itself_in_a_notebook() -> None:
    matplotlib_figure = pytest.importorskip("matplotlib.figure")
    figure = _comparison().plot()
    assert isinstance(figure, matplotlib_figure.Figure)
    # IPython shows an object's _repr_png_ whatever the backend (no %matplotlib inline)
    assert figure._repr_png_().startswith(PNG)  # type: ignore[attr-defined]


def test_a_grouped_chart_has_a_bar_per_group() -> None:
    pytest.importorskip("matplotlib")
    figure = _comparison(by=["setting", "need"]).plot()
    assert len(figure.axes) == 3
    labels = [t.get_text() for t in figure.axes[2].get_yticklabels()]
    # labels in words; each group's change, like for like: mainstream/ASD is c0 (-700 of
    # 4,000 = -17.5 %)
    assert "Mainstream school / ASD" in labels
    assert "-17.5%" in [t.get_text() for t in figure.axes[2].texts]


def test_scheme_text_is_never_read_as_mathtext(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    base = _labelled(version="$\\frac{$", name="$x^$")
    comparison = _comparison(base, by="setting")
    figure = comparison.plot()
    assert figure._repr_png_().startswith(PNG)  # type: ignore[attr-defined]  # drawn, no crash
    assert "$\\frac{$" in figure.get_suptitle()
    assert "$\\frac{$" in comparison.to_html(tmp_path / "report.html")


def test_hostile_text_is_escaped_everywhere(tmp_path: Path) -> None:
    base = _labelled(name=HOSTILE, version=HOSTILE)
    data = base.model.model_dump()
    data["settings"]["special"]["label"] = HOSTILE
    base = ras.Scheme.from_dict(data)
    frame = cohort().assign(**{HOSTILE: [HOSTILE, "<b>x</b>", "a&b", "x", "x"],
                               "w" + HOSTILE: [1, 1, 1, 1, 1]})
    comparison = ras.compare(base, base.with_changes(LOSSES), frame,
                             by=["setting", HOSTILE], weights="w" + HOSTILE)
    for text in (comparison.to_html(tmp_path / "r.html"), comparison._repr_html_()):
        _valid(text)
        assert "<img src=x" not in text
        assert "<b>" not in text
        assert "&lt;img src=x onerror=" in text
    with pytest.raises(AssertionError):  # the check above can fail
        assert "<img src=x" not in HOSTILE


def test_cli_compares_by_group_with_weights(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    base = _labelled()
    (tmp_path / "base.yaml").write_text(base.to_yaml(), encoding="utf-8")
    (tmp_path / "reform.yaml").write_text(base.with_changes(LOSSES).to_yaml(), encoding="utf-8")
    frame = cohort().assign(need=["ASD", "SLCN", "ASD", "SLCN", "SLCN"],
                            weight=["1", "2", "0.5", "1", "1"])
    frame.to_csv(tmp_path / "cohort.csv", index=False)
    status = main([
        "compare", str(tmp_path / "base.yaml"), str(tmp_path / "reform.yaml"),
        str(tmp_path / "cohort.csv"), "--by", "need", "--weights", "weight",
        "--html", str(tmp_path / "report.html")])
    out, err = capsys.readouterr()
    assert status == 0, err
    lines = out.splitlines()
    assert lines[1] == "weighted by the column weight: totals and counts are weighted"
    assert lines[2].split()[:2] == ["need", "children"]
    # ASD: c0 (weight 1) 4,000 -> 3,300 and c2 (0.5) 8,000 -> 7,840: 8,000 -> 7,220, -780
    asd = next(line for line in lines if line.startswith("ASD"))
    assert asd.split()[:5] == ["ASD", "1.5", "£8,000.00", "£7,220.00", "-£780.00"]
    assert "cost neutrality: each scheme's total" in lines
    unit = next(line for line in lines if line.startswith("setting") and "unit" in line)
    # unit: c2 0.5 x 8,000 + c4 3,000 = 7,000 -> 0.5 x 7,840 + 2,940 = 6,860
    assert unit.split()[2:6] == ["1.5", "£7,000.00", "£6,860.00", "-£140.00"]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Mainstream school" in page
    assert "children (weighted)" in page
    assert out.rstrip().endswith(f"wrote {tmp_path / 'report.html'}")


def test_cli_names_an_unknown_by_column(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "base.yaml").write_text(toy().to_yaml(), encoding="utf-8")
    cohort().to_csv(tmp_path / "cohort.csv", index=False)
    status = main(["compare", str(tmp_path / "base.yaml"), str(tmp_path / "base.yaml"),
                   str(tmp_path / "cohort.csv"), "--by", "need"])
    _, err = capsys.readouterr()
    assert status == 1
    assert "by: the cohort has no column 'need'" in err
    assert "Traceback" not in err


def test_cli_refuses_shifted_positions(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = toy().model.model_dump()
    options = data["domains"][1]["questions"][0]["options"]
    data["domains"][1]["questions"][0]["options"] = [{"id": "crisis", "points": 12}, *options]
    (tmp_path / "base.yaml").write_text(toy().to_yaml(), encoding="utf-8")
    (tmp_path / "reform.yaml").write_text(ras.Scheme.from_dict(data).to_yaml(),
                                          encoding="utf-8")
    pd.DataFrame(cohort()).to_csv(tmp_path / "cohort.csv", index=False)  # answers as positions
    status = main(["compare", str(tmp_path / "base.yaml"), str(tmp_path / "reform.yaml"),
                   str(tmp_path / "cohort.csv")])
    _, err = capsys.readouterr()
    assert status == 1
    assert "position 1 is option 'some' in the base scheme but option 'none' in the reform" \
        in err
