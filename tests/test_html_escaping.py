"""Every HTML output escapes the scheme's and the cohort's own text (issue 13, item 7).

One scheme whose every label, the setting ids, the band labels, the version and a plan line's
description are hostile markup, run through every ``_repr_html_`` and ``to_html`` in the library
and the command line's ``--html`` report. The HTML is parsed: only the tags and attributes the
library writes itself may appear, and the hostile text must be there as text, not lost.
"""

from __future__ import annotations

import copy
import html.parser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ras
from ras._faces.cli import main
from tests.toy_scheme import TOY

HOSTILE = "<img src=x onerror=alert(1)>"
QUOTES = "\"'&amp; & <b>bold</b>"
SETTING = "<script>alert(2)</script>"

# what the library writes itself: tag -> the attributes it may carry
ALLOWED: dict[str, set[str]] = {
    **{tag: set() for tag in ("html", "head", "body", "title", "style", "h1", "h2", "h3", "h4",
                              "p", "strong", "em", "small", "ul", "li", "dl", "dt", "dd",
                              "thead", "tbody", "div")},
    "html": {"lang"}, "meta": {"charset"}, "div": {"class"},
    "table": {"class", "border"}, "tr": {"style"}, "td": {"style"},
    "th": {"style", "scope", "rowspan", "valign"},  # a MultiIndex (groups of two columns)
    "img": {"alt", "src"},  # only the chart, checked below
}


class _Strict(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unexpected: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ALLOWED.get(tag)
        if allowed is None:
            self.unexpected.append(f"<{tag}>")
            return
        for name, value in attrs:
            if name not in allowed:
                self.unexpected.append(f"<{tag} {name}={value!r}>")
            elif name == "src" and not (value or "").startswith("data:image/png;base64,"):
                self.unexpected.append(f"<{tag} src={value!r}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(markup: str) -> str:
    parser = _Strict()
    parser.feed(markup)
    parser.close()
    assert parser.unexpected == []
    return "".join(parser.text)


def _hostile_data() -> dict[str, Any]:
    data = copy.deepcopy(TOY)
    data["name"] = f"Council {HOSTILE}"
    data["version"] = f"v{QUOTES}"
    data["streams"] = {"education": {"label": f"Education {HOSTILE}"},
                       "social_care": {"label": f"Care {QUOTES}"}}
    for domain in data["domains"]:
        domain["label"] = f"{domain['id']} {HOSTILE}"
        for question in domain["questions"]:
            question["label"] = f"{question['id']} {QUOTES}"
            for option in question["options"]:
                option["label"] = f"{option['id']} {HOSTILE}"
    for band in data["pricing"]["social_care"]["bands"]:
        band["label"] = f"{band['label']}{HOSTILE}"
    settings = data["settings"]
    data["settings"] = {SETTING: {**settings["mainstream"], "label": f"School {HOSTILE}"},
                        "special": {**settings["special"], "label": QUOTES},
                        "unit": settings["unit"]}
    return data


@pytest.fixture(scope="module")
def hostile() -> ras.Scheme:
    return ras.Scheme.from_dict(_hostile_data())


def _cohort() -> pd.DataFrame:
    return pd.DataFrame({"expressive_language": [2, 1, 2], "social": [2, 1, 0],
                         "family_support": [0, 1, 2], "setting": [SETTING, "special", SETTING]},
                        index=pd.Index([HOSTILE, QUOTES, "c"], name="child"))


def test_explanation(hostile: ras.Scheme) -> None:
    budget = hostile.calculate({"expressive_language": 2, "social": 2, "family_support": 1},
                               setting=SETTING)
    text = _parse(budget.explain()._repr_html_())
    assert HOSTILE in text
    assert QUOTES in text


def test_comparison_and_protection(hostile: ras.Scheme) -> None:
    reform = hostile.with_changes({"pricing.education.rate": 900})
    comparison = ras.compare(hostile, reform, _cohort())
    assert f"School {HOSTILE}" in _parse(comparison._repr_html_())  # the setting's label
    _parse(ras.protect(comparison, share=0.5)._repr_html_())
    # cohort text: a group's values and the names of the by and weights columns
    groups = _cohort().assign(**{f"need {HOSTILE}": [HOSTILE, QUOTES, "x"],
                                 f"w {QUOTES}": [1, 2, 1]})
    by_group = ras.compare(hostile, reform, groups, by=["setting", f"need {HOSTILE}"],
                           weights=f"w {QUOTES}")
    for text in (_parse(by_group._repr_html_()), _parse(by_group.to_html())):
        assert f"need {HOSTILE}" in text
        assert f"School {HOSTILE}" in text
    assert f"w {QUOTES}" in _parse(by_group.to_html())  # the page says what weights it


def test_calibration_names_the_parameter_as_text(hostile: ras.Scheme) -> None:
    path = f"pricing.social_care.bands.C{HOSTILE}.amount"
    calibration = ras.calibrate(hostile, _cohort(), 8000, path, measure="total_personal_budget")
    assert path in _parse(calibration._repr_html_())


def test_plan_statement(hostile: ras.Scheme) -> None:
    plan = ras.Plan([{"description": f"Tutor {HOSTILE}", "stream": "education",
                      "delivery": "arrangement", "cost": 9000, "delivered_by": "setting"}])
    indicative = hostile.calculate({"expressive_language": 2, "social": 2, "family_support": 1},
                                   setting=SETTING)
    budget = plan.personal_budget(hostile, SETTING, indicative=indicative)
    text = _parse(budget._repr_html_())
    assert f"Tutor {HOSTILE}" in text
    _parse(budget.statement().to_html())


def test_the_command_line_report(hostile: ras.Scheme, tmp_path: Path) -> None:
    import yaml

    data = _hostile_data()
    data["effective_from"] = "2026-04-01"
    base = tmp_path / "base.yaml"
    base.write_text(yaml.safe_dump(data), encoding="utf-8")
    data["pricing"]["education"]["rate"] = 900
    reform = tmp_path / "reform.yaml"
    reform.write_text(yaml.safe_dump(data), encoding="utf-8")
    cohort = tmp_path / "cohort.csv"
    _cohort().to_csv(cohort)
    report = tmp_path / "report.html"
    assert main(["compare", str(base), str(reform), str(cohort), "--html", str(report)]) == 0
    text = _parse(report.read_text(encoding="utf-8"))
    assert HOSTILE in text
