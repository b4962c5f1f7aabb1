"""Safe YAML reading for scheme files: plain data out, the line of every key kept.

PyYAML's own constructors are not used. The text is composed into nodes and walked here, so:
- no tag can build a Python object (only the core YAML tags are accepted);
- duplicate keys, merge keys and non-string keys are refused;
- an alias bomb stops after a fixed number of expanded nodes instead of eating the machine;
- scalars follow YAML 1.2 (``no`` and ``on`` are strings, ``010`` is ten) and numbers become
  exact ``Decimal`` from their text, so ``0.1`` is one tenth, never a binary float;
- ``.nan`` and ``.inf`` are refused: no amount or point count can be infinite.
Every refusal names the line.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

import yaml

from ras._base import Problem, has_control

__all__ = ["KeyPath", "LineMap", "format_key_path", "read_yaml"]

KeyPath = tuple[str | int, ...]
LineMap = dict[KeyPath, int]

MAX_BYTES = 2_000_000  # a 200-question scheme is about 60 kB
MAX_NODES = 200_000  # nodes expanded through aliases, far above any real scheme
MAX_DEPTH = 64

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[-+]?\.(inf|Inf|INF|nan|NaN|NAN)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def format_key_path(path: KeyPath) -> str:
    """``('domains', 1, 'questions', 0)`` -> ``domains[1].questions[0]``.

    A key that would not print as itself (a line break, a control character) is shown quoted
    and escaped, so that a message about it cannot forge a line or move a terminal's cursor."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            shown = str(part) if str(part).isprintable() else repr(str(part))
            out += f".{shown}" if out else shown
    return out


class _RefusedError(Exception):
    def __init__(
        self, node: yaml.Node | None, path: KeyPath, message: str, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.line = node.start_mark.line + 1 if node is not None else line
        self.path = path
        self.message = message


def read_yaml(text: str | bytes, file: str | None = None, *,
              kind: str = "scheme") -> tuple[Any, LineMap]:
    """Parse scheme text into plain data and a map from key path to line number.

    Raises SchemeError naming the file and line for anything that is not plain, finite data.
    ``kind`` names what the text is in the messages ("scheme", "answers file", "record"), so
    that a child's answers file is not called a scheme.
    """
    from ras._base import SchemeError

    def fail(message: str, line: int | None = None, path: KeyPath = ()) -> SchemeError:
        return SchemeError([Problem(format_key_path(path), message, line, file)], file)

    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise fail(f"the file is {len(text):,} bytes; {_article(kind)} "
                       f"{kind.removesuffix(' file')} file is at most {MAX_BYTES:,} bytes")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise fail(f"the file is not UTF-8 text (byte {exc.start} cannot be read)") from None
    if len(text) > MAX_BYTES:
        raise fail(f"the text is {len(text):,} characters; {_article(kind)} {kind} is at most "
                   f"{MAX_BYTES:,}")
    try:
        _refuse_deep_nesting(text, _Loader)
        node = yaml.compose(text, Loader=_Loader)
    except _RefusedError as exc:
        raise fail(exc.message, exc.line, exc.path) from None
    except (yaml.YAMLError, RecursionError) as exc:
        # libyaml stops deep flow collections with its own words before any event reaches us:
        # the pure-Python parser, which has no limit, says in ours whether depth is the reason
        try:
            _refuse_deep_nesting(text, yaml.SafeLoader)
        except _RefusedError as deep:
            raise fail(deep.message, deep.line, deep.path) from None
        except yaml.YAMLError:
            pass
        if isinstance(exc, yaml.MarkedYAMLError):
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            what = exc.problem or exc.context or "not valid YAML"
            raise fail(f"not valid YAML: {what}", line) from None
        raise fail(f"not valid YAML: {exc}") from None
    if node is None:
        raise fail(f"the {kind} is empty")
    lines: LineMap = {}
    try:
        data = _Walker(lines, kind).walk(node, ())
    except _RefusedError as exc:
        raise fail(exc.message, exc.line, exc.path) from None
    return data, lines


def _article(kind: str) -> str:
    return "an" if kind[:1] in "aeiou" else "a"


def _refuse_deep_nesting(text: str, loader: type[Any]) -> None:
    """Refuse nesting deeper than MAX_DEPTH from the event stream, before anything is composed.

    The events are read one at a time, so the refusal comes at the first collection too deep,
    in these words and with its line, whatever limit (or none) the YAML parser has of its own:
    libyaml stops at 1,000 levels (PyYAML 6.0.4), and the pure-Python composer recurses until
    Python stops it.
    """
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:  # the top-level mapping is depth 1, as path () is
                mark = event.start_mark
                raise _RefusedError(None, (), f"nested more than {MAX_DEPTH} levels deep",
                                    line=mark.line + 1 if mark is not None else None)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Walker:
    """Turns composed nodes into dicts, lists and exact scalars, recording lines."""

    def __init__(self, lines: LineMap, kind: str = "scheme") -> None:
        self.lines = lines
        self.count = 0
        self.kind = kind

    def _no_tag(self, node: yaml.Node) -> str:
        return f"the tag {node.tag} is not allowed in {_article(self.kind)} {self.kind}"

    def walk(self, node: yaml.Node, path: KeyPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _RefusedError(
                node, path, f"more than {MAX_NODES:,} values once aliases are expanded "
                f"(an alias bomb?); write the {self.kind} out plainly"
            )
        if len(path) > MAX_DEPTH:
            raise _RefusedError(node, path, f"nested more than {MAX_DEPTH} levels deep")
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _CORE + "seq":
                raise _RefusedError(node, path, self._no_tag(node))
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        if node.tag != _CORE + "map":
            raise _RefusedError(node, path, self._no_tag(node))
        out: dict[str, Any] = {}
        spellings: dict[str, str] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                raise _RefusedError(key_node, path, "merge keys (<<) are not supported; "
                                    "write the keys out")
            key = self._scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if isinstance(key, bool | int | Decimal | dt.date) and not isinstance(key, str):
                key = str(key_node.value)
            if not isinstance(key, str):
                raise _RefusedError(key_node, path, "a key must be plain text")
            if key in out:
                first = self.lines.get((*path, key))
                raise _RefusedError(
                    key_node, (*path, key),
                    f"duplicate key '{key}' (first given on line {first})",
                )
            same = spellings.setdefault(unicodedata.normalize("NFC", key), key)
            if same != key:  # ids are compared in one Unicode form: these would be one key
                first = self.lines.get((*path, same))
                raise _RefusedError(
                    key_node, (*path, key),
                    f"duplicate key '{key}': the same text as '{same}' (line {first}) in "
                    "another Unicode form",
                )
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = self.walk(value_node, (*path, key))
        return out

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        assert isinstance(node, yaml.ScalarNode)
        if node.tag not in _SCALAR_TAGS:
            raise _RefusedError(node, path, self._no_tag(node))
        text: str = node.value
        if has_control(text):
            raise _RefusedError(node, path, "contains a control character")
        if node.style not in (None, "") or node.tag == _CORE + "str":
            return text  # quoted, block or explicitly !!str: always text
        return _plain(text, node, path)


def _plain(text: str, node: yaml.Node, path: KeyPath) -> Any:
    """Resolve an unquoted scalar by the YAML 1.2 core schema, numbers as exact Decimals."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    if _NOT_FINITE.fullmatch(text):
        raise _RefusedError(node, path, f"{text} is not a finite number")
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _RefusedError(node, path, f"{text} is not a real date") from None
    return text
