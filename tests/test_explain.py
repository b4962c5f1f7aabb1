"""Explanations: read from the kernel's own run, reconciling to every figure, fit for a parent.

Hand-worked figures are in the comments; the property test checks that every explanation of a
random scheme adds up: answers to areas, areas to streams, streams and elements to totals.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pandas as pd
import pytest
from hypothesis import given

import ras
from tests.strategies import Cohort, scheme_and_cohort

D = Decimal

# Northshire (points_rate.yaml): education = 1500 + 285 x points, clamped to [2000, 22000],
# rounded to the nearest 10 half up; social care in steps: 0-6 at 0, 6-16 at 125, 16+ at 185.
AMIR = {
    "expressive_language": "some",  # 3
    "receptive_language": "some",  # 2
    "social_communication": "substantial",  # 4  -> communication 9 (cap 20 not reached)
    "learning_access": "some",  # 3
    "literacy_numeracy": "some",  # 2   -> cognition 5
    "emotional_regulation": "substantial",  # 4
    "behaviour_safety": "some",  # 2
    "attendance_engagement": "none",  # 0   -> semh 6 x 1.5 = 9 (cap 18 not reached)
    "hearing_vision": "none",
    "mobility": "none",  # -> sensory 0
    "personal_care": "some",  # 2
    "eating_drinking": "none",  # -> independence 2 (cap 12)
    "short_breaks": "occasional",  # 4
    "community_access": "some",  # 3 -> family support 7
}





def _top(scheme: ras.Scheme) -> dict[str, int]:
    return {q: len(options) - 1 for q, options in scheme.option_ids.items()}


def _stream(e: ras.Explanation, stream: str) -> Any:
    return next(s for s in e.streams if s.stream == stream)


def _domain(e: ras.Explanation, domain: str) -> Any:
    return next(d for d in e.domains if d.domain == domain)


# Worked examples ---------------------------------------------------------------------------------


def test_amir_mainstream_every_step(points_rate: ras.Scheme) -> None:
    # education points 9 + 5 + 9 + 0 + 2 = 25; 1500 + 25 x 285 = 8625 -> nearest 10 = 8630
    # element 3 = 8630 - 6000 = 2630; social care 7 points: 6 x 0 + 1 x 125 = 125 -> 130
    # total = 2630 + 130 = 2760
    e = points_rate.calculate(AMIR, setting="mainstream").explain()

    assert isinstance(e, ras.Explanation)
    assert [a.question for a in e.answers] == list(points_rate.question_ids)
    first = e.answers[0]
    assert (first.question_label, first.option, first.points) == (
        "Expressive language (speech, signing, use of words and sentences)", "some", D(3))
    assert first.option_label == "Needs some adult support or visual prompts to express needs"

    semh = _domain(e, "semh")
    assert (semh.answers_total, semh.weight, semh.weighted, semh.cap, semh.capped,
            semh.points) == (D(6), D("1.5"), D(9), D(18), False, D(9))

    edu = _stream(e, "education")
    assert (edu.points, edu.method, edu.base, edu.rate) == (D(25), "rate", D(1500), D(285))
    assert (edu.priced, edu.clamp, edu.clamped) == (D("8625.00"), None, D("8625.00"))
    assert (edu.rounding_unit, edu.rounding_mode, edu.rounding_changed) == (D(10), "half_up",
                                                                            True)
    assert edu.amount == D("8630.00")
    # indicative range: 8630 x 0.90 = 7767 -> 7770; 8630 x 1.15 = 9924.5 -> 9920
    assert (edu.lower, edu.upper) == (D("7770.00"), D("9920.00"))

    care = _stream(e, "social_care")
    assert [(p.from_points, p.points, p.rate, p.amount) for p in care.step_parts] == [
        (D(0), D(6), D(0), D("0.00")), (D(6), D(1), D(125), D("125.00"))]
    assert (care.priced, care.amount) == (D("125.00"), D("130.00"))

    el = e.elements
    assert (el.setting, el.covers, el.element1, el.element2, el.deduction) == (
        "mainstream", "additional_support", D("5000.00"), D("6000.00"), D("6000.00"))
    assert (el.education_amount, el.element3, el.floored) == (D("8630.00"), D("2630.00"),
                                                               False)
    assert (e.personal_sen_budget, e.total_personal_budget) == (D("2630.00"), D("2760.00"))
    assert (e.scheme_id, e.scheme_version, e.scheme_fingerprint) == (
        points_rate.id, points_rate.version, points_rate.fingerprint)
    assert e.ras_version == ras.__version__
    assert len(e.steps) == 14 + 6 + 2 + 1
    assert e.steps[0] is first
    assert e.steps[-1] is el

    text = e.to_text()
    for phrase in (
        "Indicative personal SEN budget: £2,630.00",
        "“Needs some adult support or visual prompts to express needs” scores 3 points",
        "multiplied by 1.5 (its weight), giving 9 points",
        "£1,500.00 + 25 × £285.00 = £8,625.00",
        "£8,625.00 is rounded to the nearest £10 (an exact half is rounded up): £8,630.00",
        "the first £6,000.00 of support, which the school or college pays from its own budget",
        "£8,630.00 − £6,000.00 = £2,630.00",
        "the 1 point above 6 at £125.00 a point: £125.00",
        "= £2,760.00",
        points_rate.fingerprint,
    ):
        assert phrase in " ".join(text.split()), phrase
    assert max(len(line) for line in text.splitlines()) <= 88
    assert str(e) == text


def test_caps_that_bite_and_the_maximum_clamp(points_rate: ras.Scheme) -> None:
    # communication 10 + 8 + 7 = 25 -> cap 20; semh (6 + 7 + 3) x 1.5 = 24 -> cap 18;
    # independence 8 + 6 = 14 -> cap 12; cognition 16, sensory 17 -> education 83 points
    # 1500 + 83 x 285 = 25155 > maximum 22000 -> cut to 22000, panel review
    e = points_rate.calculate(_top(points_rate), setting="mainstream").explain()
    assert [(d.domain, d.capped) for d in e.domains if d.cap is not None] == [
        ("communication", True), ("semh", True), ("independence", True)]
    assert _domain(e, "semh").weighted == D(24)
    edu = _stream(e, "education")
    assert (edu.points, edu.priced, edu.clamp, edu.clamped, edu.amount) == (
        D(83), D("25155.00"), "maximum", D("22000.00"), D("22000.00"))
    assert edu.review.startswith("above the maximum")
    assert not edu.rounding_changed
    text = " ".join(e.to_text().split())
    assert "this area is limited (capped) at 20 points, so it counts 20 points" in text
    assert "more than the scheme's maximum of £22,000.00, so it is cut to £22,000.00" in text
    assert "goes to the panel" in text


def test_element_2_is_place_funding_in_a_whole_place_setting(points_rate: ras.Scheme) -> None:
    special = " ".join(points_rate.calculate(AMIR, setting="special").explain().to_text().split())
    assert "with element 1, the place funding the school or college gets for each place" in special
    assert "pays from its own budget" not in special
    mainstream = " ".join(
        points_rate.calculate(AMIR, setting="mainstream").explain().to_text().split())
    assert "support, which the school or college pays from its own budget" in mainstream


def test_place_funding_all_in_element_1_is_not_called_nothing_taken_off() -> None:
    """A council may book the whole £10,000 place as element 1: then element 2 is nothing, but
    the place funding is still taken off, and the explanation must not say otherwise."""
    scheme = ras.Scheme.from_yaml("""
ras_scheme: 1
id: place-in-element-1
name: Place funding as element 1
version: "1"
effective_from: 2026-04-01
domains:
  - id: d
    questions:
      - id: q
        options: [{id: none, points: 0}, {id: high, points: 10}]
pricing:
  education: {method: rate, rate: 2000}
settings:
  special: {element1: 10000, element2: 0, ras_covers: whole_place}
""")
    budget = scheme.calculate({"q": "high"}, setting="special")
    assert budget.element3 == D("10000.00")  # 10 x £2,000 - £10,000
    text = " ".join(budget.explain().to_text().split())
    assert "nothing is taken off" not in text
    assert "It is not part of this budget" not in text
    assert "Element 2: none in this setting; the place funding is element 1 alone." in text
    assert "£20,000.00 − £10,000.00 = £10,000.00" in text


def test_minimum_clamp(points_rate: ras.Scheme) -> None:
    # no need at all: 1500 + 0 x 285 = 1500 < minimum 2000 -> raised to 2000; early years has
    # no element 2, so element 3 = 2000
    nothing = dict.fromkeys(points_rate.question_ids, 0)
    e = points_rate.calculate(nothing, setting="early_years").explain()
    edu = _stream(e, "education")
    assert (edu.priced, edu.clamp, edu.clamped, edu.amount, edu.review) == (
        D("1500.00"), "minimum", D("2000.00"), D("2000.00"), "")
    assert e.elements.deduction == 0
    assert e.personal_sen_budget == D("2000.00")
    text = " ".join(e.to_text().split())
    assert "less than the scheme's minimum of £2,000.00, so it is raised to £2,000.00" in text
    assert "Element 2: none." in text


def test_referral_leaves_amounts_to_the_panel(banded: ras.Scheme) -> None:
    # every top answer: education 140 > 120 and social care 169 > 160: both referred
    e = banded.calculate(_top(banded), setting="mainstream").explain()
    for stream in ("education", "social_care"):
        s = _stream(e, stream)
        assert s.referred
        assert (s.amount, s.priced, s.clamped, s.band) == (None, None, None, None)
    assert _stream(e, "education").refer_above == D(120)
    assert e.elements.element3 is None
    assert e.personal_sen_budget is None
    assert e.total_personal_budget is None
    data = e.to_dict()
    assert data["personal_sen_budget"] is None
    assert data["streams"][0]["amount"] is None
    text = " ".join(e.to_text().split())
    assert "above the top of the scheme's table, which goes up to 120 points" in text
    assert "referred to the panel, which will decide the amount" in text
    assert "Indicative personal SEN budget: to be set by the panel" in text


def test_a_setting_with_its_own_band_table(banded: ras.Scheme) -> None:
    # special school, every answer at position 2 ("moderate", 10 points each, except
    # memory_processing and vision_hearing/risk whose position 2 is 10 as well):
    # education 8 questions x 10 = 80 -> special table S5 (80-100) = 28000;
    # whole place: 28000 - 4000 - 6000 = 18000
    answers = dict.fromkeys(banded.question_ids, 2)
    e = banded.calculate(answers, setting="special").explain()
    edu = _stream(e, "education")
    assert (edu.points, edu.pricing_setting, edu.band, edu.band_from, edu.band_to) == (
        D(80), "special", "S5", D(80), D(100))
    assert edu.priced == D("28000.00")
    assert (e.elements.covers, e.elements.deduction, e.elements.element3) == (
        "whole_place", D("10000.00"), D("18000.00"))
    text = " ".join(e.to_text().split())
    assert "This setting has its own price table" in text
    assert "falls in band S5 (from 80 up to 100 points, not including 100)" in text
    assert "£28,000.00 − £10,000.00 = £18,000.00" in text


def test_steps_and_half_even_rounding(need_levels: ras.Scheme) -> None:
    # Westmoor health: steps 0-3 at 0, 3-6 at 162.50, 6+ at 218.75; the top answers give
    # health (4 + 4) x 2 = 16 points, capped at 12 (if the scheme caps it) -> read the trace
    e = need_levels.calculate(_top(need_levels), setting="mainstream").explain()
    health = _stream(e, "health")
    assert health.method == "steps"
    assert sum((p.amount for p in health.step_parts), D(0)) == health.priced
    assert sum((p.points for p in health.step_parts), D(0)) == max(health.points, D(0))
    assert health.rounding_mode == "half_even"
    assert e.elements.covers == "top_up"
    assert e.elements.element3 == _stream(e, "education").amount
    assert "already the top-up" in e.to_text()


# Output formats -----------------------------------------------------------------------------------


class _Balanced(HTMLParser):
    """Checks that every opened tag is closed in order (void elements aside)."""

    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with {self.stack[-1:]} open")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _check_html(markup: str) -> _Balanced:
    parser = _Balanced()
    parser.feed(markup)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


def test_html_is_valid_and_formats_money(points_rate: ras.Scheme) -> None:
    e = points_rate.calculate(AMIR, setting="mainstream").explain()
    parser = _check_html(e._repr_html_())
    text = "".join(parser.text)
    assert "£2,630.00" in text
    assert "£8,625.00" in text
    assert {"table", "h3", "li"} <= set(parser.tags)
    units = re.sub(r"(nearest|multiple of) £(10|100)\b", "", text)  # rounding units
    for amount in re.findall(r"£[0-9][0-9,.]*[0-9]", units):
        assert re.fullmatch(r"£\d{1,3}(,\d{3})*\.\d{2,}", amount), amount


def _hostile_scheme() -> ras.Scheme:
    return ras.Scheme.from_dict({
        "ras_scheme": 1, "id": "hostile", "name": "<script>alert('x')</script> & Co",
        "version": "1 | 2", "effective_from": "2026-04-01",
        "domains": [{"id": "d", "label": "<b>Bold</b> | *area*", "questions": [
            {"id": "q", "label": "Is 1 < 2 & 3 > 2?", "options": [
                {"id": "a", "label": "</td></tr></table>", "points": 0},
                {"id": "b", "label": "`code` _under_ [link](x)", "points": 12345}]}]}],
        "pricing": {"education": {"method": "rate", "rate": 1}},
        "settings": {"s": {"label": "<i>School</i>", "element1": 0, "element2": 0,
                           "ras_covers": "top_up"}},
    })


def test_html_escapes_the_scheme_s_own_text() -> None:
    e = _hostile_scheme().calculate({"q": "a"}, setting="s").explain()
    markup = e._repr_html_()
    parser = _check_html(markup)
    assert "script" not in parser.tags
    assert "b" not in parser.tags
    assert "i" not in parser.tags
    text = "".join(parser.text)
    assert "<script>alert('x')</script> & Co" in text
    assert "</td></tr></table>" in text
    e2 = _hostile_scheme().calculate({"q": "b"}, setting="s").explain()
    assert "£12,345.00" in "".join(_check_html(e2._repr_html_()).text)


def test_markdown_has_tables_and_escapes_labels() -> None:
    md = _hostile_scheme().calculate({"q": "b"}, setting="s").explain().to_markdown()
    assert md.startswith("# How this indicative budget was worked out")
    answers = md[md.index("## 1."):md.index("## 2.")]
    rows = [line for line in answers.splitlines() if line.startswith("|")]
    assert len(rows) == 3  # header, rule, one answer
    assert [len(re.findall(r"(?<!\\)\|", row)) for row in rows] == [5, 5, 5]
    assert "\\<b\\>Bold\\</b\\> \\| \\*area\\*" in md
    assert "£12,345.00" in md


def test_markdown_of_a_real_scheme(points_rate: ras.Scheme) -> None:
    md = points_rate.calculate(AMIR, setting="mainstream").explain().to_markdown()
    assert "## 1. The answers" in md
    assert "| Social, emotional and mental health | 6 | 1.5 | 9 | 18 | 9 |" in md
    assert "- £8,625.00 is rounded to the nearest £10" in md
    assert "\n\n\n" not in md


def test_to_dict_is_json_with_decimal_strings(points_rate: ras.Scheme) -> None:
    e = points_rate.calculate(AMIR, setting="mainstream").explain()
    data = json.loads(json.dumps(e.to_dict()))
    assert data["scheme_fingerprint"] == points_rate.fingerprint
    assert data["effective_from"] == "2026-04-01"
    assert data["personal_sen_budget"] == "2630.00"
    assert data["answers"][0]["points"] == "3"
    assert data["domains"][2]["weight"] == "1.5"
    assert data["streams"][0]["priced"] == "8625.00"
    assert data["elements"]["element2"] == "6000.00"
    assert data["row"] is None


def test_explain_traces_the_same_row_and_refuses_a_budget_it_does_not_match(
    points_rate: ras.Scheme,
) -> None:
    """calculate() skips the kernel's trace; explain() runs the row again with it, and checks
    the traced figures against the budget's own, so an explanation never disagrees with it."""
    import dataclasses

    budget = points_rate.calculate(AMIR, setting="mainstream")
    assert budget._raw.tier is None  # the trace is not paid for by calculate()
    assert budget.explain().to_dict()["streams"][0]["priced"] == "8625.00"
    altered = budget._raw.amount.copy()
    altered[0, 0] += 1
    tampered = dataclasses.replace(budget, _raw=dataclasses.replace(budget._raw, amount=altered))
    with pytest.raises(RuntimeError, match="differs"):
        tampered.explain()


# A cohort ----------------------------------------------------------------------------------------


def test_explain_frame_gives_the_same_as_one_child(points_rate: ras.Scheme) -> None:
    nothing = dict.fromkeys(points_rate.question_ids, 0)
    cohort = pd.DataFrame(
        [{**AMIR, "setting": "mainstream"}, {**nothing, "setting": "early_years"},
         {**_top(points_rate), "setting": "special"}],
        index=["amir", "daisy", "top"],
    )
    out = points_rate.explain_frame(cohort, ["top", "amir"])
    assert list(out) == ["top", "amir"]
    assert out["amir"].row == "amir"
    single = points_rate.calculate(AMIR, setting="mainstream").explain()
    assert {**out["amir"].to_dict(), "row": None} == single.to_dict()
    assert out["top"].elements.setting == "special"
    assert points_rate.explain_frame(cohort, "daisy")["daisy"].personal_sen_budget == D("2000")


def test_explain_frame_refuses_unknown_and_ambiguous_rows(points_rate: ras.Scheme) -> None:
    cohort = pd.DataFrame([{**AMIR, "setting": "mainstream"}] * 2, index=[7, 7])
    with pytest.raises(KeyError, match="not unique"):
        points_rate.explain_frame(cohort, [7])
    with pytest.raises(KeyError, match="not in the cohort"):
        points_rate.explain_frame(cohort.reset_index(drop=True), [5])
    bad = pd.DataFrame([{**AMIR, "setting": "nowhere"}], index=["x"])
    with pytest.raises(ras.AnswerError) as info:
        points_rate.explain_frame(bad, ["x"])
    assert info.value.row == "x"


# Every explanation reconciles --------------------------------------------------------------------


def _frame(cohort: Cohort) -> pd.DataFrame:
    rows = [{**answers, "setting": setting} for answers, setting in cohort]
    return pd.DataFrame(rows, index=[f"child{i}" for i in range(len(rows))])


def _check_reconciles(e: ras.Explanation, budget: ras.Budget) -> None:
    # answers -> each area's total, weight and cap
    for d in e.domains:
        listed = [a.points for a in e.answers if a.domain == d.domain]
        assert sum(listed, D(0)) == d.answers_total
        assert d.weighted == d.weight * d.answers_total
        counted = d.weighted if d.cap is None else min(d.weighted, d.cap)
        assert d.points == counted
        assert d.capped == (d.cap is not None and d.weighted > d.cap)
        assert d.points == budget.domain_points[d.domain]
    # areas -> streams -> amounts
    for s in e.streams:
        areas = [d.points for d in e.domains if d.stream == s.stream]
        assert sum(areas, D(0)) == s.points == budget.stream_points[s.stream]
        assert s.amount == budget.stream_amounts[s.stream]
        if s.method is None or s.referred:
            continue
        assert s.priced is not None
        assert s.clamped is not None
        assert s.amount is not None
        low = s.minimum or D(0)
        clamped = max(s.priced, low) if s.maximum is None else min(max(s.priced, low), s.maximum)
        assert s.clamped == clamped
        assert abs(s.amount - s.clamped) < s.rounding_unit
        if s.method == "steps":
            assert sum((p.amount for p in s.step_parts), D(0)) == s.priced
            assert sum((p.points for p in s.step_parts), D(0)) == max(s.points, D(0))
        if s.method == "bands":
            assert s.band == budget.bands[s.stream]
            assert s.band_from is not None
            assert s.band_from <= max(s.points, D(0))
            assert s.band_to is None or max(s.points, D(0)) < s.band_to
        if s.method == "rate":
            assert s.rate is not None
            assert s.priced == (s.base or D(0)) + max(s.points, D(0)) * s.rate
    # streams and elements -> totals
    el = e.elements
    edu = _stream(e, "education") if any(s.stream == "education" for s in e.streams) else None
    if el.has_education:
        assert edu is not None
        assert el.education_amount == edu.amount
    assert el.element3 == budget.element3 == e.personal_sen_budget
    if el.element3 is not None:
        assert el.education_amount is not None
        assert el.element3 == max(D(0), el.education_amount - el.deduction)
        expected = {"additional_support": el.element2, "whole_place": el.element1 + el.element2,
                    "top_up": D(0)}[el.covers]
        assert el.deduction == expected
    others = [s.amount for s in e.streams if s.stream != "education"]
    if e.total_personal_budget is not None:
        assert el.element3 is not None
        assert e.total_personal_budget == el.element3 + sum(
            (a for a in others if a is not None), D(0))
        assert None not in others
    else:
        assert el.element3 is None or None in others


@given(scheme_and_cohort())
def test_every_explanation_reconciles(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    frame = _frame(cohort)
    chosen = list(frame.index[:6])
    batch = scheme.explain_frame(frame, chosen)
    for i, label in enumerate(chosen):
        answers, setting = cohort[i]
        budget = scheme.calculate(answers, setting=setting)
        e = budget.explain()
        _check_reconciles(e, budget)
        assert {**batch[label].to_dict(), "row": None} == e.to_dict()
        json.dumps(e.to_dict())
        assert e.to_text()
        assert e.to_markdown()
        _check_html(e._repr_html_())


def test_markdown_keeps_a_label_on_one_line_and_shows_entities_as_written() -> None:
    """A label with a line break would start a heading (===) or a list in markdown; '&amp;'
    would render as '&' and '~~x~~' as struck-out text. They are shown as written."""
    from ras._reasons.display import markdown_text

    assert markdown_text("Speech\n===\n- and more") == "Speech === - and more"
    assert markdown_text("B&amp; ~~x~~") == "B\\&amp; \\~\\~x\\~\\~"
    scheme = ras.Scheme.from_yaml("""
ras_scheme: 1
id: md
name: Markdown
version: "1"
effective_from: 2026-04-01
domains:
  - id: d
    label: "Talk &amp; ~~listen~~"
    questions:
      - id: q
        label: "First line === second"  # with line breaks it is refused at load
        options: [{id: a, points: 0}, {id: b, points: 5}]
pricing:
  education: {method: rate, rate: 100}
settings:
  s: {element1: 0, element2: 0, ras_covers: additional_support}
""")
    md = scheme.calculate({"q": "b"}, setting="s").explain().to_markdown()
    assert "Talk \\&amp; \\~\\~listen\\~\\~" in md
    assert "First line === second" in md
    assert "\n===" not in md


# Sentences that misled (issue 16): wrong for officers as for families ----------------------------


def _explained(name: str, kind: str) -> str:
    from tests.letter_children import children, example_scheme

    scheme = example_scheme(name)
    child = children(scheme)[kind]
    return " ".join(scheme.calculate(child.answers, setting=child.setting).explain()
                    .to_text().split())


def test_a_top_up_that_pays_for_a_place_is_not_for_the_family_to_direct() -> None:
    text = _explained("points_rate.yaml", "special school")
    assert "the family can ask to direct" not in text
    assert "a direct payment cannot pay for a place" in text


def test_the_range_of_a_capped_amount_says_what_it_is_of() -> None:
    text = _explained("points_rate.yaml", "capped")
    assert "before anything is taken off for elements 1 and 2" in text
    assert "Its top is above the scheme's maximum of £22,000.00" in text


def test_a_referred_child_is_never_told_of_an_indicative_amount() -> None:
    text = _explained("banded_referral.yaml", "referred")
    assert "This is an indicative amount" not in text
    assert "The scheme gives no amount: the panel will set it." in text
    assert "Personal SEN budget (education) amount has been referred" not in text
    assert "The amount for Personal SEN budget (education) has been referred" in text


def test_nothing_from_the_council_says_who_meets_the_support() -> None:
    text = _explained("points_rate.yaml", "zero top-up")
    assert re.search(r"Indicative personal SEN budget: £0\.00 \(the school or college meets "
                     r"the support, worth £[0-9,]+\.00, from its own budget\)", text)
    banded = _explained("banded_referral.yaml", "zero top-up")
    assert "The indicative range of this amount, before anything is taken off for elements 1 " \
           "and 2, is £0.00 to £0.00" not in banded
    assert "is £0.00 to £0.00" not in banded
