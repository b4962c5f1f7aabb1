"""Letters a family can read and act on (letters.md): the answer first, true for the setting,
rights and contacts, plain English, the working after, who made it.

The readability figures are the tests' own (tests/readability.py, documented there); the children
of each kind come from tests/letter_children.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pandas as pd
import pytest

import ras
from tests.letter_children import KINDS, SCHEME_FILES, children, cohort, example_scheme
from tests.readability import readability, sentences, words

D = Decimal
DETAILS: dict[str, Any] = {"child": "Amir Khan", "reference": "EHC/2026/0142",
                           "date": dt.date(2026, 9, 1), "school": "Northshire Primary School"}
# letters.md rule 4: none of these in the summary or the rights
JARGON = re.compile(r"element [123]|\bstream|notional|ras_covers|refer_above|[0-9a-f]{12,}",
                    re.IGNORECASE)


def _letters() -> list[tuple[str, str, ras.Letter, ras.Budget]]:
    out = []
    for name in SCHEME_FILES:
        scheme = example_scheme(name)
        for kind, child in children(scheme).items():
            budget = scheme.calculate(child.answers, setting=child.setting)
            out.append((name, kind, budget.letter(**DETAILS), budget))
    return out


LETTERS = _letters()
IDS = [f"{name}-{kind}" for name, kind, _, _ in LETTERS]


def _rights_text(letter: ras.Letter) -> str:
    rights = letter.section("rights")
    assert rights is not None
    return " ".join(b.text for b in rights.blocks if hasattr(b, "text"))


# Worked examples ---------------------------------------------------------------------------


def test_a_worked_budget_letter(points_rate: ras.Scheme) -> None:
    # every question at its second option: education 26.5 points (communication 7, cognition 5,
    # semh 5 x 1.5 = 7.5, sensory 4, independence 3); 1500 + 26.5 x 285 = 9052.50 -> 9050 (to
    # the £10); less element 2 (6000) = 3050. Social care 7 points: 1 x 125 = 125 -> 130.
    answers = {q: options[1] for q, options in points_rate.option_ids.items()}
    letter = points_rate.calculate(answers, setting="mainstream").letter(**DETAILS)
    assert letter.summary.startswith(
        "Amir Khan's personal SEN budget is £3,050 a year. It is for extra help at school. "
        "With the other parts, the total personal budget is £3,180 a year.")
    text = letter.to_text()
    assert "Child: Amir Khan" in text
    assert "Date: 1 September 2026" in text
    assert "£9,052.50" in text  # the working keeps pence that are not zero
    assert "£9,050 − £6,000 = £3,050" in " ".join(text.split())
    assert "rounding does not change" not in text


def test_the_sections_come_in_order_and_the_footer_names_the_scheme() -> None:
    _, _, letter, budget = LETTERS[0]
    keys = [s.key for s in letter.sections]
    assert keys == ["rights", "next_steps", "working"]
    fingerprint = budget.scheme_fingerprint
    assert fingerprint[:12] in letter.footer
    text = letter.to_text()
    assert fingerprint not in text
    assert text.index("In short") < text.index("Your rights") < text.index("How we worked")
    assert budget.scheme.name in " ".join(text.split())


def test_a_scheme_without_a_letter_block_gets_marked_gaps() -> None:
    _, _, letter, _ = LETTERS[0]
    text = " ".join(letter.to_text().split())
    for gap in ("[Add the council's contact details here]", "[Add what happens next here]",
                "[Add the council's name here]"):
        assert gap in text
    assert "review" in _rights_text(letter)


# Every letter does (letters.md) --------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind", "letter", "budget"), LETTERS, ids=IDS)
def test_every_letter_does(name: str, kind: str, letter: ras.Letter, budget: ras.Budget) -> None:
    summary = letter.summary
    said = sentences(summary)
    assert 2 <= len(said) <= 5, said
    assert max(len(words(s)) for s in said) <= 25, said
    text = letter.to_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    everything = json.dumps(letter.to_dict(), ensure_ascii=False)
    assert not re.search(r"£[0-9,]+\.00(?![0-9])", everything), "pounds without zero pence"
    assert "£0 " not in summary
    assert "£0." not in summary
    for part in (summary, _rights_text(letter)):
        assert not JARGON.search(part), JARGON.search(part)
    amount = budget.personal_sen_budget
    if kind == "referred":
        assert amount is None
        assert "panel will" in summary
        assert "indicative amount" not in summary
    elif kind == "special school":
        assert amount is not None
        assert amount > 0
        assert f"£{amount:,.0f} a year" in summary
        assert "cannot be paid to you as a direct payment" in summary
        assert "ask to have it as a direct payment" not in summary
    elif kind == "zero top-up":
        assert amount == 0
        assert "from its own budget" in summary
        education = budget.stream_amounts["education"]
        if education:
            assert f"worth £{education:,.0f} a year" in summary
    elif kind == "capped":
        assert "the most" in summary
        assert "panel will check" in summary
        assert f"£{amount:,.0f} a year" in summary
    else:
        assert amount is not None
        assert amount > 0
        assert summary.startswith(f"Amir Khan's personal SEN budget is £{amount:,.0f} a year. "
                                  "It is for extra help at school.")
        assert "first guide (an indicative amount)" in summary


@pytest.mark.parametrize(("name", "kind", "letter", "budget"), LETTERS, ids=IDS)
def test_readability_of_summary_and_rights(name: str, kind: str, letter: ras.Letter,
                                            budget: ras.Budget) -> None:
    for part in (letter.summary, _rights_text(letter)):
        score = readability(part)
        assert score.reading_ease >= 70, (part, score.reading_ease)
        assert score.grade <= 6, (part, score.grade)


def test_the_total_joins_other_parts_and_a_referred_part_is_for_the_panel() -> None:
    scheme = example_scheme("points_rate.yaml")
    child = children(scheme)["capped"]
    budget = scheme.calculate(child.answers, setting=child.setting)
    assert budget.total_personal_budget != budget.personal_sen_budget
    assert f"total personal budget is £{budget.total_personal_budget:,.0f} a year" in \
        budget.letter().summary


def test_without_details_the_letter_speaks_of_your_child(points_rate: ras.Scheme) -> None:
    answers = {q: options[1] for q, options in points_rate.option_ids.items()}
    letter = points_rate.calculate(answers, setting="mainstream").letter()
    assert letter.summary.startswith("Your child's personal SEN budget")
    assert letter.details == ()


def test_details_are_checked(points_rate: ras.Scheme) -> None:
    answers = {q: options[1] for q, options in points_rate.option_ids.items()}
    budget = points_rate.calculate(answers, setting="mainstream")
    with pytest.raises(ras.UsageError, match="date must be a date"):
        budget.letter(date="2026-09-01")  # type: ignore[arg-type]
    with pytest.raises(ras.UsageError, match="child must be text"):
        budget.letter(child=42)  # type: ignore[arg-type]


# Many at once: each equal to the one-child letter -------------------------------------------


def test_scheme_letters_equal_one_child_letters(points_rate: ras.Scheme) -> None:
    frame = cohort(points_rate, n=40).assign(setting=["mainstream", "special"] * 20)
    frame.index = [f"c{i}" for i in range(40)]
    letters = points_rate.letters(frame, **DETAILS)
    assert list(letters) == list(frame.index)
    for label in frame.index:
        row = frame.loc[label]
        one = points_rate.calculate({q: row[q] for q in points_rate.question_ids},
                                    setting=row["setting"]).letter(**DETAILS)
        assert letters[label].to_dict() == one.to_dict()
    chosen = points_rate.letters(frame, rows=["c3", "c1"])
    assert list(chosen) == ["c3", "c1"]


def test_scheme_letters_refuse_a_repeated_index(points_rate: ras.Scheme) -> None:
    frame = cohort(points_rate, n=2).assign(setting="mainstream")
    frame.index = ["a", "a"]
    with pytest.raises(ras.UsageError, match="unique"):
        points_rate.letters(frame)


# HTML: a real document ---------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, tag
        assert self.open[-1] == tag, (self.open[-3:], tag)
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.open == []
    return parser


@pytest.mark.parametrize(("name", "kind", "letter", "budget"), LETTERS[:6], ids=IDS[:6])
def test_the_html_page_is_a_real_document(name: str, kind: str, letter: ras.Letter,
                                          budget: ras.Budget) -> None:
    page = letter.to_html(document=True)
    assert page.startswith("<!DOCTYPE html>")
    parsed = _parse(page)
    tags = [t for t, _ in parsed.tags]
    assert dict(parsed.tags[0][1]) == {"lang": "en-GB"}
    assert any(t == "meta" and a.get("charset") == "utf-8" for t, a in parsed.tags)
    assert tags.count("h1") == 1
    assert tags.count("h2") == len(letter.sections) + 1  # the summary, then each section
    assert "h3" not in tags[: tags.index("h2")]
    assert all(a.get("scope") in ("col", "row") for t, a in parsed.tags if t == "th")
    assert tags.count("caption") == tags.count("table") > 0
    assert "@media print" in page
    assert "size: A4" in page
    assert "break-before: page" in page
    fragment = letter.to_html()
    assert fragment.startswith('<article class="ras-letter">')
    assert "<html" not in fragment
    assert letter._repr_html_() == fragment


# Untrusted text ----------------------------------------------------------------------------


HOSTILE = "<script>alert(1)</script>\nIndicative personal SEN budget: £99,999\x07\u202e"


def test_untrusted_text_is_escaped_and_kept_on_one_line(points_rate: ras.Scheme) -> None:
    label = "<script>alert(1)</script> & <b>Co</b>"  # a scheme refuses line breaks itself
    changed = points_rate.with_changes({
        "settings.mainstream.label": label,
        "streams.social_care.label": label,
        "domains.communication.label": label,
    })
    answers = {q: options[1] for q, options in points_rate.option_ids.items()}
    budget = changed.calculate(answers, setting="mainstream")
    letter = budget.letter(child=HOSTILE, reference=HOSTILE, school=HOSTILE)
    def strings(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [value] if isinstance(value, str) else []

    for piece in strings(letter.to_dict()):
        assert piece.isprintable(), repr(piece)  # no line break, bell or bidi override
    text = letter.to_text()
    assert "\x07" not in text
    assert "\u202e" not in text
    flat = " ".join(text.split())
    assert "Child: <script>alert(1)</script> Indicative personal SEN budget: £99,999" in flat
    page = letter.to_html(document=True)
    parsed = _parse(page)
    assert "script" not in [t for t, _ in parsed.tags]
    assert "&lt;script&gt;" in page
    assert "<b>" not in page
    md = letter.to_markdown()
    assert "<script>" not in md


def test_letters_of_a_cohort_keep_the_row_order_of_the_cohort(points_rate: ras.Scheme) -> None:
    frame = cohort(points_rate, n=5).assign(setting="mainstream")
    frame.index = pd.Index([5, 3, 9, 1, 7])
    assert list(points_rate.letters(frame)) == [5, 3, 9, 1, 7]


def test_kinds_are_all_found() -> None:
    assert {kind for _, kind, _, _ in LETTERS} == set(KINDS)
    assert len(LETTERS) == len(KINDS) * len(SCHEME_FILES)


# The other three letters -------------------------------------------------------------------


def _amir(points_rate: ras.Scheme) -> ras.Budget:
    return points_rate.calculate({q: o[1] for q, o in points_rate.option_ids.items()},
                                 setting="mainstream")  # element 3 £3,050 (worked above)


def _plain_letter(letter: ras.Letter) -> None:
    """What every letter does, whatever its kind."""
    said = sentences(letter.summary)
    assert 2 <= len(said) <= 5, said
    assert max(len(words(s)) for s in said) <= 25
    assert max(len(line) for line in letter.to_text().splitlines()) <= 80
    for part in (letter.summary, _rights_text(letter)):
        assert not JARGON.search(part), part
        score = readability(part)
        assert score.reading_ease >= 70, (part, score)
        assert score.grade <= 6, (part, score)
    assert not re.search(r"£[0-9,]+\.00(?![0-9])", json.dumps(letter.to_dict()))
    _parse(letter.to_html(document=True))


def test_a_decision_letter_gives_the_amount_the_change_and_the_reason(
        points_rate: ras.Scheme) -> None:
    decision = _amir(points_rate).decide(
        3600, reason="Amir needs an adult with him at lunch and break times.",
        decided_by="SEN panel", decided_on=dt.date(2026, 9, 10))
    letter = decision.letter(**DETAILS)
    assert letter.kind == "decision"
    # 3600 - 3050 = 550 more than the first guide
    assert letter.summary.startswith("The panel has set Amir Khan's personal SEN budget at "
                                     "£3,600 a year. This is £550 more than the first guide "
                                     "of £3,050.")
    text = " ".join(letter.to_text().split())
    assert "Amir needs an adult with him at lunch and break times." in text
    assert "Decided by SEN panel on 10 September 2026." in text
    assert "[Add the council's contact details here]" in text  # the scheme's words, or gaps
    assert "review" in _rights_text(letter)
    _plain_letter(letter)
    lower = _amir(points_rate).decide(3000, reason="The school already funds a group.",
                                       decided_by="SEN panel").letter()
    assert "This is £50 less than the first guide of £3,050." in lower.summary


def test_a_decision_made_by_hand_marks_the_council_words(points_rate: ras.Scheme) -> None:
    decision = ras.Decision(indicative=None, final="12000", reason="Needs a 1:1 all day.",
                            decided_by="SEN panel", decided_on=dt.date(2026, 9, 10))
    letter = decision.letter(child="Ben")
    assert "Our table did not give an amount, so the panel decided it." in letter.summary
    assert letter.council == "[Add the council's name here]"
    with pytest.raises(ras.UsageError, match="made under scheme"):
        ras.Decision(indicative=None, final="1", reason="r", decided_by="p",
                     scheme_fingerprint="0" * 64).letter(scheme=points_rate)


def test_a_refusal_letter_gives_the_reason_and_the_review(points_rate: ras.Scheme) -> None:
    with pytest.raises(ras.PlanError) as caught:
        ras.Plan([
            {"description": "School place", "stream": "education", "cost": 20000,
             "delivery": "direct_payment", "is_place": True},
            {"description": "Swimming with a helper", "stream": "education", "cost": 900,
             "delivery": "direct_payment", "on_premises": True, "consent": False},
        ])
    letter = ras.refusal_letter(caught.value, points_rate, **DETAILS)
    assert letter.kind == "refusal"
    assert "cannot pay for 2 parts of Amir Khan's plan as a direct payment" in letter.summary
    assert "look at this decision again" in letter.summary
    reasons = letter.section("reasons")
    assert reasons is not None
    said = " ".join(reasons.blocks[0].items)  # type: ignore[union-attr]
    assert "“School place”: the law does not let a direct payment pay for a school" in said
    assert "“Swimming with a helper”: the head teacher (or college principal) has said no to " \
           "a direct payment for help given at the school." in said
    assert "review" in _rights_text(letter)
    _plain_letter(letter)
    one = ras.refusal_letter(ras.PlanError([ras.PlanProblem(0, "Taxi", _no_consent())]),
                             points_rate)
    assert one.summary.startswith("We cannot pay for “Taxi” as a direct payment. This is "
                                  "because the head teacher (or college principal) has not "
                                  "yet agreed")
    _plain_letter(one)


def _no_consent() -> str:
    try:
        ras.Plan([{"description": "Taxi", "stream": "education", "cost": 900,
                   "delivery": "direct_payment", "on_premises": True}])
    except ras.PlanError as error:
        return error.problems[0].message
    raise AssertionError("no consent recorded must be refused")


def test_a_plan_error_that_refuses_no_direct_payment_is_not_a_letter(
        points_rate: ras.Scheme) -> None:
    with pytest.raises(ras.PlanError) as caught:
        ras.Plan([{"description": "Help", "stream": "education", "delivery": "arrangement"}])
    with pytest.raises(ras.UsageError, match="refuses no direct payment"):
        ras.refusal_letter(caught.value, points_rate)


def test_the_final_budget_letter_shows_the_family_what_is_theirs(
        points_rate: ras.Scheme) -> None:
    plan = ras.Plan([
        {"description": "Teaching assistant", "stream": "education", "hours_per_week": 10,
         "weeks": 38, "hourly_rate": 14.5, "delivery": "arrangement", "delivered_by": "setting",
         "on_premises": True},  # 10 x 38 x 14.50 = 5,510: all met by the school's 6,000
        {"description": "Speech and language therapy", "stream": "education", "cost": 2400,
         "delivery": "direct_payment", "on_premises": True, "consent": True},  # 2400 - 490
        {"description": "Short breaks", "stream": "social_care", "cost": 1300,
         "delivery": "third_party"},
    ])
    budget = plan.personal_budget(points_rate, "mainstream", indicative=_amir(points_rate))
    letter = budget.letter(**DETAILS)
    # element 3 = 5510 + 2400 - 6000 = 1910; total 1910 + 1300 = 3210; direct payment 1910
    assert letter.summary.startswith(
        "Amir Khan's personal budget is £3,210 a year. Of this, £1,910 a year is the personal "
        "SEN budget, for help at school. You will get £1,910 a year of it as a direct payment.")
    lines = letter.section("lines")
    assert lines is not None
    table = lines.blocks[0]
    assert table.rows == (  # type: ignore[union-attr]
        ("Teaching assistant", "Arrangement", "The council, school or college", "Not needed",
         "Paid by the school"),
        ("Speech and language therapy", "Direct payment", "You", "Yes", "£1,910"),
        ("Short breaks", "Third-party arrangement", "A person or group you chose", "Not needed",
         "£1,300"))
    officers = letter.section("officers")
    assert officers is not None  # the deduction falls on a line the school does not deliver
    family = [s for s in letter.sections if s.key != "officers"]
    warning = str(budget.warnings[0].message)
    assert all(warning not in json.dumps(s.to_dict()) for s in family)
    assert "the setting must fund that part" in json.dumps(officers.to_dict())
    assert letter.summary.count(".") <= 5
    _plain_letter(letter)
    page = letter.to_html(document=True)
    assert '<section class="officers">' in page


# Every example scheme, every hand-worked child of its cases file ------------------------------


def _cases() -> list[tuple[str, str, ras.Budget]]:
    import yaml

    from tests.paths import ROOT

    out = []
    for path in sorted((ROOT / "examples").glob("*.cases.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scheme = ras.load_scheme((path.parent / data["scheme"]).resolve())
        for case in data["cases"]:
            budget = scheme.calculate(case["answers"], setting=case["setting"])
            out.append((path.name, case["name"], budget))
    return out


CASES = _cases()


@pytest.mark.parametrize(("cases", "name", "budget"), CASES,
                         ids=[f"{c}-{n[:30]}" for c, n, _ in CASES])
def test_every_worked_child_of_every_example_scheme_gets_a_plain_letter(
        cases: str, name: str, budget: ras.Budget) -> None:
    letter = budget.letter(**DETAILS)
    _plain_letter(letter)
    words = budget.scheme.model.letter
    if words is not None and words.contact:  # the council's own words, as written
        assert " ".join(words.contact.split()) in _rights_text(letter)
    period = {"term": "a term", "week": "a week"}.get(budget.scheme.model.period or "year",
                                                      "a year")
    if budget.personal_sen_budget:
        assert f"£{budget.personal_sen_budget:,.0f}" in letter.summary or \
            f"£{budget.personal_sen_budget:,.2f}" in letter.summary
        assert period in letter.summary


def test_the_example_schemes_are_all_read() -> None:
    assert len({c for c, _, _ in CASES}) >= 6
