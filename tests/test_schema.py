"""The JSON Schema accepts every valid scheme, refuses the shape mistakes, and says what each key
means; it is generated from the models, so these tests are what keep it honest."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given

import ras
from ras._format.model import SchemeModel
from ras._format.schema import DESCRIPTIONS
from ras._format.yaml import read_yaml
from tests import strategies
from tests.paths import FIXTURES, SCHEMES

VALIDATOR = jsonschema.Draft202012Validator(
    ras.json_schema(), format_checker=jsonschema.FormatChecker())
VALID = [*sorted(SCHEMES.glob("*.yaml")), FIXTURES / "valid_small.yaml"]
# shape mistakes the schema can see; cross-field rules (duplicates, order) are the loader's
REFUSED = ["unknown_key_typo", "unknown_method", "negative_rate", "negative_cap",
           "negative_weight", "negative_amount", "negative_element", "bad_slug",
           "missing_required_key", "not_a_number", "one_option", "unknown_currency",
           "unknown_rounding_mode", "unknown_rounding_unit", "method_key_mismatch",
           "reserved_question_id"]


def as_json(value: Any) -> Any:
    """What an editor's YAML server sees: dates as ISO text, numbers as JSON numbers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value


def read(path: Path) -> Any:
    data, _ = read_yaml(path.read_bytes(), str(path))
    return as_json(data)


def test_the_schema_is_a_valid_draft_2020_12_schema_with_an_id() -> None:
    schema = ras.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "urn:ras:scheme-format:2"
    assert schema["title"].startswith("ras scoring scheme")
    json.dumps(schema)  # plain JSON, nothing Python-only
    schema["title"] = "changed"
    assert ras.json_schema()["title"] != "changed"  # a fresh copy each call


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_every_example_scheme_is_valid(path: Path) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(read(path))]
    assert errors == []


@pytest.mark.parametrize("name", REFUSED)
def test_shape_mistakes_are_refused_as_the_loader_refuses_them(name: str) -> None:
    path = FIXTURES / "bad" / f"{name}.yaml"
    assert list(VALIDATOR.iter_errors(read(path))), f"the schema accepts {name}"
    with pytest.raises(ras.SchemeError):
        ras.load_scheme(path)


@given(strategies.schemes())
def test_every_scheme_the_loader_accepts_the_schema_accepts(data: dict[str, Any]) -> None:
    ras.Scheme.from_dict(data)
    errors = [e.message for e in VALIDATOR.iter_errors(as_json(data))]
    assert errors == []


def test_numbers_are_numbers_with_real_bounds() -> None:
    rate = ras.json_schema()["$defs"]["Pricing"]["properties"]["rate"]["anyOf"][0]
    assert rate == {"minimum": 0, "type": "number"}
    weight = ras.json_schema()["$defs"]["Domain"]["properties"]["weight"]
    assert weight["default"] == 1


def test_ids_keep_their_pattern_and_mapping_keys_are_checked() -> None:
    base = read(FIXTURES / "valid_small.yaml")
    base["domains"][0]["id"] = " leading space"
    assert list(VALIDATOR.iter_errors(base))
    base["domains"][0]["id"] = "has space"  # any text, as the format page allows
    assert not list(VALIDATOR.iter_errors(base))
    base = read(FIXTURES / "valid_small.yaml")
    base["settings"]["bad key\t"] = base["settings"]["mainstream"]
    assert list(VALIDATOR.iter_errors(base))
    base = read(FIXTURES / "valid_small.yaml")
    base["settings"]["early years"] = base["settings"]["mainstream"]
    assert not list(VALIDATOR.iter_errors(base))
    base = read(FIXTURES / "valid_small.yaml")
    base["pricing"]["social_care"]["bands"][0]["label"] = 1  # a bare number, as YAML reads `1`
    assert not list(VALIDATOR.iter_errors(base))


def _models() -> dict[str, type[Any]]:
    found: dict[str, type[Any]] = {}

    def walk(model: type[Any]) -> None:
        found[model.__name__] = model
        for field in model.model_fields.values():
            for inner in _inner_models(field.annotation):
                if inner.__name__ not in found:
                    walk(inner)

    walk(SchemeModel)
    return found


def _inner_models(annotation: Any) -> list[type[Any]]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _inner_models(arg)]


def test_every_key_of_every_model_is_described_and_nothing_else() -> None:
    schema = ras.json_schema()
    models = _models()
    assert set(DESCRIPTIONS) == set(models)
    for name, model in models.items():
        assert set(DESCRIPTIONS[name]) - {""} == set(model.model_fields), name
        node = schema if name == "SchemeModel" else schema["$defs"][name]
        assert node["description"]
        for key, value in node["properties"].items():
            assert value["description"], f"{name}.{key}"


@given(strategies.schemes(version=2))
def test_every_version_2_scheme_the_loader_accepts_the_schema_accepts(
        data: dict[str, Any]) -> None:
    ras.Scheme.from_dict(data)
    errors = [e.message for e in VALIDATOR.iter_errors(as_json(data))]
    assert errors == []


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d.update(period="term"), "period"),
    (lambda d: d["domains"][0].update(combine="max"), "combine"),
    (lambda d: d["settings"]["mainstream"].pop("element1"), "element1"),
])
def test_the_schema_refuses_version_2_keys_in_a_version_1_file(change: Any, where: str) -> None:
    data = read(FIXTURES / "valid_small.yaml")
    change(data)
    assert list(VALIDATOR.iter_errors(data)), where
    data["ras_scheme"] = 2
    assert not list(VALIDATOR.iter_errors(data)), where


def test_the_schema_refuses_a_question_with_both_or_neither_and_whole_place_without_e1() -> None:
    data = read(FIXTURES / "valid_small.yaml")
    data["ras_scheme"] = 2
    number = {"unit": "hours", "min": 0, "max": 10, "step": 0.5, "points_per_unit": 1}
    data["domains"][0]["questions"][0]["number"] = number
    assert list(VALIDATOR.iter_errors(data))  # both
    del data["domains"][0]["questions"][0]["options"]
    assert not list(VALIDATOR.iter_errors(data))
    del data["domains"][0]["questions"][0]["number"]
    assert list(VALIDATOR.iter_errors(data))  # neither
    data = read(FIXTURES / "valid_small.yaml")
    data["ras_scheme"] = 2
    del data["settings"]["special"]["element1"]  # whole_place
    assert list(VALIDATOR.iter_errors(data))
