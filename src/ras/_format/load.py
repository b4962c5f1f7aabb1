"""From text, a file or plain data to a validated SchemeModel, or one SchemeError with them all.

Validation runs in two passes: the models check shape and types (all problems at once), then, if
the shape is sound, ``_rules`` checks how the parts relate (all problems at once). Each problem
carries the key path and, for text, the line it was found on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import os
import types
import typing
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pydantic
from pydantic import BaseModel

from ras._base import InputFileError, Problem, SchemeError, has_control, read_bounded
from ras._format.model import VERSION_2_KEYS, SchemeModel
from ras._format.rules import check_rules
from ras._format.yaml import MAX_BYTES, KeyPath, LineMap, format_key_path, read_yaml

__all__ = ["model_changed", "model_from_data", "model_from_file", "model_from_text"]

Finding = tuple[KeyPath, str]


def model_from_file(path: str | os.PathLike[str]) -> SchemeModel:
    file = os.fspath(path)
    try:
        # a FIFO or /dev/zero is refused without waiting for or reading it whole
        raw = read_bounded(file, MAX_BYTES, "a scheme file")
    except InputFileError as exc:
        raise SchemeError([Problem("", str(exc), None, file)]) from None
    return model_from_text(raw, file=file)


def model_from_text(text: str | bytes, file: str | None = None) -> SchemeModel:
    data, lines = read_yaml(text, file)
    return _validate(data, lines, file)


def model_from_data(data: Any) -> SchemeModel:
    """Plain Python data; floats are taken by their shortest repr (300.2 is 300.2, exactly)."""
    problems: list[Problem] = []
    clean = _plain(data, (), problems)
    if problems:
        raise SchemeError(problems)
    return _validate(clean, {}, None)


def model_changed(model: SchemeModel, changes: list[tuple[KeyPath, Any]]) -> SchemeModel | None:
    """The model with numbers or other single values changed, or None if that needs a full load.

    Only the model that holds each value (an option, a pricing, a setting) is validated again,
    then the format's rules over the whole: the rest was validated when the scheme was loaded
    and cannot change. The same checks as a full load, a fraction of the work; a sweep makes
    hundreds of these. None when a change fails or cannot be made in place (a block that is
    absent): load in full then, which also words the problems.
    """
    for key, value in changes:
        problems: list[Problem] = []
        value = _plain(value, key, problems)  # the reader's rules for a value, as in a full load
        if problems or isinstance(value, dict | list):  # only single values change in place
            return None
        changed = _replaced(model, key, value)
        if not isinstance(changed, SchemeModel):
            return None
        model = changed
    return None if check_rules(model) else model


def _replaced(node: Any, key: KeyPath, value: Any) -> Any:
    """node with the value at key replaced (None when that cannot be done in place)."""
    part, rest = key[0], key[1:]
    if isinstance(node, BaseModel) and isinstance(part, str) and part in type(node).model_fields:
        if not rest:
            data = node.model_dump()
            data[part] = value
            try:
                return type(node).model_validate(data)
            except pydantic.ValidationError:
                return None
        child = _replaced(getattr(node, part), rest, value)
        return None if child is None else node.model_copy(update={part: child})
    if isinstance(node, tuple) and isinstance(part, int) and 0 <= part < len(node) and rest:
        child = _replaced(node[part], rest, value)
        return None if child is None else (*node[:part], child, *node[part + 1:])
    if isinstance(node, dict) and part in node and rest:
        child = _replaced(node[part], rest, value)
        return None if child is None else {**node, part: child}
    return None


def _plain(value: Any, path: KeyPath, problems: list[Problem]) -> Any:
    """Plain data as the YAML reader gives it, under the reader's rules for text: no control
    characters, and no two keys of a mapping that are one text in two Unicode forms."""
    if isinstance(value, str) and has_control(value):
        problems.append(Problem(format_key_path(path), "contains a control character"))
        return value
    if isinstance(value, bool) or value is None or isinstance(value, str | int | Decimal):
        if isinstance(value, Decimal) and not value.is_finite():
            problems.append(Problem(format_key_path(path), f"{value} is not a finite number"))
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            problems.append(Problem(format_key_path(path), f"{value} is not a finite number"))
            return value
        return Decimal(repr(value))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, typing.Mapping):
        out: dict[Any, Any] = {}
        spellings: dict[str, str] = {}
        for key, item in value.items():
            where = (*path, str(key))
            if isinstance(key, str):
                if has_control(key):
                    problems.append(Problem(format_key_path(path), f"the key {key!r} contains "
                                            "a control character"))
                same = spellings.setdefault(unicodedata.normalize("NFC", key), key)
                if same != key:
                    problems.append(Problem(format_key_path(where),
                                            f"duplicate key {key!r}: the same text as "
                                            f"{same!r} in another Unicode form"))
            out[key] = _plain(item, where, problems)
        return out
    if isinstance(value, list | tuple):
        return [_plain(v, (*path, i), problems) for i, v in enumerate(value)]
    problems.append(
        Problem(format_key_path(path), f"must be plain data, not a {type(value).__name__}")
    )
    return value


def _validate(data: Any, lines: LineMap, file: str | None) -> SchemeModel:
    if not isinstance(data, dict):
        found = type(data).__name__ if data is not None else "nothing"
        raise SchemeError([Problem("", f"a scheme must be a mapping of keys (found {found})",
                                   lines.get(()), file)])
    version = 1 if data.get("ras_scheme") == 1 else 2
    shape = [Problem(format_key_path(p), m, _line(lines, p), file)
             for p, m in _walk(data, SchemeModel, (), version)]
    try:
        model = SchemeModel.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = exc.errors()
        # pydantic counts only the items that validated: a list with one bad item of two is
        # also "too short". Report the bad item, not that echo of it.
        inner = {tuple(e["loc"][:i]) for e in errors for i in range(len(e["loc"]))}
        errors = [e for e in errors if not (e["type"] == "too_short" and tuple(e["loc"]) in inner)]
        problems = [_problem(err, lines, file, version) for err in errors]
        raise SchemeError(_sorted(shape + problems), file) from None
    if shape:
        raise SchemeError(_sorted(shape), file)
    findings = check_rules(model)
    if findings:
        problems = [Problem(format_key_path(p), m, _line(lines, p), file) for p, m in findings]
        raise SchemeError(_sorted(problems), file)
    return model


def _walk(value: Any, model: type[BaseModel], path: KeyPath, version: int) -> Iterator[Finding]:
    """Shape rules the models cannot say, found in the plain data so they come with the rest:
    a version 1 file's version 2 keys are unknown to it (and its settings need element 1), and
    a question has options or a number, one of the two."""
    if not isinstance(value, dict):
        return
    name = model.__name__
    added = VERSION_2_KEYS.get(name, frozenset())
    inner = _inner_models(model)
    for key, item in value.items():
        if version == 1 and key in added and item is not None:  # None: as if absent
            yield ((*path, key), _unknown_key((*path, key), version))
            continue
        found = inner.get(key)
        if found is None or item is None:
            continue
        how, child = found
        if how == "one":
            yield from _walk(item, child, (*path, key), version)
        elif how == "list" and isinstance(item, list):
            for i, each in enumerate(item):
                yield from _walk(each, child, (*path, key, i), version)
        elif how == "dict" and isinstance(item, dict):
            for k, each in item.items():
                yield from _walk(each, child, (*path, key, k), version)
    if name == "Question":
        has = [key for key in ("options", "number") if value.get(key) is not None]
        if version == 1 and "options" not in has:
            yield (path, "'options' is required here")
        elif version == 2 and len(has) == 2:
            yield (path, "a question has options or a number, not both")
        elif version == 2 and not has:
            yield (path, "a question needs options (a list) or number (a mapping)")
    if name == "Setting" and version == 1 and value.get("element1") is None:
        yield (path, "'element1' is required here")


@functools.cache
def _inner_models(model: type[BaseModel]) -> dict[str, tuple[str, type[BaseModel]]]:
    """The keys of a model that hold models: one, a list of them, or a mapping of them."""
    out: dict[str, tuple[str, type[BaseModel]]] = {}
    for key, field in model.model_fields.items():
        direct = _unwrap_model(field.annotation)
        if direct is not None:
            out[key] = ("one", direct)
            continue
        for how, part in (("list", 0), ("dict", "")):
            child = _unwrap_model(_step(field.annotation, part))
            if child is not None:
                out[key] = (how, child)
                break
    return out


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


def _line(lines: LineMap, path: KeyPath) -> int | None:
    """The line of the deepest part of the path the file has (a missing key: its parent's)."""
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


def _problem(err: Any, lines: LineMap, file: str | None, version: int) -> Problem:
    loc: KeyPath = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("[")))
    kind: str = err["type"]
    found = err.get("input")
    if kind == "extra_forbidden":
        message = _unknown_key(loc, version)
    elif kind == "missing":
        message = f"'{loc[-1]}' is required here" if loc else "a required key is missing"
    elif kind in {"decimal_parsing", "decimal_type", "float_parsing", "decimal_not_finite"}:
        message = f"must be a number (found {_show(found)})"
    elif kind == "finite_number":  # a number too large for a float: 1e400
        message = f"{_show(found)} is far too large a number for this key"
    elif kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
    elif kind == "greater_than_equal":
        message = f"must be {err['ctx']['ge']} or more (found {_show(found)})"
    elif kind == "less_than_equal":
        message = f"must be {err['ctx']['le']} or less (found {_show(found)})"
    elif kind == "decimal_max_places":
        places = err["ctx"]["decimal_places"]
        if loc[-2:-1] == ("number",):
            message = f"at most {places} decimals (found {found})"
        else:
            message = f"points have at most {places} decimals (found {found})"
    elif kind == "greater_than":
        message = f"must be more than {err['ctx']['gt']} (found {_show(found)})"
    elif kind in {"string_too_long", "too_long"} and isinstance(found, str):
        message = (f"at most {err['ctx']['max_length']} characters "
                   f"(found {len(found) if isinstance(found, str) else found})")
    elif kind == "too_short" and isinstance(found, str):
        message = f"must be text (found {_show(found)})"
    elif kind == "too_short":
        message = (f"needs at least {err['ctx']['min_length']} "
                   f"{'item' if err['ctx']['min_length'] == 1 else 'items'} "
                   f"(found {err['ctx']['actual_length']})")
    elif kind == "literal_error":
        message = f"must be {err['ctx']['expected']} (found {_show(found)})"
        if loc[-1:] == ("method",):
            message = f"unknown pricing method {_show(found)}; allowed: rate, bands, steps"
        elif loc[-1:] == ("mode",):
            message = f"unknown rounding mode {_show(found)}; allowed: half_up, half_even, up, down"
    elif kind == "string_pattern_mismatch":
        if loc == ("id",):
            message = f"must be a slug of a-z, 0-9, '-' and '_' (found {_show(found)})"
        else:
            message = ("must be text without control characters or spaces at either end "
                       f"(found {_show(found)})")
    elif kind in {"model_type", "dict_type"}:
        message = f"must be a mapping of keys to values (found {_kind(found)})"
    elif kind in {"tuple_type", "list_type"}:
        message = f"must be a list (found {_kind(found)})"
    elif kind in {"string_type", "string_too_short"}:
        message = f"must be text (found {_show(found)})"
    else:
        message = f"{err['msg']} (found {_show(found)})"
    return Problem(format_key_path(loc), message, _line(lines, loc), file)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict | list | tuple):
        return _kind(value)
    return str(value)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value) if isinstance(value, str) else str(value)


def _unknown_key(loc: KeyPath, version: int) -> str:
    key = str(loc[-1])
    allowed = _allowed_keys(loc[:-1], version)
    if not allowed:
        return f"unknown key '{key}'"
    message = f"unknown key '{key}'; allowed keys are {', '.join(allowed)}"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return message + (f"; did you mean '{close[0]}'?" if close else "")


def _allowed_keys(loc: KeyPath, version: int) -> list[str]:
    """The field names of the model found at this path of SchemeModel, in this version."""
    annotation: Any = SchemeModel
    for part in loc:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    model = _unwrap_model(annotation)
    if model is None:
        return []
    added = VERSION_2_KEYS.get(model.__name__, frozenset()) if version == 1 else frozenset()
    return [key for key in model.model_fields if key not in added]


def _step(annotation: Any, part: str | int) -> Any:
    model = _unwrap_model(annotation)
    if model is not None:
        field = model.model_fields.get(str(part))
        return field.annotation if field is not None else None
    for candidate in _union_members(annotation):
        origin = typing.get_origin(candidate)
        if origin is tuple and isinstance(part, int):
            return typing.get_args(candidate)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(candidate)[1]
    return None


def _union_members(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return tuple(m for a in typing.get_args(annotation) if a is not type(None)
                     for m in _union_members(a))
    if typing.get_origin(annotation) is typing.Annotated:
        return _union_members(typing.get_args(annotation)[0])
    return (annotation,)


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in _union_members(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None
