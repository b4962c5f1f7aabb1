"""The scheme format: YAML read safely, the model, the format's rules, loading, the JSON Schema.

Uses only the base. Knows nothing of answers, money or the kernel.
"""

from ras._format.load import model_changed, model_from_data, model_from_file, model_from_text
from ras._format.model import (
    Band,
    Domain,
    IndicativeRange,
    LetterText,
    NumberAnswer,
    Option,
    PointsWord,
    Pricing,
    Question,
    SchemeModel,
    Setting,
)
from ras._format.rules import METHOD_KEYS, SHARED_KEYS, decimals
from ras._format.schema import json_schema, schema_text
from ras._format.write import scheme_yaml
from ras._format.yaml import MAX_BYTES, KeyPath, LineMap, format_key_path, read_yaml

__all__ = [
    "MAX_BYTES",
    "METHOD_KEYS",
    "SHARED_KEYS",
    "Band",
    "Domain",
    "IndicativeRange",
    "KeyPath",
    "LetterText",
    "LineMap",
    "NumberAnswer",
    "Option",
    "PointsWord",
    "Pricing",
    "Question",
    "SchemeModel",
    "Setting",
    "decimals",
    "format_key_path",
    "json_schema",
    "model_changed",
    "model_from_data",
    "model_from_file",
    "model_from_text",
    "read_yaml",
    "schema_text",
    "scheme_yaml",
]
