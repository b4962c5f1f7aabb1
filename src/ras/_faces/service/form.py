"""The assessment form: plain HTML and a little CSS, built from the scheme, no JavaScript.

An officer (or a family, with the council's sign-in in front) answers every question, picks the
setting and sends it; the page that comes back shows the budget and the family letter (which
prints on its own), with the form again below so that an answer can be changed. Every text from
the scheme or the sender is escaped. The child's name, reference and school are used for the
letter only, never kept.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ras._base import AnswerError
from ras._faces.service.wire import decimal_text, money_text
from ras._format import Question
from ras._scheme import Budget, Scheme

__all__ = ["Sent", "form_page", "read_form", "result_page"]

_ANSWER = "q."  # form fields of answers are named q.<question id>

_CSS = """
body{font-family:system-ui,sans-serif;line-height:1.45;margin:0 auto;max-width:46em;
padding:1em;color:#1b1b1b}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:2px solid #1d70b8}
fieldset{border:1px solid #b1b4b6;margin:0 0 1em;padding:.6em .9em}
legend{font-weight:600;padding:0 .3em}
label{display:block;margin:.25em 0}
.hint,.description{color:#505a5f;font-size:.92em;margin:.1em 0 .3em 1.7em}
.field label{display:inline-block;min-width:9em}
input[type=number],input[type=text],input[type=date]{font-size:1em;padding:.2em}
button{font-size:1.1em;padding:.45em 1.2em;background:#00703c;color:#fff;border:0;
border-radius:3px;cursor:pointer}
.errors{border:4px solid #d4351c;padding:.5em 1em;margin-bottom:1em}
.error{color:#d4351c;font-weight:600}
.result{border:4px solid #00703c;padding:.5em 1em;margin-bottom:1.5em}
table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;
text-align:left}td.money{text-align:right;font-variant-numeric:tabular-nums}
#letter{border-top:2px solid #b1b4b6;margin-top:1.5em}
@media print{form,.no-print,.result{display:none}}
"""


@dataclass(frozen=True)
class Sent:
    """What a sent form holds: answers by question id, the setting, and the letter's details."""

    date: str | None = None
    setting: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    child: str = ""
    reference: str = ""
    school: str = ""


def read_form(fields: Mapping[str, str]) -> Sent:
    """The sent fields as answers: an empty field is no answer, which the library names."""
    answers = {name[len(_ANSWER):]: value.strip() for name, value in fields.items()
               if name.startswith(_ANSWER) and value.strip() != ""}
    date = fields.get("date", "").strip() or None
    return Sent(date=date, setting=fields.get("setting", "").strip(), answers=answers,
                child=fields.get("child", "").strip()[:200],
                reference=fields.get("reference", "").strip()[:200],
                school=fields.get("school", "").strip()[:200])


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f"{body}\n</main>\n</body>\n</html>\n")


def _heading(scheme: Scheme) -> str:
    until = scheme.effective_to.isoformat() if scheme.effective_to else "until replaced"
    per = {"year": "a year", "term": "a term", "week": "a week", "one_off": "once"}.get(
        scheme.period, scheme.period)
    return (f"<h1>{_e(scheme.name)}</h1>\n<p class=\"hint\">Version {_e(scheme.version)}, in "
            f"force from {scheme.effective_from.isoformat()} to {_e(until)}. Amounts are "
            f"{_e(per)}.</p>")


def _description(item: Any) -> str:
    text = item.description  # format version 2: words for families
    return f'<p class="description">{_e(text)}</p>' if text else ""


def _question(question: Question, chosen: str | None, problem: str | None) -> str:
    name = _e(_ANSWER + question.id)
    label = _e(question.label or question.id)
    error = f'<p class="error" id="error-{_e(question.id)}">{_e(problem)}</p>' if problem else ""
    rule = question.number  # format version 2: answered with a number
    if rule is not None:
        unit = f" ({_e(rule.unit)})" if rule.unit else ""
        value = f' value="{_e(chosen)}"' if chosen is not None else ""
        return (f'<fieldset id="question-{_e(question.id)}"><legend>{label}</legend>'
                f"{_description(question)}{error}<label>Number{unit}: "
                f'<input type="number" name="{name}" min="{decimal_text(Decimal(rule.min))}" '
                f'max="{decimal_text(Decimal(rule.max))}" '
                f'step="{decimal_text(Decimal(rule.step))}"{value} required></label></fieldset>')
    rows = []
    for option in question.options or ():
        checked = " checked" if option.id == chosen else ""
        rows.append(f'<label><input type="radio" name="{name}" value="{_e(option.id)}" '
                    f'required{checked}> {_e(option.label or option.id)}</label>'
                    f"{_description(option)}")
    return (f'<fieldset id="question-{_e(question.id)}"><legend>{label}</legend>'
            f"{_description(question)}{error}{''.join(rows)}</fieldset>")


def _form(scheme: Scheme, sent: Sent, problems: Mapping[str, str]) -> str:
    parts = ['<form method="post" action="form" accept-charset="utf-8">',
             f'<input type="hidden" name="date" value="{_e(sent.date or "")}">',
             '<fieldset><legend>For the letter (optional, not kept)</legend>']
    for name, label in (("child", "Child's name"), ("reference", "Reference"),
                        ("school", "School or setting name")):
        parts.append(f'<p class="field"><label for="{name}">{label}</label> '
                     f'<input type="text" id="{name}" name="{name}" maxlength="200" '
                     f'value="{_e(getattr(sent, name))}"></p>')
    parts.append("</fieldset>")
    error = problems.get("setting")
    parts.append('<fieldset id="question-setting"><legend>Setting</legend>'
                 + (f'<p class="error" id="error-setting">{_e(error)}</p>' if error else ""))
    for sid, setting in scheme.settings.items():
        checked = " checked" if sid == sent.setting else ""
        parts.append(f'<label><input type="radio" name="setting" value="{_e(sid)}" '
                     f'required{checked}> {_e(setting.label or sid)}</label>'
                     f"{_description(setting)}")
    parts.append("</fieldset>")
    for domain in scheme.model.domains:
        parts.append(f"<h2>{_e(domain.label or domain.id)}</h2>{_description(domain)}")
        parts += [_question(q, sent.answers.get(q.id), problems.get(q.id))
                  for q in domain.questions]
    parts.append('<p><button type="submit" id="send">Work out the budget</button></p></form>')
    return "\n".join(parts)


def form_page(scheme: Scheme, sent: Sent | None = None, error: AnswerError | None = None
              ) -> str:
    """The form, empty, or as sent with the answers' problems beside their questions."""
    sent = sent if sent is not None else Sent()
    problems: dict[str, str] = {}
    top = ""
    if error is not None:
        for p in error.problems:
            problems.setdefault(str(p.question), p.message)
        items = "".join(f"<li>{_e(q)}: {_e(m)}</li>" for q, m in problems.items())
        top = (f'<div class="errors" id="errors" role="alert"><h2>The answers need '
               f"attention</h2><ul>{items}</ul></div>")
    return _page(f"Assessment: {scheme.name}", f"{_heading(scheme)}\n{top}\n"
                 + _form(scheme, sent, problems))


def _money(value: Decimal | None) -> str:
    return "for the panel to decide" if value is None else f"£{value:,.2f}"


def _figures(scheme: Scheme, budget: Budget) -> str:
    streams = scheme.model.streams or {}
    rows = []
    for stream, amount in budget.stream_amounts.items():
        label = getattr(streams.get(stream), "label", None) or stream
        note = budget.reviews.get(stream)
        rows.append(f'<tr><th scope="row">{_e(label)}</th><td class="money" '
                    f'id="amount-{_e(stream)}">{_e(_money(amount))}</td>'
                    f"<td>{_e(note or '')}</td></tr>")
    for key, label, value in (
            ("element1", "Element 1 (core funding)", budget.element1),
            ("element2", "Element 2 (paid by the school first)", budget.element2),
            ("personal-sen-budget", "Personal SEN budget (element 3)",
             budget.personal_sen_budget),
            ("total-personal-budget", "Total personal budget", budget.total_personal_budget)):
        rows.append(f'<tr><th scope="row">{label}</th><td class="money" id="{key}" '
                    f'data-pounds="{_e(money_text(value) or "")}">{_e(_money(value))}</td>'
                    "<td></td></tr>")
    return f"<table>{''.join(rows)}</table>"


def result_page(scheme: Scheme, sent: Sent, budget: Budget) -> str:
    """The budget, the family letter (which ends with how it was worked out), then the form as
    sent."""
    letter = budget.letter(child=sent.child or None, reference=sent.reference or None,
                           school=sent.school or None).to_html()
    body = (f"{_heading(scheme)}\n<section class=\"result\" id=\"result\">"
            f"<h2>The budget</h2>{_figures(scheme, budget)}</section>\n"
            f'<section id="letter"><h2 class="no-print">The letter for the family</h2>'
            f"{letter}</section>\n"
            f"<h2 class=\"no-print\">Change an answer</h2>\n{_form(scheme, sent, {})}")
    return _page(f"Budget: {scheme.name}", body)
