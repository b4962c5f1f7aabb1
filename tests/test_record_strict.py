"""A budget record is read strictly (issue 13, item 12): it is a file that leaves the system
and may come back edited, so ``ras.verify`` and ``ras explain SCHEME record.json`` refuse what
``Budget.to_record`` never writes, instead of checking the part they understand."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import ras
from ras._faces.cli import main
from tests.paths import SCHEMES

RATE = SCHEMES / "points_rate.yaml"


@pytest.fixture(scope="module")
def scheme() -> ras.Scheme:
    return ras.load_scheme(RATE)


@pytest.fixture(scope="module")
def record(scheme: ras.Scheme) -> dict[str, Any]:
    return scheme.calculate(dict.fromkeys(scheme.question_ids, 1),
                            setting="mainstream").to_record()


def _refused(scheme: ras.Scheme, record: dict[str, Any] | str, words: str,
             key_path: str | None = None) -> None:
    for given in ([record] if isinstance(record, str) else [record, json.dumps(record)]):
        with pytest.raises(ras.RecordError, match=words) as caught:
            ras.verify(given, scheme)
        if key_path is not None:
            assert caught.value.key_path == key_path


@pytest.mark.parametrize(("section", "key"), [(None, "final_amount"), (None, "Outputs"),
                                              ("scheme", "name"), ("inputs", "notes")])
def test_keys_a_record_never_has_are_refused(scheme: ras.Scheme, record: dict[str, Any],
                                             section: str | None, key: str) -> None:
    edited = copy.deepcopy(record)
    (edited[section] if section else edited)[key] = "99999.00"
    path = f"{section}.{key}" if section else key
    _refused(scheme, edited, "not a key of a budget record", path)


@pytest.mark.parametrize("spelt", ["2_400.00", " 2400.00", "2400.00 ", "+2400.00", "2.4e3",
                                   "2400,00", "２４００.００", "", ".5", "5.", "2400.00\n"])
@pytest.mark.parametrize("where", [("element3",), ("stream_amounts", "education"),
                                   ("domain_points", "communication")])
def test_figures_spelt_otherwise_are_refused(scheme: ras.Scheme, record: dict[str, Any],
                                             spelt: str, where: tuple[str, ...]) -> None:
    edited = copy.deepcopy(record)
    target = edited["outputs"]
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = spelt
    _refused(scheme, edited, "not a figure as a record writes it",
             ".".join(("outputs", *where)))


def test_a_figure_written_as_a_json_number_is_refused(scheme: ras.Scheme,
                                                      record: dict[str, Any]) -> None:
    edited = copy.deepcopy(record)
    edited["outputs"]["element3"] = 2630.0
    _refused(scheme, edited, "not a figure", "outputs.element3")


def test_the_same_figure_written_shorter_still_agrees(scheme: ras.Scheme,
                                                      record: dict[str, Any]) -> None:
    edited = copy.deepcopy(record)
    edited["outputs"]["element2"] = "6000"  # budget_record writes "6000.00": one figure
    assert ras.verify(edited, scheme).ok


@pytest.mark.parametrize("text", [
    '{"kind": "ras.budget", "kind": "ras.budget"}',
    None,  # a duplicate element3 inside outputs: filled in below
])
def test_duplicate_json_keys_are_refused(scheme: ras.Scheme, record: dict[str, Any],
                                         text: str | None) -> None:
    if text is None:
        honest = json.dumps(record)
        text = honest.replace('"element3": ', '"element3": "99999.00", "element3": ', 1)
        assert json.loads(text)["outputs"]["element3"] == record["outputs"]["element3"]
    _refused(scheme, text, "twice")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_numbers_are_refused(scheme: ras.Scheme, record: dict[str, Any],
                                      constant: str) -> None:
    text = json.dumps(record).replace('"format": 1', f'"format": 1, "x": {constant}')
    _refused(scheme, text, constant)


@pytest.mark.parametrize("depth", [100_000, 2_000])
def test_deep_nesting_is_a_record_error_not_a_recursion_error(
        scheme: ras.Scheme, record: dict[str, Any], depth: int) -> None:
    _refused(scheme, "[" * depth + "]" * depth, "nested|mapping")
    inner = "[" * depth + "]" * depth
    text = json.dumps(record).replace('"format": 1', f'"format": 1, "extra": {inner}')
    _refused(scheme, text, "nested|not a key")
    deep: Any = "x"
    for _ in range(5_000):
        deep = {"a": deep}
    edited = copy.deepcopy(record)
    edited["outputs"]["bands"] = {"education": deep}
    with pytest.raises(ras.RecordError, match="text or null"):
        ras.verify(edited, scheme)
    edited = copy.deepcopy(record)
    edited["inputs"]["answers"] = {"mobility": deep}
    with pytest.raises(ras.RecordError, match="inputs"):
        ras.verify(edited, scheme)
    edited = copy.deepcopy(record)
    edited["scheme"]["fingerprint"] = deep
    with pytest.raises(ras.RecordError, match=r"scheme\.fingerprint: must be text"):
        ras.verify(edited, scheme)


# -- ras explain SCHEME record.json ----------------------------------------------------------


def _explain(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str, str]:
    status = main(["explain", str(RATE), str(path)])
    out, err = capsys.readouterr()
    return status, out, err


def test_explain_says_when_a_record_claims_other_figures(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, scheme: ras.Scheme,
        record: dict[str, Any]) -> None:
    edited = copy.deepcopy(record)
    recomputed = record["outputs"]["element3"]
    edited["outputs"]["element3"] = edited["outputs"]["personal_sen_budget"] = "99999.00"
    path = tmp_path / "record.json"
    path.write_text(json.dumps(edited), encoding="utf-8")
    status, out, err = _explain(capsys, path)
    assert status == 1
    assert "99,999.00" not in out  # the explanation is of the recalculated figures
    assert f"£{float(recomputed):,.2f}" in out
    assert "claims figures other than the ones explained" in err
    assert f"outputs.element3: recorded '99999.00', recomputed '{recomputed}'" in err
    assert "Traceback" not in err


def test_explain_of_an_honest_record_says_nothing_more(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, record: dict[str, Any]) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    status, _, err = _explain(capsys, path)
    assert (status, err) == (0, "")


@pytest.mark.parametrize(("edit", "words"), [
    (lambda r: r.update(final_amount="99999.00"), "not a key of a budget record"),
    (lambda r: r["outputs"].update(element3="2_400.00"), "not a figure as a record writes it"),
    (lambda r: r["inputs"].update(answers=["some"]), "inputs"),
    (lambda r: r.update(inputs="none"), "inputs"),
])
def test_explain_refuses_an_edited_record_in_words(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, record: dict[str, Any],
        edit: Any, words: str) -> None:
    edited = copy.deepcopy(record)
    edit(edited)
    path = tmp_path / "record.json"
    path.write_text(json.dumps(edited), encoding="utf-8")
    status, out, err = _explain(capsys, path)
    assert (status, out) == (1, "")
    assert words in err
    assert "Traceback" not in err
