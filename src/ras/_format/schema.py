"""The JSON Schema of the scheme format, generated from the pydantic models so it cannot drift.

Editors use it to complete keys and flag mistakes while a finance officer types (a YAML language
server reads ``# yaml-language-server: $schema=...``). It checks shape and types only, as the
models do; rules that relate one part to another (ids unique, bands increasing) are the
loader's, so a file the schema accepts can still be refused by ``ras validate``, never the other
way round for shape.

The generator differs from pydantic's default in ways an editor needs: decimals are JSON numbers
(pydantic also allows strings, which would hide ``rate: "3OO"`` typos), their bounds are real
``minimum``/``maximum`` keywords, an id's pattern survives the validator chain, a mapping's keys
are checked with ``propertyNames``, and ids and labels written as bare numbers (``label: 1``)
are accepted as the loader accepts them.
"""

from __future__ import annotations

import copy
import json
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from ras._format.model import ROUNDING_UNITS, VERSION_2_KEYS, SchemeModel, _text
from ras._format.rules import METHOD_KEYS, RESERVED_QUESTION_IDS

__all__ = ["DESCRIPTIONS", "SCHEMA_ID", "json_schema"]

SCHEMA_ID = "urn:ras:scheme-format:2"  # describes versions 1 and 2 (ras_scheme says which)
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# What each object is, then what each key means, for editors' hover text. A test checks that
# every key of every model has a description here, so a new key cannot ship undocumented.
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "SchemeModel": {
        "": "A ras scoring scheme: how a child's assessed needs become points, and points "
            "become an indicative personal SEN budget. Format version 1 or 2.",
        "ras_scheme": "Format version of this file: 1, or 2 to use combine, number questions, "
                      "period, points_word, description, letter and an unknown element 1.",
        "id": "Short machine name of the scheme: lower-case letters, digits, '-' and '_'.",
        "name": "The scheme's full name, as shown to officers and families.",
        "version": "The scheme's own version, such as \"2026-27\". Quote it in YAML.",
        "effective_from": "First day the scheme is in force (inclusive), as 2026-04-01.",
        "effective_to": "Last day the scheme is in force (inclusive). Leave out for no end.",
        "currency": "Currency of every amount. Only GBP.",
        "streams": "The funding streams, by id, such as education and social_care. Leave out "
                   "for a single stream, education.",
        "domains": "The areas of need, in order. Each has questions with options that score "
                   "points.",
        "pricing": "How each stream's points become pounds, by stream id. Every stream that "
                   "has domains needs one.",
        "rounding": "How every stream amount is rounded. Default: to the penny, half up.",
        "indicative_range": "The lower and upper bounds shown around each stream amount. "
                            "Leave out for no range.",
        "settings": "Where a child is educated, by id, with the element 1 and element 2 "
                    "funding the setting already has.",
        "period": "Version 2: what every amount in the file is per: year, term, week or "
                  "one_off. Default: year. Nothing is converted.",
        "points_word": "Version 2: what points are called in explanations and letters, such "
                       "as {one: level, other: levels}. Default: point, points.",
        "letter": "Version 2: the council's own words that every letter carries.",
    },
    "PointsWord": {
        "": "What the scheme calls its points, in the singular and the plural.",
        "one": "The word for one, such as level.",
        "other": "The word for any other number, such as levels.",
    },
    "LetterText": {
        "": "The council's own words for letters. A letter without them says they must be "
            "added.",
        "council": "The council's name, as it signs its letters.",
        "contact": "Who the family contacts, and how.",
        "advice": "Where the family can get independent advice.",
        "next_steps": "What happens next with this amount.",
        "review": "How to ask for a decision to be looked at again, and by when.",
    },
    "NumberAnswer": {
        "": "Version 2: a question answered with a number on a grid (min, min + step, ... "
            "max), such as hours a week.",
        "unit": "The words after the number in explanations: \"hours a week\".",
        "min": "The smallest answer, 0 or more, at most two decimals.",
        "max": "The largest answer, above min, a whole number of steps from it.",
        "step": "The grid of answers from min, more than 0, at most two decimals.",
        "points_per_unit": "Points for each unit of the answer, at most four decimals; may be "
                           "negative. Points = answer x points_per_unit.",
    },
    "Domain": {
        "": "An area of need, such as communication and interaction.",
        "id": "Short machine name of the domain, unique in the scheme.",
        "label": "The domain's name as shown to people.",
        "stream": "The stream whose budget this domain's points count towards. "
                  "Default: education.",
        "weight": "Multiplies the sum (or, with combine: max, the highest) of the domain's "
                  "question points. Default: 1.",
        "cap": "The most points the domain can give, after the weight. Leave out for no cap.",
        "questions": "The questions of this domain, in order.",
        "combine": "Version 2: sum (the default) adds the question points; max takes the "
                   "highest.",
        "description": "Version 2: words for families about this area of need.",
    },
    "Question": {
        "": "One assessed need, answered by choosing one of its options, or (version 2) with "
            "a number.",
        "id": "Short machine name of the question, unique in the whole scheme; the column "
              "name in cohort files.",
        "label": "The question as shown to people.",
        "options": "The possible answers, from least to most need; at least two. A question "
                   "has options or a number, not both.",
        "number": "Version 2: the question is answered with a number on a grid.",
        "description": "Version 2: words for families about this question.",
    },
    "Option": {
        "": "One possible answer to a question.",
        "id": "Short machine name of the option, unique within its question.",
        "label": "What the option means, as shown to people.",
        "points": "Points the option scores: at most two decimals; may be negative.",
        "description": "Version 2: what this answer means, in words for families.",
    },
    "Stream": {
        "": "A funding stream: education, social care or health.",
        "label": "The stream's name as shown to people.",
        "combine": "Version 2: sum (the default) adds the domain points; max takes the "
                   "highest area.",
        "description": "Version 2: words for families about this stream.",
    },
    "Pricing": {
        "": "How a stream's points become pounds: rate, bands or steps, then clamped to "
            "minimum and maximum, then rounded.",
        "method": "rate: base + points x rate. bands: the amount of the highest band reached. "
                  "steps: each point priced at the rate of the step it falls in.",
        "rate": "Method rate: pounds per point.",
        "base": "Method rate: a fixed amount added to points x rate. Default: 0.",
        "bands": "Method bands: the band table, from_points strictly increasing from 0.",
        "steps": "Method steps: the marginal rates, from_points strictly increasing from 0.",
        "minimum": "The smallest amount: a lower amount is raised to it. Default: 0.",
        "maximum": "The largest amount: a higher amount is cut to it and flagged for panel "
                   "review. Leave out for no maximum.",
        "refer_above": "Above this many points the case has no amount and is referred to "
                       "panel. Leave out for never.",
    },
    "Band": {
        "": "One row of a band table.",
        "label": "The band's name, unique within the table; quote numbers (\"1\").",
        "from_points": "The fewest points that reach this band (at most two decimals).",
        "amount": "Pounds for a child in this band.",
        "description": "Version 2: why this band gives this amount, in words for families.",
    },
    "Step": {
        "": "One marginal rate, like a tax band.",
        "from_points": "The point from which this rate applies (at most two decimals).",
        "rate": "Pounds for each point from from_points up to the next step.",
        "description": "Version 2: what this step means, in words for families.",
    },
    "Rounding": {
        "": "How stream amounts are rounded.",
        "unit": "Round to a multiple of this many pounds: 0.01, 1, 10 or 100. Default: 0.01.",
        "mode": "half_up, half_even, up (to the larger amount) or down (to the smaller). "
                "Default: half_up.",
    },
    "IndicativeRange": {
        "": "Bounds around each stream amount: amount x (1 - below) to amount x (1 + above).",
        "below": "Fraction below the amount, 0 to 1. Default: 0.",
        "above": "Fraction above the amount, 0 or more. Default: 0.",
    },
    "Setting": {
        "": "Where a child is educated and what funding the setting already has.",
        "label": "The setting's name as shown to people.",
        "element1": "Core per-pupil funding, in pounds: reported, not paid from the budget. "
                    "Version 2: may be left out (not known) unless ras_covers is whole_place.",
        "element2": "The setting's notional SEN budget or place funding, in pounds, for the "
                    "first part of additional support.",
        "ras_covers": "What the priced amount covers. additional_support: element 2 is "
                      "deducted. whole_place: elements 1 and 2 are deducted. top_up: the amount "
                      "already is the top-up.",
        "pricing": "This setting's own pricing for some streams, by stream id, replacing the "
                   "scheme's for children here.",
        "description": "Version 2: words for families about this setting's funding.",
    },
}

_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the scheme format, as a new dict each call.

    Point an editor at it to catch mistakes while typing; ``ras schema`` prints it. It
    describes both format versions; the loader's own checks (ids unique, tables increasing)
    go further than a schema can.

    Returns
    -------
    dict
        The schema, JSON-ready.

    Examples
    --------
    >>> import ras
    >>> schema = ras.json_schema()
    >>> schema["$id"], schema["properties"]["ras_scheme"]["enum"]
    ('urn:ras:scheme-format:2', [1, 2])
    """
    return copy.deepcopy(_schema())


def schema_text() -> str:
    """The schema as indented JSON text, as ``ras schema`` prints it."""
    return json.dumps(_schema(), indent=2, ensure_ascii=False) + "\n"


@cache
def _schema() -> dict[str, Any]:
    generated = SchemeModel.model_json_schema(schema_generator=_Generator)
    definitions: dict[str, Any] = generated.pop("$defs")
    top = _describe(generated, "SchemeModel", "ras scoring scheme (format 1 or 2)")
    definitions = {name: _describe(d, name, name) for name, d in definitions.items()}
    # rules of _rules.py that an editor can show while typing, taken from the same tables
    unit = definitions["Rounding"]["properties"]["unit"]
    unit["enum"] = [_json_number(u) for u in ROUNDING_UNITS]
    definitions["Pricing"]["allOf"] = [_method_keys(m) for m in METHOD_KEYS]
    definitions["Question"]["properties"]["id"]["not"] = {"enum": sorted(RESERVED_QUESTION_IDS)}
    # a question has options or a number, one of the two (null is as absent)
    definitions["Question"]["oneOf"] = [
        {"required": ["options"], "properties": {"options": {"type": "array"},
                                                  "number": {"type": "null"}}},
        {"required": ["number"], "properties": {"number": {"type": "object"},
                                                 "options": {"type": "null"}}},
    ]
    definitions["Setting"]["allOf"] = [{  # a whole_place top-up is the amount less element 1
        "if": {"properties": {"ras_covers": {"const": "whole_place"}},
               "required": ["ras_covers"]},
        "then": {"required": ["element1"], "properties": {"element1": {"type": "number"}}},
    }]
    top["allOf"] = [{
        "if": {"properties": {"ras_scheme": {"const": 1}}, "required": ["ras_scheme"]},
        "then": _version_1(SchemeModel),
    }]
    return {"$schema": DRAFT, "$id": SCHEMA_ID, **top, "$defs": definitions}


def _version_1(model: type[BaseModel]) -> dict[str, Any]:
    """What a version 1 file may not say, at every level: version 2's keys (as unknown), and
    the keys version 1 requires that version 2 lets go (a question's options, element 1)."""
    properties: dict[str, Any] = {
        key: {"type": "null"} for key in sorted(VERSION_2_KEYS.get(model.__name__, ()))}
    for key, field in model.model_fields.items():
        if key in properties:
            continue
        inner = _version_1_inner(field.annotation)
        if inner:
            properties[key] = inner
    out: dict[str, Any] = {"properties": properties} if properties else {}
    required = {"Question": ["options"], "Setting": ["element1"]}.get(model.__name__)
    if required:
        out["required"] = required
    return out


def _version_1_inner(annotation: Any) -> dict[str, Any]:
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            return _version_1(member)
        origin, args = typing.get_origin(member), typing.get_args(member)
        if origin is tuple and args:
            limits = _version_1_inner(args[0])
            return {"items": limits} if limits else {}
        if origin is dict and len(args) == 2:
            limits = _version_1_inner(args[1])
            return {"additionalProperties": limits} if limits else {}
    return {}


def _members(annotation: Any) -> tuple[Any, ...]:
    """The types an annotation allows, through Annotated and unions, without None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return tuple(m for a in typing.get_args(annotation) if a is not type(None)
                     for m in _members(a))
    return (annotation,)


def _method_keys(method: str) -> dict[str, Any]:
    """A method needs its own table and takes no other method's keys (null is as absent)."""
    own = METHOD_KEYS[method]
    others = sorted(set().union(*METHOD_KEYS.values()) - own)
    return {
        "if": {"properties": {"method": {"const": method}}, "required": ["method"]},
        "then": {"required": [method],  # each method's table is the key of its own name
                 "properties": {key: {"type": "null"} for key in others}},
    }


def _describe(schema: dict[str, Any], model: str, title: str) -> dict[str, Any]:
    """Swap pydantic's field titles and docstrings for the descriptions above."""
    texts = DESCRIPTIONS.get(model, {})
    rest = {k: v for k, v in schema.items() if k not in {"title", "description"}}
    schema = {"title": title, "description": texts.get("", ""), **rest}
    properties = {}
    for key, value in schema.get("properties", {}).items():
        value = {k: v for k, v in value.items() if k != "title"}
        if key in texts:
            value = {"description": texts[key], **value}
        properties[key] = value
    if properties:
        schema["properties"] = properties
    out: dict[str, Any] = _keywords(schema)
    return out


def _keywords(node: Any) -> Any:
    """Constraints pydantic could not push into a schema arrive under their Python names
    (``ge``, ``decimal_places``); give them their JSON Schema names, or drop what JSON
    Schema cannot say exactly (decimal places: ``multipleOf: 0.01`` fails on binary floats)."""
    if isinstance(node, list):
        return [_keywords(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in {"properties", "$defs", "patternProperties"}:
            out[key] = {k: _keywords(v) for k, v in value.items()}
        elif key in _BOUNDS and isinstance(value, int | float | Decimal):
            out[_BOUNDS[key]] = _json_number(value)
        elif key == "decimal_places":
            continue
        else:
            out[key] = _keywords(value)
    return out


def _json_number(value: Any) -> Any:
    """A Decimal as the JSON number it writes: 1 -> 1, 0.01 -> 0.01."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _plain_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return {k: _plain_default(v) for k, v in value.model_dump().items()}
    if isinstance(value, dict):
        return {k: _plain_default(v) for k, v in value.items()}
    return _json_number(value)


class _Generator(GenerateJsonSchema):
    """pydantic's generator, adjusted so that the schema says what the loader accepts."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        out: JsonSchemaValue = {"type": "number"}
        for python_name, json_name in _BOUNDS.items():
            if python_name in schema:
                out[json_name] = _json_number(schema[python_name])  # type: ignore[literal-required]
        return out

    def chain_schema(self, schema: core_schema.ChainSchema) -> JsonSchemaValue:
        # pydantic keeps only the first step (for Id: text, without its pattern); the steps
        # validate one value in turn, so every step's constraints apply. The first type wins.
        merged: JsonSchemaValue = {}
        for step in schema["steps"]:
            for key, value in self.generate_inner(step).items():
                if key != "type" or "type" not in merged:
                    merged[key] = value
        return merged

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        inner = super().function_before_schema(schema)
        function = schema["function"]["function"]
        if function is _text and inner.get("type") == "string":
            # ids and labels written as bare numbers are read as the text they show
            return {**inner, "type": ["string", "number"]}
        return inner

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        # pydantic turns a key pattern into patternProperties, which lets a key that misses the
        # pattern through unchecked; keep the values schema and check the names instead.
        out: JsonSchemaValue = {"type": "object"}
        if "values_schema" in schema:
            values = dict(self.generate_inner(schema["values_schema"]))
            values.pop("title", None)
            out["additionalProperties"] = values
        if "keys_schema" in schema:
            keys = self.generate_inner(schema["keys_schema"])
            names = {k: v for k, v in keys.items() if k in {"pattern", "minLength"}}
            if names:
                out["propertyNames"] = names
        if "min_length" in schema:
            out["minProperties"] = schema["min_length"]
        if "max_length" in schema:
            out["maxProperties"] = schema["max_length"]
        return out

    def encode_default(self, dft: Any) -> Any:
        return _plain_default(dft)
