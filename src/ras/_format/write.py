"""A scheme written back as a scheme file: the reverse of reading, for reforms and saving.

The text is what the loader reads to an equal scheme (the same fingerprint and dates). Numbers
are written from their exact decimal text (``0.10`` stays ``0.10``, never a float), and absent
optional values are left out. Text that a reader could take for a number, a date or a boolean
(an option id ``"2"``, a version ``"1"``, ``no``) is quoted by PyYAML's own emitter, whose
resolver is the one the reader asks first (a bare scalar it calls text is text to ras too).
Comments of the original file are not kept: the model holds what the scheme says, not how it
was written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import yaml

from ras._format.model import SchemeModel

__all__ = ["scheme_yaml"]

_CORE = "tag:yaml.org,2002:"
_WIDTH = 100


class _Writer(yaml.SafeDumper):
    """Block style for the outline, flow style (``{id: some, points: 3}``) for the leaves."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    return dumper.represent_scalar(_CORE + ("float" if "." in text else "int"), text)


def _date(dumper: yaml.SafeDumper, value: dt.date) -> yaml.ScalarNode:
    return dumper.represent_scalar(_CORE + "timestamp", value.isoformat())


_Writer.add_representer(Decimal, _decimal)
_Writer.add_representer(dt.date, _date)


def _plain(value: Any) -> Any:
    """Tuples as lists, for the safe writer; everything else as it is."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def scheme_yaml(model: SchemeModel, *, header: str | None = None) -> str:
    """The scheme file text of a validated scheme model, with an optional comment on top."""
    data = _plain(model.model_dump(exclude_none=True))
    body = yaml.dump(data, Dumper=_Writer, sort_keys=False, allow_unicode=True,
                     default_flow_style=None, width=_WIDTH)
    if header is None:
        return str(body)
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + str(body)
