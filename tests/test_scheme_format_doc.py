"""docs/scheme-format.md documents exactly the keys of the JSON Schema, with the same required
keys and defaults, and every scheme written in the docs loads."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest

import ras
from ras._format.yaml import read_yaml
from tests.paths import ROOT
from tests.test_schema import as_json

REFERENCE = ROOT / "docs" / "scheme-format.md"
_MARKER = re.compile(r"^<!-- schema: (\w+) -->\n((?:\|.*\n)+)", flags=re.M)
_YAML = re.compile(r"^ *```yaml\n(.*?)^ *```", flags=re.S | re.M)


def documented() -> dict[str, dict[str, str]]:
    """Object name -> key -> its default cell, from the reference's marked tables."""
    tables: dict[str, dict[str, str]] = {}
    for name, table in _MARKER.findall(REFERENCE.read_text(encoding="utf-8")):
        rows = [[c.strip() for c in line.strip().strip("|").split("|")]
                for line in table.splitlines()]
        assert rows[0] == ["key", "type", "default", "meaning"], name
        tables[name] = {row[0].strip("`"): row[2] for row in rows[2:]}
    return tables


def shown(value: Any) -> str:
    """A schema default as the reference writes it: `1`, `half_up`, `{unit: 0.01, ...}`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items()) + "}"
    return str(value)


def objects() -> dict[str, dict[str, Any]]:
    schema = ras.json_schema()
    return {"SchemeModel": schema, **schema["$defs"]}


def test_the_reference_has_a_table_for_every_object_and_no_other() -> None:
    assert set(documented()) == set(objects())


@pytest.mark.parametrize("name", sorted(objects()))
def test_each_table_has_exactly_the_schema_keys_required_and_defaults(name: str) -> None:
    node = objects()[name]
    table = documented()[name]
    assert list(table) == list(node["properties"]), "the keys, in the schema's order"
    for key, cell in table.items():
        if key in node.get("required", ()):
            assert cell == "required", f"{name}.{key} is required"
            continue
        default = node["properties"][key].get("default")
        if default is None:
            assert cell == "—", f"{name}.{key} has no default value"
        else:
            assert cell == f"`{shown(default)}`", f"{name}.{key} defaults to {default!r}"


def yaml_schemes() -> list[str]:
    found = []
    for path in sorted((ROOT / "docs").glob("*.md")):
        found += [b for b in _YAML.findall(path.read_text(encoding="utf-8"))
                  if re.search(r"^ras_scheme:", b, flags=re.M)]
    return found


def test_every_scheme_written_in_the_docs_loads_and_fits_the_schema() -> None:
    blocks = yaml_schemes()
    assert blocks, "the reference shows a scheme"
    validator = jsonschema.Draft202012Validator(ras.json_schema())
    for text in blocks:
        scheme = ras.Scheme.from_yaml(text)
        assert scheme.check() is not None
        data, _ = read_yaml(text)
        assert [e.message for e in validator.iter_errors(as_json(data))] == []
