"""Audit records and fingerprints: a budget can be written down, and checked again years later.

The fingerprint must ignore how a scheme is written (whitespace, comments, key order, 3 or 3.0)
and change with anything that can change a result; both are property tests.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from decimal import Decimal
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import ras
from tests.paths import SCHEMES
from tests.strategies import Cohort, scheme_and_cohort, schemes

AMIR: dict[str, str | int] = {
    "expressive_language": "some", "receptive_language": 1, "social_communication": 2,
    "learning_access": "some", "literacy_numeracy": "some",
    "emotional_regulation": "substantial", "behaviour_safety": "some",
    "attendance_engagement": "none", "hearing_vision": "none", "mobility": "none",
    "personal_care": "some", "eating_drinking": "none", "short_breaks": "occasional",
    "community_access": "some",
}




# Records ------------------------------------------------------------------------------------------


def test_record_holds_inputs_identity_and_every_output(points_rate: ras.Scheme) -> None:
    budget = points_rate.calculate(AMIR, setting="mainstream")
    record = budget.to_record()
    assert json.loads(json.dumps(record)) == record
    assert record["kind"] == "ras.budget"
    assert record["ras_version"] == ras.__version__
    assert record["scheme"] == {"id": "northshire-points-rate", "version": "2026-27",
                                "fingerprint": points_rate.fingerprint}
    # answers given by position are recorded by option id
    assert record["inputs"]["answers"]["receptive_language"] == "some"
    assert record["inputs"]["answers"]["social_communication"] == "substantial"
    assert record["inputs"]["setting"] == "mainstream"
    out = record["outputs"]
    assert out["stream_amounts"] == {"education": "8630.00", "social_care": "130.00"}
    assert out["domain_points"]["semh"] == "9"
    assert out["ranges"]["education"] == ["7770.00", "9920.00"]
    assert (out["element1"], out["element2"], out["element3"]) == ("5000.00", "6000.00",
                                                                   "2630.00")
    assert out["personal_sen_budget"] == "2630.00"
    assert out["total_personal_budget"] == "2760.00"
    assert out["reviews"] == {}


def test_a_referred_record_has_none_not_zero(banded: ras.Scheme) -> None:
    top = {q: len(o) - 1 for q, o in banded.option_ids.items()}
    record = banded.calculate(top, setting="mainstream").to_record()
    out = record["outputs"]
    assert out["stream_amounts"] == {"education": None, "social_care": None}
    assert out["element3"] is None
    assert out["total_personal_budget"] is None
    assert out["reviews"]["education"] == "above the table: refer to panel"
    assert ras.verify(json.dumps(record), banded).ok


def test_verify_an_unchanged_record_is_empty(points_rate: ras.Scheme) -> None:
    record = points_rate.calculate(AMIR, setting="special").to_record()
    report = ras.verify(json.loads(json.dumps(record)), points_rate)
    assert isinstance(report, ras.VerificationReport)
    assert report.ok
    assert len(report) == 0
    assert list(report) == []
    assert report.recorded_ras_version == ras.__version__
    assert "every figure agrees" in str(report)


def test_verify_reports_each_changed_figure(points_rate: ras.Scheme) -> None:
    record = copy.deepcopy(points_rate.calculate(AMIR, setting="mainstream").to_record())
    record["outputs"]["element3"] = "2600.00"
    record["outputs"]["stream_amounts"]["education"] = "8630.0"  # same figure, written shorter
    record["outputs"]["bands"]["education"] = "X"
    del record["outputs"]["total_personal_budget"]
    report = ras.verify(record, points_rate)
    assert not report.ok
    by_key = {d.key: d for d in report}
    assert set(by_key) == {"outputs.element3", "outputs.bands.education",
                           "outputs.total_personal_budget"}
    assert (by_key["outputs.element3"].recorded, by_key["outputs.element3"].recomputed) == (
        "2600.00", "2630.00")
    assert by_key["outputs.bands.education"].note == "not in the recalculation"
    assert by_key["outputs.total_personal_budget"].note == "missing from the record"
    assert "outputs.element3: recorded '2600.00', recomputed '2630.00'" in str(report)


def test_verify_recomputes_from_the_recorded_inputs(points_rate: ras.Scheme) -> None:
    record = copy.deepcopy(points_rate.calculate(AMIR, setting="mainstream").to_record())
    record["inputs"]["setting"] = "special"  # the figures no longer follow from the inputs
    keys = {d.key for d in ras.verify(record, points_rate)}
    assert {"outputs.element1", "outputs.element3", "outputs.personal_sen_budget"} <= keys


def test_verify_refuses_another_scheme(points_rate: ras.Scheme) -> None:
    record = points_rate.calculate(AMIR, setting="mainstream").to_record()
    data = yaml.safe_load((SCHEMES / "points_rate.yaml").read_text())
    data["pricing"]["education"]["rate"] = 286
    other = ras.Scheme.from_dict(data)
    with pytest.raises(ras.FingerprintError) as info:
        ras.verify(record, other)
    error = info.value
    assert isinstance(error, ras.RecordError)
    assert isinstance(error, ras.RasError)
    assert isinstance(error, ValueError)
    assert error.recorded == points_rate.fingerprint
    assert error.expected == other.fingerprint
    assert error.key_path == "scheme.fingerprint"
    assert "made under scheme fingerprint" in str(error)
    assert "check the record against the scheme it was made under" in str(error)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda r: r.update(kind="something"), "kind"),
        (lambda r: r.update(format=99), "format"),
        (lambda r: r.pop("inputs"), "inputs"),
        (lambda r: r["inputs"].update(setting=3), "inputs"),
        (lambda r: r["inputs"]["answers"].update(mobility="flying"), "cannot be scored"),
    ],
)
def test_verify_refuses_records_it_cannot_read(
    points_rate: ras.Scheme, change: Any, words: str
) -> None:
    record = copy.deepcopy(points_rate.calculate(AMIR, setting="mainstream").to_record())
    change(record)
    with pytest.raises(ras.RecordError, match=words):
        ras.verify(record, points_rate)


def test_verify_refuses_text_that_is_not_a_record(points_rate: ras.Scheme) -> None:
    with pytest.raises(ras.RecordError, match="not valid JSON"):
        ras.verify("{not json", points_rate)
    with pytest.raises(ras.RecordError, match="mapping"):
        ras.verify("[1, 2]", points_rate)


@given(scheme_and_cohort())
def test_every_record_verifies(case: tuple[dict[str, Any], Cohort]) -> None:
    data, cohort = case
    scheme = ras.Scheme.from_dict(data)
    for answers, setting in cohort[:5]:
        record = json.loads(json.dumps(scheme.calculate(answers, setting=setting).to_record()))
        assert ras.verify(record, scheme).ok


# Fingerprints ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """YAML for a scheme dict: Decimals as plain numbers, as a finance officer would type them."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = f"{value:f}"
    if "." in text:
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)
    if getattr(dumper, "trailing_zero", False):  # 3 written as 3.0
        return dumper.represent_scalar("tag:yaml.org,2002:float", text + ".0")
    return dumper.represent_scalar("tag:yaml.org,2002:int", text)


_Dumper.add_representer(Decimal, _decimal)


def _shuffled(value: Any, rnd: random.Random, path: tuple[str, ...] = ()) -> Any:
    """Every mapping in a new key order, except the settings (their order is the setting codes
    of the array API, so it is content). Sequences keep their order: it is content too."""
    if isinstance(value, dict):
        keys = list(value)
        if path != ("settings",):
            rnd.shuffle(keys)
        return {k: _shuffled(value[k], rnd, (*path, str(k))) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, rnd, path) for v in value]
    return value


def _write(data: dict[str, Any], rnd: random.Random) -> str:
    flow = rnd.choice([None, False, True])
    dumper_args: dict[str, Any] = {
        "Dumper": _Dumper, "sort_keys": False, "default_flow_style": flow,
        "indent": rnd.choice([2, 3, 4, 6]), "width": 10**6, "allow_unicode": True,
        "explicit_start": rnd.random() < 0.5,
    }
    _Dumper.trailing_zero = rnd.random() < 0.5  # type: ignore[attr-defined]
    text: str = yaml.dump(_shuffled(data, rnd), **dumper_args)
    if flow is False:  # block style: comments may go anywhere between or after lines
        lines = []
        for line in text.splitlines():
            if rnd.random() < 0.2:
                lines.append(" " * rnd.randrange(0, 8) + "# a note from the finance team")
            lines.append(line + ("   # why this figure" if rnd.random() < 0.2 else ""))
        text = "\n".join(lines) + "\n" * rnd.randrange(1, 4)
    return "# Scheme file, reformatted\n" + text


@given(schemes(), st.randoms(use_true_random=False))
def test_fingerprint_ignores_layout_comments_key_order_and_number_style(
    data: dict[str, Any], rnd: random.Random
) -> None:
    expected = ras.Scheme.from_dict(data).fingerprint
    text = _write(data, rnd)
    assert ras.Scheme.from_yaml(text).fingerprint == expected, text


def test_fingerprint_of_a_real_file_ignores_its_comments_and_layout() -> None:
    path = SCHEMES / "points_rate.yaml"
    original = ras.load_scheme(path)
    bare = "\n".join(line.split("  #")[0].rstrip() for line in path.read_text().splitlines()
                     if not line.lstrip().startswith("#"))
    assert bare != path.read_text()
    assert ras.Scheme.from_yaml(bare).fingerprint == original.fingerprint


def _bump(value: Any) -> Decimal:
    return Decimal(value) + 1


def _mutations(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every change that can change a result, each as (name, function changing a copy)."""
    out: list[tuple[str, Any]] = []
    for d, domain in enumerate(data["domains"]):
        for q, question in enumerate(domain["questions"]):
            for o in range(len(question["options"])):
                def points(x: dict[str, Any], d: int = d, q: int = q, o: int = o) -> None:
                    option = x["domains"][d]["questions"][q]["options"][o]
                    option["points"] = _bump(option["points"])
                out.append((f"points of domains[{d}].questions[{q}].options[{o}]", points))

        def weight(x: dict[str, Any], d: int = d) -> None:
            x["domains"][d]["weight"] = _bump(x["domains"][d].get("weight", 1))

        def cap(x: dict[str, Any], d: int = d) -> None:
            x["domains"][d]["cap"] = _bump(x["domains"][d].get("cap", 99))

        out += [(f"weight of domains[{d}]", weight), (f"cap of domains[{d}]", cap)]

    def pricings(x: dict[str, Any]) -> list[dict[str, Any]]:
        found = list(x["pricing"].values())
        for setting in x["settings"].values():
            found += list(setting.get("pricing", {}).values())
        return found

    for p, pricing in enumerate(pricings(data)):
        keys = ["minimum", "maximum", "refer_above"]
        keys += {"rate": ["rate", "base"], "bands": ["bands"], "steps": ["steps"]}[
            pricing["method"]]
        for key in keys:
            def change(x: dict[str, Any], p: int = p, key: str = key) -> None:
                target = pricings(x)[p]
                if key == "bands":
                    target["bands"][-1]["amount"] = _bump(target["bands"][-1]["amount"])
                elif key == "steps":
                    target["steps"][-1]["rate"] = _bump(target["steps"][-1]["rate"])
                elif key == "minimum" and "maximum" in target:
                    target["maximum"] = _bump(target["maximum"])
                    target["minimum"] = _bump(target.get("minimum", 0))
                elif key == "maximum":  # a new maximum must stay at or above the minimum
                    floor = max(Decimal(target.get("maximum", 0)),
                                Decimal(target.get("minimum", 0)))
                    target["maximum"] = _bump(floor)
                else:
                    target[key] = _bump(target.get(key, 0))
            out.append((f"{key} of pricing {p}", change))
    for name in data["settings"]:
        for key in ("element1", "element2"):
            def element(x: dict[str, Any], name: str = name, key: str = key) -> None:
                x["settings"][name][key] = _bump(x["settings"][name][key])
            out.append((f"{key} of {name}", element))

        def covers(x: dict[str, Any], name: str = name) -> None:
            kinds = ["additional_support", "whole_place", "top_up"]
            now = x["settings"][name]["ras_covers"]
            x["settings"][name]["ras_covers"] = kinds[(kinds.index(now) + 1) % 3]
        out.append((f"ras_covers of {name}", covers))

    def mode(x: dict[str, Any]) -> None:
        modes = ["half_up", "half_even", "up", "down"]
        rounding = x.setdefault("rounding", {})
        rounding["mode"] = modes[(modes.index(rounding.get("mode", "half_up")) + 1) % 4]

    def unit(x: dict[str, Any]) -> None:
        units = [Decimal("0.01"), Decimal(1), Decimal(10), Decimal(100)]
        rounding = x.setdefault("rounding", {})
        now = Decimal(rounding.get("unit", Decimal("0.01")))
        rounding["unit"] = units[(units.index(now) + 1) % 4]

    def spread(x: dict[str, Any]) -> None:
        rng = x.setdefault("indicative_range", {})
        rng["above"] = _bump(rng.get("above", 0))

    return [*out, ("rounding mode", mode), ("rounding unit", unit), ("indicative range", spread)]


@given(schemes(), st.data())
def test_fingerprint_changes_with_anything_that_can_change_a_result(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    before = ras.Scheme.from_dict(data).fingerprint
    name, change = draw.draw(st.sampled_from(_mutations(data)), label="change")
    changed = copy.deepcopy(data)
    change(changed)
    assert ras.Scheme.from_dict(changed).fingerprint != before, name


def test_fingerprint_changes_with_a_real_rate(points_rate: ras.Scheme) -> None:
    data = yaml.safe_load((SCHEMES / "points_rate.yaml").read_text())
    assert isinstance(data["effective_from"], dt.date)
    assert ras.Scheme.from_dict(data).fingerprint == points_rate.fingerprint
    data["rounding"]["mode"] = "half_even"
    assert ras.Scheme.from_dict(data).fingerprint != points_rate.fingerprint


def test_closing_a_version_keeps_its_records_verifiable() -> None:
    """load_schemes asks for an open-ended version to be ended when the next one starts; that
    date changes no figure, so what was recorded under the open-ended file still verifies."""
    text = (SCHEMES / "points_rate.yaml").read_text()
    assert "effective_to: 2027-03-31\n" in text
    open_ended = ras.Scheme.from_yaml(text.replace("effective_to: 2027-03-31\n", ""))
    record = open_ended.calculate(dict.fromkeys(open_ended.question_ids, 1),
                                  setting="mainstream").to_record()
    closed = ras.Scheme.from_yaml(text)
    assert closed.fingerprint == open_ended.fingerprint
    assert ras.verify(record, closed).ok
    later = ras.Scheme.from_yaml(text.replace("effective_from: 2026-04-01",
                                              "effective_from: 2026-05-01"))
    assert later.fingerprint != open_ended.fingerprint  # when it starts still identifies it
